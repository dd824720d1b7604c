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
  'startPreview',
  'stopPreview',
  'setChatSDK',
  'sendTextMessage',
  'sendCustomMessage',
  'sendC2CTextMessage',
  'sendC2CCustomMessage',
];
