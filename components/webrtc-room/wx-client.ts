/**
 * WxClient: what the WeChat adapter (platform.ts, WeChat build only) asks of `wx` besides the room itself: the
 * client's facts and support, permissions and the settings page, and the LivePusher/LivePlayer commands (BGM,
 * SEI messages, snapshots) on the one pusher context of this component instance.
 */
import type { AdapterSink, Snapshot, BgmOp } from '../../utils/platform/adapter';
import { ErrorCode, RoomError } from '../../utils/core/events';
import { componentError, nativeFailed } from '../../utils/core/errors';
import { orEmpty } from '../../utils/core/values';
import { checkWxSupport, SystemFacts } from '../../utils/platform/wx/policy';
import { SettingName, wxSchema } from '../../utils/room/settings';
import type { PlatformFacts } from '../../utils/room/capabilities';

export const PLATFORM = 'wx' as const;

export const PUSHER_ID = 'pusher';
const BGM_API: Record<BgmOp, string> = {
  play: 'playBGM',
  stop: 'stopBGM',
  pause: 'pauseBGM',
  resume: 'resumeBGM',
  volume: 'setBGMVolume',
};

export type ComponentThis = WechatMiniprogram.Component.TrivialInstance;

export function systemFacts(): SystemFacts {
  // getAppBaseInfo/getDeviceInfo replace getSystemInfoSync on newer base libraries
  const w = wx as unknown as {
    getAppBaseInfo?: () => { version?: string; SDKVersion?: string; language?: string };
    getDeviceInfo?: () => { platform?: string };
  };
  if (typeof w.getAppBaseInfo === 'function' && typeof w.getDeviceInfo === 'function') {
    const base = w.getAppBaseInfo();
    const dev = w.getDeviceInfo();
    return {
      platform: orEmpty(dev.platform),
      version: orEmpty(base.version),
      SDKVersion: orEmpty(base.SDKVersion),
      language: orEmpty(base.language),
    };
  }
  const info = wx.getSystemInfoSync();
  return {
    platform: info.platform,
    version: info.version,
    SDKVersion: info.SDKVersion,
    language: orEmpty(info.language),
  };
}

export function safePlatform(): string {
  try {
    return systemFacts().platform;
  } catch {
    return '';
  }
}

export function wxCall<T>(
  fn: (cb: { success: (r: T) => void; fail: (e: WechatMiniprogram.GeneralCallbackResult) => void }) => void,
): Promise<T> {
  return new Promise((resolve, reject) => fn({ success: resolve, fail: reject }));
}

/** The text of a failed wx call ('' when its callback gave none, or no result at all). */
export function failText(e: { errMsg?: string } | null | undefined): string {
  return orEmpty(e?.errMsg);
}

export abstract class WxClient {
  protected pusher: WechatMiniprogram.LivePusherContext | null = null;
  protected pushing = false;
  protected destroyed = false;

  constructor(
    protected readonly component: ComponentThis,
    protected readonly sink: AdapterSink,
  ) {}

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
    const args = op === 'play' ? { url: arg } : op === 'volume' ? { volume: arg } : {};
    return this.command<unknown>(this.context(), BGM_API[op], args).then(() => undefined);
  }

  /** SEI through the pusher (base library 2.10.0); players receive it as statechange 2012. */
  sendMessage(payload: string): Promise<void> {
    return this.command<unknown>(this.context(), 'sendMessage', { msg: payload }).then(() => undefined);
  }

  /** LivePusherContext.snapshot for the local view, LivePlayerContext.snapshot for a remote player. */
  snapshot(playerId: string | null): Promise<Snapshot> {
    const ctx = playerId ? wx.createLivePlayerContext(playerId, this.component) : this.context();
    return this.command<Partial<Snapshot>>(ctx, 'snapshot', {}).then((r) => ({
      tempImagePath: String(orEmpty(r?.tempImagePath)),
      width: Number(r?.width) || 0,
      height: Number(r?.height) || 0,
    }));
  }

  /** A context method with success/fail callbacks: -2 where the base library lacks it, -15 when it fails. */
  private command<T>(context: object, api: string, args: Record<string, unknown>): Promise<T> {
    const fn = (context as Record<string, unknown>)[api];
    if (typeof fn !== 'function') {
      return Promise.reject(componentError(ErrorCode.NOT_SUPPORTED, 'warn.unsupported', { api }));
    }
    return wxCall<T>((cb) => (fn as (o: object) => void).call(context, { ...args, ...cb })).catch(
      (e: WechatMiniprogram.GeneralCallbackResult) => {
        throw nativeFailed(api, failText(e));
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
        const errMsg = failText(e as WechatMiniprogram.GeneralCallbackResult | undefined);
        const key = scope === 'scope.camera' ? 'permission.camera.denied' : 'permission.mic.denied';
        throw componentError(ErrorCode.PERMISSION_DENIED, key, { scope, text: errMsg }, 0, {
          reason: 'permission',
        });
      }
    }
  }

  protected context(): WechatMiniprogram.LivePusherContext {
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
}
