/** Douyin driver: the component runs with platform.tt.ts and templates/media.tt.wxml against the RtcRoomContext fake. */
import { mountRoom, Mounted, nativeViews } from '../helpers/mp';
import { TtFake, TtFakeOptions } from '../helpers/tt-fake';
import { BOUND, Driver, EntryOutcome, LocalNative, RemoteMedia, settle } from './driver';

export const TT_APP_ID = '618a0ef784f0cc00c33bd7fc';

export class TtDriver implements Driver {
  readonly platform = 'tt' as const;
  readonly identity = { sdkAppID: TT_APP_ID, userID: 'alice', userSig: 'token-alice', roomID: 1234 };
  readonly fake: TtFake;
  private mounted: Mounted | null = null;

  constructor(opts: TtFakeOptions = {}) {
    this.fake = new TtFake(opts).install();
  }

  get m(): Mounted {
    if (!this.mounted) throw new Error('not mounted');
    return this.mounted;
  }

  mount(props: Record<string, unknown> = {}): void {
    this.mounted = mountRoom({ ...this.identity, ...BOUND, ...props }, { platform: 'tt' });
  }

  events() {
    return this.m.events;
  }

  clearEvents(): void {
    this.m.events.length = 0;
  }

  start(): Promise<{ elapsed: number }> {
    return this.m.inst.start();
  }

  /** mount with `props`, start() and let the entry answer: in the room, what start() resolved with */
  async enter(props: Record<string, unknown> = {}): Promise<{ elapsed: number }> {
    this.mount(props);
    const started = this.start();
    await settle();
    const res = await started;
    await settle();
    return res;
  }

  /** scripted on every context, present and future (a re-entry may create a new one) */
  willAnswer(...outcomes: EntryOutcome[]): void {
    for (const o of outcomes) {
      if (o === 'ok') continue;
      this.fake.joinFailures.push(
        o === 'credential'
          ? { errMsg: 'joinRtcRoom:fail invalid token', errNo: 21101 }
          : { errMsg: 'joinRtcRoom:fail network unreachable', errNo: 21102 },
      );
    }
  }

  denyCamera(): void {
    this.fake.deny.add('camera');
  }

  remoteJoin(userID: string, media: RemoteMedia = {}): void {
    this.fake.join(userID, media);
  }

  remoteMedia(userID: string, media: RemoteMedia): void {
    this.fake.media(userID, media);
  }

  remoteLeave(userID: string): void {
    this.fake.leave(userID);
  }

  loseConnection(): void {
    this.fake.interrupt();
  }

  setProps(p: Record<string, unknown>): void {
    this.m.setProps(p);
  }

  async advance(ms: number): Promise<void> {
    jest.advanceTimersByTime(ms);
    await settle();
  }

  flush(): Promise<void> {
    return settle();
  }

  local(): LocalNative {
    const ctx = this.fake.contexts[this.fake.contexts.length - 1];
    if (!ctx) return { camera: false, mic: false, publishing: false };
    return {
      camera: ctx.capture.video === 1,
      mic: ctx.capture.audio === 1,
      publishing: ctx.publishing && ctx.visible,
    };
  }

  inRoom(): boolean {
    return this.fake.contexts.some((c) => c.room !== null);
  }

  entryCalls(): number {
    return this.fake.contexts.reduce((n, c) => n + c.callsOf('joinRtcRoom').length, 0);
  }

  tiles(): number {
    return this.m.room.querySelectorAll('.wr-tile--remote').length;
  }

  players(): string[] {
    return nativeViews(this.m.room, 'rtc-room')
      .filter((a) => a['data-role'] === 'remote')
      .map((a) => `${String(a['data-user-id'])}|${String(a['data-stream-type'])}`)
      .sort();
  }

  playerNodes(): unknown[] {
    return this.m.room.querySelectorAll('.wr-tile--remote .wr-media').map((n: any) => n._exparserNode);
  }

  firstFrames(): void {
    // Douyin's <rtc-room> reports no first frame
  }

  maxPlayers(): number {
    return 30;
  }

  /** the member listeners as registered now: a late callback of this session */
  lateJoin(userID: string): () => void {
    const ctx = this.fake.ctx;
    const chat = [...(ctx.listeners.get('onRtcChatMembersChanged') ?? [])];
    const video = [...(ctx.listeners.get('onRtcVideoMembersChanged') ?? [])];
    return () => {
      for (const cb of chat) cb({ userIdList: ['alice', userID] });
      for (const cb of video) cb({ userIdList: ['alice', userID] });
    };
  }

  detach(): void {
    this.m.host.detach();
  }
}

/**
 * The lifecycle every Douyin component test file shares: fake timers for each test, and afterwards the driver's
 * component detached (if it still is attached) and the `tt` fake uninstalled. `current` returns the file's driver.
 */
export function useTtDriverLifecycle(current: () => TtDriver | undefined): void {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    const d = current();
    try {
      d?.m.host.detach();
    } catch {
      // already detached
    }
    d?.fake.uninstall();
    jest.useRealTimers();
  });
}
