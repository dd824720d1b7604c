/**
 * The chat's public event contract: IM error codes, `IMEvent` details `{tag, code, detail}`, `IMError` (what
 * send methods reject with) and the message shape pages receive.
 */
import type { SDKMessage } from './sdk';
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
  /** text: {text}; custom: {data, description, extension}; tips and notices: the SDK's payload, untouched */
  payload: unknown;
  cloudCustomData: string;
}

export type ConnectionState = 'connected' | 'connecting' | 'disconnected';

export interface IMErrorDetail {
  message: string;
  /** the SDK's code, or 0 when the component found the problem itself */
  rawCode: number;
  field?: string;
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

export function toIMMessage(m: SDKMessage): IMMessage {
  return {
    ID: String(m.ID ?? ''),
    type: String(m.type ?? ''),
    conversationType: String(m.conversationType ?? ''),
    from: String(m.from ?? ''),
    to: String(m.to ?? ''),
    nick: m.nick ?? '',
    avatar: m.avatar ?? '',
    time: typeof m.time === 'number' ? m.time : 0,
    flow: m.flow ?? '',
    payload: m.payload,
    cloudCustomData: m.cloudCustomData ?? '',
  };
}
