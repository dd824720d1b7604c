/**
 * WeChat adapter: with ./wx-client.ts (client queries and pusher commands) the only code that touches `wx`. Commands become LivePusherContext calls or
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
import { ErrorCode } from '../../utils/core/events';
import { msg, t } from '../../utils/core/i18n';
import { componentError, nativeFailed } from '../../utils/core/errors';
import type { EnterParams } from '../../utils/core/validate';
import { FrameWatch } from '../../utils/room/first-frame';
import { buildPushUrl } from '../../utils/platform/wx/url';
import { wxMaxPlayers, wxPlaySrc } from '../../utils/platform/wx/policy';
import { netQuality, parsePusherError, parsePusherState } from '../../utils/platform/wx/state';
import { ComponentThis, failText, PLATFORM, PUSHER_ID, safePlatform, wxCall, WxClient } from './wx-client';
import { orEmpty, orZero } from '../../utils/core/values';

export { PLATFORM, PUSHER_ID };

/** The room the component drives: with the retry of an entry refused for an old UserSig (utils/room/wx-room.ts). */
export { WxRoomController as Room } from '../../utils/room/wx-room';

/** Data only the WeChat template reads: nothing beyond VIEW_DATA (utils/room/controller.ts). */
export const INITIAL_DATA = {};

/** live-player statechange carrying a received SEI message (PLAY_EVT_GET_MESSAGE) */
export const PLAYER_MESSAGE = 2012;

type FailResult = WechatMiniprogram.GeneralCallbackResult & { errCode?: number };

interface NativeEvent {
  type: string;
  detail?: Record<string, unknown>;
  details?: Record<string, unknown>;
  currentTarget?: { id?: string; dataset?: Record<string, string> };
}

export class WxAdapter extends WxClient implements PlatformAdapter {
  readonly platform = PLATFORM;

  /** Android only; asked when it matters (on show), not at attach. */
  get rebuildHiddenPlayers(): boolean {
    return safePlatform() === 'android';
  }

  get maxPlayers(): number {
    return wxMaxPlayers(safePlatform());
  }

  readonly playSrc = wxPlaySrc;
  readonly firstFrames = FrameWatch;
  readonly smallStream = true;

  enterView(params: EnterParams, opts: EnterOptions): EnterView {
    return {
      pushUrl: buildPushUrl(params, { autoSubscribe: opts.autoSubscribe, encSmall: opts.encSmall }),
      devicePosition: opts.local.front ? 'front' : 'back',
    };
  }

  /** the entry under way: a start() that fails after it was left (stop, a re-entry) is not the current one's */
  private entry = 0;

  enter(): void {
    if (this.destroyed) return;
    this.pushing = true;
    this.unreleased = false;
    this.preview = 'off';
    this.previewEpoch++;
    const entry = ++this.entry;
    this.context().start({
      fail: (e: FailResult) => {
        if (entry !== this.entry) return;
        this.pushing = false;
        this.sink({
          type: 'enter_failed',
          code: ErrorCode.ENTER_FAILED,
          rawCode: orZero(e?.errCode),
          message: e?.errMsg || t('en', 'enter.failed'),
          i18n: e?.errMsg ? msg('enter.platform', { text: e.errMsg }) : msg('enter.failed'),
        });
      },
    });
  }

  exit(): void {
    this.entry++;
    if (!this.pushing) return;
    this.pushing = false;
    this.stopPusher();
  }

  /** the last stop() answered no success yet: on a hidden page it may be dropped or fail */
  private unreleased = false;
  /**
   * The lobby preview: 'on' from startPreview until a stopPreview or start; 'stopping' while its stopPreview
   * answered no success yet (like `unreleased`)
   */
  private preview: 'off' | 'on' | 'stopping' = 'off';
  /** each startPreview / start: a late answer of an older stopPreview is not the current one's */
  private previewEpoch = 0;

  private stopPusher(): void {
    this.unreleased = true;
    const entry = this.entry;
    // a stop of an entry since replaced (a new start()) is not this one's
    this.context().stop(
      this.released(
        'LivePusherContext.stop',
        () => entry === this.entry,
        () => (this.unreleased = false),
      ),
    );
  }

  /** Callbacks of a release: `done` on success; a failure of the current one (`still`) is release_failed. */
  private released(api: string, still: () => boolean, done: () => void) {
    return {
      success: () => {
        if (still()) done();
      },
      fail: (e?: FailResult) => {
        if (this.destroyed || !still()) return;
        this.sink({ type: 'release_failed', api, rawCode: orZero(e?.errCode), message: failText(e) });
      },
    };
  }

  ensureReleased(): void {
    if (this.destroyed || this.pushing) return;
    if (this.unreleased) {
      this.stopPusher();
      this.context().stopPreview({});
    } else if (this.preview === 'stopping') this.stopPreviewNow();
  }

  applyLocal(_next: LocalMedia, _prev: LocalMedia): void {
    // camera, microphone and role are attributes bound in the template
  }

  switchCamera(): Promise<void> {
    return wxCall<unknown>((cb) => this.context().switchCamera(cb)).then(
      () => undefined,
      (e: WechatMiniprogram.GeneralCallbackResult) => {
        throw componentError(ErrorCode.CAMERA_FAILED, 'camera.switch', { text: failText(e) });
      },
    );
  }

  private players(ids: string[]): WechatMiniprogram.LivePlayerContext[] {
    return ids.map((id) => wx.createLivePlayerContext(id, this.component));
  }

  /** A context call's fail callback: error -15 naming the call, with the client's text. */
  private failed(api: string): (e?: FailResult) => void {
    return (e) => {
      if (this.destroyed) return;
      const err = nativeFailed(api, failText(e), orZero(e?.errCode));
      const { message, rawCode } = err.detail;
      this.sink({ type: 'error', code: err.code, rawCode, message, i18n: err.i18n });
    };
  }

  pause(playerIds: string[]): void {
    this.each('pause', playerIds);
  }

  resume(playerIds: string[]): void {
    this.each('resume', playerIds);
  }

  private each(op: 'pause' | 'resume', playerIds: string[]): void {
    if (this.pushing) this.context()[op]({ fail: this.failed(`LivePusherContext.${op}`) });
    for (const p of this.players(playerIds)) p[op]({ fail: this.failed(`LivePlayerContext.${op}`) });
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

  /** Detached: the room's destroy() made an unconfirmed stop again first (ensureReleased), then left. */
  destroy(): void {
    this.exit();
    this.destroyed = true;
    this.pusher = null;
  }

  /** Lobby: the pusher's own camera preview; start() then pushes from the same live-pusher. A failure is -4. */
  startPreview(): void {
    if (this.destroyed) return;
    this.preview = 'on';
    this.previewEpoch++;
    this.context().startPreview({
      fail: (e: WechatMiniprogram.GeneralCallbackResult) => {
        const text = failText(e);
        this.sink({
          type: 'error',
          code: ErrorCode.CAMERA_FAILED,
          rawCode: 0,
          message: text || t('en', 'camera.failed'),
          i18n: msg('camera.failed', { text }),
        });
      },
    });
  }

  stopPreview(): void {
    if (this.destroyed || this.pushing) return;
    // the lobby's camera: its release is made sure of; after a session the stop() released it
    if (this.preview === 'on') this.stopPreviewNow();
    else this.context().stopPreview({});
  }

  private stopPreviewNow(): void {
    this.preview = 'stopping';
    const epoch = this.previewEpoch;
    this.context().stopPreview(
      this.released(
        'LivePusherContext.stopPreview',
        () => epoch === this.previewEpoch,
        () => (this.preview = 'off'),
      ),
    );
  }

  /** Every native event of the template arrives here (`bind*="onNative"`, `data-role`). */
  handleNative(raw: unknown): void {
    if (this.destroyed || !raw || typeof raw !== 'object') return;
    const e = raw as NativeEvent;
    const ds = e.currentTarget?.dataset ?? {};
    const role = ds.role;
    const d = e.detail ?? e.details ?? {};
    if (role === 'pusher') {
      if (e.type === 'statechange') {
        for (const ev of parsePusherState(Number(d.code), d.message)) this.sink(ev);
      } else if (e.type === 'netstatus') {
        const info = (d.info ?? {}) as Record<string, unknown>;
        this.sink({ type: 'net_status', userID: '', quality: netQuality(info), info });
      } else if (e.type === 'error') {
        this.sink(parsePusherError(Number(d.errCode), String(orEmpty(d.errMsg))));
      } else if (e.type === 'audiovolumenotify') {
        this.sink({ type: 'audio_volume', userID: '', volume: d.volume as number });
      } else if (e.type === 'bgmstart' || e.type === 'bgmprogress' || e.type === 'bgmcomplete') {
        const state = e.type === 'bgmstart' ? 'start' : e.type === 'bgmprogress' ? 'progress' : 'complete';
        this.sink({ type: 'bgm', state, progress: d.progress as number, duration: d.duration as number });
      }
      return;
    }
    if (role === 'player') {
      if (e.type === 'statechange' && Number(d.code) === PLAYER_MESSAGE && ds.userId) {
        // PLAY_EVT_GET_MESSAGE: an SEI message of this stream's user (enable-recv-message)
        this.sink({ type: 'message', userID: ds.userId, payload: String(orEmpty(d.message)) });
      } else if (e.type === 'statechange') {
        this.sink({
          type: 'player_state',
          playerId: orEmpty(ds.playerId),
          userID: orEmpty(ds.userId),
          key: orEmpty(ds.key),
          code: Number(d.code),
          message: String(orEmpty(d.message)),
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
          userID: orEmpty(ds.userId),
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
