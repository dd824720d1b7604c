/**
 * TtEngine: the Douyin RtcRoomContext plumbing under platform.tt.ts (Douyin build only): one context per AppId,
 * context calls with success/fail (a missing method warns once), step runs that last one session, per-session
 * listeners, leaving a room (the next join waits for exitRtcRoom), releasing the capture, and the client queries
 * (support, facts, permissions, language). It executes; plan.ts decides.
 */
import type { AdapterEvent, AdapterSink } from '../../utils/platform/adapter';
import { ErrorCode, RoomError } from '../../utils/core/events';
import { componentError } from '../../utils/core/errors';
import {
  Command,
  EXIT_WAIT_MS,
  interruptEvent,
  MEMBER_EVENTS,
  membersEvent,
  MIN_SDK,
  missingEvent,
  reportEvent,
  stateEvent,
  Step,
} from '../../utils/platform/tt/plan';
import { mapTtError, thrownToFailure, TtFailure } from '../../utils/platform/tt/errors';
import { TtTokens } from '../../utils/platform/tt/tokens';
import { compareVersion } from '../../utils/core/version';
import { orEmpty } from '../../utils/core/values';
import type { PlatformFacts } from '../../utils/room/capabilities';

export const PLATFORM = 'tt' as const;

export type ComponentThis = WechatMiniprogram.Component.TrivialInstance;
export type Ctx = TT.RtcRoomContext;
type Callbacks = TT.RtcCallbacks;

type AnyFn = (...args: unknown[]) => unknown;

function sdkVersion(): string {
  const info = tt.getSystemInfoSync() as { SDKVersion?: string };
  return orEmpty(info.SDKVersion);
}

/** Settles on `done()` or after EXIT_WAIT_MS, whichever comes first (an engine that is gone may never answer). */
export function bounded(): { wait: Promise<void>; done: () => void } {
  let done = () => {};
  const wait = new Promise<void>((settle) => {
    const timer = setTimeout(settle, EXIT_WAIT_MS);
    done = () => {
      clearTimeout(timer);
      settle();
    };
  });
  return { wait, done };
}

export abstract class TtEngine {
  protected ctx: Ctx | null = null;
  protected warnedMissing = new Set<string>();
  protected ctxAppId = '';
  /** 115910 seen: the next enter() creates a new context */
  protected engineDestroyed = false;
  /** bumped on every enter/exit: callbacks of an older session are ignored */
  protected session = 0;
  protected joined = false;
  /** set when changeUserVisibility(false) was called on this context */
  protected hidden = false;
  /** the camera this context's engine is on (switchCamera outlives a session) */
  protected camera: 'front' | 'back' = 'front';
  protected listeners: Array<[off: string, fn: AnyFn]> = [];
  /** member lists that came before the join answered, the latest per list (full snapshots): given once it did */
  protected early = new Map<string, AdapterEvent[]>();
  protected destroyed = false;
  /** bumped by every enter() and startPreview(): the newest one owns the capture */
  protected captureOwner = 0;
  /** settles when the last exitRtcRoom answered: a join waits for it (21100 otherwise) */
  protected exiting: Promise<void> = Promise.resolve();
  /** the base library checkSupport() read (start() checks support before every entry) */
  protected sdk = '';
  /** the engine's and the session's tokens (the session's: from its first enter() to its end, stopPreview) */
  protected readonly tokenBook = new TtTokens();
  /** onRoomTokenWillExpire, from a session's first enter() to its end: re-entries (and their exit waits) included */
  private tokenWatch: [ctx: Ctx, fn: AnyFn] | null = null;

  constructor(
    protected readonly component: ComponentThis,
    protected readonly sink: AdapterSink,
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
    this.sdk = version;
    if (compareVersion(version, MIN_SDK) < 0) {
      return componentError(ErrorCode.NOT_SUPPORTED, 'support.sdk', { version, min: MIN_SDK });
    }
    return null;
  }

  /** exitRtcRoom; the next join waits for its answer and every earlier one's (EXIT_WAIT_MS at most each). */
  protected leave(ctx: Ctx, roomId: string): void {
    const { wait, done } = bounded();
    this.exiting = Promise.all([this.exiting, wait]).then(() => undefined);
    const gone = () => {
      this.destroyedEngine(ctx);
      done();
    };
    try {
      ctx.exitRtcRoom({
        roomId,
        success: () => done(),
        fail: (e: TT.RtcFail) =>
          mapTtError(e, { api: 'exitRtcRoom' }).code === ErrorCode.ENGINE_DESTROYED ? gone() : done(),
      });
    } catch {
      // leaving is best effort; the next enter() recreates the context if needed
      gone();
    }
  }

  /** 115910 from `ctx`: the next enter() creates a new context (an older context's engine says nothing of it). */
  protected destroyedEngine(ctx: Ctx): void {
    if (ctx === this.ctx) this.engineDestroyed = true;
  }

  /**
   * A capture call that answered after its session or preview ended (the permission prompt was still open, and
   * the release went out before the grant): capture off again, unless a newer entry or preview owns it.
   */
  protected releaseLate(ctx: Ctx, owner: number): void {
    if (owner !== this.captureOwner || this.joined) return;
    this.releaseCapture(ctx);
  }

  /** Camera and microphone capture off (best effort: a failure has nothing left to report to). */
  protected releaseCapture(ctx: Ctx): void {
    void this.call(ctx, 'changeVideoCapture', { state: 0 });
    void this.call(ctx, 'changeAudioCapture', { state: 0 });
  }

  /**
   * One context per component and AppId; a new one after the engine was destroyed (115910). A failure is the
   * entry's (`enter_failed`), or an `error` where no entry runs (the lobby preview).
   */
  protected context(appId: string, failAs: 'enter_failed' | 'error' = 'enter_failed'): Ctx | null {
    if (this.ctx && !this.engineDestroyed && this.ctxAppId === appId) return this.ctx;
    // another AppId (e.g. a lobby preview before the credentials arrived): the old engine's capture is released
    const old = this.engineDestroyed ? null : this.ctx;
    this.ctx = null;
    if (old) this.releaseCapture(old);
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
        type: failAs,
        code: m.code ?? ErrorCode.NOT_SUPPORTED,
        rawCode: m.rawCode,
        message: m.message,
      });
      return null;
    }
    this.ctx = ctx;
    this.ctxAppId = appId;
    this.tokenBook.newEngine();
    this.engineDestroyed = false;
    this.hidden = false;
    this.camera = 'front';
    return ctx;
  }

  /** A warning, once per component, that this base library lacks `api` (missingEvent). */
  protected warnMissing(api: string): void {
    if (this.warnedMissing.has(api)) return;
    this.warnedMissing.add(api);
    this.sink(missingEvent(api));
  }

  protected has(ctx: Ctx, name: keyof Ctx): boolean {
    return typeof (ctx as unknown as Record<string, unknown>)[name] === 'function';
  }

  /**
   * Calls a context method with success/fail. A missing method resolves to 'missing' after a `warning`
   * (an older base library), never throws; a failure resolves to the mapped error.
   */
  protected call(
    ctx: Ctx,
    name: Command | 'joinRtcRoom' | 'exitRtcRoom',
    args: Record<string, unknown>,
  ): Promise<'ok' | 'missing' | ReturnType<typeof mapTtError>> {
    if (!this.has(ctx, name)) {
      this.warnMissing(name);
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
            if (m.code === ErrorCode.ENGINE_DESTROYED) this.destroyedEngine(ctx);
            resolve(m);
          },
        });
      } catch (e) {
        resolve(mapTtError(thrownToFailure(e), { api: name }));
      }
    });
  }

  /** A failed command while in the room: errors the page must know, anything else a warning. */
  protected report(m: ReturnType<typeof mapTtError>): void {
    this.sink(reportEvent(m));
  }

  /**
   * Runs steps in order while `session` lasts; failures are reported; returns the first permission refusal
   * (the remaining steps not run), or with `all` reports it too and goes on (in the room: a refused camera does
   * not hold back the microphone).
   */
  protected async run(ctx: Ctx, steps: Step[], session: number, all = false): Promise<TtFailure | null> {
    const owner = this.captureOwner;
    for (const [name, args] of steps) {
      if (session !== this.session) return null;
      const r = await this.call(ctx, name, args);
      // what the engine is, whichever session asked: the next entry turns it visible / to its camera again
      if (r === 'ok' && ctx === this.ctx) this.engineState(name, args);
      if (session !== this.session) {
        // a capture turned on after its session ended (the prompt was open while it was released) goes off again
        if (r === 'ok' && args.state === 1 && /Capture$/.test(name)) this.releaseLate(ctx, owner);
        return null;
      }
      if (typeof r === 'object') {
        if (r.code === ErrorCode.PERMISSION_DENIED && !all) return r as unknown as TtFailure;
        this.report(r);
      }
    }
    return null;
  }

  /** Records what a successful command left the engine as. */
  protected engineState(name: Command, args: Record<string, unknown>): void {
    if (name === 'changeUserVisibility') this.hidden = args.visible === false;
    if (name === 'switchCamera') this.camera = args.camera as 'front' | 'back';
  }

  protected listen(ctx: Ctx, on: keyof Ctx, off: keyof Ctx, handler: AnyFn): void {
    if (!this.has(ctx, on)) return;
    const session = this.session;
    const fn: AnyFn = (...args) => {
      if (session === this.session && !this.destroyed) handler(...args);
    };
    (ctx[on] as unknown as (cb: AnyFn) => void).call(ctx, fn);
    this.listeners.push([off as string, fn]);
  }

  /** The session's member lists as the engine gives them (before the join answered too). */
  protected abstract membersSeen(evs: AdapterEvent[]): void;

  protected register(ctx: Ctx): void {
    for (const [on, off, list] of MEMBER_EVENTS) {
      this.listen(ctx, on as keyof Ctx, off as keyof Ctx, (e) => {
        const evs = membersEvent(on, list, e);
        this.membersSeen(evs);
        if (this.joined) evs.forEach(this.sink);
        else this.early.set(list, evs);
      });
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
  }

  /**
   * The engine warns once per token, 30 s before it expires (douyin-rtc.md §2.4, §5.2), whether or not a room
   * listens: a warning while a re-entry waits for the old room's exit is the session's too (the re-join uses the
   * same token and is not warned again). Only of the token the session enters with, and once: also when a new
   * engine (after 115910) warns again of the token the old one warned of (which token the page heard of is the
   * session's, not the engine's).
   */
  protected watchToken(ctx: Ctx): void {
    if (this.tokenWatch?.[0] === ctx || !this.has(ctx, 'onRoomTokenWillExpire')) return;
    this.unwatchToken(false);
    const fn: AnyFn = () => {
      if (ctx === this.ctx && !this.destroyed && this.tokenBook.expiring())
        this.sink({ type: 'token_will_expire' });
    };
    ctx.onRoomTokenWillExpire?.(fn);
    this.tokenWatch = [ctx, fn];
  }

  /** No engine's warning is watched; `ended`: the session ended (or the component), and its tokens with it. */
  protected unwatchToken(ended = true): void {
    const w = this.tokenWatch;
    this.tokenWatch = null;
    if (ended) this.tokenBook.end();
    if (!w) return;
    try {
      w[0].offRoomTokenWillExpire?.(w[1]);
    } catch {
      // an engine that is gone has nothing left to unregister
    }
  }

  protected unregister(): void {
    const ctx = this.ctx;
    const listeners = this.listeners;
    this.listeners = [];
    this.early.clear();
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
  protected onState(e: TT.RtcStateEvent): void {
    const r = stateEvent(e, (x) => mapTtError(x, { api: 'onRtcStateChange' }));
    if (!r) return;
    if (r.left) this.joined = false;
    if (r.destroyed) this.engineDestroyed = true;
    this.sink(r.event);
  }

  facts(): PlatformFacts {
    let info: { SDKVersion?: string; version?: string; platform?: string } = {};
    try {
      info = tt.getSystemInfoSync() as typeof info;
    } catch {
      // an unreadable client reports rtc false below
    }
    const ctx = this.ctx;
    return {
      platform: PLATFORM,
      sdkVersion: orEmpty(info.SDKVersion),
      clientVersion: orEmpty(info.version),
      os: orEmpty(info.platform),
      rtc: this.checkSupport() === null,
      can: (method) => (ctx ? this.has(ctx, method as keyof Ctx) : undefined),
    };
  }

  authState(): Promise<{ camera?: boolean; mic?: boolean }> {
    return new Promise((resolve) => {
      tt.getSetting({
        success: (r: { authSetting?: Record<string, boolean | undefined> }) =>
          resolve({ camera: r.authSetting?.['scope.camera'], mic: r.authSetting?.['scope.record'] }),
        fail: () => resolve({}),
      });
    });
  }

  /** Steps whose permission refusals are errors like any other failure (in the room). */
  protected runReporting(ctx: Ctx, steps: Step[]): Promise<unknown> {
    return this.run(ctx, steps, this.session, true);
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

  agreePrivacy(): Promise<boolean> {
    return new Promise((resolve) => {
      tt.requirePrivacyAuthorize({ success: () => resolve(true), fail: () => resolve(false) });
    });
  }

  language(): string {
    try {
      return orEmpty((tt.getSystemInfoSync() as { language?: string }).language);
    } catch {
      return '';
    }
  }
}
