/**
 * The public event contract: `RoomEvent` (pages bind `bindRoomEvent`), `e.detail = {tag, code, detail}`.
 * Both platforms emit exactly these shapes.
 */

import type { Msg } from './i18n';

export type StreamType = 'main' | 'aux';

/** Stable component error codes (documented in the README; never renumber). */
export const ErrorCode = {
  /** invalid or missing parameter; detail.field names it; nothing was sent to the network */
  INVALID_PARAM: -1,
  /** client or base library too old, or the platform lacks the capability */
  NOT_SUPPORTED: -2,
  /** camera failed */
  CAMERA_FAILED: -4,
  /** microphone failed */
  MIC_FAILED: -5,
  /** connection lost and recovery gave up */
  CONNECTION_LOST: -6,
  /** camera or microphone permission denied */
  PERMISSION_DENIED: -7,
  /** credential rejected (UserSig / token) */
  CREDENTIAL_REJECTED: -9,
  /** entering the room failed */
  ENTER_FAILED: -10,
  /** already in a room (Douyin 21100) */
  ALREADY_IN_ROOM: -11,
  /** the native engine was destroyed; the next start() creates a new one (Douyin 115910) */
  ENGINE_DESTROYED: -13,
  /** the command needs an entered room (sendMessage, a remote snapshot) */
  NOT_IN_ROOM: -14,
  /** a native command failed (sendMessage, snapshot); rawCode/message are the platform's */
  COMMAND_FAILED: -15,
} as const;
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ErrorDetail {
  message: string;
  /** the platform's own code, or 0 when the component detected the problem itself */
  rawCode: number;
  /** the offending property, for -1 */
  field?: string;
  /** the platform's own text (errMsg, message), when it said something; `message` is the component's */
  platformMessage?: string;
  /** Douyin -7 only: whether the user refused the permission or the privacy agreement */
  reason?: 'permission' | 'privacy' | 'privacy_undeclared';
}

export interface RoomEventMap {
  enter_room: { roomID?: number; strRoomID?: string; userID: string };
  /** why the session ended: `stop()` or a normal exit, removed from the room, or lost (error -6/-9/-13) */
  exit_room: { reason: 'left' | 'kicked' | 'lost' };
  user_join: { userID: string };
  user_leave: { userID: string };
  video_available: { userID: string; streamType: StreamType };
  audio_available: { userID: string };
  /** `reason` in the component's language; the platform's own text, when it gave one, in `platformMessage` */
  kicked_out: { reason: string; platformMessage?: string };
  /**
   * code 0 with a reason: updateUserSig() re-enters (`credential`), or WeChat 5000 took the client out of the
   * room until the foreground (`suspended`); a loss's retries (code 1…) carry `{}`
   */
  reconnecting: { reason?: 'credential' | 'suspended' };
  /** the detail of the `reconnecting` it answers */
  reconnected: { reason?: 'credential' | 'suspended' };
  net_status: { userID: string; streamType?: 'aux' } & Record<string, unknown>;
  token_will_expire: Record<string, never>;
  /** the permission guide's settings page (or Douyin's privacy popup) granted what the session needs */
  permission_granted: Record<string, never>;
  /** WeChat: levels 0-100, the local user as '', at most one event per 300 ms */
  audio_volume: { volumes: Array<{ userID: string; volume: number }> };
  /** WeChat background music (playBGM): started, position (seconds), finished, failed */
  bgm_start: Record<string, never>;
  bgm_progress: { progress: number; duration: number };
  bgm_complete: Record<string, never>;
  bgm_error: { message: string; rawCode: number };
  /** WeChat: a remote view went into / out of the system picture-in-picture window */
  pip_enter: { userID: string; streamType: StreamType };
  pip_leave: { userID: string; streamType: StreamType };
  /** WeChat: an in-stream (SEI) message of a remote user */
  message: { userID: string; payload: string };
  /** `userID` and `streamType`: the remote stream it is about (2003: a player that shows no video) */
  warning: { message: string; platformMessage?: string; userID?: string; streamType?: StreamType };
  error: ErrorDetail;
}

export type RoomEventTag = keyof RoomEventMap;

/** One `{tag, code, detail}` per tag of an event map: the shape of RoomEvent and of the chat's IMEvent. */
export type TaggedEvent<M> = { [K in keyof M]: { tag: K; code: number; detail: M[K] } }[keyof M];

export type RoomEvent = TaggedEvent<RoomEventMap>;

export function roomEvent<K extends RoomEventTag>(tag: K, code: number, detail: RoomEventMap[K]): RoomEvent {
  return { tag, code, detail } as RoomEvent;
}

/**
 * An Error whose own `tag`, `code` and `detail` equal its `error` event's `e.detail`, so
 * `catch (e) { e.code === -9 }` and `toMatchObject(eventDetail)` both work (RoomError, the chat's IMError).
 */
export abstract class EventError<D extends { message: string }> extends Error {
  readonly tag = 'error' as const;
  readonly code: number;
  readonly detail: D;
  constructor(code: number, detail: D, name: string) {
    super(detail.message);
    this.name = name;
    this.code = code;
    this.detail = detail;
  }
}

/** What `start()` and the room's commands reject with. */
export class RoomError extends EventError<ErrorDetail> {
  /** the message key, so the controller can render it in the component's language */
  i18n?: Msg;
  constructor(code: number, detail: ErrorDetail) {
    super(code, detail, 'RoomError');
  }
  toEvent(): RoomEvent {
    return roomEvent('error', this.code, this.detail);
  }
}

export function roomError(
  code: number,
  message: string,
  rawCode = 0,
  extra: Partial<ErrorDetail> = {},
  i18n?: Msg,
): RoomError {
  const e = new RoomError(code, { message, rawCode, ...extra });
  if (i18n) e.i18n = i18n;
  return e;
}
