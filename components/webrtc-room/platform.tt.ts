/**
 * Douyin adapter: the only code that touches `tt`. Replaces platform.ts in the Douyin build (dist/tt).
 * Commands become RtcRoomContext calls (douyin-rtc.md §2.3), the list-valued membership events become
 * `members` actions (the reducer in utils/room.ts diffs them into the same RoomEvents as on WeChat), and
 * failures go through the pure mapping in utils/tt-errors.ts.
 */
import type {
  AdapterEvent,
  AdapterSink,
  EnterOptions,
  LocalMedia,
  PlatformAdapter,
} from '../../utils/platform/adapter';
import { ErrorCode, RoomError, roomError } from '../../utils/core/events';
import type { MemberList } from '../../utils/room/reducer';
import { mapTtError, thrownToFailure, TtFailure } from '../../utils/platform/tt/errors';
import { EnterParams, roomKey } from '../../utils/core/validate';
import { compareVersion } from '../../utils/core/version';

export const PLATFORM = 'tt' as const;

/** Data only the Douyin template reads: nothing beyond VIEW_DATA (utils/controller.ts). */
export const INITIAL_DATA = {};

/** createRtcRoomContext and <rtc-room> exist from base library 2.42.0. */
export const MIN_SDK = '2.42.0';

type ComponentThis = WechatMiniprogram.Component.TrivialInstance;
type Ctx = TT.RtcRoomContext;
type Callbacks = TT.RtcCallbacks;

/** The context methods called with `{…, success, fail}` that a base library may lack. */
type Command =
  | 'changeVideoCapture'
  | 'changeAudioCapture'
  | 'switchCamera'
  | 'updateToken'
  | 'changeUserVisibility'
  | 'changeStreamPublishState'
  | 'changeStreamSubscribeState'
  | 'changeScreenSubscribeState';

const MEMBER_EVENTS: ReadonlyArray<[on: keyof Ctx, off: keyof Ctx, list: MemberList]> = [
  ['onRtcChatMembersChanged', 'offRtcChatMembersChanged', 'chat'],
  ['onRtcVideoMembersChanged', 'offRtcVideoMembersChanged', 'video'],
  ['onRtcChatSpeakersChanged', 'offRtcChatSpeakersChanged', 'speakers'],
  ['onRtcPublishScreenMembersChanged', 'offRtcPublishScreenMembersChanged', 'screen'],
];

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

/**
 * Volcengine room-removal codes: -1004 the same userId joined elsewhere (duplicate login), -1006 kicked out by
 * the server, -1011 the room was dismissed. These end the session (kicked_out), they are not network losses.
 */
export const REMOVAL_CODES: readonly number[] = [-1004, -1006, -1011];

function isRemoval(code: number): boolean {
  return REMOVAL_CODES.includes(code);
}

export class TtAdapter implements PlatformAdapter {
  readonly platform = PLATFORM;
  readonly rebuildHiddenPlayers = false;
  private ctx: Ctx | null = null;
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
      return roomError(ErrorCode.NOT_SUPPORTED, 'tt.createRtcRoomContext is not available');
    }
    let version: string;
    try {
      version = sdkVersion();
    } catch (e) {
      return roomError(ErrorCode.NOT_SUPPORTED, `cannot read system information: ${String(e)}`);
    }
    if (compareVersion(version, MIN_SDK) < 0) {
      return roomError(ErrorCode.NOT_SUPPORTED, `base library ${version} is older than ${MIN_SDK}`);
    }
    return null;
  }

  /** Douyin prompts on the RTC call itself (tt.authorize is deprecated); refusals come back as 10200/115990/10201/10202. */
  ensurePermissions(): Promise<void> {
    return Promise.resolve();
  }

  enterView(_params: EnterParams, opts: EnterOptions): Record<string, unknown> {
    return { devicePosition: opts.local.front ? 'front' : 'back' };
  }

  exitView(): Record<string, unknown> {
    return {};
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
      this.sink({
        type: 'warning',
        rawCode: 0,
        message: `${name} is not available on this Douyin base library`,
      });
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
    const serious: number[] = [
      ErrorCode.PERMISSION_DENIED,
      ErrorCode.CREDENTIAL_REJECTED,
      ErrorCode.ENGINE_DESTROYED,
      ErrorCode.NOT_SUPPORTED,
    ];
    if (m.code !== null && serious.includes(m.code)) {
      const ev: AdapterEvent = { type: 'error', code: m.code, rawCode: m.rawCode, message: m.message };
      if (m.reason) ev.reason = m.reason;
      this.sink(ev);
    } else {
      this.sink({ type: 'warning', rawCode: m.rawCode, message: m.message });
    }
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
      this.listen(ctx, on, off, (e) => {
        const ids = (e as TT.RtcMembersEvent | undefined)?.userIdList;
        if (!Array.isArray(ids)) {
          this.sink({ type: 'warning', rawCode: 0, message: `${String(on)}: no userIdList` });
          return;
        }
        this.sink({ type: 'members', list, userIDs: ids.filter((id) => typeof id === 'string') });
      });
    }
    this.listen(ctx, 'onRtcChatInterrupted', 'offRtcChatInterrupted', (e) => {
      const ev = (e ?? {}) as { errNo?: number; errMsg?: string };
      this.joined = false;
      const rawCode = typeof ev.errNo === 'number' ? ev.errNo : 0;
      // removed from the room (same user entered elsewhere, kicked, dismissed): no reconnect
      if (isRemoval(rawCode)) {
        this.sink({
          type: 'kicked',
          reason: rawCode,
          message: ev.errMsg || `removed from the room (${rawCode})`,
        });
        return;
      }
      this.sink({ type: 'connection_lost', rawCode, message: ev.errMsg || 'the call was interrupted' });
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

  /** Process state: errNo 0 is progress; a known failure becomes an error, anything else a warning. */
  private onState(e: TT.RtcStateEvent): void {
    const errNo = Number(e.errNo);
    if (!errNo) return;
    const raw = typeof e.errNo === 'number' ? e.errNo : 0;
    if (isRemoval(raw)) {
      this.joined = false;
      this.sink({ type: 'kicked', reason: raw, message: e.errMsg || `removed from the room (${raw})` });
      return;
    }
    const m = mapTtError(e, { api: 'onRtcStateChange' });
    if (m.code === ErrorCode.ENGINE_DESTROYED) {
      this.engineDestroyed = true;
      this.joined = false;
    }
    this.report(m);
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
    void (async () => {
      // capture first, as the official demo does; a refusal here is the permission prompt's answer
      for (const [name, state] of [
        ['changeVideoCapture', local.camera],
        ['changeAudioCapture', local.mic],
      ] as const) {
        const r = await this.call(ctx, name, { state: state ? 1 : 0 });
        if (!live()) return;
        if (typeof r === 'object' && r.code === ErrorCode.PERMISSION_DENIED) {
          return this.sink({
            type: 'enter_failed',
            code: r.code,
            rawCode: r.rawCode,
            message: r.message,
            ...(r.reason ? { reason: r.reason } : {}),
          });
        }
        if (typeof r === 'object') this.report(r);
        if (!live()) return;
      }
      if (local.camera && !local.front && this.has(ctx, 'switchCamera')) {
        const r = await this.call(ctx, 'switchCamera', { camera: 'back' });
        if (!live()) return;
        if (typeof r === 'object') this.report(r);
      }
      if (!local.publish || this.hidden) {
        const r = await this.call(ctx, 'changeUserVisibility', { visible: local.publish });
        if (!live()) return;
        if (r === 'ok') this.hidden = !local.publish;
        else if (typeof r === 'object') this.report(r);
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
    const ctx = this.ctx;
    const roomId = this.joinedRoom;
    this.joinedRoom = null;
    if (!ctx || roomId === null) return;
    try {
      ctx.exitRtcRoom({
        roomId,
        fail: (e: TT.RtcFail) => {
          if (mapTtError(e, { api: 'exitRtcRoom' }).code === ErrorCode.ENGINE_DESTROYED) {
            this.engineDestroyed = true;
          }
        },
      });
    } catch {
      // leaving is best effort; the next enter() recreates the context if needed
      this.engineDestroyed = true;
    }
  }

  applyLocal(next: LocalMedia): void {
    const ctx = this.ctx;
    const prev = this.applied;
    if (!ctx || !prev || !this.joined) return;
    this.applied = { ...next };
    if (this.paused) return;
    const run = async () => {
      const session = this.session;
      const steps: Array<[Command, Record<string, unknown>]> = [];
      const capture = (): void => {
        if (next.camera !== prev.camera) steps.push(['changeVideoCapture', { state: next.camera ? 1 : 0 }]);
        if (next.mic !== prev.mic) steps.push(['changeAudioCapture', { state: next.mic ? 1 : 0 }]);
      };
      if (next.publish && !prev.publish) {
        // audience → anchor: become visible, publish, then capture
        steps.push(['changeUserVisibility', { visible: true }]);
        steps.push(['changeStreamPublishState', { state: 1, streamType: 'both' }]);
        capture();
      } else if (!next.publish && prev.publish) {
        // anchor → audience: stop capture, stop publishing, become invisible
        capture();
        steps.push(['changeStreamPublishState', { state: 0, streamType: 'both' }]);
        steps.push(['changeUserVisibility', { visible: false }]);
      } else {
        capture();
      }
      for (const [name, args] of steps) {
        if (session !== this.session) return;
        const r = await this.call(ctx, name, args);
        if (r === 'ok' && name === 'changeUserVisibility') this.hidden = args.visible === false;
        if (typeof r === 'object' && session === this.session) this.report(r);
      }
    };
    void run();
  }

  switchCamera(toFront: boolean): Promise<void> {
    const camera = toFront ? 'front' : 'back';
    const ctx = this.ctx;
    const setView = () => this.component.setData({ devicePosition: camera });
    if (!ctx || !this.has(ctx, 'switchCamera')) {
      // before 2.68.0 the camera follows <rtc-room device-position>
      if (ctx) {
        this.sink({
          type: 'warning',
          rawCode: 0,
          message: 'switchCamera is not available on this Douyin base library; using device-position',
        });
      }
      setView();
      return Promise.resolve();
    }
    return this.call(ctx, 'switchCamera', { camera }).then((r) => {
      if (typeof r === 'object') {
        throw roomError(ErrorCode.CAMERA_FAILED, `switchCamera failed: ${r.message}`, r.rawCode);
      }
      setView();
    });
  }

  /** Douyin has no pause: the local capture stops while paused and comes back on resume. */
  pause(): void {
    const ctx = this.ctx;
    if (!ctx || !this.joined || this.paused || !this.applied) return;
    this.paused = true;
    if (this.applied.camera) void this.call(ctx, 'changeVideoCapture', { state: 0 });
    if (this.applied.mic) void this.call(ctx, 'changeAudioCapture', { state: 0 });
  }

  resume(): void {
    const ctx = this.ctx;
    if (!ctx || !this.paused || !this.applied) return;
    this.paused = false;
    if (!this.joined) return;
    void this.call(ctx, 'changeVideoCapture', { state: this.applied.camera ? 1 : 0 });
    void this.call(ctx, 'changeAudioCapture', { state: this.applied.mic ? 1 : 0 });
  }

  subscribe(userID: string, streamType: 'main' | 'aux', sub: { video: boolean; audio: boolean }): void {
    const ctx = this.ctx;
    if (!ctx || !this.joined) return;
    const name: Command = streamType === 'aux' ? 'changeScreenSubscribeState' : 'changeStreamSubscribeState';
    const calls: Array<{ state: 0 | 1; streamType: TT.RtcStreamType }> =
      sub.video === sub.audio
        ? [{ state: sub.video ? 1 : 0, streamType: 'both' }]
        : [
            { state: sub.video ? 1 : 0, streamType: 'video' },
            { state: sub.audio ? 1 : 0, streamType: 'audio' },
          ];
    const session = this.session;
    void (async () => {
      for (const c of calls) {
        const r = await this.call(ctx, name, { ...c, userId: userID });
        if (r === 'missing' || session !== this.session) return;
        if (typeof r === 'object') this.report(r);
      }
    })();
  }

  updateUserSig(userSig: string): Promise<'updated' | 'reenter'> {
    const ctx = this.ctx;
    if (!ctx || !this.has(ctx, 'updateToken')) {
      if (ctx) {
        this.sink({
          type: 'warning',
          rawCode: 0,
          message: 'updateToken is not available on this Douyin base library; re-entering with the new token',
        });
      }
      return Promise.resolve('reenter');
    }
    return this.call(ctx, 'updateToken', { token: userSig }).then((r) => {
      if (typeof r === 'object') {
        throw roomError(r.code ?? ErrorCode.CREDENTIAL_REJECTED, r.message, r.rawCode);
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

  stopPreview(): void {
    if (!this.ctx || this.joined || this.destroyed) return;
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
    const who = e.currentTarget?.dataset?.userId;
    const message = who ? `${m.message} (view of ${who})` : m.message;
    if (m.code === ErrorCode.NOT_SUPPORTED) {
      this.sink({ type: 'error', code: m.code, rawCode: m.rawCode, message });
    } else {
      this.sink({ type: 'warning', rawCode: m.rawCode, message });
    }
  }

  destroy(): void {
    this.exit();
    this.destroyed = true;
    this.ctx = null;
    this.applied = null;
  }
}

export function createAdapter(component: ComponentThis, sink: AdapterSink): TtAdapter {
  return new TtAdapter(component, sink);
}
