/**
 * What the @tencentcloud/chat stand-in (chat.ts) is built on: the SDK's client-side error codes, its event
 * listeners (`on` / `off`), and messages in the shape the SDK gives them, made and sent.
 */
import type { ChatWireMessage } from '../../emulator/protocol';
import { TYPES } from './chat-sdk-constants';
import { log } from './log';

/** Client-side codes, as the SDK uses them. */
export const NOT_LOGGED_IN = 2024;
export const PARAM = 2000;
export const NETWORK = 2801;

export type ChatError = Error & { code: number };

export function chatError(code: number, message: string): ChatError {
  return Object.assign(new Error(message), { code });
}

export type Listener = (event: { name: string; data?: unknown }) => void;

/** A Message as the SDK gives it (the fields the component reads, plus the usual bookkeeping). */
export interface StandInMessage extends ChatWireMessage {
  conversationID: string;
  flow: 'in' | 'out';
  status: 'unSend' | 'success' | 'fail';
  isRead: boolean;
  priority: string;
}

/** `on` / `off` and the emit behind them, as the SDK's listeners work (a throwing listener is logged). */
export class ChatEmitter {
  protected listeners = new Map<string, Array<{ fn: Listener; ctx: unknown }>>();

  on(name: string, fn: Listener, ctx?: unknown): void {
    const list = this.listeners.get(name) ?? [];
    list.push({ fn, ctx });
    this.listeners.set(name, list);
  }

  off(name: string, fn: Listener, ctx?: unknown): void {
    const list = this.listeners.get(name);
    if (!list) return;
    const i = list.findIndex((l) => l.fn === fn && (ctx === undefined || l.ctx === ctx));
    if (i >= 0) list.splice(i, 1);
  }

  protected emit(name: string, data?: unknown): void {
    for (const { fn, ctx } of [...(this.listeners.get(name) ?? [])]) {
      try {
        fn.call(ctx, { name, data });
      } catch (e) {
        log.error(`chat stand-in: a ${name} listener threw`, e);
      }
    }
  }
}

export function toMessage(
  m: ChatWireMessage,
  flow: 'in' | 'out',
  status: StandInMessage['status'] = 'success',
): StandInMessage {
  const peer = m.conversationType === TYPES.CONV_C2C ? (flow === 'in' ? m.from : m.to) : m.to;
  return {
    ...m,
    nick: m.nick ?? '',
    avatar: m.avatar ?? '',
    cloudCustomData: m.cloudCustomData ?? '',
    conversationID: `${m.conversationType}${peer}`,
    flow,
    status,
    isRead: flow === 'out',
    priority: 'Normal',
  };
}

let msgSeq = 0;

/** A message the logged-in `from` creates (createTextMessage / createCustomMessage): not sent yet. */
export function outgoingMessage(
  from: string,
  type: string,
  o: { to: string; conversationType: string; cloudCustomData?: string },
  payload: unknown,
): StandInMessage {
  if (typeof o.to !== 'string' || !o.to) throw chatError(PARAM, 'the message needs `to`');
  if (o.conversationType !== TYPES.CONV_GROUP && o.conversationType !== TYPES.CONV_C2C) {
    throw chatError(PARAM, `unsupported conversationType ${String(o.conversationType)}`);
  }
  return toMessage(
    {
      ID: `${from}-${Date.now()}-${++msgSeq}`,
      type,
      conversationType: o.conversationType,
      to: o.to,
      from,
      time: Math.floor(Date.now() / 1000),
      payload,
      nick: '',
      avatar: '',
      cloudCustomData: o.cloudCustomData ?? '',
    },
    'out',
    'unSend',
  );
}

/** What goes over the wire of a message: its own fields, none of the SDK's bookkeeping. */
export function wireMessage(m: StandInMessage): ChatWireMessage {
  return {
    ID: m.ID,
    type: m.type,
    conversationType: m.conversationType,
    to: m.to,
    from: m.from,
    time: m.time,
    payload: m.payload,
    nick: m.nick,
    avatar: m.avatar,
    cloudCustomData: m.cloudCustomData,
  };
}
