/**
 * RoomController: everything `<webrtc-room>` does, without wx/tt. The component is glue that feeds it
 * properties, lifecycle and native events; a PlatformAdapter does the native calls. Keeps one session's
 * phase, the room model, the reconnect policy, hide/show handling, the view diff and the setData batching.
 */
import type { AdapterEvent, LocalMedia, PlatformAdapter, Subscription } from '../platform/adapter';
import { ErrorCode, ErrorDetail, RoomError, roomError, roomEvent, RoomEvent } from '../core/events';
import { diffRoom, initialRoomState, reduceRoom, RoomAction, RoomState, usersInOrder } from './reducer';
import {
  checkCustomRects,
  checkDisplayProps,
  checkEnterParams,
  checkMediaProps,
  checkUserSig,
  EnterInput,
  EnterParams,
} from '../core/validate';
import { defaultSubscription, TileView, tileBase } from '../view/tiles';
import { isTemplateName, TEMPLATE_NAMES } from '../view/templates';
import { Lang, MessageKey, msg, Msg, normalizeLang, t, uiTexts } from '../core/i18n';
import { SetDataBatcher } from '../core/batch';
import { componentError, invalidParam, localizeError } from '../core/errors';
import { normalizeVolume, Speakers, SpeakerTick } from './speakers';

export type Phase = 'idle' | 'preview' | 'entering' | 'in_room' | 'reconnecting';

/** Why the last session ended, for the room's own "left / kicked / connection lost" message. */
export type EndReason = '' | 'left' | 'kicked' | 'lost';

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
  localSpeaking: false,
  guide: '' as '' | 'permission' | 'privacy',
};

/** net_status quality from which a stream counts as weak (4 poor, 5 bad, 6 down). */
export const WEAK_QUALITY = 4;

/** The component properties the controller reads (identity ones as validation sees them). */
export interface RoomProps extends EnterInput {
  template?: unknown;
  enableCamera?: boolean;
  muted?: boolean;
  beauty?: unknown;
  whiteness?: unknown;
  frontCamera?: boolean;
  aspect?: unknown;
  minBitrate?: unknown;
  maxBitrate?: unknown;
  autoSubscribe?: boolean;
  customRects?: Record<string, unknown> | null;
  /** 'zh-CN' | 'en' | '' (the system language) */
  lang?: unknown;
  /** show the permission guide on error -7 (default true) */
  permissionGuide?: boolean;
  /** which room states the component shows (validated only; the template reads it) */
  states?: unknown;
  /** bigsmall: the big view follows the active speaker */
  followSpeaker?: boolean;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ControllerHost {
  setData(patch: Record<string, unknown>, callback?: () => void): void;
  emit(ev: RoomEvent): void;
  timers: Timers;
  now(): number;
  log(...args: unknown[]): void;
}

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

/** Reconnect backoff (ms); its length is the number of attempts before `error` -6. */
export const RECONNECT_DELAYS = [1000, 2000, 4000, 8000, 16000];
/** No 1018 / join success by then: the attempt failed. */
export const ENTER_TIMEOUT_MS = 15000;
/** After a re-entry, users not announced again within this window have left. */
export const RESYNC_WINDOW_MS = 3000;
/** setData coalescing window: one call per burst of native events. */
export const BATCH_WINDOW_MS = 16;
export const NET_STATUS_INTERVAL_MS = 1000;
/** A remote player that fails is rebuilt at most this many times. */
export const MAX_PLAYER_REBUILDS = 3;

/** `reason` / `field` of an adapter failure, only when present. */
function errorExtra(ev: { reason?: ErrorDetail['reason']; field?: string }): Partial<ErrorDetail> {
  const extra: Partial<ErrorDetail> = {};
  if (ev.reason) extra.reason = ev.reason;
  if (ev.field) extra.field = ev.field;
  return extra;
}

const FATAL_IN_ROOM = new Set<number>([ErrorCode.CREDENTIAL_REJECTED, ErrorCode.ENGINE_DESTROYED]);

interface Pending {
  resolve(v: { elapsed: number }): void;
  reject(e: RoomError): void;
  promise: Promise<{ elapsed: number }>;
}

export class RoomController {
  private props: RoomProps;
  private phase: Phase = 'idle';
  private state: RoomState = initialRoomState();
  private params: EnterParams | null = null;
  private pending: Pending | null = null;
  private sigOverride: string | null = null;
  private startedAt = 0;
  private lastElapsed = 0;
  private sessionOpen = false;
  private attempt = 0;
  private lastLostCode = 0;
  private hidden = false;
  private pendingReenter = false;
  private deferred: Array<() => void> = [];
  private addedWhileHidden = new Set<string>();
  private subs: Record<string, Subscription> = {};
  private revs: Record<string, number> = {};
  private gridPage = 0;
  private front = true;
  private local: LocalMedia;
  private view = new TileView();
  private viewDirty = false;
  private readonly batch: SetDataBatcher;
  private enterTimer: unknown = null;
  private reconnectTimer: unknown = null;
  private sweepTimer: unknown = null;
  private netStatusAt = new Map<string, number>();
  private startToken = 0;
  private destroyed = false;
  private lang: Lang;
  private weak = new Set<string>();
  private localWeak = false;
  private endReason: EndReason = '';
  private guide: '' | 'permission' | 'privacy' = '';
  private previewOn = false;
  private readonly speakers: Speakers;
  private localSpeaking = false;

  constructor(
    private readonly adapter: PlatformAdapter,
    private readonly host: ControllerHost,
    props: RoomProps,
  ) {
    this.props = { ...props };
    this.batch = new SetDataBatcher(
      (patch, cb) => this.host.setData(patch, cb),
      this.host.timers,
      BATCH_WINDOW_MS,
      () => this.viewPatch(),
    );
    this.speakers = new Speakers(
      this.host.timers,
      () => this.host.now(),
      (tick) => this.onSpeakers(tick),
    );
    this.front = props.frontCamera !== false;
    this.local = this.localMedia();
    this.lang = this.resolveLang(props.lang);
    // once at attach, so later state changes never carry it
    this.host.setData({ texts: uiTexts(this.lang) });
  }

  private resolveLang(v: unknown): Lang {
    return normalizeLang(typeof v === 'string' && v !== '' ? v : this.adapter.language?.());
  }

  get currentPhase(): Phase {
    return this.phase;
  }

  /** Adapter callback: every native event enters here. */
  readonly onAdapterEvent = (ev: AdapterEvent): void => {
    if (this.destroyed) return;
    this.host.log('adapter event', ev);
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
        return this.onEnterFailed(roomError(ev.code, ev.message, ev.rawCode, errorExtra(ev), ev.i18n));
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
        return this.onError(roomError(ev.code, ev.message, ev.rawCode, errorExtra(ev), ev.i18n));
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
      case 'audio_volume': {
        const volume = normalizeVolume(ev.volume);
        if (this.phase === 'in_room' && volume !== null) this.speakers.report(ev.userID, volume);
        return;
      }
    }
  };

  // ---------------------------------------------------------------- properties

  /** Property observer: media and layout changes take effect in the room; identity waits for the next start(). */
  setProps(next: RoomProps): void {
    const prev = this.props;
    this.props = { ...next };
    const bad = checkMediaProps(next);
    if (bad) this.raise(invalidParam(bad));
    for (const key of ['states', 'lang'] as const) {
      if (next[key] === prev[key]) continue;
      const shown = checkDisplayProps({ [key]: next[key] });
      if (shown) {
        this.raise(invalidParam(shown));
      }
    }
    if (next.customRects !== prev.customRects) {
      const rects = checkCustomRects(next.customRects);
      if (rects) this.raise(invalidParam(rects));
    }
    if (next.template !== prev.template || next.customRects !== prev.customRects) {
      if (!isTemplateName(next.template)) {
        this.raise(this.templateError());
      }
      this.markView();
    }
    if (next.autoSubscribe !== prev.autoSubscribe || next.followSpeaker !== prev.followSpeaker)
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
    this.applyLocal();
  }

  private localMedia(): LocalMedia {
    const anchor = (this.props.role ?? 'anchor') === 'anchor';
    return {
      publish: anchor,
      camera: anchor && this.props.enableCamera !== false,
      mic: anchor && !this.props.muted,
      front: this.front,
    };
  }

  private applyLocal(): void {
    const next = this.localMedia();
    const prev = this.local;
    if (
      next.publish === prev.publish &&
      next.camera === prev.camera &&
      next.mic === prev.mic &&
      next.front === prev.front
    ) {
      return;
    }
    this.local = next;
    if (this.phase === 'in_room') this.whenVisible(() => this.adapter.applyLocal(next, prev));
  }

  // ---------------------------------------------------------------- start / stop

  start(): Promise<{ elapsed: number }> {
    if (this.destroyed)
      return Promise.reject(this.localize(componentError(ErrorCode.ENTER_FAILED, 'enter.detached')));
    if (this.pending) return this.pending.promise;
    // in the room, or re-entering it after a loss: the session stands
    if (this.phase === 'in_room' || this.phase === 'reconnecting') {
      return Promise.resolve({ elapsed: this.lastElapsed });
    }
    const pending = this.newPending();
    this.setEndReason('');
    this.setGuide('');
    const checked = checkEnterParams(
      { ...this.props, userSig: this.sigOverride ?? this.props.userSig },
      this.adapter.platform,
    );
    const media = checkMediaProps(this.props);
    const invalid = !checked.ok ? checked.error : (media ?? checkCustomRects(this.props.customRects));
    if (invalid) {
      this.failStart(invalidParam(invalid));
      return pending.promise;
    }
    if (!isTemplateName(this.props.template ?? 'bigsmall')) {
      this.failStart(this.templateError());
      return pending.promise;
    }
    const unsupported = this.adapter.checkSupport();
    if (unsupported) {
      this.failStart(unsupported);
      return pending.promise;
    }
    const params = (checked as { ok: true; value: EnterParams }).value;
    const token = ++this.startToken;
    this.local = this.localMedia();
    this.adapter
      .ensurePermissions({ camera: this.local.camera, mic: this.local.publish })
      .then(() => {
        if (token !== this.startToken || this.destroyed) return;
        this.params = params;
        this.state = initialRoomState(params.userID);
        this.startedAt = this.host.now();
        this.attempt = 0;
        this.setPhase('entering');
        this.enterNow();
      })
      .catch((e: unknown) => {
        if (token !== this.startToken || this.destroyed) return;
        this.failStart(
          e instanceof RoomError
            ? e
            : componentError(ErrorCode.PERMISSION_DENIED, 'permission.platform', { text: String(e) }),
        );
      });
    return pending.promise;
  }

  private newPending(): Pending {
    let resolve!: Pending['resolve'];
    let reject!: Pending['reject'];
    const promise = new Promise<{ elapsed: number }>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.pending = { resolve, reject, promise };
    return this.pending;
  }

  /** Show what the platform needs, then call it (the WeChat pusher needs its URL in the view first). */
  private enterNow(): void {
    const params = this.params;
    if (!params) return;
    const opts = { autoSubscribe: this.props.autoSubscribe !== false, local: this.local };
    this.queueData(this.adapter.enterView(params, opts));
    this.clearTimer('enterTimer');
    this.enterTimer = this.host.timers.setTimeout(() => {
      this.enterTimer = null;
      const err = componentError(ErrorCode.ENTER_FAILED, 'enter.timeout', { ms: ENTER_TIMEOUT_MS });
      if (this.phase === 'reconnecting') this.onConnectionLost(0, err.message);
      else this.onEnterFailed(err);
    }, ENTER_TIMEOUT_MS);
    this.flush(() => {
      if (this.params === params && (this.phase === 'entering' || this.phase === 'reconnecting')) {
        this.adapter.enter(params, opts);
      }
    });
  }

  private onEntered(): void {
    if (this.phase !== 'entering' && this.phase !== 'reconnecting') return;
    this.clearTimer('enterTimer');
    const wasReconnect = this.phase === 'reconnecting';
    const attempt = this.attempt;
    this.attempt = 0;
    this.setPhase('in_room');
    // local media may have changed while entering
    this.whenVisible(() => this.adapter.applyLocal(this.local, this.local));
    // a re-entry after a loss during the very first entry is still the first entry: enter_room, resolve start()
    if (wasReconnect && this.sessionOpen) {
      this.scheduleSweep();
      this.emit(roomEvent('reconnected', attempt, {}));
      return;
    }
    this.sessionOpen = true;
    this.lastElapsed = Math.max(1, this.host.now() - this.startedAt);
    const p = this.params as EnterParams;
    const where = p.strRoomID !== undefined ? { strRoomID: p.strRoomID } : { roomID: p.roomID };
    this.emit(roomEvent('enter_room', this.lastElapsed, { ...where, userID: p.userID }));
    const pending = this.pending;
    this.pending = null;
    pending?.resolve({ elapsed: this.lastElapsed });
  }

  private onEnterFailed(err: RoomError): void {
    if (this.phase === 'reconnecting') {
      if (err.code === ErrorCode.CREDENTIAL_REJECTED) return this.giveUp(err);
      return this.onConnectionLost(err.detail.rawCode, err.message);
    }
    if (this.phase !== 'entering') return;
    this.failStart(err);
  }

  /** Entering failed: report, release, reject. */
  private failStart(err: RoomError): void {
    const out = this.raise(err);
    const pending = this.pending;
    this.pending = null;
    if (this.phase !== 'idle') this.teardown();
    pending?.reject(out);
  }

  stop(): Promise<void> {
    this.startToken++;
    const pending = this.pending;
    this.pending = null;
    if (this.phase === 'preview') this.stopPreview();
    else if (this.phase !== 'idle') this.teardown();
    pending?.reject(this.localize(componentError(ErrorCode.ENTER_FAILED, 'enter.cancelled')));
    this.closeSession(0, 'left');
    return Promise.resolve();
  }

  /**
   * Lobby: show the local camera before entering (WeChat: LivePusherContext.startPreview; Douyin: the local
   * <rtc-room mode="camera">). `start()` from here enters without re-creating the local view.
   */
  startPreview(): Promise<void> {
    if (this.destroyed)
      return Promise.reject(this.localize(componentError(ErrorCode.ENTER_FAILED, 'enter.detached')));
    if (this.phase === 'preview') return Promise.resolve();
    if (this.phase !== 'idle') return Promise.resolve();
    this.local = this.localMedia();
    const token = this.startToken;
    return this.adapter.ensurePermissions({ camera: this.local.camera, mic: false }).then(
      () => {
        if (token !== this.startToken || this.phase !== 'idle' || this.destroyed) return;
        this.setEndReason('');
        this.setPhase('preview');
        this.previewOn = true;
        this.flush(() => {
          if (this.phase === 'preview') this.adapter.startPreview(this.local, this.props.sdkAppID);
        });
      },
      (e: unknown) => {
        throw this.raise(
          e instanceof RoomError
            ? e
            : componentError(ErrorCode.PERMISSION_DENIED, 'permission.platform', { text: String(e) }),
        );
      },
    );
  }

  /** Leave the lobby preview. Harmless in any other phase. */
  stopPreview(): Promise<void> {
    if (this.phase === 'preview') {
      this.previewOn = false;
      this.adapter.stopPreview();
      this.setPhase('idle');
    }
    return Promise.resolve();
  }

  /** Leave natively and clear the room; the caller decides which events to emit. */
  private teardown(): void {
    this.clearTimer('enterTimer');
    this.clearTimer('reconnectTimer');
    this.clearTimer('sweepTimer');
    this.adapter.exit();
    if (this.previewOn) {
      this.previewOn = false;
      this.adapter.stopPreview();
    }
    this.phase = 'idle';
    this.pendingReenter = false;
    this.attempt = 0;
    this.state = initialRoomState();
    this.subs = {};
    this.revs = {};
    this.addedWhileHidden.clear();
    this.netStatusAt.clear();
    this.params = null;
    this.viewDirty = false;
    const reset = this.view.reset();
    this.weak.clear();
    this.setLocalWeak(false);
    this.speakers.reset();
    this.setLocalSpeaking(false);
    this.queueData({ ...reset, phase: 'idle', ...this.adapter.exitView() });
  }

  /** exit_room exactly once per entered session; the room shows why it ended. */
  private closeSession(code: number, why: EndReason): void {
    if (!this.sessionOpen) return;
    this.sessionOpen = false;
    this.setEndReason(why);
    this.emit(roomEvent('exit_room', code, {}));
  }

  private setEndReason(why: EndReason): void {
    if (why === this.endReason) return;
    this.endReason = why;
    this.queueData({ endReason: why });
  }

  private setGuide(guide: '' | 'permission' | 'privacy'): void {
    if (guide === this.guide) return;
    this.guide = guide;
    this.queueData({ guide });
  }

  private setLocalWeak(weak: boolean): void {
    if (weak === this.localWeak) return;
    this.localWeak = weak;
    this.queueData({ localWeak: weak });
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

  private onNativeExit(reason: number): void {
    if (this.phase !== 'in_room') return;
    this.teardown();
    this.closeSession(reason, 'left');
  }

  private onKicked(reason: number, message: string): void {
    if (this.phase === 'idle') return;
    this.emit(
      roomEvent('kicked_out', reason, { reason: message || t(this.lang, 'kicked.reason', { reason }) }),
    );
    const pending = this.pending;
    this.pending = null;
    this.teardown();
    pending?.reject(
      this.localize(
        message
          ? roomError(ErrorCode.ENTER_FAILED, message, reason)
          : componentError(ErrorCode.ENTER_FAILED, 'enter.kicked', {}, reason),
      ),
    );
    this.closeSession(reason, 'kicked');
  }

  private onError(err: RoomError): void {
    if (
      this.phase === 'entering' &&
      (err.code === ErrorCode.CREDENTIAL_REJECTED ||
        err.code === ErrorCode.PERMISSION_DENIED ||
        err.code === ErrorCode.ENGINE_DESTROYED)
    ) {
      return this.failStart(err);
    }
    if (this.phase === 'reconnecting' && err.code === ErrorCode.CREDENTIAL_REJECTED) return this.giveUp(err);
    this.raise(err);
    if (this.phase === 'in_room' && FATAL_IN_ROOM.has(err.code)) {
      this.teardown();
      this.closeSession(err.detail.rawCode, 'lost');
    }
  }

  // ---------------------------------------------------------------- recovery

  private onConnectionLost(rawCode: number, message: string): void {
    if (this.phase === 'idle') return;
    this.lastLostCode = rawCode;
    if (this.hidden) {
      // no context calls while hidden: re-enter on show
      this.pendingReenter = true;
      this.clearTimer('enterTimer');
      return;
    }
    this.scheduleReconnect(message);
  }

  private scheduleReconnect(message: string): void {
    this.clearTimer('enterTimer');
    this.clearTimer('reconnectTimer');
    if (this.attempt >= RECONNECT_DELAYS.length) {
      return this.giveUp(
        componentError(
          ErrorCode.CONNECTION_LOST,
          'connection.gaveup',
          { attempts: this.attempt, text: message },
          this.lastLostCode,
        ),
      );
    }
    const delay = RECONNECT_DELAYS[this.attempt];
    this.attempt++;
    this.setPhase('reconnecting');
    this.emit(roomEvent('reconnecting', this.attempt, {}));
    this.adapter.exit();
    this.reconnectTimer = this.host.timers.setTimeout(() => {
      this.reconnectTimer = null;
      if (this.hidden) {
        this.pendingReenter = true;
        return;
      }
      this.dispatch({ type: 'new_epoch' });
      this.enterNow();
    }, delay);
  }

  private giveUp(err: RoomError): void {
    const out = this.raise(err);
    const pending = this.pending;
    this.pending = null;
    this.teardown();
    pending?.reject(out);
    this.closeSession(err.detail.rawCode, 'lost');
  }

  private scheduleSweep(): void {
    this.clearTimer('sweepTimer');
    const epoch = this.state.epoch;
    this.sweepTimer = this.host.timers.setTimeout(() => {
      this.sweepTimer = null;
      this.dispatch({ type: 'sweep', epoch });
    }, RESYNC_WINDOW_MS);
  }

  pageHide(): void {
    this.hidden = true;
  }

  pageShow(): void {
    if (!this.hidden) return;
    this.hidden = false;
    const queued = this.deferred;
    this.deferred = [];
    for (const fn of queued) fn();
    if (this.adapter.rebuildHiddenPlayers && this.addedWhileHidden.size) {
      for (const base of this.addedWhileHidden) this.revs[base] = (this.revs[base] ?? 0) + 1;
      this.addedWhileHidden.clear();
      this.markView();
    }
    if (this.pendingReenter && this.phase !== 'idle') {
      this.pendingReenter = false;
      if (this.phase === 'reconnecting') {
        this.dispatch({ type: 'new_epoch' });
        this.enterNow();
      } else {
        this.scheduleReconnect(t(this.lang, 'connection.hidden'));
      }
    }
  }

  private whenVisible(fn: () => void): void {
    if (this.hidden) this.deferred.push(fn);
    else fn();
  }

  // ---------------------------------------------------------------- room model

  private dispatch(action: RoomAction): void {
    const prev = this.state;
    this.state = reduceRoom(prev, action);
    if (this.state === prev) return;
    if (this.hidden) {
      for (const id of Object.keys(this.state.users))
        if (!prev.users[id]) this.addedWhileHidden.add(tileBase(id, 'main'));
    }
    for (const ev of diffRoom(prev, this.state)) this.emit(ev);
    if (action.type === 'members' && action.list === 'speakers' && this.phase !== 'idle') {
      const local = this.state.localUserID;
      this.speakers.setSpeaking(action.userIDs.map((id) => (id === local ? '' : id)));
    }
    if (this.state.users !== prev.users) {
      for (const id of Object.keys(prev.users)) if (!this.state.users[id]) this.speakers.forget(id);
      this.markView();
    }
  }

  private onNetStatus(
    userID: string,
    streamType: 'main' | 'aux',
    quality: number,
    info: Record<string, unknown>,
  ): void {
    if (this.phase !== 'in_room') return;
    const key = `${userID}|${streamType}`;
    const now = this.host.now();
    const last = this.netStatusAt.get(key);
    if (last !== undefined && now - last < NET_STATUS_INTERVAL_MS) return;
    this.netStatusAt.set(key, now);
    const weak = quality >= WEAK_QUALITY;
    if (userID === '') this.setLocalWeak(weak);
    else if (weak !== this.weak.has(key)) {
      if (weak) this.weak.add(key);
      else this.weak.delete(key);
      this.markView();
    }
    this.emit(roomEvent('net_status', quality, { ...info, userID }));
  }

  private onPlayerState(playerId: string, code: number, message: string): void {
    if (code !== -2301) return;
    const tile = this.view.tiles().find((t) => t.id === playerId);
    if (!tile) return;
    const base = tileBase(tile.userID, tile.streamType);
    const rev = this.revs[base] ?? 0;
    if (rev >= MAX_PLAYER_REBUILDS) {
      return this.warn(code, '', msg('warn.player.failed', { userID: tile.userID, text: message }));
    }
    this.revs[base] = rev + 1;
    this.warn(code, '', msg('warn.player.rebuild', { userID: tile.userID, n: rev + 1 }));
    this.markView();
  }

  // ---------------------------------------------------------------- commands

  switchCamera(): Promise<'front' | 'back'> {
    if (this.phase === 'idle') {
      this.front = !this.front;
      this.local = this.localMedia();
      this.queueData({ devicePosition: this.front ? 'front' : 'back' });
      return Promise.resolve(this.front ? 'front' : 'back');
    }
    const toFront = !this.front;
    return new Promise((resolve, reject) => {
      this.whenVisible(() => {
        this.adapter.switchCamera(toFront).then(
          () => {
            this.front = toFront;
            this.local = this.localMedia();
            resolve(toFront ? 'front' : 'back');
          },
          (e: unknown) => reject(e),
        );
      });
    });
  }

  pause(): void {
    this.whenVisible(() => this.adapter.pause(this.view.tiles().map((t) => t.id)));
  }

  resume(): void {
    this.whenVisible(() => this.adapter.resume(this.view.tiles().map((t) => t.id)));
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
    const cur = this.subs[base] ?? defaultSubscription(this.props.autoSubscribe !== false);
    const next: Subscription = {
      video: opts.video ?? cur.video,
      audio: opts.audio ?? cur.audio,
      small: streamType === 'main' ? st === 'small' || (opts.streamType === undefined && cur.small) : false,
    };
    this.subs[base] = next;
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
    if (!c.ok) {
      return Promise.reject(this.raise(invalidParam(c.error)));
    }
    this.sigOverride = c.value;
    if (this.params) this.params = { ...this.params, userSig: c.value };
    if (this.phase !== 'in_room') return Promise.resolve();
    return this.adapter.updateUserSig(c.value).then((how) => {
      if (how === 'reenter' && this.phase === 'in_room') {
        this.attempt = 0;
        this.setPhase('reconnecting');
        this.adapter.exit();
        this.dispatch({ type: 'new_epoch' });
        this.enterNow();
      }
    });
  }

  setGridPage(page: number): void {
    if (!Number.isInteger(page) || page === this.gridPage) return;
    this.gridPage = page;
    this.markView();
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
    this.deferred = [];
  }

  // ---------------------------------------------------------------- view

  private setPhase(phase: Phase): void {
    if (this.phase === phase) return;
    this.phase = phase;
    this.queueData({ phase });
  }

  private markView(): void {
    this.viewDirty = true;
    this.batch.schedule();
  }

  private queueData(patch: Record<string, unknown>): void {
    this.batch.queue(patch);
  }

  /** One setData with everything queued; `after` runs once the view has it. */
  private flush(after?: () => void): void {
    this.batch.flush(after);
  }

  /** The tile view's changes, when something it shows changed since the last flush. */
  private viewPatch(): Record<string, unknown> | null {
    if (!this.viewDirty) return null;
    this.viewDirty = false;
    const patch = this.view.update({
      state: this.state,
      subs: this.subs,
      autoSubscribe: this.props.autoSubscribe !== false,
      template: String(this.props.template ?? 'bigsmall'),
      gridPage: this.gridPage,
      customRects: this.props.customRects ?? null,
      revs: this.revs,
      weak: this.weak,
      speaking: this.speakers.speakingSet(),
      follow: this.props.followSpeaker ? this.speakers.activeSpeaker : '',
    });
    this.gridPage = this.view.currentScalars.gridPage;
    return patch;
  }

  private localize(err: RoomError): RoomError {
    return localizeError(err, this.lang);
  }

  /** Emit an error in the component's language; returns what promises reject with. */
  private raise(err: RoomError): RoomError {
    const out = this.localize(err);
    this.emit(out.toEvent());
    return out;
  }

  private templateError(): RoomError {
    return componentError(
      ErrorCode.INVALID_PARAM,
      'param.template',
      { allowed: TEMPLATE_NAMES.join(', ') },
      0,
      {
        field: 'template',
      },
    );
  }

  private warn(rawCode: number, message: string, i18n?: Msg): void {
    const m = i18n ?? msg('warn.platform', { text: message });
    this.emit(roomEvent('warning', rawCode, { message: t(this.lang, m.key, m.params) }));
  }

  private emit(ev: RoomEvent): void {
    if (this.destroyed) return;
    if (
      ev.tag === 'error' &&
      ev.code === ErrorCode.PERMISSION_DENIED &&
      this.props.permissionGuide !== false
    ) {
      this.setGuide(
        ev.detail.reason === 'privacy' || ev.detail.reason === 'privacy_undeclared'
          ? 'privacy'
          : 'permission',
      );
    }
    this.host.emit(ev);
  }

  /** Permission guide button: open the platform's settings; when both are granted now, enter again. */
  openSettings(): Promise<void> {
    return this.adapter.openSetting().then((granted) => {
      const need = this.localMedia();
      const ok = (!need.camera || granted.camera) && (!need.publish || granted.mic);
      if (!ok) return;
      this.setGuide('');
      return this.start().then(() => undefined);
    });
  }

  dismissGuide(): void {
    this.setGuide('');
  }

  private clearTimer(name: 'enterTimer' | 'reconnectTimer' | 'sweepTimer'): void {
    const h = this[name];
    if (h !== null) {
      this.host.timers.clearTimeout(h);
      this[name] = null;
    }
  }
}
