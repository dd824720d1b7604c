/**
 * Sending: the text and custom messages a session sends, checked within the documented limits before anything
 * reaches the SDK, and the SDK's send itself. The session (./session.ts) says where to and whether it may send now.
 */
import { IMError, imError, IMErrorCode, MAX_MESSAGE_BYTES, toIMMessage } from './events';
import type { IMMessage } from './events';
import { utf8Bytes } from './credentials';
import { sdkCode, sdkMessage } from './sdk';
import type { ChatInstance, ChatSDK, SDKMessage } from './sdk';

/** Where a message goes: the room's group, or one user. */
export type Target = { to: string; conversationType: string };

/** Creates a checked message on the SDK instance, for `t`. */
export type Create = (chat: ChatInstance, t: Target) => unknown;

/** One user as a target; an invalid userID is error -21 naming it. */
export function c2cTarget(userID: unknown, T: ChatSDK['TYPES']): Target | IMError {
  if (typeof userID !== 'string' || userID === '') {
    return imError(IMErrorCode.INVALID_PARAM, 'userID must be a non-empty string', 0, 'userID');
  }
  return { to: userID, conversationType: T.CONV_C2C };
}

/** A text message, or why it cannot be sent (-21 not a string, -25 empty, -26 over the limit). */
export function textMessage(text: unknown): Create | IMError {
  if (typeof text !== 'string') {
    return imError(IMErrorCode.INVALID_PARAM, 'text must be a string', 0, 'text');
  }
  if (text.trim() === '') return imError(IMErrorCode.EMPTY_MESSAGE, 'text is empty');
  const size = utf8Bytes(text);
  if (size > MAX_MESSAGE_BYTES) return tooLarge(size);
  return (chat, t) => chat.createTextMessage({ ...t, payload: { text } });
}

/** A custom message `{data, description?, extension?}` (strings), or why it cannot be sent. */
export function customMessage(payload: unknown): Create | IMError {
  const p = payload as { data?: unknown; description?: unknown; extension?: unknown } | null;
  if (!p || typeof p !== 'object') {
    return imError(
      IMErrorCode.INVALID_PARAM,
      'custom message needs {data, description?, extension?}',
      0,
      'data',
    );
  }
  for (const k of ['data', 'description', 'extension'] as const) {
    if (p[k] !== undefined && typeof p[k] !== 'string') {
      return imError(IMErrorCode.INVALID_PARAM, `${k} must be a string (JSON.stringify objects)`, 0, k);
    }
  }
  const data = (p.data as string | undefined) ?? '';
  const description = (p.description as string | undefined) ?? '';
  const extension = (p.extension as string | undefined) ?? '';
  if (data === '' && description === '' && extension === '') {
    return imError(IMErrorCode.EMPTY_MESSAGE, 'custom message is empty');
  }
  const size = utf8Bytes(data) + utf8Bytes(description) + utf8Bytes(extension);
  if (size > MAX_MESSAGE_BYTES) return tooLarge(size);
  return (chat, t) => chat.createCustomMessage({ ...t, payload: { data, description, extension } });
}

/** Creates the message on `chat` and sends it; resolves with the SDK's message as sent, rejects with -27. */
export function deliver(chat: ChatInstance, target: Target, create: Create): Promise<IMMessage> {
  let message: unknown;
  try {
    message = create(chat, target);
  } catch (e) {
    return Promise.reject(
      imError(IMErrorCode.SEND_FAILED, `creating the message failed: ${sdkMessage(e)}`, sdkCode(e)),
    );
  }
  return chat.sendMessage(message as never).then(
    (res) => {
      const sent =
        (res as { data?: { message?: SDKMessage } } | null)?.data?.message ?? (message as SDKMessage);
      // the SDK's own message of what was just sent: of a known shape
      return toIMMessage(sent) as IMMessage;
    },
    (e: unknown) => {
      throw imError(IMErrorCode.SEND_FAILED, `sending failed: ${sdkMessage(e)}`, sdkCode(e));
    },
  );
}

function tooLarge(size: number): IMError {
  return imError(
    IMErrorCode.MESSAGE_TOO_LARGE,
    `message is ${size} bytes; the limit is ${MAX_MESSAGE_BYTES} bytes (12 KB, UTF-8)`,
  );
}
