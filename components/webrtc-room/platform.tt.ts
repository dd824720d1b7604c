/**
 * Douyin adapter: the only code that touches `tt`. Replaces platform.ts in the Douyin build (dist/tt).
 * It executes the step plans of utils/platform/tt/plan.ts as RtcRoomContext calls (douyin-rtc.md §2.3), turns
 * the list-valued membership events into `members` actions (the reducer diffs them into the same RoomEvents
 * as on WeChat), and maps failures through utils/platform/tt/errors.ts. Re-entry waits for exitRtcRoom.
 */
import type {
  AdapterEvent,
  AdapterSink,
  EnterOptions,
  EnterView,
  LocalMedia,
  PlatformAdapter,
} from '../../utils/platform/adapter';
import { ErrorCode, RoomError } from '../../utils/core/events';
import { componentError } from '../../utils/core/errors';
import { msg, t } from '../../utils/core/i18n';
import {
  applyLocalSteps,
  captureSteps,
  Command,
  enterSteps,
  EXIT_WAIT_MS,
  interruptEvent,
  MEMBER_EVENTS,
  membersEvent,
  MIN_SDK,
  missingEvent,
  reportEvent,
  stateEvent,
  Step,
  subscribeSteps,
  TT_MAX_PLAYERS,
  viewErrorEvent,
} from '../../utils/platform/tt/plan';
import { mapTtError, thrownToFailure, TtFailure } from '../../utils/platform/tt/errors';
import { EnterParams, roomKey } from '../../utils/core/validate';
import { compareVersion } from '../../utils/core/version';

export const PLATFORM = 'tt' as const;

/** Data only the Douyin template reads: nothing beyond VIEW_DATA (utils/room/controller.ts). */
export const INITIAL_DATA = {};

export { MIN_SDK, REMOVAL_CODES } from '../../utils/platform/tt/plan';

type ComponentThis = WechatMiniprogram.Component.TrivialInstance;
type Ctx = TT.RtcRoomContext;
type Callbacks = TT.RtcCallbacks;

interface NativeEvent {
  type?: string;
  detail?: { errNo?: unknown; errMsg?: unknown };
  currentTarget?: { dataset?: Record<string, string> };
}

type AnyFn = (...args: unknown[]) => unknown;

function sdkVersion(): string {
  const info = tt.getSystemInfoSync() as { SDKVersion?: string };
  return info.SDKVersion ?? '';
}

export class TtAdapter implements PlatformAdapter {
  readonly platform = PLATFORM;
  readonly rebuildHiddenPlayers = false;
  readonly maxPlayers = TT_MAX_PLAYERS;
  private ctx: Ctx | null = null;
  /** settles when the last exitRtcRoom answered: a join waits for it (21100 otherwise) */
  private exiting: Promise<void> = Promise.resolve();
  private warnedMissing = new Set<string>();
  /** per stream: the page's subscription and whether the layout shows its video */
  private subs = new Map<
    string,
    { userID: string; streamType: 'main' | 'aux'; video: boolean; audio: boolean; shown: boolean }
  >();
  private ctxAppId = '';
  /** 115910 seen: the next enter() creates a new context */
  private engineDestroyed = false;
  /** bumped on every enter/exit: callbacks of an older session are ignored */
  private session = 0;
  /** the roomId joinRtcRoom was called with, until exitRtcRoom */
  private joinedRoom: string | null = null;
  private joined = false;
  private paused = false;
  /** set when changeUserVisibility(false) was called on this context */
  private hidden = false;
  /** what the engine was last told (capture / publishing); applyLocal diffs against this */
  private applied: LocalMedia | null = null;
  private listeners: Array<[off: string, fn: AnyFn]> = [];
  private destroyed = false;

  constructor(
    private readonly component: ComponentThis,
    private readonly sink: AdapterSink,
  ) {}

  checkSupport(): RoomError | null {
    if (typeof tt === 'undefined' || typeof tt.createRtcRoomContext !== 'function') {
      return componentError(ErrorCode.NOT_SUPPORTED, 'support.tt.context');
    }
    let version: string;
    try {
      version = sdkVersion();
    } catch (e) {
      return componentError(ErrorCode.NOT_SUPPORTED, 'support.sysinfo', { text: String(e) });
    }
    if (compareVersion(version, MIN_SDK) < 0) {
      return componentError(ErrorCode.NOT_SUPPORTED, 'support.sdk', { version, min: MIN_SDK });
    }
    return null;
  }

  /** Douyin prompts on the RTC call itself (tt.authorize is deprecated); refusals come back as 10200/115990/10201/10202. */
  ensurePermissions(): Promise<void> {
    return Promise.resolve();
  }

  enterView(_params: EnterParams, opts: EnterOptions): EnterView {
    return { pushUrl: '', devicePosition: opts.local.front ? 'front' : 'back' };
  }

  /** One context per component and AppId; a new one after the engine was destroyed (115910). */
  private context(appId: string): Ctx | null {
    if (this.ctx && !this.engineDestroyed && this.ctxAppId === appId) return this.ctx;
    this.ctx = null;
    let ctx: Ctx | undefined;
    let failure: TtFailure = { errMsg: 'createRtcRoomContext:fail no context returned' };
    try {
      ctx = tt.createRtcRoomContext?.({ appId });
    } catch (e) {
      failure = thrownToFailure(e);
    }
    if (!ctx) {
      const m = mapTtError(failure, { api: 'createRtcRoomContext' });
      this.sink({
        type: 'enter_failed',
        code: m.code ?? ErrorCode.NOT_SUPPORTED,
        rawCode: m.rawCode,
        message: m.message,
      });
      return null;
    }
    this.ctx = ctx;
    this.ctxAppId = appId;
    this.engineDestroyed = false;
    this.hidden = false;
    return ctx;
  }

  private has(ctx: Ctx, name: keyof Ctx): boolean {
    return typeof (ctx as unknown as Record<string, unknown>)[name] === 'function';
  }

  /**
   * Calls a context method with success/fail. A missing method resolves to 'missing' after a `warning`
   * (an older base library), never throws; a failure resolves to the mapped error.
   */
  private call(
    ctx: Ctx,
    name: Command | 'joinRtcRoom' | 'exitRtcRoom',
    args: Record<string, unknown>,
  ): Promise<'ok' | 'missing' | ReturnType<typeof mapTtError>> {
    if (!this.has(ctx, name)) {
      if (!this.warnedMissing.has(name)) {
        this.warnedMissing.add(name);
        this.sink(missingEvent(name));
      }
      return Promise.resolve('missing');
    }
    return new Promise((resolve) => {
      const fn = (ctx as unknown as Record<string, (o: Record<string, unknown> & Callbacks) => void>)[name];
      try {
        fn.call(ctx, {
          ...args,
          success: () => resolve('ok'),
          fail: (e: TT.RtcFail) => {
            const m = mapTtError(e, { api: name });
            if (m.code === ErrorCode.ENGINE_DESTROYED) this.engineDestroyed = true;
            resolve(m);
          },
        });
      } catch (e) {
        resolve(mapTtError(thrownToFailure(e), { api: name }));
      }
    });
  }

  /** A failed command while in the room: errors the page must know, anything else a warning. */
  private report(m: ReturnType<typeof mapTtError>): void {
    this.sink(reportEvent(m));
  }

  /** Runs steps in order while `session` lasts; failures are reported; returns the first permission refusal. */
  private async run(ctx: Ctx, steps: Step[], session: number): Promise<TtFailure | null> {
    for (const [name, args] of steps) {
      if (session !== this.session) return null;
      const r = await this.call(ctx, name, args);
      if (session !== this.session) return null;
      if (r === 'ok' && name === 'changeUserVisibility') this.hidden = args.visible === false;
      if (typeof r === 'object') {
        if (r.code === ErrorCode.PERMISSION_DENIED) return r as unknown as TtFailure;
        this.report(r);
      }
    }
    return null;
  }

  private listen(ctx: Ctx, on: keyof Ctx, off: keyof Ctx, handler: AnyFn): void {
    if (!this.has(ctx, on)) return;
    const session = this.session;
    const fn: AnyFn = (...args) => {
      if (session === this.session && !this.destroyed) handler(...args);
    };
    (ctx[on] as unknown as (cb: AnyFn) => void).call(ctx, fn);
    this.listeners.push([off as string, fn]);
  }

  private register(ctx: Ctx): void {
    for (const [on, off, list] of MEMBER_EVENTS) {
      this.listen(ctx, on as keyof Ctx, off as keyof Ctx, (e) => this.sink(membersEvent(on, list, e)));
    }
    this.listen(ctx, 'onRtcChatInterrupted', 'offRtcChatInterrupted', (e) => {
      this.joined = false;
      // removed from the room (same user entered elsewhere, kicked, dismissed): no reconnect
      this.sink(interruptEvent((e ?? {}) as { errNo?: number; errMsg?: string }));
    });
    // the npm typings say onRtcStateChange, the official full demo onRtcStateChanged: use whichever exists
    const [on, off] = this.has(ctx, 'onRtcStateChanged')
      ? (['onRtcStateChanged', 'offRtcStateChanged'] as const)
      : (['onRtcStateChange', 'offRtcStateChange'] as const);
    this.listen(ctx, on, off, (e) => this.onState((e ?? {}) as TT.RtcStateEvent));
    this.listen(ctx, 'onRoomTokenWillExpire', 'offRoomTokenWillExpire', () =>
      this.sink({ type: 'token_will_expire' }),
    );
  }

  private unregister(): void {
    const ctx = this.ctx;
    const listeners = this.listeners;
    this.listeners = [];
    if (!ctx) return;
    for (const [off, fn] of listeners) {
      const f = (ctx as unknown as Record<string, unknown>)[off];
      if (typeof f === 'function') {
        try {
          (f as (cb: AnyFn) => void).call(ctx, fn);
        } catch {
          // an engine that is gone has nothing left to unregister
        }
      }
    }
  }

  /** Process state (utils/platform/tt/plan.ts decides what it means). */
  private onState(e: TT.RtcStateEvent): void {
    const r = stateEvent(e, (x) => mapTtError(x, { api: 'onRtcStateChange' }));
    if (!r) return;
    if (r.left) this.joined = false;
    if (r.destroyed) this.engineDestroyed = true;
    this.sink(r.event);
  }

  enter(params: EnterParams, opts: EnterOptions): void {
    if (this.destroyed) return;
    const ctx = this.context(String(params.sdkAppID));
    if (!ctx) return;
    this.unregister();
    const session = ++this.session;
    const live = () => session === this.session && !this.destroyed;
    const roomId = roomKey(params);
    const roomField = params.strRoomID !== undefined ? 'strRoomID' : 'roomID';
    const local = opts.local;
    this.applied = { ...local };
    this.joined = false;
    this.paused = false;
    this.register(ctx);
    const exited = this.exiting;
    void (async () => {
      // a re-entry joins only once the previous exitRtcRoom answered
      await exited;
      if (!live()) return;
      // capture first, as the official demo does; a refusal here is the permission prompt's answer
      const steps = enterSteps(local, this.hidden, this.has(ctx, 'switchCamera'));
      const refused = (await this.run(ctx, steps, session)) as ReturnType<typeof mapTtError> | null;
      if (!live()) return;
      if (refused && refused.code !== null) {
        return this.sink({
          type: 'enter_failed',
          code: refused.code,
          rawCode: refused.rawCode,
          message: refused.message,
          ...(refused.reason ? { reason: refused.reason } : {}),
        });
      }
      this.joinedRoom = roomId;
      ctx.joinRtcRoom({
        roomId,
        userId: params.userID,
        token: params.userSig,
        roomConfig: { autoPublish: local.publish, autoSubscribe: opts.autoSubscribe },
        success: () => {
          if (!live()) return;
          this.joined = true;
          this.sink({ type: 'entered' });
        },
        fail: (e: TT.RtcFail) => {
          if (!live()) return;
          const m = mapTtError(e, { api: 'joinRtcRoom', roomField });
          if (m.code === ErrorCode.ENGINE_DESTROYED) this.engineDestroyed = true;
          // a join that failed leaves nothing to exit (an exit would fail with "not in room")
          this.joinedRoom = null;
          const ev: AdapterEvent = {
            type: 'enter_failed',
            code: m.code ?? ErrorCode.ENTER_FAILED,
            rawCode: m.rawCode,
            message: m.message,
          };
          if (m.reason) ev.reason = m.reason;
          if (m.field) ev.field = m.field;
          this.sink(ev);
        },
      });
    })();
  }

  /** exitRtcRoom (when a join was sent) and every off*. Idempotent. */
  exit(): void {
    this.session++;
    this.unregister();
    this.joined = false;
    this.subs.clear();
    const ctx = this.ctx;
    const roomId = this.joinedRoom;
    this.joinedRoom = null;
    if (!ctx || roomId === null) return;
    this.exiting = new Promise<void>((settle) => {
      const timer = setTimeout(settle, EXIT_WAIT_MS);
      const done = () => {
        clearTimeout(timer);
        settle();
      };
      try {
        ctx.exitRtcRoom({
          roomId,
          success: () => done(),
          fail: (e: TT.RtcFail) => {
            if (mapTtError(e, { api: 'exitRtcRoom' }).code === ErrorCode.ENGINE_DESTROYED) {
              this.engineDestroyed = true;
            }
            done();
          },
        });
      } catch {
        // leaving is best effort; the next enter() recreates the context if needed
        this.engineDestroyed = true;
        done();
      }
    });
  }

  applyLocal(next: LocalMedia): void {
    const ctx = this.ctx;
    const prev = this.applied;
    if (!ctx || !prev || !this.joined) return;
    this.applied = { ...next };
    if (this.paused) return;
    void this.runReporting(ctx, applyLocalSteps(next, prev));
  }

  /** Steps whose permission refusals are errors like any other failure (in the room). */
  private async runReporting(ctx: Ctx, steps: Step[]): Promise<void> {
    const refused = (await this.run(ctx, steps, this.session)) as ReturnType<typeof mapTtError> | null;
    if (refused) this.report(refused);
  }

  switchCamera(toFront: boolean): Promise<void> {
    const camera = toFront ? 'front' : 'back';
    const ctx = this.ctx;
    const setView = () => this.component.setData({ devicePosition: camera });
    if (!ctx || !this.has(ctx, 'switchCamera')) {
      // before 2.68.0 the camera follows <rtc-room device-position>
      if (ctx) {
        const i18n = msg('warn.switchCamera.fallback');
        this.sink({ type: 'warning', rawCode: 0, message: t('en', i18n.key), i18n });
      }
      setView();
      return Promise.resolve();
    }
    return this.call(ctx, 'switchCamera', { camera }).then((r) => {
      if (typeof r === 'object') {
        throw componentError(ErrorCode.CAMERA_FAILED, 'camera.switch', { text: r.message }, r.rawCode);
      }
      setView();
    });
  }

  /** Douyin has no pause: the local capture stops while paused and comes back on resume. */
  pause(): void {
    const ctx = this.ctx;
    if (!ctx || !this.joined || this.paused || !this.applied) return;
    this.paused = true;
    const steps = captureSteps(this.applied, false).filter(([name]) =>
      name === 'changeVideoCapture' ? this.applied?.camera : this.applied?.mic,
    );
    void this.runReporting(ctx, steps);
  }

  resume(): void {
    const ctx = this.ctx;
    if (!ctx || !this.paused || !this.applied) return;
    this.paused = false;
    if (!this.joined) return;
    void this.runReporting(ctx, captureSteps(this.applied, true));
  }

  subscribe(userID: string, streamType: 'main' | 'aux', sub: { video: boolean; audio: boolean }): void {
    const key = `${userID}|${streamType}`;
    const cur = this.subs.get(key);
    this.subs.set(key, { userID, streamType, video: sub.video, audio: sub.audio, shown: cur?.shown ?? true });
    this.sendSubscription(key);
  }

  /** Off-page / unplaced video is unsubscribed where the host can; else the view stays parked out of sight. */
  showVideo(userID: string, streamType: 'main' | 'aux', shown: boolean): void {
    const key = `${userID}|${streamType}`;
    const cur = this.subs.get(key) ?? { userID, streamType, video: true, audio: true, shown: true };
    this.subs.set(key, { ...cur, shown });
    this.sendSubscription(key);
  }

  private sendSubscription(key: string): void {
    const ctx = this.ctx;
    const s = this.subs.get(key);
    if (!ctx || !this.joined || !s) return;
    void this.runReporting(ctx, subscribeSteps(s.userID, s.streamType, s, s.shown));
  }

  updateUserSig(userSig: string): Promise<'updated' | 'reenter'> {
    const ctx = this.ctx;
    if (!ctx || !this.has(ctx, 'updateToken')) {
      if (ctx) {
        const i18n = msg('warn.updateToken.fallback');
        this.sink({ type: 'warning', rawCode: 0, message: t('en', i18n.key), i18n });
      }
      return Promise.resolve('reenter');
    }
    return this.call(ctx, 'updateToken', { token: userSig }).then((r) => {
      if (typeof r === 'object') {
        throw componentError(
          r.code ?? ErrorCode.CREDENTIAL_REJECTED,
          'credential.platform',
          { text: r.message },
          r.rawCode,
        );
      }
      return 'updated' as const;
    });
  }

  /** Lobby: capture on, so the local <rtc-room mode="camera"> shows the camera before joining. */
  startPreview(local: LocalMedia, sdkAppID: unknown): void {
    if (this.destroyed) return;
    const ctx = this.context(String(sdkAppID));
    if (!ctx) return;
    void this.call(ctx, 'changeVideoCapture', { state: local.camera ? 1 : 0 }).then((r) => {
      if (typeof r === 'object') this.report(r);
    });
  }

  /** Lobby left or session ended: the camera is released (exitRtcRoom releases the rest). */
  stopPreview(): void {
    if (!this.ctx || this.joined || this.destroyed || this.engineDestroyed) return;
    void this.call(this.ctx, 'changeVideoCapture', { state: 0 });
  }

  openSetting(): Promise<{ camera: boolean; mic: boolean }> {
    return new Promise((resolve) => {
      tt.openSetting({
        success: (r: { authSetting?: Record<string, boolean> }) =>
          resolve({ camera: !!r.authSetting?.['scope.camera'], mic: !!r.authSetting?.['scope.record'] }),
        fail: () => resolve({ camera: false, mic: false }),
      });
    });
  }

  language(): string {
    try {
      return (tt.getSystemInfoSync() as { language?: string }).language ?? '';
    } catch {
      return '';
    }
  }

  /** `<rtc-room binderror>`: `{errNo, errMsg}` (10101 / 21200 / 21301 mean no RTC view on this client). */
  handleNative(raw: unknown): void {
    if (this.destroyed || !raw || typeof raw !== 'object') return;
    const e = raw as NativeEvent;
    if (e.type !== 'error') return;
    const d = e.detail ?? {};
    const m = mapTtError({ errNo: d.errNo, errMsg: d.errMsg }, { api: 'rtc-room' });
    this.sink(viewErrorEvent(m, e.currentTarget?.dataset?.userId));
  }

  destroy(): void {
    this.exit();
    this.destroyed = true;
    this.ctx = null;
    this.applied = null;
    this.subs.clear();
  }
}

export function createAdapter(component: ComponentThis, sink: AdapterSink): TtAdapter {
  return new TtAdapter(component, sink);
}
