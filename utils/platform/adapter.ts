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
import type { MediaSettings, SettingName } from '../room/settings';
import type { PlatformFacts } from '../room/capabilities';
import type { FrameWatch } from '../room/first-frame';

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
  /** the remote user whose view reported it (Douyin binderror): nothing once that user left */
  viewOf?: string;
}

export type AdapterEvent =
  | RoomAction
  /** really in the room (WeChat 1018, Douyin joinRtcRoom success) */
  | { type: 'entered' }
  /** the entry waits for the user (Douyin: the capture calls' permission prompts): no enter timeout meanwhile */
  | { type: 'enter_asking' }
  /** the entry request went out (Douyin joinRtcRoom): the enter timeout counts from here */
  | { type: 'enter_sent' }
  /** entering failed */
  | ({ type: 'enter_failed' } & Failure)
  /** the platform reports a normal exit (WeChat 1019 reason 0) */
  | { type: 'exited'; reason: number }
  /** removed from the room by someone else (1019 reason ≠ 0) */
  | { type: 'kicked'; reason: number; message: string }
  /** the connection dropped and the room must be re-entered (-1307, 1021, Douyin interrupted) */
  | { type: 'connection_lost'; rawCode: number; message: string }
  /**
   * the native leave failed (WeChat LivePusherContext.stop fail): devices may still be held. Reported after the
   * session ended too; while the page is hidden the room answers it with ensureReleased() on show
   */
  | { type: 'release_failed'; api: string; rawCode: number; message: string }
  /** a failure the page must know about (-4 camera, -5 mic, -7 permission, -9 credential, -13 engine) */
  | ({ type: 'error' } & Failure)
  | { type: 'warning'; rawCode: number; message: string; i18n?: Msg; viewOf?: string }
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
  /**
   * Douyin < 2.68.0 (no updateToken): the join that went out before updateUserSig() succeeded with the old token,
   * so the room must be entered again with the new one, as updateUserSig() in the room does ('reenter')
   */
  | { type: 'credential_reentry' }
  /** WeChat live-pusher bindbgmstart / bindbgmprogress / bindbgmcomplete */
  | { type: 'bgm'; state: 'start' | 'progress' | 'complete'; progress?: number; duration?: number }
  /** WeChat live-player bindenterpictureinpicture / bindleavepictureinpicture */
  | { type: 'pip'; userID: string; streamType: 'main' | 'aux'; on: boolean }
  /** WeChat player statechange 2012: a remote user's in-stream (SEI) message */
  | { type: 'message'; userID: string; payload: string }
  /** WeChat bindaudiovolumenotify: the local user ('') or a remote, 0-100 */
  | { type: 'audio_volume'; userID: string; volume: number }
  /**
   * a remote player's own state (WeChat live-player statechange); `userID`: the user it showed when it reported,
   * `key`: its tile's key then (a rebuilt player is a new instance under the same element id)
   */
  | { type: 'player_state'; playerId: string; userID?: string; key?: string; code: number; message: string };

export type BgmOp = 'play' | 'stop' | 'pause' | 'resume' | 'volume';

export interface Snapshot {
  tempImagePath: string;
  width: number;
  height: number;
}

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
  /** the page chose main or small with subscribe(); wins over enableSmallStream's thumbnails */
  stream?: 'main' | 'small';
}

export interface EnterOptions {
  autoSubscribe: boolean;
  local: LocalMedia;
  /** publish a small stream as well (enableSmallStream; WeChat `encsmall`) */
  encSmall?: boolean;
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
  /**
   * Leave again if the last exit() was not confirmed (WeChat: its stop() answered no success, dropped or failed on
   * a hidden page); a no-op once it was, or once enter() made a new entry.
   */
  ensureReleased?(): void;
  /** Local media changed in the room or the lobby preview (WeChat applies attributes in the view; Douyin calls the context). */
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
  /** The platform publishes and plays small streams (WeChat `encsmall`, `streamtype=small`). */
  readonly smallStream?: boolean;
  /** Remote audio plays without a view (Douyin's engine): a remote view exists only for video. */
  readonly videoOnlyViews?: boolean;
  /** The local native view names its user (Douyin `<rtc-room user-id>`): the view data carries `localUserID`. */
  readonly localViewUserID?: boolean;
  /** Background music on the pusher (WeChat); absent where the platform has none (Douyin). */
  bgm?(op: BgmOp, arg?: string | number): Promise<void>;
  /** Versions, canIUse / method presence: what getCapabilities() decides from. */
  facts?(): PlatformFacts;
  /** Camera/microphone authorization as the platform stores it (undefined: never asked, the call will prompt). */
  authState?(): Promise<{ camera?: boolean; mic?: boolean }>;
  /** In-stream message (WeChat SEI through the pusher); absent where the platform has none (Douyin). */
  sendMessage?(payload: string): Promise<void>;
  /** The local view (null) or a remote player's picture; absent where the platform has none (Douyin). */
  snapshot?(playerId: string | null): Promise<Snapshot>;
  /** Whether this client can apply a media setting (the room warns when an unsupported one is set). */
  supportsSetting?(name: SettingName): boolean;
  /** Media settings in the room: after each entry (`prev` null) and on change. WeChat: attributes, nothing to do. */
  applySettings?(next: MediaSettings, prev: MediaSettings | null): void;
  /**
   * The black-screen watchdog (utils/room/first-frame.ts) where players report their first frame (WeChat 2003);
   * absent on Douyin, whose bundle then carries none of it.
   */
  readonly firstFrames?: typeof FrameWatch;
  /** A remote player's `src` (WeChat: the reported play URL or one made from the user ID; Douyin: ''). */
  readonly playSrc?: (userID: string, streamType: 'main' | 'aux', reported: string, small: boolean) => string;
  /** New credential in the room: 'updated' when the platform took it in place, 'reenter' when the room must be re-entered. */
  updateUserSig(userSig: string): Promise<'updated' | 'reenter'>;
  /**
   * Douyin: a new credential while the session is not in the room (entering, a re-entry's backoff): its next
   * join's token; a join already out takes it once it succeeded (updateToken, else `credential_reentry`), or
   * joins again with it when refused for the old one.
   */
  renewToken?(userSig: string): void;
  /** Lobby preview of the local camera before entering. */
  startPreview(local: LocalMedia, sdkAppID: unknown): void;
  /** Release the camera (and microphone): after the lobby preview and after every end of a session. */
  stopPreview(): void;
  /** Open the platform's settings page; resolves with what is granted afterwards. */
  openSetting(): Promise<{ camera: boolean; mic: boolean }>;
  /** Douyin: the privacy agreement popup (tt.requirePrivacyAuthorize); resolves whether the user agreed. */
  agreePrivacy?(): Promise<boolean>;
  /** In the room, once the guide's grant came back: the capture calls again for what the page asks (Douyin). */
  retryCapture?(): void;
  /** The system language ('zh_CN', 'en' …), for the default `lang`. */
  language(): string;
  /** An event of a native view in the template (`bind*="onNative"` with `data-role`). */
  handleNative(e: unknown): void;
  /** Players created while the page was hidden must be rebuilt on show (WeChat Android). */
  readonly rebuildHiddenPlayers: boolean;
  /** Detach every listener and release the native context. */
  destroy(): void;
}
