/**
 * What every part of the room controller shares: its state fields, events in the component's language,
 * setData batching with the derived `pusher` and tile patches, timers, and the start() promise.
 */
import type { PlatformAdapter } from '../platform/adapter';
import { ErrorCode, RoomError, roomError, roomEvent, RoomEvent } from '../core/events';
import { initialRoomState, RoomState } from './reducer';
import type { EnterParams } from '../core/validate';
import { Lang, msg, Msg, normalizeLang, platformText, t } from '../core/i18n';
import { SetDataBatcher } from '../core/batch';
import { componentError, localizeError } from '../core/errors';
import { RoomView } from '../view/room-view';
import { TEMPLATE_NAMES } from '../view/templates';
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
  /**
   * The room session's boundaries for what follows it (the optional chat): `true` once start()'s parameters
   * validated, `false` when the session ends (stop(), exit_room, kicked, give-up, detach). Once per change.
   */
  session?(on: boolean): void;
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

export abstract class RoomBase {
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
  /**
   * the re-entry under way was asked for (updateUserSig) or made by the client (5000), not caused by a loss; while
   * entering, 'suspended': a 5000 came, the client's own entry follows in the foreground
   */
  protected reentryReason: '' | 'credential' | 'suspended' = '';
  protected hidden = false;
  protected pendingReenter = false;
  /** the entry left for a credential re-entry may still report losses (until its 1019 reason[0] or the new 1018) */
  protected oldEntry = false;
  protected front = true;
  protected readonly view = new RoomView();
  protected readonly batch: SetDataBatcher;
  protected timers: Record<TimerName, unknown> = { enterTimer: null, reconnectTimer: null, sweepTimer: null };
  protected startToken = 0;
  protected destroyed = false;
  /** host.session(true) was said and not yet taken back */
  private sessionHook = false;
  protected lang: Lang;
  protected localWeak = false;
  protected endReason: EndReason = '';
  protected guide: '' | 'permission' | 'privacy' = '';
  protected pushUrl = '';
  protected netStatusAt = new Map<string, number>();
  /** consecutive quality-6 reports per remote stream while in the room */
  protected downReports = new Map<string, number>();
  private pusher: PusherView | null = null;
  /** Douyin: the local <rtc-room> exists (it had a camera to show); it stays until the session or preview ends */
  private keptLocal = false;

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
    const next = pusherView(this.media, this.local, live, live && this.phase !== 'preview', this.pushUrl);
    const patch = pusherPatch(this.pusher, next);
    this.pusher = next;
    // a role or camera flip parks the view (capture off) instead of destroying and re-creating it
    const kept = live && (this.keptLocal || next.enableCamera);
    if (this.adapter.localViewUserID && kept !== this.keptLocal) patch.localView = this.keptLocal = kept;
    const view = this.viewPatch();
    if (view) Object.assign(patch, view);
    return Object.keys(patch).length ? patch : null;
  }

  protected abstract viewPatch(): Record<string, unknown> | null;
  protected abstract onConnectionLost(rawCode: number, message: string): void;
  protected abstract scheduleSweep(): void;
  /** Runs `fn` now, or on show while the page is hidden; `ended` instead when the session ends before that. */
  protected abstract whenVisible(fn: () => void, ended?: () => void): void;

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

  // ---------------------------------------------------------------- view plumbing

  protected setPhase(phase: Phase): void {
    if (this.phase === phase) return;
    this.phase = phase;
    if (phase !== 'in_room') this.downReports.clear();
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

  /** Tells the host where the room session begins and ends (see ControllerHost.session). */
  protected sessionChanged(on: boolean): void {
    if (on === this.sessionHook) return;
    this.sessionHook = on;
    this.host.session?.(on);
  }

  /** Emit an error in the component's language; returns what promises reject with. */
  protected raise(err: RoomError): RoomError {
    const out = this.localize(err);
    this.emit(out.toEvent());
    return out;
  }

  protected warn(rawCode: number, message: string, i18n?: Msg): void {
    const m = i18n ?? msg('warn.platform', { text: message });
    const raw = platformText(m);
    const detail: { message: string; platformMessage?: string } = { message: t(this.lang, m.key, m.params) };
    if (raw) detail.platformMessage = raw;
    this.emit(roomEvent('warning', rawCode, detail));
  }

  protected emit(ev: RoomEvent): void {
    if (this.destroyed) return;
    // Douyin's privacy_undeclared is the app's console setting: nothing the user could grant, so no guide
    if (
      ev.tag === 'error' &&
      ev.code === ErrorCode.PERMISSION_DENIED &&
      this.props.permissionGuide !== false &&
      ev.detail.reason !== 'privacy_undeclared'
    ) {
      this.setGuide(ev.detail.reason === 'privacy' ? 'privacy' : 'permission');
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

  protected templateError(): RoomError {
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
}
