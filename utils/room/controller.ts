/**
 * RoomController: the façade `<webrtc-room>` drives, without wx/tt. It routes native events (only those of the
 * session that is running), applies property changes (validated in ./props.ts) and runs the page's commands;
 * the session (./session.ts on ./base.ts), recovery (./recovery.ts) and view (../view/room-view.ts) do the work.
 */
import type { AdapterEvent, Subscription } from '../platform/adapter';
import { ErrorCode, roomEvent } from '../core/events';
import { usersInOrder } from './reducer';
import { checkCustomRects, checkDisplayProps, checkUserSig } from '../core/validate';
import { tileBase } from '../view/tiles';
import { isTemplateName } from '../view/templates';
import { MessageKey, msg, uiTexts } from '../core/i18n';
import { componentError, invalidParam } from '../core/errors';
import { RoomRecovery } from './recovery';
import { ControllerHost, EndReason, Phase } from './base';
import { RoomProps, validateMedia } from './props';
import type { PlatformAdapter } from '../platform/adapter';

export type { ControllerHost, EndReason, Phase, Timers } from './base';
export { BATCH_WINDOW_MS, ENTER_TIMEOUT_MS } from './base';
export { RECONNECT_DELAYS, RESYNC_WINDOW_MS } from './recovery';
export { MAX_PLAYER_REBUILDS } from '../view/room-view';
export type { RoomProps } from './props';

/** Data every platform's template reads besides the properties (an adapter's INITIAL_DATA adds its own). */
export const VIEW_DATA = {
  phase: 'idle' as Phase,
  devicePosition: 'front' as 'front' | 'back',
  streams: [] as unknown[],
  mainKey: '',
  gridPage: 0,
  gridPages: 1,
  texts: {} as Record<string, string>,
  endReason: '' as EndReason,
  localWeak: false,
  guide: '' as '' | 'permission' | 'privacy',
  /** the local native view's attributes, validated (see utils/room/props.ts) */
  pusher: {} as Record<string, unknown>,
  /** `custom` template: the local view's rectangle, and whether no customRects were given (default placement) */
  custom: { local: null as unknown, fallback: true },
};

/** net_status quality from which a stream counts as weak (4 poor, 5 bad, 6 down). */
export const WEAK_QUALITY = 4;
export const NET_STATUS_INTERVAL_MS = 1000;
/** A remote player still reporting quality 6 (down) this many times in a row in the room is rebuilt. */
export const DOWN_REPORTS_REBUILD = 5;

export interface RemoteUserInfo {
  userID: string;
  hasVideo: boolean;
  hasAudio: boolean;
  hasAuxVideo: boolean;
}

export interface SubscribeOptions {
  video?: boolean;
  audio?: boolean;
  streamType?: 'main' | 'small' | 'aux';
}

/** Native events that belong to a session: dropped when none runs (a late event of an ended one). */
const SESSION_EVENTS = new Set<AdapterEvent['type']>([
  'user_join',
  'user_leave',
  'video',
  'audio',
  'members',
  'new_epoch',
  'sweep',
  'entered',
  'enter_failed',
  'exited',
  'kicked',
  'connection_lost',
  'connection_recovered',
  'net_status',
  'floating_closed',
  'token_will_expire',
  'player_state',
  'suspended',
]);

export class RoomController extends RoomRecovery {
  private rects: Record<string, unknown> | null = null;
  private warnedCustom = false;
  private warnedLimit = false;
  private customShown = '';

  constructor(adapter: PlatformAdapter, host: ControllerHost, props: RoomProps) {
    super(adapter, host, props);
    this.rects = checkCustomRects(props.customRects) ? null : (props.customRects ?? null);
    // once at attach, so later state changes never carry it
    const custom = this.customData();
    this.customShown = JSON.stringify(custom);
    this.host.setData({ texts: uiTexts(this.lang), ...custom, ...this.computedPatch() });
  }

  get currentPhase(): Phase {
    return this.phase;
  }

  /** Adapter callback: every native event enters here. */
  readonly onAdapterEvent = (ev: AdapterEvent): void => {
    if (this.destroyed) return;
    this.host.log('adapter event', ev);
    const running = this.phase === 'entering' || this.phase === 'in_room' || this.phase === 'reconnecting';
    // nothing of a session that ended (or never began) changes state or reaches the page
    if (!running && (SESSION_EVENTS.has(ev.type) || this.phase === 'idle')) return;
    switch (ev.type) {
      case 'user_join':
      case 'user_leave':
      case 'video':
      case 'audio':
      case 'members':
      case 'new_epoch':
      case 'sweep':
        return this.dispatch(ev);
      case 'entered':
        return this.onEntered();
      case 'enter_failed':
        return this.onEnterFailed(RoomController.failure(ev));
      case 'exited':
        return this.onNativeExit(ev.reason);
      case 'kicked':
        return this.onKicked(ev.reason, ev.message);
      case 'connection_lost':
        return this.onConnectionLost(ev.rawCode, ev.message);
      case 'connection_recovered':
        if (this.phase === 'reconnecting') this.onEntered();
        return;
      case 'error':
        return this.onError(RoomController.failure(ev));
      case 'warning':
        return this.warn(ev.rawCode, ev.message, ev.i18n);
      case 'net_status':
        return this.onNetStatus(ev.userID, ev.streamType ?? 'main', ev.quality, ev.info);
      case 'suspended':
        this.host.log('suspended (5000)');
        return;
      case 'floating_closed':
        if (this.phase === 'in_room' || this.phase === 'reconnecting') this.pendingReenter = true;
        return this.warn(5001, '', msg('warn.floating'));
      case 'token_will_expire':
        return this.emit(roomEvent('token_will_expire', 0, {}));
      case 'player_state':
        return this.onPlayerState(ev.playerId, ev.code, ev.message);
    }
  };

  // ---------------------------------------------------------------- properties

  /** Property observer: media and layout changes take effect in the room; identity waits for the next start(). */
  setProps(next: RoomProps): void {
    const prev = this.props;
    this.props = { ...next };
    const before = this.local;
    const media = validateMedia(next, this.media);
    this.media = media.value;
    for (const e of media.errors) this.raise(invalidParam(e));
    for (const key of ['states', 'lang'] as const) {
      if (next[key] === prev[key]) continue;
      const shown = checkDisplayProps({ [key]: next[key] });
      if (shown) this.raise(invalidParam(shown));
    }
    if (next.customRects !== prev.customRects) {
      const bad = checkCustomRects(next.customRects);
      if (bad) this.raise(invalidParam(bad));
      else this.rects = next.customRects ?? null;
    }
    if (next.template !== prev.template || next.customRects !== prev.customRects) {
      if (!isTemplateName(next.template)) this.raise(this.templateError());
      const custom = this.customData();
      const key = JSON.stringify(custom);
      if (key !== this.customShown) {
        this.customShown = key;
        this.queueData(custom);
      }
      this.markView();
    }
    if (next.autoSubscribe !== prev.autoSubscribe) this.markView();
    if (next.lang !== prev.lang) {
      const lang = this.resolveLang(next.lang);
      if (lang !== this.lang) {
        this.lang = lang;
        this.queueData({ texts: uiTexts(lang) });
      }
    }
    if (next.frontCamera !== prev.frontCamera && (next.frontCamera !== false) !== this.front) {
      void this.switchCamera().catch(() => undefined);
    }
    this.batch.schedule();
    const after = this.local;
    const same = (Object.keys(after) as Array<keyof typeof after>).every((k) => after[k] === before[k]);
    if (!same && this.phase === 'in_room') this.whenVisible(() => this.adapter.applyLocal(after, before));
  }

  /** `custom` without customRects: a default placement, and a warning naming the missing field. */
  private customData(): Record<string, unknown> {
    const rects = this.rects && Object.keys(this.rects).length ? this.rects : null;
    const own = rects && Object.prototype.hasOwnProperty.call(rects, 'local') ? rects.local : null;
    if (this.props.template === 'custom' && !rects && !this.warnedCustom) {
      this.warnedCustom = true;
      this.warn(0, '', msg('warn.custom.rects'));
    }
    return { custom: { local: own ?? null, fallback: !rects } };
  }

  // ---------------------------------------------------------------- native reports

  private onNetStatus(
    userID: string,
    streamType: 'main' | 'aux',
    quality: number,
    info: Record<string, unknown>,
  ): void {
    if (this.phase !== 'in_room') return;
    const key = tileBase(userID, streamType);
    const now = this.host.now();
    const last = this.netStatusAt.get(key);
    if (last !== undefined && now - last < NET_STATUS_INTERVAL_MS) return;
    this.netStatusAt.set(key, now);
    const weak = quality >= WEAK_QUALITY;
    if (userID === '') this.setLocalWeak(weak);
    else if (this.view.setWeak(key, weak)) this.markView();
    this.emit(roomEvent('net_status', quality, { ...info, userID }));
    if (userID !== '') this.countDown(key, quality);
  }

  /** The room recovered but a player stays down: rebuild it after DOWN_REPORTS_REBUILD reports (bounded). */
  private countDown(key: string, quality: number): void {
    if (quality !== 6) {
      this.downReports.delete(key);
      return;
    }
    const n = (this.downReports.get(key) ?? 0) + 1;
    this.downReports.set(key, n);
    if (n !== DOWN_REPORTS_REBUILD) return;
    const hit = this.view.streamDown(key);
    if (!hit) return;
    const userID = hit.tile.userID;
    if (!hit.rebuilt) return this.warn(6, '', msg('warn.player.failed', { userID }));
    this.downReports.delete(key);
    this.warn(6, '', msg('warn.player.rebuild', { userID, n: hit.rebuilt }));
    this.markView();
  }

  private onPlayerState(playerId: string, code: number, message: string): void {
    if (code !== -2301) return;
    const hit = this.view.playerFailed(playerId);
    if (!hit) return;
    const userID = hit.tile.userID;
    if (!hit.rebuilt) return this.warn(code, '', msg('warn.player.failed', { userID, text: message }));
    this.warn(code, '', msg('warn.player.rebuild', { userID, n: hit.rebuilt }));
    this.markView();
  }

  // ---------------------------------------------------------------- commands

  switchCamera(): Promise<'front' | 'back'> {
    const toFront = !this.front;
    if (this.phase === 'idle') {
      this.front = toFront;
      this.queueData({ devicePosition: toFront ? 'front' : 'back' });
      return Promise.resolve(toFront ? 'front' : 'back');
    }
    return new Promise((resolve, reject) => {
      this.whenVisible(() => {
        this.adapter.switchCamera(toFront).then(() => {
          this.front = toFront;
          resolve(toFront ? 'front' : 'back');
        }, reject);
      });
    });
  }

  pause(): void {
    this.whenVisible(() => this.adapter.pause(this.view.currentTiles().map((x) => x.id)));
  }

  resume(): void {
    this.whenVisible(() => this.adapter.resume(this.view.currentTiles().map((x) => x.id)));
  }

  subscribe(userID: unknown, opts: SubscribeOptions = {}): Promise<void> {
    const bad = (field: string, key: MessageKey) =>
      Promise.reject(this.raise(componentError(ErrorCode.INVALID_PARAM, key, { field }, 0, { field })));
    if (typeof userID !== 'string' || userID === '') return bad('userID', 'param.required');
    if (opts === null || typeof opts !== 'object') return bad('options', 'param.object');
    const st = opts.streamType ?? 'main';
    if (st !== 'main' && st !== 'small' && st !== 'aux') return bad('streamType', 'param.streamType');
    if (opts.video !== undefined && typeof opts.video !== 'boolean') return bad('video', 'param.boolean');
    if (opts.audio !== undefined && typeof opts.audio !== 'boolean') return bad('audio', 'param.boolean');
    const streamType = st === 'aux' ? 'aux' : 'main';
    const base = tileBase(userID, streamType);
    const cur = this.view.subscription(base, this.props.autoSubscribe !== false);
    const next: Subscription = {
      video: opts.video ?? cur.video,
      audio: opts.audio ?? cur.audio,
      small: streamType === 'main' ? st === 'small' || (opts.streamType === undefined && cur.small) : false,
    };
    this.view.setSubscription(base, next);
    if (this.phase === 'in_room' || this.phase === 'reconnecting') {
      this.whenVisible(() => this.adapter.subscribe(userID, streamType, next));
    }
    this.markView();
    return Promise.resolve();
  }

  getRemoteUsers(): RemoteUserInfo[] {
    return usersInOrder(this.state).map((u) => ({
      userID: u.userID,
      hasVideo: u.video,
      hasAudio: u.audio,
      hasAuxVideo: u.aux,
    }));
  }

  /** New credential: used for every later (re-)entry; in a room the platform takes it in place or re-enters. */
  updateUserSig(userSig: unknown): Promise<void> {
    const c = checkUserSig(userSig);
    if (!c.ok) return Promise.reject(this.raise(invalidParam(c.error)));
    this.sigOverride = c.value;
    if (this.params) this.params = { ...this.params, userSig: c.value };
    if (this.phase !== 'in_room') return Promise.resolve();
    return this.adapter.updateUserSig(c.value).then((how) => {
      if (how === 'reenter' && this.phase === 'in_room') {
        this.attempt = 0;
        this.setPhase('reconnecting');
        this.adapter.exit();
        this.reenter();
      }
    });
  }

  setGridPage(page: number): void {
    if (this.view.setGridPage(page)) this.markView();
  }

  pin(userID: string, streamType: 'main' | 'aux' = 'main'): boolean {
    const ok = this.view.pin(userID, streamType);
    if (ok) this.markView();
    return ok;
  }

  /** detached: leave, release the adapter, cancel every timer; later calls are no-ops. */
  destroy(): void {
    if (this.destroyed) return;
    void this.stop();
    this.batch.close();
    this.destroyed = true;
    this.adapter.destroy();
    this.dropDeferred();
  }

  /** Permission guide button: open the platform's settings; when both are granted now, enter again. */
  openSettings(): Promise<void> {
    return this.adapter.openSetting().then((granted) => {
      const need = this.local;
      const ok = (!need.camera || granted.camera) && (!need.publish || granted.mic);
      if (!ok) return;
      this.setGuide('');
      return this.start().then(() => undefined);
    });
  }

  dismissGuide(): void {
    this.setGuide('');
  }

  // ---------------------------------------------------------------- view

  /** The tile view's changes; the platform hears which streams' video the layout shows and which it hides. */
  protected viewPatch(): Record<string, unknown> | null {
    const patch = this.view.patch({
      state: this.state,
      autoSubscribe: this.props.autoSubscribe !== false,
      template: String(this.props.template ?? 'bigsmall'),
      customRects: this.rects,
      maxPlayers: this.adapter.maxPlayers,
      src: this.adapter.playSrc,
      hidden: this.hidden,
    });
    if (!patch) return null;
    if (this.view.waiting > 0 && !this.warnedLimit) {
      this.warnedLimit = true;
      this.warn(0, '', msg('warn.player.limit', { max: this.adapter.maxPlayers }));
    } else if (this.view.waiting === 0) this.warnedLimit = false;
    if (this.phase === 'in_room' || this.phase === 'reconnecting') {
      for (const c of this.view.videoChanges()) {
        this.whenVisible(() => this.adapter.showVideo(c.userID, c.streamType, c.shown));
      }
    }
    return patch;
  }
}
