/**
 * The chat's public event contract: IM error codes, `IMEvent` details `{tag, code, detail}`, `IMError` (what
 * send methods reject with) and the message shape pages receive.
 */
import { EventError, type TaggedEvent } from '../core/events';

// ------------------------------------------------------------------ the public event contract

/** Stable IM error codes (documented in the README; never renumber). Room codes are -1..-19. */
export const IMErrorCode = {
  /** `enableIM` is on but no chat SDK was registered (`registerChat` / `setChatSDK`) */
  NOT_REGISTERED: -20,
  /** missing or invalid credential, group ID or message argument; `detail.field` names it */
  INVALID_PARAM: -21,
  /** login failed; `detail.rawCode` is the SDK's code (e.g. 70001 UserSig expired) */
  LOGIN_FAILED: -22,
  /** joining the room's group failed */
  JOIN_FAILED: -23,
  /** a send before the session is logged in and in the group, or after stop / kicked */
  NOT_LOGGED_IN: -24,
  /** text (after trimming) or custom message is empty */
  EMPTY_MESSAGE: -25,
  /** the payload is over MAX_MESSAGE_BYTES */
  MESSAGE_TOO_LARGE: -26,
  /** the SDK rejected sendMessage; `detail.rawCode` is its code */
  SEND_FAILED: -27,
  /** the SDK's own ERROR event */
  SDK_ERROR: -28,
  /** another component (or the app) holds this SDKAppID logged in as a different userID */
  USER_CONFLICT: -29,
  /** another component made this user join a different AVChatRoom (one per user at a time) */
  GROUP_REPLACED: -30,
  /**
   * the room's group ended for this user (its system notice): dismissed (operationType 5), recycled (11) or this
   * user kicked out by an admin (4; 21 out of an AVChatRoom, with a ban), `detail.reason`; chat ended, it is not
   * joined again
   */
  GROUP_DISMISSED: -31,
} as const;

/**
 * Largest text or custom payload we send, in UTF-8 bytes: Tencent Cloud Chat limits one message to 12 KB
 * (text + custom data + description + extension count together). The server counts its own envelope too,
 * so a payload right at the limit can still come back as SEND_FAILED (SDK code 80002).
 */
export const MAX_MESSAGE_BYTES = 12 * 1024;

/** A received or sent message, as pages get it. */
export interface IMMessage {
  ID: string;
  /** TIMTextElem, TIMCustomElem, TIMGroupTipElem, TIMGroupSystemNoticeElem, … */
  type: string;
  /** GROUP, C2C or @TIM#SYSTEM */
  conversationType: string;
  from: string;
  to: string;
  nick: string;
  avatar: string;
  /** seconds since the epoch, as the SDK gives it */
  time: number;
  /** in (received) or out (sent) */
  flow: string;
  /**
   * text: {text}; custom: {data, description, extension}; tips and notices: {operationType, operatorID,
   * userIDList, groupProfile: {groupID}}; other types: {}
   */
  payload: unknown;
  cloudCustomData: string;
}

export type ConnectionState = 'connected' | 'connecting' | 'disconnected';

export interface IMErrorDetail {
  message: string;
  /** the SDK's code, or 0 when the component found the problem itself */
  rawCode: number;
  field?: string;
  /** -31: 'dismissed', 'recycled' or 'kicked' */
  reason?: string;
}

export interface IMEventMap {
  /** code 0 on success; otherwise the SDK's code (also followed by `error` LOGIN_FAILED / USER_CONFLICT) */
  login_event: { userID: string; message?: string };
  /** code 0 when in the group, including when the user already was (status AlreadyInGroup) */
  join_group_event: { groupID: string; status?: string; message?: string };
  connection_event: { state: ConnectionState };
  /** messages of this room's group (text, custom, group tips) */
  big_group_msg_notify: { groupID: string; messages: IMMessage[] };
  /** one-to-one messages */
  msg_notify: { messages: IMMessage[] };
  /** system notices about this room's group (dismissed, removed from the group, …) */
  group_system_notify: { groupID: string; messages: IMMessage[] };
  /** multipleAccount, multipleDevice, userSigExpired or REST_API_Kick; the session is logged out */
  kicked: { type: string };
  error: IMErrorDetail;
}

export type IMEventTag = keyof IMEventMap;

export type IMEvent = TaggedEvent<IMEventMap>;

export function imEvent<K extends IMEventTag>(tag: K, code: number, detail: IMEventMap[K]): IMEvent {
  return { tag, code, detail } as IMEvent;
}

/** What send methods and `start()` reject with; `tag/code/detail` equal the `error` event's. */
export class IMError extends EventError<IMErrorDetail> {
  constructor(code: number, detail: IMErrorDetail) {
    super(code, detail, 'IMError');
  }
  toEvent(): IMEvent {
    return imEvent('error', this.code, this.detail);
  }
}

export function imError(code: number, message: string, rawCode = 0, field?: string): IMError {
  return new IMError(code, field === undefined ? { message, rawCode } : { message, rawCode, field });
}

/** A field of a value another user made: its own only (never one of Object.prototype or a polluted prototype). */
function own(o: unknown, k: string): unknown {
  return o && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, k)
    ? (o as Record<string, unknown>)[k]
    : undefined;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The payload a page gets for a message type: null when it is not that type's shape. */
function payloadOf(type: string, p: unknown): unknown {
  const f = (k: string) => own(p, k);
  if (type === 'TIMTextElem') return typeof f('text') === 'string' ? { text: f('text') } : null;
  if (type === 'TIMCustomElem') {
    const c: Record<string, string> = {};
    for (const k of ['data', 'description', 'extension']) {
      const v = f(k) ?? '';
      if (typeof v !== 'string') return null;
      c[k] = v;
    }
    return c;
  }
  if (type === 'TIMGroupTipElem' || type === 'TIMGroupSystemNoticeElem') {
    const op = f('operationType');
    const list = f('userIDList');
    return typeof op === 'number'
      ? {
          operationType: op,
          operatorID: str(f('operatorID')),
          userIDList: Array.isArray(list) ? list.filter((u) => typeof u === 'string') : [],
          groupProfile: { groupID: str(own(f('groupProfile'), 'groupID')) },
        }
      : null;
  }
  // image, sound, file …: not modelled, so nothing of it is passed on
  return {};
}

/**
 * An SDK message as pages get it. Its fields come from other users: each is read as its own field of the right type
 * (strings, a finite time), the payload by its type; null for a message that is not of that shape (dropped).
 */
export function toIMMessage(m: unknown): IMMessage | null {
  const type = own(m, 'type');
  const payload = typeof type === 'string' ? payloadOf(type, own(m, 'payload')) : null;
  if (!payload) return null;
  const time = own(m, 'time');
  const out: Record<string, unknown> = {
    type,
    payload,
    time: typeof time === 'number' && isFinite(time) ? time : 0,
  };
  for (const k of ['ID', 'conversationType', 'from', 'to', 'nick', 'avatar', 'flow', 'cloudCustomData']) {
    out[k] = str(own(m, k));
  }
  return out as unknown as IMMessage;
}
