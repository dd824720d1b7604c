/**
 * One room session's life: phases, the start() promise, entering and leaving, exit_room exactly once, device
 * release at every end, and the plumbing every part of the controller shares (events in the component's
 * language, setData batching, the `pusher` view data).
 */
import type { PlatformAdapter } from '../platform/adapter';
import { ErrorCode, RoomError, roomError, roomEvent, RoomEvent } from '../core/events';
import { initialRoomState, RoomState } from './reducer';
import type { EnterParams } from '../core/validate';
import { Lang, msg, Msg, normalizeLang, t } from '../core/i18n';
import { SetDataBatcher } from '../core/batch';
import { componentError, localizeError } from '../core/errors';
import { RoomView } from '../view/room-view';
import {
  localMedia,
  MEDIA_DEFAULTS,
  MediaProps,
  pusherPatch,
  PusherView,
  pusherView,
  RoomProps,
  validateMedia,
} from './props';

export type Phase = 'idle' | 'preview' | 'entering' | 'in_room' | 'reconnecting';

/** Why the last session ended, for the room's own "left / kicked / connection lost" message. */
export type EndReason = '' | 'left' | 'kicked' | 'lost';

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

/** No 1018 / join success by then: the attempt failed. */
export const ENTER_TIMEOUT_MS = 15000;
/** setData coalescing window: one call per burst of native events. */
export const BATCH_WINDOW_MS = 16;

export interface Pending {
  resolve(v: { elapsed: number }): void;
  reject(e: RoomError): void;
  promise: Promise<{ elapsed: number }>;
}

export type TimerName = 'enterTimer' | 'reconnectTimer' | 'sweepTimer';

export abstract class RoomSession {
  protected props: RoomProps;
  protected media: MediaProps = { ...MEDIA_DEFAULTS };
  protected phase: Phase = 'idle';
  protected state: RoomState = initialRoomState();
  protected params: EnterParams | null = null;
  protected pending: Pending | null = null;
  protected sigOverride: string | null = null;
  protected startedAt = 0;
  protected lastElapsed = 0;
  protected sessionOpen = false;
  protected attempt = 0;
  protected hidden = false;
  protected pendingReenter = false;
  protected front = true;
  protected readonly view = new RoomView();
  protected readonly batch: SetDataBatcher;
  protected timers: Record<TimerName, unknown> = { enterTimer: null, reconnectTimer: null, sweepTimer: null };
  protected startToken = 0;
  protected destroyed = false;
  protected lang: Lang;
  protected localWeak = false;
  protected endReason: EndReason = '';
  protected guide: '' | 'permission' | 'privacy' = '';
  protected previewOn = false;
  protected pushUrl = '';
  private pusher: PusherView | null = null;

  constructor(
    protected readonly adapter: PlatformAdapter,
    protected readonly host: ControllerHost,
    props: RoomProps,
  ) {
    this.props = { ...props };
    this.media = validateMedia(props, MEDIA_DEFAULTS).value;
    this.batch = new SetDataBatcher(
      (patch, cb) => this.host.setData(patch, cb),
      this.host.timers,
      BATCH_WINDOW_MS,
      () => this.computedPatch(),
    );
    this.front = props.frontCamera !== false;
    this.lang = this.resolveLang(props.lang);
  }

  protected resolveLang(v: unknown): Lang {
    return normalizeLang(typeof v === 'string' && v !== '' ? v : this.adapter.language?.());
  }

  /** What the local user sends now: the one place camera, microphone and role are decided. */
  protected get local() {
    return localMedia(this.media, this.front);
  }

  /** The derived data of the next setData: the `pusher` attributes and the tile view. */
  protected computedPatch(): Record<string, unknown> | null {
    const live = this.phase !== 'idle';
    const next = pusherView(this.media, this.local, live, this.pushUrl);
    const patch = pusherPatch(this.pusher, next);
    this.pusher = next;
    const view = this.viewPatch();
    if (view) Object.assign(patch, view);
    return Object.keys(patch).length ? patch : null;
  }

  protected abstract viewPatch(): Record<string, unknown> | null;
  protected abstract onConnectionLost(rawCode: number, message: string): void;
  protected abstract scheduleSweep(): void;
  protected abstract whenVisible(fn: () => void): void;

  // ---------------------------------------------------------------- entering

  protected newPending(): Pending {
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
  protected enterNow(): void {
    const params = this.params;
    if (!params) return;
    const opts = { autoSubscribe: this.props.autoSubscribe !== false, local: this.local };
    const shown = this.adapter.enterView(params, opts);
    this.pushUrl = shown.pushUrl;
    this.queueData({ devicePosition: shown.devicePosition });
    this.clearTimer('enterTimer');
    this.timers.enterTimer = this.host.timers.setTimeout(() => {
      this.timers.enterTimer = null;
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

  protected onEntered(): void {
    if (this.phase !== 'entering' && this.phase !== 'reconnecting') return;
    this.clearTimer('enterTimer');
    const wasReconnect = this.phase === 'reconnecting';
    const attempt = this.attempt;
    this.attempt = 0;
    this.setPhase('in_room');
    // the platform subscribed everything again: tell it what the layout hides
    this.view.forgetTold();
    this.markView();
    // local media may have changed while entering
    const local = this.local;
    this.whenVisible(() => this.adapter.applyLocal(local, local));
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

  protected onEnterFailed(err: RoomError): void {
    if (this.phase === 'reconnecting') {
      if (err.code === ErrorCode.CREDENTIAL_REJECTED) return this.giveUp(err);
      return this.onConnectionLost(err.detail.rawCode, err.message);
    }
    if (this.phase !== 'entering') return;
    this.failStart(err);
  }

  /** Entering failed: report, release, reject. */
  protected failStart(err: RoomError): void {
    const out = this.raise(err);
    const pending = this.pending;
    this.pending = null;
    if (this.phase !== 'idle') this.teardown();
    pending?.reject(out);
  }

  /** The session cannot go on: report, release, reject a waiting start(), exit_room. */
  protected giveUp(err: RoomError): void {
    const out = this.raise(err);
    const pending = this.pending;
    this.pending = null;
    this.teardown();
    pending?.reject(out);
    this.closeSession(err.detail.rawCode, 'lost');
  }

  // ---------------------------------------------------------------- leaving

  /** Leave natively, release the camera and microphone, clear the room; the caller decides which events to emit. */
  protected teardown(): void {
    this.clearTimer('enterTimer');
    this.clearTimer('reconnectTimer');
    this.clearTimer('sweepTimer');
    this.adapter.exit();
    this.previewOn = false;
    this.adapter.stopPreview();
    this.phase = 'idle';
    this.pendingReenter = false;
    this.attempt = 0;
    this.state = initialRoomState();
    this.params = null;
    this.pushUrl = '';
    this.setLocalWeak(false);
    this.queueData({ ...this.view.reset(), phase: 'idle' });
  }

  /** exit_room exactly once per entered session; the room shows why it ended, the event says it too. */
  protected closeSession(code: number, why: EndReason): void {
    if (!this.sessionOpen) return;
    this.sessionOpen = false;
    this.setEndReason(why);
    this.emit(roomEvent('exit_room', code, { reason: why as 'left' | 'kicked' | 'lost' }));
  }

  protected onNativeExit(reason: number): void {
    if (this.phase !== 'in_room') return;
    this.teardown();
    this.closeSession(reason, 'left');
  }

  protected onKicked(reason: number, message: string): void {
    if (this.phase === 'idle') return;
    const detail: { reason: string; platformMessage?: string } = {
      reason: t(this.lang, 'kicked.reason', { reason }),
    };
    if (message) detail.platformMessage = message;
    this.emit(roomEvent('kicked_out', reason, detail));
    const pending = this.pending;
    this.pending = null;
    this.teardown();
    pending?.reject(this.localize(componentError(ErrorCode.ENTER_FAILED, 'enter.kicked', {}, reason)));
    this.closeSession(reason, 'kicked');
  }

  protected onError(err: RoomError): void {
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
    if (
      this.phase === 'in_room' &&
      (err.code === ErrorCode.CREDENTIAL_REJECTED || err.code === ErrorCode.ENGINE_DESTROYED)
    ) {
      this.teardown();
      this.closeSession(err.detail.rawCode, 'lost');
    }
  }

  // ---------------------------------------------------------------- view plumbing

  protected setPhase(phase: Phase): void {
    if (this.phase === phase) return;
    this.phase = phase;
    this.queueData({ phase });
  }

  protected setEndReason(why: EndReason): void {
    if (why === this.endReason) return;
    this.endReason = why;
    this.queueData({ endReason: why });
  }

  protected setGuide(guide: '' | 'permission' | 'privacy'): void {
    if (guide === this.guide) return;
    this.guide = guide;
    this.queueData({ guide });
  }

  protected setLocalWeak(weak: boolean): void {
    if (weak === this.localWeak) return;
    this.localWeak = weak;
    this.queueData({ localWeak: weak });
  }

  protected markView(): void {
    this.view.markDirty();
    this.batch.schedule();
  }

  protected queueData(patch: Record<string, unknown>): void {
    this.batch.queue(patch);
  }

  /** One setData with everything queued; `after` runs once the view has it. */
  protected flush(after?: () => void): void {
    this.batch.flush(after);
  }

  protected clearTimer(name: TimerName): void {
    const h = this.timers[name];
    if (h !== null) {
      this.host.timers.clearTimeout(h);
      this.timers[name] = null;
    }
  }

  // ---------------------------------------------------------------- events

  protected localize(err: RoomError): RoomError {
    return localizeError(err, this.lang);
  }

  /** Emit an error in the component's language; returns what promises reject with. */
  protected raise(err: RoomError): RoomError {
    const out = this.localize(err);
    this.emit(out.toEvent());
    return out;
  }

  protected warn(rawCode: number, message: string, i18n?: Msg): void {
    const m = i18n ?? msg('warn.platform', { text: message });
    this.emit(roomEvent('warning', rawCode, { message: t(this.lang, m.key, m.params) }));
  }

  protected emit(ev: RoomEvent): void {
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

  protected permissionError(e: unknown): RoomError {
    return e instanceof RoomError
      ? e
      : componentError(ErrorCode.PERMISSION_DENIED, 'permission.platform', { text: String(e) });
  }

  protected static failure(ev: {
    code: number;
    message: string;
    rawCode: number;
    reason?: 'permission' | 'privacy' | 'privacy_undeclared';
    field?: string;
    i18n?: Msg;
  }): RoomError {
    const extra: { reason?: typeof ev.reason; field?: string } = {};
    if (ev.reason) extra.reason = ev.reason;
    if (ev.field) extra.field = ev.field;
    return roomError(ev.code, ev.message, ev.rawCode, extra, ev.i18n);
  }
}
