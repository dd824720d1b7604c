/** WeChat driver: remote activity and entry answers are live-pusher statechange events (1018, 1022, 1031-1034, -1307). */
import { fire, mountRoom, Mounted, nativeAttrs, nativeViews } from '../helpers/mp';
import { installWx, userlist, WxFake } from '../helpers/wx-fake';
import { BOUND, Driver, EntryOutcome, LocalNative, RemoteMedia, settle } from './driver';

export class WxDriver implements Driver {
  readonly platform = 'wx' as const;
  readonly identity = { sdkAppID: 1400000001, userID: 'alice', userSig: 'sig-alice', roomID: 1234 };
  readonly wxf: WxFake;
  private mounted: Mounted | null = null;
  private outcomes: EntryOutcome[] = [];
  private remotes = new Map<string, Required<RemoteMedia>>();

  constructor() {
    this.wxf = installWx();
    const ok = this.wxf.pusher.start.getMockImplementation();
    this.wxf.pusher.start.mockImplementation((o: unknown) => {
      ok?.(o);
      const outcome = this.outcomes.shift() ?? 'ok';
      void Promise.resolve().then(() => this.answer(outcome));
    });
  }

  get m(): Mounted {
    if (!this.mounted) throw new Error('not mounted');
    return this.mounted;
  }

  mount(props: Record<string, unknown> = {}): void {
    this.mounted = mountRoom({ ...this.identity, ...BOUND, ...props });
  }

  private pusher(code: number, message: string): void {
    fire(this.m.room, '#pusher', 'statechange', { code, message });
  }

  private answer(outcome: EntryOutcome): void {
    if (outcome === 'credential') return this.pusher(1022, 'enter room failed, error code[-100018]');
    if (outcome === 'failed') return this.pusher(1022, 'enter room failed, error code[-1]');
    this.pusher(1018, 'onEnterRoom success');
    // TRTC announces the users already in the room after entering
    for (const [id, media] of this.remotes)
      this.announce(id, media, { video: false, audio: false, screen: false });
  }

  private announce(id: string, next: Required<RemoteMedia>, prev: Required<RemoteMedia> | null): void {
    if (!prev) this.pusher(1031, userlist([{ userid: id }]));
    const p = prev ?? { video: false, audio: false, screen: false };
    const url = (st: string) => `room://cloud.tencent.com/rtc?userid=${id}&streamtype=${st}`;
    if (next.video !== p.video)
      this.pusher(
        1033,
        userlist([{ userid: id, playurl: url('main'), streamtype: 'main', hasvideo: next.video }]),
      );
    if (next.audio !== p.audio)
      this.pusher(1034, userlist([{ userid: id, playurl: url('main'), hasaudio: next.audio }]));
    if (next.screen !== p.screen)
      this.pusher(
        1033,
        userlist([{ userid: id, playurl: url('aux'), streamtype: 'aux', hasvideo: next.screen }]),
      );
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

  willAnswer(...outcomes: EntryOutcome[]): void {
    this.outcomes.push(...outcomes);
  }

  denyCamera(): void {
    this.wxf.authSetting['scope.camera'] = false;
    this.wxf.deny.add('scope.camera');
  }

  remoteJoin(userID: string, media: RemoteMedia = {}): void {
    const next = { video: false, audio: false, screen: false, ...media };
    this.remotes.set(userID, next);
    this.announce(userID, next, null);
  }

  remoteMedia(userID: string, media: RemoteMedia): void {
    const prev = this.remotes.get(userID);
    if (!prev) throw new Error(`${userID} is not in the room`);
    const next = { ...prev, ...media };
    this.remotes.set(userID, next);
    this.announce(userID, next, prev);
  }

  remoteLeave(userID: string): void {
    this.remotes.delete(userID);
    this.pusher(1032, userlist([{ userid: userID }]));
  }

  loseConnection(): void {
    this.pusher(-1307, 'network disconnected');
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
    const a = nativeAttrs(this.m.room, 'pusher');
    return {
      camera: a.enableCamera === true,
      mic: a.enableMic === true && a.muted !== true,
      publishing: a.enableCamera === true || a.enableMic === true,
    };
  }

  inRoom(): boolean {
    const started = this.wxf.pusher.start.mock.calls.length - this.wxf.pusher.stop.mock.calls.length;
    return started > 0 && nativeAttrs(this.m.room, 'pusher').url !== '';
  }

  entryCalls(): number {
    return this.wxf.pusher.start.mock.calls.length;
  }

  tiles(): number {
    return this.m.room.querySelectorAll('.wr-tile--remote').length;
  }

  players(): string[] {
    return nativeViews(this.m.room, 'live-player')
      .map((a) => `${String(a['data-user-id'])}|${String(a['data-stream-type'])}`)
      .sort();
  }

  playerNodes(): unknown[] {
    return this.m.room.querySelectorAll('.wr-tile--remote .wr-media').map((n: any) => n._exparserNode);
  }

  firstFrames(): void {
    for (const n of this.m.room.querySelectorAll('.wr-tile--remote .wr-media') as any[])
      n._exparserNode.triggerEvent('statechange', { code: 2003, message: 'first video frame received' }, {});
  }

  maxPlayers(): number {
    return this.wxf.system.platform === 'android' ? 6 : 8;
  }

  lateJoin(userID: string): () => void {
    return () => this.announce(userID, { video: true, audio: true, screen: false }, null);
  }

  detach(): void {
    this.m.host.detach();
  }
}
