/**
 * The platform-neutral driver the shared behaviour scenarios talk to. One implementation per platform
 * (wx-driver.ts: live-pusher statechange events; tt-driver.ts: the RtcRoomContext fake); the scenarios
 * assert the same RoomEvents through either.
 */
import type { Mounted, RecordedEvent } from '../helpers/mp';

export interface RemoteMedia {
  video?: boolean;
  audio?: boolean;
  screen?: boolean;
}

/** How the platform answers the next entry attempt. */
export type EntryOutcome = 'ok' | 'credential' | 'failed';

export interface LocalNative {
  camera: boolean;
  mic: boolean;
  publishing: boolean;
}

export interface Driver {
  readonly platform: 'wx' | 'tt';
  /** identity properties valid on this platform (userID alice, roomID 1234) */
  readonly identity: Record<string, unknown>;
  readonly m: Mounted;
  mount(props?: Record<string, unknown>): void;
  events(): RecordedEvent[];
  clearEvents(): void;
  /** calls start() and lets the platform answer; the promise is start()'s */
  start(): Promise<{ elapsed: number }>;
  /** queue the platform's answer to the next entry attempts (default 'ok') */
  willAnswer(...outcomes: EntryOutcome[]): void;
  /** the user refuses the camera when asked */
  denyCamera(): void;
  remoteJoin(userID: string, media?: RemoteMedia): void;
  remoteMedia(userID: string, media: RemoteMedia): void;
  remoteLeave(userID: string): void;
  /** the connection drops (WeChat -1307, Douyin onRtcChatInterrupted) */
  loseConnection(): void;
  setProps(p: Record<string, unknown>): void;
  /** fake time forward, then settle every callback and setData */
  advance(ms: number): Promise<void>;
  flush(): Promise<void>;
  /** what the local user sends natively */
  local(): LocalNative;
  /** natively in the room (WeChat pusher started, Douyin joined and not exited) */
  inRoom(): boolean;
  /** entry calls made to the platform (pusher start / joinRtcRoom) */
  entryCalls(): number;
  /** remote tiles rendered */
  tiles(): number;
  /** native remote players rendered (live-player / remote rtc-room), as `userID|streamType`, sorted */
  players(): string[];
  /** the native element nodes of the remote players (identity tells a re-created view) */
  playerNodes(): unknown[];
  /** every remote player renders its first video frame (WeChat statechange 2003; Douyin reports none) */
  firstFrames(): void;
  /** the most native players this platform allows at once */
  maxPlayers(): number;
  /**
   * Captures a join-with-video of `userID` as the platform would deliver it late (queued before the session
   * ended); calling the result delivers it.
   */
  lateJoin(userID: string): () => void;
  detach(): void;
}

/** Microtasks and the 16 ms setData window, a few rounds (no real sleeps). */
export async function settle(rounds = 6): Promise<void> {
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < 20; i++) await Promise.resolve();
    jest.advanceTimersByTime(20);
  }
}

/** Properties the scenarios change after mounting (the host binds only what it mounts with). */
export const BOUND = { role: 'anchor', muted: false, enableCamera: true, template: 'bigsmall' };
