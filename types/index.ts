/**
 * Public types for page code that uses <webrtc-room> from TypeScript:
 *
 *   import type { WebrtcRoom, RoomEvent } from 'webrtc-room';
 *   const room = this.selectComponent('#room') as unknown as WebrtcRoom;
 *   onRoomEvent(e: { detail: RoomEvent }) { … }
 *
 * Built to dist/types by `npm run build`; the package's `types` points there.
 */
import type { SubscribeOptions, RemoteUserInfo } from '../utils/room/controller';
import type { IMMessage } from '../utils/chat/events';

export type { RoomEvent, RoomEventTag, RoomEventMap, ErrorDetail, StreamType } from '../utils/core/events';
export { ErrorCode } from '../utils/core/events';
export type { IMEvent, IMEventTag, IMEventMap, IMMessage, IMErrorDetail } from '../utils/chat/events';
export type { IMConfig } from '../utils/chat/credentials';
export { IMErrorCode } from '../utils/chat/events';
export type { SubscribeOptions, RemoteUserInfo } from '../utils/room/controller';
export type { Lang } from '../utils/core/i18n';
export type { Snapshot } from '../utils/platform/adapter';
import type { Snapshot } from '../utils/platform/adapter';
import type { Capabilities } from '../utils/room/capabilities';
import type { EnvironmentProblem } from '../utils/room/controller';
export type { Capabilities } from '../utils/room/capabilities';
export type { EnvironmentProblem } from '../utils/room/controller';

export interface CustomPayload {
  data: string;
  description?: string;
  extension?: string;
}

/** The methods of a `<webrtc-room>` instance (`selectComponent`). */
export interface WebrtcRoom {
  /** Resolves when really in the room; rejects with the `error` event's detail (`e.code`, `e.detail`). */
  start(): Promise<{ elapsed: number }>;
  /** Leave; idempotent, safe before start(). */
  stop(): Promise<void>;
  switchCamera(): Promise<'front' | 'back'>;
  pause(): void;
  resume(): void;
  subscribe(userID: string, options?: SubscribeOptions): Promise<void>;
  getRemoteUsers(): RemoteUserInfo[];
  updateUserSig(userSig: string): Promise<void>;
  /** Make a remote the large view in `bigsmall`; false for an unknown user. */
  pin(userID: string, streamType?: 'main' | 'aux'): boolean;
  /** Background music (WeChat): -1 bad url/volume, -14 not in a room, -15 + `bgm_error` on failure; Douyin -2. */
  playBGM(url: string): Promise<void>;
  stopBGM(): Promise<void>;
  pauseBGM(): Promise<void>;
  resumeBGM(): Promise<void>;
  /** 0-1 */
  setBGMVolume(volume: number): Promise<void>;
  /** What works on this platform, base library and client (null before attach). */
  getCapabilities(): Capabilities | null;
  /** Preflight: every problem start() would reject with now, with the same codes. */
  checkEnvironment(): Promise<{ ok: boolean; problems: EnvironmentProblem[] }>;
  /** In-stream message (WeChat SEI); rejects -1 (payload), -14 (not in a room), -2 on Douyin (use the chat). */
  sendMessage(payload: string): Promise<void>;
  /** The local view (no argument) or a remote user's main view; -2 on Douyin. */
  snapshot(userID?: string): Promise<Snapshot>;
  /** Lobby: the local camera before entering. */
  startPreview(): Promise<void>;
  stopPreview(): Promise<void>;
  /** In-room chat (`enableIM`). */
  setChatSDK(sdk: unknown): void;
  sendTextMessage(text: string): Promise<IMMessage>;
  sendCustomMessage(payload: CustomPayload): Promise<IMMessage>;
  sendC2CTextMessage(userID: string, text: string): Promise<IMMessage>;
  sendC2CCustomMessage(userID: string, payload: CustomPayload): Promise<IMMessage>;
}

/** Every method name of WebrtcRoom, for run-time checks. */
export const WEBRTC_ROOM_METHODS: ReadonlyArray<keyof WebrtcRoom> = [
  'start',
  'stop',
  'switchCamera',
  'pause',
  'resume',
  'subscribe',
  'getRemoteUsers',
  'updateUserSig',
  'pin',
  'sendMessage',
  'snapshot',
  'playBGM',
  'stopBGM',
  'pauseBGM',
  'resumeBGM',
  'setBGMVolume',
  'getCapabilities',
  'checkEnvironment',
  'startPreview',
  'stopPreview',
  'setChatSDK',
  'sendTextMessage',
  'sendCustomMessage',
  'sendC2CTextMessage',
  'sendC2CCustomMessage',
];
