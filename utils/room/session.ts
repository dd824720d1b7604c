/**
 * One room session's life: start() (from the lobby preview of ./preview.ts too), entering, leaving, exit_room
 * exactly once, and the release of camera and microphone at every end of a session.
 */
import { ErrorCode, RoomError, roomEvent } from '../core/events';
import { initialRoomState } from './reducer';
import { checkCustomRects, checkEnterParams, EnterParams } from '../core/validate';
import { MessageKey, t } from '../core/i18n';
import { componentError, invalidParam } from '../core/errors';
import { isTemplateName } from '../view/templates';
import { validateMedia } from './props';
import { ENTER_TIMEOUT_MS, EndReason } from './base';
import { RoomPreview } from './preview';

/**
 * What a removal says, per platform and code: TRTC's onExitRoom(1) is RemoveUser, (2) DismissRoom; Volcengine's
 * -1006 a server removal, -1011 a dismissed room, -1004 a second join with the same userId. Others: the code.
 */
const KICK_REASONS = new Map<string, MessageKey>();
// each platform's codes in its own bundle only (build/bundle.ts WECHAT_ONLY, DOUYIN_ONLY)
wechat: {
  KICK_REASONS.set('wx1', 'kicked.byServer').set('wx2', 'kicked.dismissed');
  break wechat;
}
douyin: {
  KICK_REASONS.set('tt-1006', 'kicked.byServer')
    .set('tt-1011', 'kicked.dismissed')
    .set('tt-1004', 'kicked.duplicate');
  break douyin;
}

export abstract class RoomSession extends RoomPreview {
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
    const media = validateMedia(this.props, this.media).errors[0];
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
    this.sessionChanged(true);
    const token = ++this.startToken;
    const local = this.local;
    this.adapter
      .ensurePermissions({ camera: local.camera, mic: local.publish })
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
        this.failStart(this.permissionError(e));
      });
    return pending.promise;
  }

  stop(): Promise<void> {
    this.startToken++;
    const pending = this.pending;
    this.pending = null;
    if (this.phase === 'preview') this.stopPreview();
    else if (this.phase !== 'idle') this.teardown();
    this.netStatusAt.clear();
    this.downReports.clear();
    pending?.reject(this.localize(componentError(ErrorCode.ENTER_FAILED, 'enter.cancelled')));
    this.closeSession(0, 'left');
    this.sessionChanged(false);
    return Promise.resolve();
  }

  /** Show what the platform needs, then call it (the WeChat pusher needs its URL in the view first). */
  protected enterNow(): void {
    const params = this.params;
    if (!params) return;
    const opts = {
      autoSubscribe: this.props.autoSubscribe !== false,
      local: this.local,
      encSmall: this.props.enableSmallStream === true,
    };
    const shown = this.adapter.enterView(params, opts);
    this.pushUrl = shown.pushUrl;
    this.queueData({ devicePosition: shown.devicePosition });
    if (this.adapter.localViewUserID) this.queueData({ localUserID: params.userID });
    this.armEnterTimer();
    // the same session still entering (updateUserSig() meanwhile replaces params: enter with the new one)
    const token = this.startToken;
    this.flush(() => {
      const now = this.params;
      if (now && token === this.startToken && (this.phase === 'entering' || this.phase === 'reconnecting')) {
        this.adapter.enter(now, opts);
      }
    });
  }

  /**
   * No answer within ENTER_TIMEOUT_MS: the attempt failed. A first entry, or the client's own re-entry after
   * WeChat 5000, does not fail while the page is hidden (the client is suspended, and no call is made then): it
   * counts again from show.
   */
  protected armEnterTimer(): void {
    this.clearTimer('enterTimer');
    this.timers.enterTimer = this.host.timers.setTimeout(() => {
      this.timers.enterTimer = null;
      if (this.hidden && this.waitsForShow()) return this.whenVisible(() => this.rearmEnterTimer());
      const err = componentError(ErrorCode.ENTER_FAILED, 'enter.timeout', { ms: ENTER_TIMEOUT_MS });
      if (this.phase === 'reconnecting') this.onConnectionLost(0, err.message);
      else this.onEnterFailed(err);
    }, ENTER_TIMEOUT_MS);
  }

  /** A first entry, or the client's own re-entry after 5000: its answer may wait for the foreground. */
  private waitsForShow(): boolean {
    return this.phase === 'entering' || (this.phase === 'reconnecting' && this.reentryReason === 'suspended');
  }

  /** On show: an entry still waiting for its answer counts its timeout from now. */
  protected rearmEnterTimer(): void {
    if (this.waitsForShow()) this.armEnterTimer();
  }

  /**
   * Douyin asks for the camera and microphone in the capture calls before the join: no enter timeout while the
   * user answers (as while wx.authorize asks on WeChat); it counts from the join (`sent`). A re-entry asks no
   * one (the session had its devices), so its timeout keeps running: a capture call that hangs still fails it.
   */
  protected onEnterProgress(sent: boolean): void {
    // Douyin only (build/bundle.ts DOUYIN_ONLY): the one platform whose adapter reports it
    douyin: {
      if (sent && (this.phase === 'entering' || this.phase === 'reconnecting')) this.armEnterTimer();
      else if (!sent && this.phase === 'entering') this.clearTimer('enterTimer');
      break douyin;
    }
  }

  protected onEntered(): void {
    if (this.phase !== 'entering' && this.phase !== 'reconnecting') return;
    this.clearTimer('enterTimer');
    const wasReconnect = this.phase === 'reconnecting';
    const attempt = this.attempt;
    const why = this.reentryReason;
    this.attempt = 0;
    this.reentryReason = '';
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
      this.emit(roomEvent('reconnected', attempt, why ? { reason: why } : {}));
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

  /**
   * In the room (WeChat 1022 / -3301) it is the client's own re-entry that failed (after a network switch, 1021):
   * it is out of the room, a loss like -1307, or the end for a refused credential.
   */
  protected onEnterFailed(err: RoomError): void {
    if (this.phase === 'reconnecting' || this.phase === 'in_room') {
      if (endsSession(err)) return this.giveUp(err);
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
    // a start() refused before entering (parameters, support, permission) leaves the lobby preview as it was
    if (this.phase !== 'idle' && this.phase !== 'preview') this.teardown();
    pending?.reject(out);
    this.sessionChanged(false);
  }

  /** The session cannot go on: report, release, reject a waiting start(), exit_room. */
  protected giveUp(err: RoomError): void {
    const out = this.raise(err);
    const pending = this.pending;
    this.pending = null;
    this.teardown();
    pending?.reject(out);
    this.closeSession(err.detail.rawCode, 'lost');
    this.sessionChanged(false);
  }

  // ---------------------------------------------------------------- leaving

  /** Leave natively, release the camera and microphone, clear the room; the caller decides which events to emit. */
  protected teardown(): void {
    this.clearTimer('enterTimer');
    this.clearTimer('reconnectTimer');
    this.clearTimer('sweepTimer');
    this.adapter.exit();
    this.adapter.stopPreview();
    this.phase = 'idle';
    this.pendingReenter = false;
    this.oldEntry = false;
    this.attempt = 0;
    this.reentryReason = '';
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

  /**
   * A normal exit the page did not ask for. The client also sends 1019 reason[0] after stopping itself (-1307,
   * 5001 …): while a re-entry waits for show, that one is not a leave. On a hidden page with no 5000 / 5001 before
   * it, the client was suspended and left by itself (Android; iOS sends no 1019): a loss, re-entered on show; in
   * the first entry too (its 1018 cannot come then), which a 5000 before it leaves waiting for the client's own.
   */
  protected onNativeExit(reason: number): void {
    // the old entry of a (credential or retry) re-entry has left: later losses are the new entry's
    if (this.phase === 'reconnecting') this.oldEntry = false;
    if (this.pendingReenter || (this.phase !== 'in_room' && this.phase !== 'entering')) return;
    if (this.hidden) {
      if (this.reentryReason !== 'suspended') this.onConnectionLost(1019, '');
      return;
    }
    if (this.phase === 'entering') return;
    this.teardown();
    this.closeSession(reason, 'left');
    this.sessionChanged(false);
  }

  protected onKicked(reason: number, message: string): void {
    if (this.phase === 'idle') return;
    const detail: { reason: string; platformMessage?: string } = {
      reason: t(this.lang, KICK_REASONS.get(`${this.adapter.platform}${reason}`) ?? 'kicked.reason', {
        reason,
      }),
    };
    if (message) detail.platformMessage = message;
    this.emit(roomEvent('kicked_out', reason, detail));
    const pending = this.pending;
    this.pending = null;
    this.teardown();
    pending?.reject(this.localize(componentError(ErrorCode.ENTER_FAILED, 'enter.kicked', {}, reason)));
    this.closeSession(reason, 'kicked');
    this.sessionChanged(false);
  }

  protected onError(err: RoomError): void {
    if (this.phase === 'entering') {
      if (err.code === ErrorCode.CREDENTIAL_REJECTED || err.code === ErrorCode.PERMISSION_DENIED)
        return this.failStart(err);
      // a destroyed engine (Douyin only, build/bundle.ts DOUYIN_ONLY: no WeChat code maps to it)
      douyin: {
        if (err.code === ErrorCode.ENGINE_DESTROYED) return this.failStart(err);
        break douyin;
      }
    }
    // Douyin: a destroyed engine needs a new context, which start() creates
    if (this.phase === 'reconnecting' && endsSession(err)) return this.giveUp(err);
    this.raise(err);
    if (this.phase === 'in_room' && endsSession(err)) {
      this.teardown();
      this.closeSession(err.detail.rawCode, 'lost');
      this.sessionChanged(false);
    }
  }
}

/** A rejected credential or a destroyed engine: no re-entry gets past it, the session ends (reported once). */
function endsSession(err: RoomError): boolean {
  // a destroyed engine: Douyin only (build/bundle.ts DOUYIN_ONLY)
  douyin: {
    if (err.code === ErrorCode.ENGINE_DESTROYED) return true;
    break douyin;
  }
  return err.code === ErrorCode.CREDENTIAL_REJECTED;
}
