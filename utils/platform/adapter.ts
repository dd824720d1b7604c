/**
 * The seam between the platform-free room logic and a platform. An adapter (components/webrtc-room/
 * platform.ts for WeChat, platform.tt.ts for Douyin) is the only code that touches wx/tt: it turns native
 * callbacks into AdapterEvents and commands into native calls; what to call is decided here in utils/.
 * Types only; no wx/tt here.
 */
import type { RoomError } from '../core/events';
import type { Msg } from '../core/i18n';
import type { RoomAction } from '../room/reducer';
import type { EnterParams, Platform } from '../core/validate';

/** A failure as an adapter reports it; `code` is the component error code. */
export interface Failure {
  code: number;
  rawCode: number;
  message: string;
  reason?: 'permission' | 'privacy' | 'privacy_undeclared';
  /** -1 only: the offending property */
  field?: string;
  /** message key, when the text is the component's own (not the platform's) */
  i18n?: Msg;
}

export type AdapterEvent =
  | RoomAction
  /** really in the room (WeChat 1018, Douyin joinRtcRoom success) */
  | { type: 'entered' }
  /** entering failed */
  | ({ type: 'enter_failed' } & Failure)
  /** the platform reports a normal exit (WeChat 1019 reason 0) */
  | { type: 'exited'; reason: number }
  /** removed from the room by someone else (1019 reason ≠ 0) */
  | { type: 'kicked'; reason: number; message: string }
  /** the connection dropped and the room must be re-entered (-1307, 1021, Douyin interrupted) */
  | { type: 'connection_lost'; rawCode: number; message: string }
  /** the platform recovered by itself (Douyin) */
  | { type: 'connection_recovered' }
  /** a failure the page must know about (-4 camera, -5 mic, -7 permission, -9 credential, -13 engine) */
  | ({ type: 'error' } & Failure)
  | { type: 'warning'; rawCode: number; message: string; i18n?: Msg }
  /** network statistics of the local user ('') or a remote user, graded 0-6 by the adapter */
  | {
      type: 'net_status';
      userID: string;
      streamType?: 'main' | 'aux';
      quality: number;
      info: Record<string, unknown>;
    }
  /** WeChat 5000: the mini-program was suspended */
  | { type: 'suspended' }
  /** WeChat 5001: Android floating window closed; the room was left natively */
  | { type: 'floating_closed' }
  | { type: 'token_will_expire' }
  /** a remote player's own state (WeChat live-player statechange) */
  | { type: 'player_state'; playerId: string; code: number; message: string };

export type AdapterSink = (ev: AdapterEvent) => void;

/** What the local user sends, derived from properties and role. */
export interface LocalMedia {
  /** publishing at all (anchor) */
  publish: boolean;
  camera: boolean;
  mic: boolean;
  front: boolean;
}

export interface Subscription {
  video: boolean;
  audio: boolean;
  /** main stream as the small (low-resolution) variant */
  small: boolean;
}

export interface EnterOptions {
  autoSubscribe: boolean;
  local: LocalMedia;
}

export interface EnterView {
  pushUrl: string;
  devicePosition: 'front' | 'back';
}

export interface PlatformAdapter {
  readonly platform: Platform;
  /** Capability/version check before anything else; null when supported. */
  checkSupport(): RoomError | null;
  /** Ask for camera/microphone as needed; rejects with a RoomError -7 on refusal. */
  ensurePermissions(need: { camera: boolean; mic: boolean }): Promise<void>;
  /** What the view must show before `enter()` (WeChat: the push URL on the live-pusher). */
  enterView(params: EnterParams, opts: EnterOptions): EnterView;
  /** Start entering. The view already shows `enterView()`. */
  enter(params: EnterParams, opts: EnterOptions): void;
  /** Leave the room. Idempotent. */
  exit(): void;
  /** Local media changed while in the room (WeChat applies attributes in the view; Douyin calls the context). */
  applyLocal(next: LocalMedia, prev: LocalMedia): void;
  switchCamera(toFront: boolean): Promise<void>;
  pause(playerIds: string[]): void;
  resume(playerIds: string[]): void;
  /** Remote subscription changed (Douyin calls the context; WeChat uses player attributes). */
  subscribe(userID: string, streamType: 'main' | 'aux', sub: Subscription): void;
  /**
   * Whether the layout shows a stream's video (off-page grid tiles and unplaced custom tiles do not). WeChat:
   * the player's `mute-video` already says it. Douyin: video is unsubscribed where the host can, else the view
   * stays parked out of sight.
   */
  showVideo(userID: string, streamType: 'main' | 'aux', shown: boolean): void;
  /** The most native players that may exist at once (README: "Player limit"). */
  readonly maxPlayers: number;
  /** A remote player's `src` (WeChat: the reported play URL or one made from the user ID; Douyin: ''). */
  readonly playSrc?: (userID: string, streamType: 'main' | 'aux', reported: string, small: boolean) => string;
  /** New credential in the room: 'updated' when the platform took it in place, 'reenter' when the room must be re-entered. */
  updateUserSig(userSig: string): Promise<'updated' | 'reenter'>;
  /** Lobby preview of the local camera before entering. */
  startPreview(local: LocalMedia, sdkAppID: unknown): void;
  /** Release the camera (and microphone): after the lobby preview and after every end of a session. */
  stopPreview(): void;
  /** Open the platform's settings page; resolves with what is granted afterwards. */
  openSetting(): Promise<{ camera: boolean; mic: boolean }>;
  /** The system language ('zh_CN', 'en' …), for the default `lang`. */
  language(): string;
  /** An event of a native view in the template (`bind*="onNative"` with `data-role`). */
  handleNative(e: unknown): void;
  /** Players created while the page was hidden must be rebuilt on show (WeChat Android). */
  readonly rebuildHiddenPlayers: boolean;
  /** Detach every listener and release the native context. */
  destroy(): void;
}
