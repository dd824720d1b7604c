/**
 * RoomController: the façade `<webrtc-room>` drives, without wx/tt. It routes native events (only those of the
 * session that is running), applies property changes (validated in ./props.ts) and runs the page's commands;
 * the session (./session.ts, from the lobby of ./preview.ts, on ./base.ts), recovery (./recovery.ts), media
 * (./media.ts), commands (./features.ts, ./streams.ts), the layout's properties (./layout.ts) and view
 * (../view/room-view.ts) do the work.
 */
import type { AdapterEvent } from '../platform/adapter';
import { ErrorCode, RoomError, roomEvent } from '../core/events';
import { checkUserSig, SMALL_VIEW_DEFAULTS } from '../core/validate';
import { msg, uiTexts } from '../core/i18n';
import { invalidParam } from '../core/errors';
import { ControllerHost, EndReason, Phase } from './base';
import { RoomProps, sameValue, validateMedia } from './props';
import type { PlatformAdapter } from '../platform/adapter';
import { normalizeVolume } from './speakers';
import { changedSettings, pickSettings } from './settings';
import { RoomLayout } from './layout';

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

/**
 * The native events that do not belong to a session (failures and warnings, of the lobby preview too); every
 * other one does, and is dropped when none runs (a late event of an ended one).
 */
const NOT_SESSION_EVENTS = new Set<AdapterEvent['type']>(['error', 'warning']);

export class RoomController extends RoomLayout {
  constructor(adapter: PlatformAdapter, host: ControllerHost, props: RoomProps) {
    super(adapter, host, props);
    this.host.setData({ texts: uiTexts(this.lang), ...this.initialLayout, ...this.computedPatch() });
  }

  get currentPhase(): Phase {
    return this.phase;
  }

  /** Adapter callback: every native event enters here. */
  readonly onAdapterEvent = (ev: AdapterEvent): void => {
    if (this.destroyed) return;
    this.host.log('adapter event', ev);
    // the native leave itself failed: told whether or not a session still runs (devices may be held)
    // (WeChat only, build/bundle.ts WECHAT_ONLY: Douyin's adapter never reports one)
    wechat: {
      if (ev.type !== 'release_failed') break wechat;
      return this.onReleaseFailed(ev.api, ev.rawCode, ev.message);
    }
    const running = this.phase === 'entering' || this.phase === 'in_room' || this.phase === 'reconnecting';
    // nothing of a session that ended (or never began) changes state or reaches the page
    if (!running && (!NOT_SESSION_EVENTS.has(ev.type) || this.phase === 'idle')) return;
    // a view not yet removed still reports for a user who left: none of it reaches the page (a remote user's
    // media reports: WeChat player netstatus, audio levels, SEI; only WeChat's adapter reports them per user)
    wechat: {
      if (ev.type !== 'net_status' && ev.type !== 'audio_volume' && ev.type !== 'message') break wechat;
      if (ev.userID !== '' && !this.state.users.has(ev.userID)) return;
    }
    // nor does its failing (a view is removed after its user left): no failure of the room
    if ((ev.type === 'error' || ev.type === 'warning') && ev.viewOf !== undefined) {
      if (!this.state.users.has(ev.viewOf)) return;
    }
    // the events only WeChat's views report (build/bundle.ts WECHAT_ONLY): not in the Douyin bundle; the last
    // switch has no case for them, nor for the Douyin ones
    wechat: switch (ev.type) {
      case 'suspended':
        return this.onSuspended();
      case 'floating_closed':
        // the client left the room (or its entry) by itself: a loss, entered again (on show while hidden)
        this.warn(5001, '', msg('warn.floating'));
        this.onConnectionLost(5001, '');
        break wechat;
      case 'player_state':
        return this.onPlayerState(ev.playerId, ev.code, ev.message, ev.userID, ev.key);
      // the pusher's and players' netstatus (Douyin's engine reports no per-stream quality)
      case 'net_status':
        return this.onNetStatus(ev.userID, ev.streamType ?? 'main', ev.quality, ev.info);
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
    // and those only Douyin's engine reports (build/bundle.ts DOUYIN_ONLY): not in the WeChat bundle
    douyin: switch (ev.type) {
      case 'enter_asking':
      case 'enter_sent':
        return this.onEnterProgress(ev.type === 'enter_sent');
      case 'token_will_expire':
        return this.emit(roomEvent('token_will_expire', 0, {}));
      case 'credential_reentry':
        if (this.phase === 'in_room') this.credentialReentry();
        break douyin;
    }
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
        return this.onLossReported(ev.rawCode, ev.message);
      case 'error':
        return this.onError(RoomController.failure(ev));
      case 'warning':
        return this.warn(ev.rawCode, ev.message, ev.i18n);
    }
  };

  // ---------------------------------------------------------------- properties

  /**
   * Property observer: media and layout changes take effect in the room; identity waits for the next start().
   * The observer runs on every setData of a property, its own value again included (an object as an equal copy):
   * only what differs from the value the room last took acts, and a bad value is reported once, when it is set.
   */
  setProps(input: RoomProps): void {
    const prev = this.props;
    const was = prev as Record<string, unknown>;
    const now: Record<string, unknown> = { ...input };
    const diff = new Set<string>();
    for (const k in { ...was, ...now }) {
      if (sameValue(now[k], was[k])) now[k] = was[k];
      else diff.add(k);
    }
    if (!diff.size) return;
    const next = (this.props = now as RoomProps);
    // the page handed over a newer credential than the last updateUserSig()
    if (next.userSig !== prev.userSig) this.sigOverride = null;
    const before = this.local;
    const media = validateMedia(next, this.media);
    const changed = changedSettings(media.value, this.media);
    const prevSettings = pickSettings(this.media);
    this.media = media.value;
    // the bitrates are checked as a pair: a change of either one is a change of both
    if (diff.has('minBitrate') || diff.has('maxBitrate')) diff.add('minBitrate').add('maxBitrate');
    for (const e of media.errors) if (diff.has(e.field)) this.raise(invalidParam(e));
    if (changed.length) {
      for (const k of changed) this.warnedSettings.delete(k);
      this.warnSettings(changed);
      const settings = pickSettings(this.media);
      if (this.phase === 'in_room')
        this.whenVisible(() => this.adapter.applySettings?.(settings, prevSettings));
    }
    this.setLayoutProps(next, prev);
    if (next.lang !== prev.lang) {
      const lang = this.resolveLang(next.lang);
      if (lang !== this.lang) {
        this.lang = lang;
        this.queueData({ texts: uiTexts(lang) });
      }
    }
    if (next.frontCamera !== prev.frontCamera && (next.frontCamera !== false) !== this.front) {
      // no caller to reject: the failure is the page's error event
      this.switchCamera().catch((e: unknown) => {
        if (e instanceof RoomError) this.raise(e);
      });
    }
    this.batch.schedule();
    const after = this.local;
    const same = (Object.keys(after) as Array<keyof typeof after>).every((k) => after[k] === before[k]);
    // in the lobby preview too: Douyin's capture follows the camera there (WeChat's attributes do by themselves)
    if (!same && this.phase === 'preview') this.adapter.applyLocal(after, before);
    if (!same && this.phase === 'in_room') this.whenVisible(() => this.adapter.applyLocal(after, before));
  }

  /** New credential: used for every later (re-)entry; in a room the platform takes it in place or re-enters. */
  updateUserSig(userSig: unknown): Promise<void> {
    const c = checkUserSig(userSig);
    if (!c.ok) return Promise.reject(this.raise(invalidParam(c.error)));
    this.sigOverride = c.value;
    if (this.params) this.params = { ...this.params, userSig: c.value };
    if (this.phase !== 'in_room') {
      // no room to send it to: the next join's (an expiry warning of the old token is then no one's). Douyin only
      douyin: {
        if (!this.adapter.renewToken) break douyin;
        this.adapter.renewToken(c.value);
      }
      return Promise.resolve();
    }
    return this.adapter.updateUserSig(c.value).then(
      (how) => {
        if (how === 'reenter' && this.phase === 'in_room') this.credentialReentry();
      },
      (e: unknown) => {
        // the engine is gone (Douyin 115910): the session ends as with any -13, the next start() makes a new one
        douyin: {
          if (!(e instanceof RoomError && e.code === ErrorCode.ENGINE_DESTROYED && this.phase === 'in_room'))
            break douyin;
          this.onError(e);
          throw this.localize(e);
        }
        // in the component's language, the platform's own text beside it
        throw e instanceof RoomError ? this.localize(e) : e;
      },
    );
  }
  /** The room left and entered again with the new credential (peers see it, streams come back): a reconnect, said as one. */
  private credentialReentry(): void {
    this.announceReentry('credential', () => this.reenterWithSig());
  }

  /**
   * The `{reason: 'credential'}` re-entry, once the page is visible: the pusher leaves and enters with the
   * session's UserSig (WeChat: it is part of the push URL).
   */
  protected reenterWithSig(): void {
    // a loss reported while hidden is answered by this same re-entry
    this.pendingReenter = false;
    this.adapter.exit();
    this.oldEntry = true;
    this.reenter();
  }

  /** detached: leave, release the adapter, cancel every timer; later calls are no-ops. */
  destroy(): void {
    if (this.destroyed) return;
    // a leave that answered no success: made again, the view's removal confirms nothing
    this.releaseAgain();
    void this.stop();
    this.batch.close();
    this.speakers.reset(true);
    this.destroyed = true;
    this.adapter.destroy();
    this.dropDeferred();
  }

  /** Permission guide button: open the platform's settings; when both are granted now, enter again. */
  openSettings(): Promise<void> {
    // a privacy refusal (Douyin 10201) is answered in the agreement popup: the settings page cannot grant it
    const agree = this.guide === 'privacy' && this.adapter.agreePrivacy;
    // tapped in a session (a refusal in the room): that session's, even if it ended while the page was open
    const live = this.phase !== 'idle';
    return (agree ? agree.call(this.adapter) : this.adapter.openSetting()).then((granted) => {
      const need = this.local;
      const ok =
        granted === true ||
        (typeof granted === 'object' && (!need.camera || granted.camera) && (!need.publish || granted.mic));
      if (!ok) return;
      this.setGuide('');
      // the page's own "not allowed" state can end here (a refusal in the room is answered without a re-entry)
      this.emit(roomEvent('permission_granted', 0, {}));
      if (!live) return this.start().then(() => undefined);
      // refused in the room or the lobby: the capture is asked again (start() would find the session standing, or
      // enter from the lobby); a session that ended meanwhile is not entered again
      if (this.phase === 'in_room') this.adapter.retryCapture?.();
      else if (this.phase === 'preview') this.adapter.applyLocal(this.local, this.local);
    });
  }

  dismissGuide(): void {
    this.setGuide('');
  }
}
