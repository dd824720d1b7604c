/**
 * WeChat adapter: the only WeChat code that touches `wx`. Commands become LivePusherContext calls or
 * attributes (the template binds the validated `pusher` data onto <live-pusher>, tiles onto <live-player>);
 * native events become AdapterEvents through the pure parsers in utils/platform/wx/. It executes; the
 * decisions (support, player limit, URLs) are in utils/platform/wx/policy.ts.
 * The Douyin build replaces this file with platform.tt.ts.
 */
import type {
  AdapterSink,
  EnterOptions,
  EnterView,
  LocalMedia,
  PlatformAdapter,
  Snapshot,
  BgmOp,
} from '../../utils/platform/adapter';
import { ErrorCode, RoomError } from '../../utils/core/events';
import { msg, t } from '../../utils/core/i18n';
import { componentError } from '../../utils/core/errors';
import type { EnterParams } from '../../utils/core/validate';
import { buildPushUrl } from '../../utils/platform/wx/url';
import { checkWxSupport, SystemFacts, wxMaxPlayers, wxPlaySrc } from '../../utils/platform/wx/policy';
import { SettingName, wxSchema } from '../../utils/room/settings';
import type { PlatformFacts } from '../../utils/room/capabilities';
import { netQuality, parsePusherError, parsePusherState } from '../../utils/platform/wx/state';

export const PLATFORM = 'wx' as const;

/** Data only the WeChat template reads: nothing beyond VIEW_DATA (utils/room/controller.ts). */
export const INITIAL_DATA = {};

export const PUSHER_ID = 'pusher';
/** live-player statechange carrying a received SEI message (PLAY_EVT_GET_MESSAGE) */
export const PLAYER_MESSAGE = 2012;
const BGM_API: Record<BgmOp, string> = {
  play: 'playBGM',
  stop: 'stopBGM',
  pause: 'pauseBGM',
  resume: 'resumeBGM',
  volume: 'setBGMVolume',
};

type ComponentThis = WechatMiniprogram.Component.TrivialInstance;

interface NativeEvent {
  type: string;
  detail?: Record<string, unknown>;
  details?: Record<string, unknown>;
  currentTarget?: { id?: string; dataset?: Record<string, string> };
}

function systemFacts(): SystemFacts {
  // getAppBaseInfo/getDeviceInfo replace getSystemInfoSync on newer base libraries
  const w = wx as unknown as {
    getAppBaseInfo?: () => { version?: string; SDKVersion?: string; language?: string };
    getDeviceInfo?: () => { platform?: string };
  };
  if (typeof w.getAppBaseInfo === 'function' && typeof w.getDeviceInfo === 'function') {
    const base = w.getAppBaseInfo();
    const dev = w.getDeviceInfo();
    return {
      platform: dev.platform ?? '',
      version: base.version ?? '',
      SDKVersion: base.SDKVersion ?? '',
      language: base.language ?? '',
    };
  }
  const info = wx.getSystemInfoSync();
  return {
    platform: info.platform,
    version: info.version,
    SDKVersion: info.SDKVersion,
    language: info.language ?? '',
  };
}

function safePlatform(): string {
  try {
    return systemFacts().platform;
  } catch {
    return '';
  }
}

function wxCall<T>(
  fn: (cb: { success: (r: T) => void; fail: (e: WechatMiniprogram.GeneralCallbackResult) => void }) => void,
): Promise<T> {
  return new Promise((resolve, reject) => fn({ success: resolve, fail: reject }));
}

export class WxAdapter implements PlatformAdapter {
  readonly platform = PLATFORM;
  private pusher: WechatMiniprogram.LivePusherContext | null = null;
  private pushing = false;
  private destroyed = false;

  constructor(
    private readonly component: ComponentThis,
    private readonly sink: AdapterSink,
  ) {}

  /** Android only; asked when it matters (on show), not at attach. */
  get rebuildHiddenPlayers(): boolean {
    return safePlatform() === 'android';
  }

  get maxPlayers(): number {
    return wxMaxPlayers(safePlatform());
  }

  readonly playSrc = wxPlaySrc;
  readonly smallStream = true;

  facts(): PlatformFacts {
    let f: SystemFacts = { platform: '', version: '', SDKVersion: '', language: '' };
    try {
      f = systemFacts();
    } catch {
      // an unreadable client reports rtc false below
    }
    const can = (wx as unknown as { canIUse?: (schema: string) => boolean }).canIUse;
    return {
      platform: PLATFORM,
      sdkVersion: f.SDKVersion,
      clientVersion: f.version,
      os: f.platform,
      rtc: this.checkSupport() === null,
      can: (schema) => typeof can !== 'function' || can.call(wx, schema) !== false,
    };
  }

  authState(): Promise<{ camera?: boolean; mic?: boolean }> {
    return wxCall<WechatMiniprogram.GetSettingSuccessCallbackResult>((cb) => wx.getSetting(cb)).then(
      (r) => {
        const auth = r.authSetting as Record<string, boolean | undefined>;
        return { camera: auth['scope.camera'], mic: auth['scope.record'] };
      },
      () => ({}),
    );
  }

  bgm(op: BgmOp, arg?: string | number): Promise<void> {
    const api = BGM_API[op];
    const ctx = this.context() as unknown as Record<
      string,
      ((o: Record<string, unknown>) => void) | undefined
    >;
    const fn = ctx[api];
    if (typeof fn !== 'function') {
      return Promise.reject(componentError(ErrorCode.NOT_SUPPORTED, 'warn.unsupported', { api }));
    }
    const args = op === 'play' ? { url: arg } : op === 'volume' ? { volume: arg } : {};
    return wxCall<unknown>((cb) => fn.call(ctx, { ...args, ...cb })).then(
      () => undefined,
      (e: WechatMiniprogram.GeneralCallbackResult) => {
        throw componentError(ErrorCode.COMMAND_FAILED, 'native.failed', { api, text: e?.errMsg ?? '' });
      },
    );
  }

  /** SEI through the pusher (base library 2.10.0); players receive it as statechange 2012. */
  sendMessage(payload: string): Promise<void> {
    const ctx = this.context() as unknown as { sendMessage?: (o: Record<string, unknown>) => void };
    if (typeof ctx.sendMessage !== 'function') {
      return Promise.reject(
        componentError(ErrorCode.NOT_SUPPORTED, 'warn.unsupported', { api: 'sendMessage' }),
      );
    }
    return wxCall<unknown>((cb) => ctx.sendMessage?.({ msg: payload, ...cb })).then(
      () => undefined,
      (e: WechatMiniprogram.GeneralCallbackResult) => {
        throw componentError(ErrorCode.COMMAND_FAILED, 'native.failed', {
          api: 'sendMessage',
          text: e?.errMsg ?? '',
        });
      },
    );
  }

  /** LivePusherContext.snapshot for the local view, LivePlayerContext.snapshot for a remote player. */
  snapshot(playerId: string | null): Promise<Snapshot> {
    const ctx = (playerId
      ? wx.createLivePlayerContext(playerId, this.component)
      : this.context()) as unknown as {
      snapshot?: (o: Record<string, unknown>) => void;
    };
    if (typeof ctx.snapshot !== 'function') {
      return Promise.reject(componentError(ErrorCode.NOT_SUPPORTED, 'warn.unsupported', { api: 'snapshot' }));
    }
    return wxCall<Partial<Snapshot>>((cb) => ctx.snapshot?.(cb)).then(
      (r) => ({
        tempImagePath: String(r?.tempImagePath ?? ''),
        width: Number(r?.width) || 0,
        height: Number(r?.height) || 0,
      }),
      (e: WechatMiniprogram.GeneralCallbackResult) => {
        throw componentError(ErrorCode.COMMAND_FAILED, 'native.failed', {
          api: 'snapshot',
          text: e?.errMsg ?? '',
        });
      },
    );
  }

  /** An attribute the base library does not know is ignored natively; canIUse tells, so the room can warn. */
  supportsSetting(name: SettingName): boolean {
    const can = (wx as unknown as { canIUse?: (schema: string) => boolean }).canIUse;
    return typeof can !== 'function' || can.call(wx, wxSchema(name)) !== false;
  }

  checkSupport(): RoomError | null {
    let facts: SystemFacts;
    try {
      facts = systemFacts();
    } catch (e) {
      return componentError(ErrorCode.NOT_SUPPORTED, 'support.sysinfo', { text: String(e) });
    }
    return checkWxSupport(facts);
  }

  async ensurePermissions(need: { camera: boolean; mic: boolean }): Promise<void> {
    const scopes = [...(need.camera ? ['scope.camera'] : []), ...(need.mic ? ['scope.record'] : [])];
    if (!scopes.length) return;
    const granted = await wxCall<WechatMiniprogram.GetSettingSuccessCallbackResult>((cb) =>
      wx.getSetting(cb),
    ).then(
      (res) => res.authSetting as Record<string, boolean>,
      () => ({}) as Record<string, boolean>,
    );
    for (const scope of scopes) {
      if (granted[scope] === true) continue;
      try {
        await wxCall((cb) => wx.authorize({ scope: scope as 'scope.camera', ...cb }));
      } catch (e) {
        const errMsg = (e as WechatMiniprogram.GeneralCallbackResult | undefined)?.errMsg ?? '';
        const key = scope === 'scope.camera' ? 'permission.camera.denied' : 'permission.mic.denied';
        throw componentError(ErrorCode.PERMISSION_DENIED, key, { scope, text: errMsg }, 0, {
          reason: 'permission',
        });
      }
    }
  }

  enterView(params: EnterParams, opts: EnterOptions): EnterView {
    return {
      pushUrl: buildPushUrl(params, { autoSubscribe: opts.autoSubscribe, encSmall: opts.encSmall }),
      devicePosition: opts.local.front ? 'front' : 'back',
    };
  }

  private context(): WechatMiniprogram.LivePusherContext {
    if (!this.pusher) {
      // the component `this` scopes the lookup to this instance (several rooms on one page stay apart)
      const create = wx.createLivePusherContext as unknown as (
        id: string,
        scope: ComponentThis,
      ) => WechatMiniprogram.LivePusherContext;
      this.pusher = create.call(wx, PUSHER_ID, this.component);
    }
    return this.pusher;
  }

  enter(): void {
    if (this.destroyed) return;
    this.pushing = true;
    this.context().start({
      fail: (e: WechatMiniprogram.GeneralCallbackResult & { errCode?: number }) => {
        this.pushing = false;
        this.sink({
          type: 'enter_failed',
          code: ErrorCode.ENTER_FAILED,
          rawCode: e?.errCode ?? 0,
          message: e?.errMsg || t('en', 'enter.failed'),
          i18n: e?.errMsg ? msg('enter.platform', { text: e.errMsg }) : msg('enter.failed'),
        });
      },
    });
  }

  exit(): void {
    if (!this.pushing) return;
    this.pushing = false;
    this.context().stop({});
  }

  applyLocal(_next: LocalMedia, _prev: LocalMedia): void {
    // camera, microphone and role are attributes bound in the template
  }

  switchCamera(): Promise<void> {
    return wxCall<unknown>((cb) => this.context().switchCamera(cb)).then(
      () => undefined,
      (e: WechatMiniprogram.GeneralCallbackResult) => {
        throw componentError(ErrorCode.CAMERA_FAILED, 'camera.switch', { text: e?.errMsg ?? '' });
      },
    );
  }

  private players(ids: string[]): WechatMiniprogram.LivePlayerContext[] {
    return ids.map((id) => wx.createLivePlayerContext(id, this.component));
  }

  pause(playerIds: string[]): void {
    if (this.pushing) this.context().pause({});
    for (const p of this.players(playerIds)) p.pause({});
  }

  resume(playerIds: string[]): void {
    if (this.pushing) this.context().resume({});
    for (const p of this.players(playerIds)) p.resume({});
  }

  subscribe(): void {
    // subscription is the players' muted / mute-video attributes
  }

  showVideo(): void {
    // an off-page player has mute-video set: it pulls no video
  }

  updateUserSig(): Promise<'reenter'> {
    // a UserSig is part of the push URL: the room is re-entered with it
    return Promise.resolve('reenter');
  }

  destroy(): void {
    this.exit();
    this.destroyed = true;
    this.pusher = null;
  }

  /** Lobby: the pusher's own camera preview; start() then pushes from the same live-pusher. */
  startPreview(): void {
    if (!this.destroyed) this.context().startPreview({});
  }

  stopPreview(): void {
    if (!this.destroyed && !this.pushing) this.context().stopPreview({});
  }

  openSetting(): Promise<{ camera: boolean; mic: boolean }> {
    return wxCall<WechatMiniprogram.OpenSettingSuccessCallbackResult>((cb) => wx.openSetting(cb)).then(
      (r) => {
        const auth = r.authSetting as Record<string, boolean>;
        return { camera: auth['scope.camera'] === true, mic: auth['scope.record'] === true };
      },
      () => ({ camera: false, mic: false }),
    );
  }

  language(): string {
    try {
      return systemFacts().language;
    } catch {
      return '';
    }
  }

  /** Every native event of the template arrives here (`bind*="onNative"`, `data-role`). */
  handleNative(raw: unknown): void {
    if (this.destroyed || !raw || typeof raw !== 'object') return;
    const e = raw as NativeEvent;
    const role = e.currentTarget?.dataset?.role;
    const d = e.detail ?? e.details ?? {};
    if (role === 'pusher') {
      if (e.type === 'statechange') {
        for (const ev of parsePusherState(Number(d.code), d.message)) this.sink(ev);
      } else if (e.type === 'netstatus') {
        const info = (d.info ?? {}) as Record<string, unknown>;
        this.sink({ type: 'net_status', userID: '', quality: netQuality(info), info });
      } else if (e.type === 'error') {
        this.sink(parsePusherError(Number(d.errCode), String(d.errMsg ?? '')));
      } else if (e.type === 'audiovolumenotify') {
        this.sink({ type: 'audio_volume', userID: '', volume: d.volume as number });
      } else if (e.type === 'bgmstart' || e.type === 'bgmprogress' || e.type === 'bgmcomplete') {
        const state = e.type === 'bgmstart' ? 'start' : e.type === 'bgmprogress' ? 'progress' : 'complete';
        this.sink({ type: 'bgm', state, progress: d.progress as number, duration: d.duration as number });
      }
      return;
    }
    if (role === 'player') {
      const ds = e.currentTarget?.dataset ?? {};
      if (e.type === 'statechange' && Number(d.code) === PLAYER_MESSAGE && ds.userId) {
        // PLAY_EVT_GET_MESSAGE: an SEI message of this stream's user (enable-recv-message)
        this.sink({ type: 'message', userID: ds.userId, payload: String(d.message ?? '') });
      } else if (e.type === 'statechange') {
        this.sink({
          type: 'player_state',
          playerId: ds.playerId ?? '',
          code: Number(d.code),
          message: String(d.message ?? ''),
        });
      } else if (e.type === 'enterpictureinpicture' || e.type === 'leavepictureinpicture') {
        const streamType = ds.streamType === 'aux' ? 'aux' : 'main';
        const on = e.type === 'enterpictureinpicture';
        if (ds.userId) this.sink({ type: 'pip', userID: ds.userId, streamType, on });
      } else if (e.type === 'audiovolumenotify') {
        if (ds.streamType !== 'aux' && ds.userId) {
          this.sink({ type: 'audio_volume', userID: ds.userId, volume: d.volume as number });
        }
      } else if (e.type === 'netstatus') {
        const info = (d.info ?? {}) as Record<string, unknown>;
        this.sink({
          type: 'net_status',
          userID: ds.userId ?? '',
          streamType: ds.streamType === 'aux' ? 'aux' : 'main',
          quality: netQuality(info),
          info,
        });
      }
    }
  }
}

export function createAdapter(component: ComponentThis, sink: AdapterSink): WxAdapter {
  return new WxAdapter(component, sink);
}
