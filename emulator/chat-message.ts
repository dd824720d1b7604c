/**
 * What a chat client may send through the emulator's cloud, and what the cloud relays of it: the message types
 * a client creates (the SDK's create*Message; group tips and system notices are the cloud's own, so a member
 * cannot tell the room that someone else left), the two element shapes the SDK stand-in makes, and the 12 KB
 * limit on payload plus cloudCustomData.
 */
import { CHAT, CHAT_TYPES, type ChatWireMessage } from './protocol';

const MAX_MESSAGE_BYTES = 12 * 1024;

export const nowSec = (): number => Math.floor(Date.now() / 1000);

const CLIENT_MESSAGE_TYPES = new Set([
  'TIMTextElem',
  'TIMCustomElem',
  'TIMImageElem',
  'TIMSoundElem',
  'TIMVideoFileElem',
  'TIMFileElem',
  'TIMFaceElem',
  'TIMLocationElem',
  'TIMRelayElem',
]);

/** What is wrong with a text or custom element's payload (the two the SDK stand-in makes), or ''. */
function elementError(type: string, payload: unknown): string {
  const p = payload as Record<string, unknown> | null;
  if (type === CHAT_TYPES.MSG_TEXT)
    return typeof p?.text === 'string' ? '' : 'a text element needs payload.text (a string)';
  if (type !== CHAT_TYPES.MSG_CUSTOM) return '';
  if (!p) return 'a custom element needs a payload';
  for (const k of ['data', 'description', 'extension'])
    if (p[k] !== undefined && typeof p[k] !== 'string') return `a custom element's payload.${k} is a string`;
  return '';
}

/** Why the cloud refuses a client's message (its error code and text), or null when it may be sent. */
export function clientMessageError(m: ChatWireMessage | undefined): { code: number; message: string } | null {
  if (!m || typeof m !== 'object' || typeof m.to !== 'string' || !m.to || typeof m.type !== 'string') {
    return { code: CHAT.PARAM, message: 'message needs to, type and payload' };
  }
  if (!CLIENT_MESSAGE_TYPES.has(m.type)) {
    return { code: CHAT.PARAM, message: `a client cannot send a ${m.type} message` };
  }
  const shape = elementError(m.type, m.payload);
  if (shape) return { code: CHAT.PARAM, message: shape };
  const size =
    Buffer.byteLength(JSON.stringify(m.payload ?? null)) + Buffer.byteLength(m.cloudCustomData ?? '');
  if (size > MAX_MESSAGE_BYTES) return { code: CHAT.TOO_LARGE, message: 'message is over 12 KB' };
  return null;
}

/** The message as the cloud delivers it: from the sender's login, stamped now, string fields only. */
export function relayedMessage(m: ChatWireMessage, from: string): ChatWireMessage {
  return {
    ID: String(m.ID ?? ''),
    type: m.type,
    conversationType: m.conversationType,
    to: m.to,
    from,
    time: nowSec(),
    payload: m.payload,
    nick: typeof m.nick === 'string' ? m.nick : '',
    avatar: typeof m.avatar === 'string' ? m.avatar : '',
    cloudCustomData: typeof m.cloudCustomData === 'string' ? m.cloudCustomData : '',
  };
}
