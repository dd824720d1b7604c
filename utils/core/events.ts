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
  reconnecting: Record<string, never>;
  reconnected: Record<string, never>;
  net_status: { userID: string } & Record<string, unknown>;
  token_will_expire: Record<string, never>;
  warning: { message: string; platformMessage?: string };
  error: ErrorDetail;
}

export type RoomEventTag = keyof RoomEventMap;

export type RoomEvent = {
  [K in RoomEventTag]: { tag: K; code: number; detail: RoomEventMap[K] };
}[RoomEventTag];

export function roomEvent<K extends RoomEventTag>(tag: K, code: number, detail: RoomEventMap[K]): RoomEvent {
  return { tag, code, detail } as RoomEvent;
}

/**
 * What `start()` rejects with: an Error whose own `tag`, `code` and `detail` equal the `error` event's
 * `e.detail`, so `catch (e) { e.code === -9 }` and `toMatchObject(eventDetail)` both work.
 */
export class RoomError extends Error {
  readonly tag = 'error' as const;
  readonly code: number;
  readonly detail: ErrorDetail;
  /** the message key, so the controller can render it in the component's language */
  i18n?: Msg;
  constructor(code: number, detail: ErrorDetail) {
    super(detail.message);
    this.name = 'RoomError';
    this.code = code;
    this.detail = detail;
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
