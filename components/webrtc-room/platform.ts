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
} from '../../utils/platform/adapter';
import { ErrorCode, RoomError } from '../../utils/core/events';
import { msg, t } from '../../utils/core/i18n';
import { componentError } from '../../utils/core/errors';
import type { EnterParams } from '../../utils/core/validate';
import { buildPushUrl } from '../../utils/platform/wx/url';
import { checkWxSupport, SystemFacts, wxMaxPlayers, wxPlaySrc } from '../../utils/platform/wx/policy';
import { netQuality, parsePusherError, parsePusherState } from '../../utils/platform/wx/state';

export const PLATFORM = 'wx' as const;

/** Data only the WeChat template reads: nothing beyond VIEW_DATA (utils/room/controller.ts). */
export const INITIAL_DATA = {};

export const PUSHER_ID = 'pusher';

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
      pushUrl: buildPushUrl(params, { autoSubscribe: opts.autoSubscribe }),
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
      }
      return;
    }
    if (role === 'player') {
      const ds = e.currentTarget?.dataset ?? {};
      if (e.type === 'statechange') {
        this.sink({
          type: 'player_state',
          playerId: ds.playerId ?? '',
          code: Number(d.code),
          message: String(d.message ?? ''),
        });
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
