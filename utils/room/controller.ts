/**
 * RoomController: the façade `<webrtc-room>` drives, without wx/tt. It routes native events (only those of the
 * session that is running), applies property changes (validated in ./props.ts) and runs the page's commands;
 * the session (./session.ts on ./base.ts), recovery (./recovery.ts), media (./media.ts), commands
 * (./features.ts, ./streams.ts) and view (../view/room-view.ts) do the work.
 */
import type { AdapterEvent } from '../platform/adapter';
import { ErrorCode, RoomError, roomEvent } from '../core/events';
import {
  checkCustomRects,
  checkDisplayProps,
  checkSmallView,
  checkUserSig,
  isAudioScene,
  SMALL_VIEW_DEFAULTS,
  SmallViewName,
} from '../core/validate';
import { isTemplateName, TemplateName } from '../view/templates';
import { msg, uiTexts } from '../core/i18n';
import { invalidParam } from '../core/errors';
import { ControllerHost, EndReason, Phase } from './base';
import { RoomProps, validateMedia } from './props';
import type { PlatformAdapter } from '../platform/adapter';
import { normalizeVolume } from './speakers';
import { changedSettings, pickSettings } from './settings';
import { RoomStreams } from './streams';

export type { ControllerHost, EndReason, Phase, Timers } from './base';
export { BATCH_WINDOW_MS, ENTER_TIMEOUT_MS } from './base';
export { RECONNECT_DELAYS, RESYNC_WINDOW_MS } from './recovery';
export { MAX_PLAYER_REBUILDS } from '../view/room-view';
export type { RoomProps } from './props';
export { DOWN_REPORTS_REBUILD, NET_STATUS_INTERVAL_MS, WEAK_QUALITY } from './media';
export type { EnvironmentProblem } from './features';
export type { RemoteUserInfo, SubscribeOptions } from './streams';

/** Data every platform's template reads besides the properties (an adapter's INITIAL_DATA adds its own). */
export const VIEW_DATA = {
  phase: 'idle' as Phase,
  devicePosition: 'front' as 'front' | 'back',
  streams: [] as unknown[],
  mainKey: '',
  gridPage: 0,
  gridPages: 1,
  tileCount: 0,
  mainRank: -1,
  /** free slots before the last tile (a tile's rank is its slot minus the holes before it) */
  holes: [] as number[],
  texts: {} as Record<string, string>,
  endReason: '' as EndReason,
  localWeak: false,
  localSpeaking: false,
  guide: '' as '' | 'permission' | 'privacy',
  /** the local native view's attributes, validated (see utils/room/props.ts) */
  pusher: {} as Record<string, unknown>,
  /**
   * The last good template / role while the property holds an invalid one ('' while it is valid: a valid
   * switch sends nothing), so the layout keeps its place after an error -1.
   */
  keptTemplate: '',
  keptRole: '',
  /** `custom` template: the local view's rectangle, and whether no customRects were given (default placement) */
  custom: { local: null as unknown, fallback: true },
  /** `bigsmall`: the local view's 'left,top,width,height', each a validated CSS length (the smallView* properties) */
  smallView: Object.values(SMALL_VIEW_DEFAULTS).join(','),
};

const SMALL_VIEW = Object.keys(SMALL_VIEW_DEFAULTS) as SmallViewName[];

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
  'enter_asking',
  'enter_sent',
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
  'audio_volume',
  'message',
  'pip',
  'bgm',
]);

export class RoomController extends RoomStreams {
  private rects: Record<string, unknown> | null = null;
  private warnedCustom = false;
  private warnedLimit = false;
  private customShown = '';
  /** the smallView* values the layout has: the last good one of each */
  private small: Record<SmallViewName, string> = { ...SMALL_VIEW_DEFAULTS };
  /** the template the view uses: the property's while it is valid, else the last good one */
  private goodTemplate: TemplateName;
  private kept = { keptTemplate: '', keptRole: '' };

  constructor(adapter: PlatformAdapter, host: ControllerHost, props: RoomProps) {
    super(adapter, host, props);
    this.goodTemplate = isTemplateName(props.template) ? props.template : 'bigsmall';
    this.rects = checkCustomRects(props.customRects) ? null : (props.customRects ?? null);
    // a bad display property given at attach is reported now, as a later change would be
    const shown = checkDisplayProps({ states: props.states, lang: props.lang });
    if (shown) this.raise(invalidParam(shown));
    const small = this.smallViewData(props, SMALL_VIEW, true);
    // once at attach, so later state changes never carry it
    const custom = this.customData();
    this.customShown = JSON.stringify(custom);
    this.host.setData({
      texts: uiTexts(this.lang),
      ...custom,
      ...(small ?? {}),
      ...this.computedPatch(),
    });
  }

  /**
   * The smallView* properties `keys`, validated one by one (a bad one is error -1 naming it and keeps its last
   * good value): the `smallView` patch when what the layout gets changed (`force`: also when not), else null.
   */
  private smallViewData(
    p: RoomProps,
    keys: readonly SmallViewName[],
    force = false,
  ): { smallView: string } | null {
    let changed = force;
    for (const k of keys) {
      const c = checkSmallView(k, p[k]);
      if (!c.ok) {
        this.raise(invalidParam(c.error));
        continue;
      }
      if (c.value !== this.small[k]) {
        this.small[k] = c.value;
        changed = true;
      }
    }
    return changed ? { smallView: SMALL_VIEW.map((k) => this.small[k]).join(',') } : null;
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
      case 'enter_asking':
      case 'enter_sent':
        return this.onEnterProgress(ev.type === 'enter_sent');
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
      case 'bgm':
        if (ev.state !== 'progress') return this.emit(roomEvent(`bgm_${ev.state}`, 0, {}));
        return this.emit(
          roomEvent('bgm_progress', 0, {
            progress: Number(ev.progress) || 0,
            duration: Number(ev.duration) || 0,
          }),
        );
      case 'pip':
        return this.emit(
          roomEvent(ev.on ? 'pip_enter' : 'pip_leave', 0, { userID: ev.userID, streamType: ev.streamType }),
        );
      case 'message':
        if (this.phase === 'in_room')
          this.emit(roomEvent('message', 0, { userID: ev.userID, payload: ev.payload }));
        return;
      case 'audio_volume': {
        const volume = normalizeVolume(ev.volume);
        // a muted microphone is silent, whatever the capture level says
        const heard = ev.userID === '' && !this.local.mic ? 0 : volume;
        if (this.phase === 'in_room' && heard !== null) this.speakers.report(ev.userID, heard);
        return;
      }
    }
  };

  // ---------------------------------------------------------------- properties

  /** Property observer: media and layout changes take effect in the room; identity waits for the next start(). */
  setProps(next: RoomProps): void {
    const prev = this.props;
    this.props = { ...next };
    // the page handed over a newer credential than the last updateUserSig()
    if (next.userSig !== prev.userSig) this.sigOverride = null;
    const before = this.local;
    const media = validateMedia(next, this.media);
    const changed = changedSettings(media.value, this.media);
    const prevSettings = pickSettings(this.media);
    this.media = media.value;
    for (const e of media.errors) this.raise(invalidParam(e));
    if (changed.length) {
      for (const k of changed) this.warnedSettings.delete(k);
      this.warnSettings(changed);
      const settings = pickSettings(this.media);
      if (this.phase === 'in_room')
        this.whenVisible(() => this.adapter.applySettings?.(settings, prevSettings));
    }
    for (const key of ['states', 'lang'] as const) {
      if (next[key] === prev[key]) continue;
      const shown = checkDisplayProps({ [key]: next[key] });
      if (shown) this.raise(invalidParam(shown));
    }
    const small = this.smallViewData(
      next,
      SMALL_VIEW.filter((k) => next[k] !== prev[k]),
    );
    if (small) this.queueData(small);
    if (next.customRects !== prev.customRects) {
      const bad = checkCustomRects(next.customRects);
      if (bad) this.raise(invalidParam(bad));
      else this.rects = next.customRects ?? null;
    }
    if (next.template !== prev.template || next.customRects !== prev.customRects) {
      if (!isTemplateName(next.template)) this.raise(this.templateError());
      const template = next.template ?? 'bigsmall';
      if (isTemplateName(template)) this.goodTemplate = template;
      const custom = this.customData();
      const key = JSON.stringify(custom);
      if (key !== this.customShown) {
        this.customShown = key;
        this.queueData(custom);
      }
      this.markView();
    }
    // unset is the default ('bigsmall', 'anchor'), as start() reads it
    this.keep({
      keptTemplate: isTemplateName(next.template ?? 'bigsmall') ? '' : this.goodTemplate,
      keptRole: (next.role ?? 'anchor') === this.media.role ? '' : this.media.role,
    });
    if (
      next.autoSubscribe !== prev.autoSubscribe ||
      next.followSpeaker !== prev.followSpeaker ||
      next.enableSmallStream !== prev.enableSmallStream
    )
      this.markView();
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

  /** The layout's template and role while their properties are invalid (README: nothing else changes). */
  private keep(next: { keptTemplate: string; keptRole: string }): void {
    for (const k of ['keptTemplate', 'keptRole'] as const) {
      if (next[k] === this.kept[k]) continue;
      this.kept[k] = next[k];
      this.queueData({ [k]: next[k] });
    }
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

  /** New credential: used for every later (re-)entry; in a room the platform takes it in place or re-enters. */
  updateUserSig(userSig: unknown): Promise<void> {
    const c = checkUserSig(userSig);
    if (!c.ok) return Promise.reject(this.raise(invalidParam(c.error)));
    this.sigOverride = c.value;
    if (this.params) this.params = { ...this.params, userSig: c.value };
    if (this.phase !== 'in_room') return Promise.resolve();
    return this.adapter.updateUserSig(c.value).then(
      (how) => {
        if (how === 'reenter' && this.phase === 'in_room') {
          this.attempt = 0;
          this.setPhase('reconnecting');
          this.adapter.exit();
          this.reenter();
        }
      },
      (e: unknown) => {
        // the engine is gone (Douyin 115910): the session ends as with any -13, the next start() makes a new one
        if (e instanceof RoomError && e.code === ErrorCode.ENGINE_DESTROYED && this.phase === 'in_room') {
          this.onError(e);
          throw this.localize(e);
        }
        throw e;
      },
    );
  }
  /** detached: leave, release the adapter, cancel every timer; later calls are no-ops. */
  destroy(): void {
    if (this.destroyed) return;
    void this.stop();
    this.batch.close();
    this.speakers.reset(true);
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
      template: this.goodTemplate,
      customRects: this.rects,
      maxPlayers: this.adapter.maxPlayers,
      src: this.adapter.playSrc,
      hidden: this.hidden,
      speaking: this.speakers.speakingSet(),
      follow: this.props.followSpeaker ? this.speakers.activeSpeaker : '',
      videoOnlyViews: this.adapter.videoOnlyViews === true,
      audioOnly: isAudioScene(this.media.scene),
      autoSmall: this.props.enableSmallStream === true && this.adapter.smallStream === true,
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
