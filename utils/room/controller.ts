/**
 * RoomController: the façade `<webrtc-room>` drives, without wx/tt. It routes native events (only those of the
 * session that is running), applies property changes (validated in ./props.ts) and runs the page's commands;
 * the session (./session.ts on ./base.ts), recovery (./recovery.ts) and view (../view/room-view.ts) do the work.
 */
import type { AdapterEvent, Subscription } from '../platform/adapter';
import { ErrorCode, RoomError, roomEvent } from '../core/events';
import { usersInOrder } from './reducer';
import {
  checkCustomRects,
  checkDisplayProps,
  checkEnterParams,
  checkUserSig,
  isAudioScene,
} from '../core/validate';
import { tileBase } from '../view/tiles';
import { isTemplateName } from '../view/templates';
import { MessageKey, msg, uiTexts } from '../core/i18n';
import { componentError, invalidParam } from '../core/errors';
import { RoomRecovery } from './recovery';
import { ControllerHost, EndReason, Phase } from './base';
import { RoomProps, validateMedia } from './props';
import type { PlatformAdapter } from '../platform/adapter';
import type { RoomAction } from './reducer';
import { normalizeVolume, Speakers, SpeakerTick } from './speakers';
import { changedSettings, nonDefault, pickSettings, SettingName } from './settings';
import { checkPayload } from './commands';
import { Capabilities, capabilities } from './capabilities';
import type { BgmOp, Snapshot } from '../platform/adapter';

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
  tileCount: 0,
  mainRank: -1,
  texts: {} as Record<string, string>,
  endReason: '' as EndReason,
  localWeak: false,
  localSpeaking: false,
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
  'audio_volume',
  'message',
  'pip',
  'bgm',
]);

export interface EnvironmentProblem {
  /** the code start() would reject with */
  code: number;
  field?: string;
  message: string;
}

export class RoomController extends RoomRecovery {
  private rects: Record<string, unknown> | null = null;
  private warnedCustom = false;
  private warnedLimit = false;
  private customShown = '';
  private readonly speakers: Speakers;
  private localSpeaking = false;
  /** unsupported settings already warned about (until they change again) */
  private warnedSettings = new Set<SettingName>();
  private warnedSmall = false;

  constructor(adapter: PlatformAdapter, host: ControllerHost, props: RoomProps) {
    super(adapter, host, props);
    this.speakers = new Speakers(
      host.timers,
      () => host.now(),
      (tick) => this.onSpeakers(tick),
    );
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

  // ---------------------------------------------------------------- who is speaking

  /** Douyin's speakers list is who talks now (not who has audio): it feeds the speaking state. */
  protected override dispatch(action: RoomAction): void {
    const prev = this.state;
    super.dispatch(action);
    if (action.type === 'members' && action.list === 'speakers') {
      const local = this.state.localUserID;
      this.speakers.setSpeaking(action.userIDs.map((id) => (id === local ? '' : id)));
    }
    if (this.state.users !== prev.users) {
      for (const id of prev.users.keys()) if (!this.state.users.has(id)) this.speakers.forget(id);
    }
  }

  /** Entered (or re-entered): the platform applies the settings that differ from its defaults. */
  protected override onEntered(): void {
    super.onEntered();
    if (this.phase !== 'in_room') return;
    this.warnSettings(nonDefault(this.media));
    if (this.props.enableSmallStream === true && !this.adapter.smallStream && !this.warnedSmall) {
      this.warnedSmall = true;
      this.warn(0, '', msg('warn.setting', { field: 'enableSmallStream' }));
    }
    const settings = pickSettings(this.media);
    this.whenVisible(() => this.adapter.applySettings?.(settings, null));
  }

  /** A set setting this client cannot apply: one warning naming it, never an error. */
  private warnSettings(names: SettingName[]): void {
    const own = new Set(nonDefault(this.media));
    for (const k of names) {
      if (!own.has(k) || this.warnedSettings.has(k) || this.adapter.supportsSetting?.(k) !== false) continue;
      this.warnedSettings.add(k);
      this.warn(0, '', msg('warn.setting', { field: k }));
    }
  }

  /** The session ended: nobody speaks, no volume timer. */
  protected override teardown(): void {
    super.teardown();
    this.speakers.reset();
    this.setLocalSpeaking(false);
  }

  private setLocalSpeaking(on: boolean): void {
    if (on === this.localSpeaking) return;
    this.localSpeaking = on;
    this.queueData({ localSpeaking: on });
  }

  /** One closed volume window: at most one audio_volume, and a setData only for flipped flags. */
  private onSpeakers(tick: SpeakerTick): void {
    if (this.phase !== 'in_room' && this.phase !== 'reconnecting') return;
    if (tick.volumes.length) this.emit(roomEvent('audio_volume', 0, { volumes: tick.volumes }));
    if (tick.changed) {
      this.setLocalSpeaking(this.speakers.isSpeaking(''));
      this.markView();
    } else if (tick.activeChanged && this.props.followSpeaker) this.markView();
  }

  // ---------------------------------------------------------------- commands

  /**
   * Background music mixed into what you publish (WeChat LivePusherContext playBGM …; volume 0-1). A failure is
   * a `bgm_error` event and a -15 rejection; Douyin -2.
   */
  bgm(op: BgmOp, arg?: unknown): Promise<void> {
    if (!this.adapter.bgm) return this.reject(ErrorCode.NOT_SUPPORTED, 'bgm.unsupported');
    if (op === 'play' && (typeof arg !== 'string' || arg === '')) {
      return this.reject(ErrorCode.INVALID_PARAM, 'param.required', { field: 'url' }, 'url');
    }
    if (op === 'volume' && !(typeof arg === 'number' && arg >= 0 && arg <= 1)) {
      const params = { field: 'volume', value: String(arg), min: 0, max: 1 };
      return this.reject(ErrorCode.INVALID_PARAM, 'param.range', params, 'volume');
    }
    if (this.phase !== 'in_room') return this.reject(ErrorCode.NOT_IN_ROOM, 'room.required', { api: 'BGM' });
    return this.adapter.bgm(op, arg as string | number | undefined).catch((e: unknown) => {
      const err = this.localize(e as RoomError);
      this.emit(roomEvent('bgm_error', 0, { message: err.message, rawCode: err.detail?.rawCode ?? 0 }));
      throw err;
    });
  }

  /** What works on this client (platform, versions, features), so a page hides what would fail. */
  getCapabilities(): Capabilities | null {
    return this.adapter.facts ? capabilities(this.adapter.facts()) : null;
  }

  /**
   * Preflight: every problem start() would reject with now (invalid properties -1, unsupported client -2,
   * a refused camera/microphone -7), in the component's language; nothing is emitted, nothing is entered.
   */
  async checkEnvironment(): Promise<{ ok: boolean; problems: EnvironmentProblem[] }> {
    const errors: RoomError[] = [];
    const checked = checkEnterParams(
      { ...this.props, userSig: this.sigOverride ?? this.props.userSig },
      this.adapter.platform,
    );
    if (!checked.ok) errors.push(invalidParam(checked.error));
    for (const e of validateMedia(this.props, this.media).errors) errors.push(invalidParam(e));
    const unsupported = this.adapter.checkSupport();
    if (unsupported) errors.push(unsupported);
    const need = this.local;
    const auth = (await this.adapter.authState?.()) ?? {};
    const denied = (scope: string, key: 'permission.camera.denied' | 'permission.mic.denied') =>
      errors.push(componentError(ErrorCode.PERMISSION_DENIED, key, { scope }, 0, { reason: 'permission' }));
    if (need.camera && auth.camera === false) denied('scope.camera', 'permission.camera.denied');
    if (need.publish && auth.mic === false) denied('scope.record', 'permission.mic.denied');
    const problems = errors.map((e) => {
      const out = this.localize(e);
      const p: EnvironmentProblem = { code: out.code, message: out.message };
      if (out.detail.field) p.field = out.detail.field;
      return p;
    });
    return { ok: problems.length === 0, problems };
  }

  /** A failure the page gets both ways: an `error` event and the rejection. */
  private reject(
    code: number,
    key: MessageKey,
    params: Record<string, string | number> = {},
    field?: string,
  ) {
    const extra = field ? { field } : {};
    return Promise.reject(this.raise(componentError(code, key, params, 0, extra)));
  }

  /** In-stream message to everyone who plays this user's stream (WeChat SEI); Douyin: -2, use the chat. */
  sendMessage(payload: unknown): Promise<void> {
    const bad = checkPayload(payload);
    if (bad) return Promise.reject(this.raise(invalidParam(bad)));
    if (!this.adapter.sendMessage) return this.reject(ErrorCode.NOT_SUPPORTED, 'message.unsupported');
    if (this.phase !== 'in_room')
      return this.reject(ErrorCode.NOT_IN_ROOM, 'room.required', { api: 'sendMessage' });
    const send = this.adapter.sendMessage.bind(this.adapter);
    return new Promise<void>((resolve, reject) =>
      this.whenVisible(() => send(payload as string).then(resolve, reject)),
    ).catch((e: unknown) => {
      throw this.raise(
        e instanceof RoomError
          ? e
          : componentError(ErrorCode.COMMAND_FAILED, 'native.failed', {
              api: 'sendMessage',
              text: String(e),
            }),
      );
    });
  }

  /** The local view (no argument, '' or your own userID) or a remote user's main view, as an image. */
  snapshot(userID?: unknown): Promise<Snapshot> {
    if (userID !== undefined && typeof userID !== 'string') {
      return this.reject(ErrorCode.INVALID_PARAM, 'param.string', { field: 'userID' }, 'userID');
    }
    const self = !userID || userID === this.props.userID;
    if (!this.adapter.snapshot) return this.reject(ErrorCode.NOT_SUPPORTED, 'snapshot.unsupported');
    let playerId: string | null = null;
    if (!self) {
      if (this.phase !== 'in_room')
        return this.reject(ErrorCode.NOT_IN_ROOM, 'room.required', { api: 'snapshot' });
      const tile = this.view.currentTiles().find((x) => x.userID === userID && x.streamType === 'main');
      if (!tile || !tile.player || !tile.hasVideo || tile.muteVideo) {
        return this.reject(ErrorCode.INVALID_PARAM, 'snapshot.noView', { userID: String(userID) }, 'userID');
      }
      playerId = tile.id;
    }
    return this.adapter.snapshot(playerId).catch((e: unknown) => {
      throw this.raise(
        e instanceof RoomError
          ? e
          : componentError(ErrorCode.COMMAND_FAILED, 'native.failed', { api: 'snapshot', text: String(e) }),
      );
    });
  }

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

    const chosen = opts.streamType === 'small' || opts.streamType === 'main' ? opts.streamType : cur.stream;
    this.view.setSubscription(base, chosen ? { ...next, stream: chosen } : next);
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

  /** The big view in `bigsmall`; `pin('')` unpins (followSpeaker takes over again). */
  pin(userID: string, streamType: 'main' | 'aux' = 'main'): boolean {
    const ok = userID === '' ? this.view.unpin() : this.view.pin(userID, streamType);
    if (ok) this.markView();
    return ok;
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
      template: String(this.props.template ?? 'bigsmall'),
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
