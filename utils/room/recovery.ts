/**
 * Getting a session back: reconnect backoff, the resync window after a re-entry, and the hidden page (no
 * native calls while hidden but the leave of a session that ends, which is made sure of on show; queued work, a
 * pending re-entry and players created meanwhile are handled on show).
 */
import { ErrorCode, roomEvent } from '../core/events';
import { t } from '../core/i18n';
import { componentError, nativeFailed } from '../core/errors';
import { RemoteUser, RoomAction, reduceRoom, diffRoom } from './reducer';
import { tileBase } from '../view/tiles';
import { RoomSession } from './session';

/** Reconnect backoff (ms); its length is the number of attempts before `error` -6. */
export const RECONNECT_DELAYS = [1000, 2000, 4000, 8000, 16000];
/** After a re-entry, users not announced again within this window have left. */
export const RESYNC_WINDOW_MS = 3000;

export abstract class RoomRecovery extends RoomSession {
  private lastLostCode = 0;
  /** work held while the page is hidden; `ended` answers it when its session ends first */
  private deferred: Array<{ run: () => void; ended?: () => void }> = [];

  /**
   * A loss the client reports (-1307, 1021). The pusher left for a credential re-entry still sends what its old
   * entry saw until its 1019 reason[0] (Android; iOS sends none) or the new entry's 1018: not the new entry's
   * loss (a new entry that never answers fails by the enter timeout).
   */
  protected onLossReported(rawCode: number, message: string): void {
    if (!this.oldEntry) this.onConnectionLost(rawCode, message);
  }

  protected onConnectionLost(rawCode: number, message: string): void {
    if (this.phase === 'idle' || this.phase === 'preview') return;
    // a re-entry waits for its delay, none is under way: the same loss told again (1021 then -1307, a repeat)
    if (this.timers.reconnectTimer !== null) return;
    this.lastLostCode = rawCode;
    if (this.hidden) {
      // no context calls while hidden: re-enter on show
      this.pendingReenter = true;
      this.clearTimer('enterTimer');
      return;
    }
    this.scheduleReconnect(message);
  }

  /**
   * WeChat 5000: the client left the room itself (its own 1019 reason[0] follows) and enters again in the
   * foreground. No call of ours; users must be confirmed again; without its 1018 within the enter timeout after
   * show, an ordinary reconnect follows.
   */
  protected onSuspended(): void {
    // WeChat only (build/bundle.ts WECHAT_ONLY): its one caller is the controller's `wechat:` switch
    wechat: {
      if (this.phase === 'entering') {
        // its own entry follows in the foreground (its 1019 reason[0] is no loss): the enter timeout counts from show
        this.reentryReason = 'suspended';
        this.clearTimer('enterTimer');
        return this.whenVisible(() => this.rearmEnterTimer());
      }
      if (this.phase !== 'in_room') break wechat;
      this.clearTimer('sweepTimer');
      this.announceReentry('suspended', () => this.armEnterTimer());
      this.dispatch({ type: 'new_epoch' });
    }
  }

  /**
   * A re-entry that is no retry (a new credential, WeChat's own after 5000): `reconnecting` 0 with its reason;
   * `onShow` runs once the page is visible, if that re-entry is still the one under way.
   */
  protected announceReentry(reason: 'credential' | 'suspended', onShow: () => void): void {
    this.attempt = 0;
    this.reentryReason = reason;
    this.setPhase('reconnecting');
    this.emit(roomEvent('reconnecting', 0, { reason }));
    this.whenVisible(() => {
      if (this.phase === 'reconnecting' && this.reentryReason === reason) onShow();
    });
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
    this.reentryReason = '';
    this.oldEntry = false;
    this.setPhase('reconnecting');
    this.emit(roomEvent('reconnecting', this.attempt, {}));
    this.adapter.exit();
    this.timers.reconnectTimer = this.host.timers.setTimeout(() => {
      this.timers.reconnectTimer = null;
      if (this.hidden) {
        this.pendingReenter = true;
        return;
      }
      this.reenter();
    }, delay);
  }

  /** Enter again in the same session: users must be confirmed again within the resync window. */
  protected reenter(): void {
    this.dispatch({ type: 'new_epoch' });
    this.enterNow();
  }

  protected scheduleSweep(): void {
    this.clearTimer('sweepTimer');
    const epoch = this.state.epoch;
    this.timers.sweepTimer = this.host.timers.setTimeout(() => {
      this.timers.sweepTimer = null;
      this.dispatch({ type: 'sweep', epoch });
    }, RESYNC_WINDOW_MS);
  }

  /** The room model takes an action; the page gets the events of what changed. */
  protected dispatch(action: RoomAction): void {
    const prev = this.state;
    this.state = reduceRoom(prev, action);
    if (this.state === prev) return;
    for (const ev of diffRoom(prev, this.state)) this.emit(ev);
    if (this.state.users !== prev.users) {
      this.markView();
      // users confirmed now: joined, or announced again after a re-entry
      this.resubscribe(() =>
        [...this.state.users.values()].filter((u) => prev.users.get(u.userID)?.epoch !== u.epoch),
      );
    }
  }

  /** Entered: users the lists confirmed before the join answered could not take their subscriptions yet. */
  protected override onEntered(): void {
    // the pusher was stopped for a re-entry that waits for its delay: this answer is the old entry's
    if (this.timers.reconnectTimer !== null) return;
    this.oldEntry = false;
    const was = this.phase;
    super.onEntered();
    if (was !== 'in_room' && this.phase === 'in_room') {
      this.resubscribe(() => [...this.state.users.values()].filter((u) => u.epoch === this.state.epoch));
    }
  }

  /**
   * A (re-)entry's join subscribes everything anew (or nothing): the platform gets the page's own subscriptions
   * of these users' streams again.
   */
  private resubscribe(users: () => RemoteUser[]): void {
    if (!this.view.anyChosen) return;
    for (const u of users()) {
      for (const streamType of ['main', 'aux'] as const) {
        const sub = this.view.chosen(tileBase(u.userID, streamType));
        if (sub) this.whenVisible(() => this.adapter.subscribe(u.userID, streamType, sub));
      }
    }
  }

  pageHide(): void {
    this.hidden = true;
  }

  /**
   * The native leave failed: the page is told (-15), also after its session ended. While hidden the call itself
   * may be what failed: it is made again on show (ensureReleased), and only that one's failure is told.
   */
  protected onReleaseFailed(api: string, rawCode: number, text: string): void {
    // WeChat only (build/bundle.ts WECHAT_ONLY): its one caller is the controller's `wechat:` block
    wechat: {
      if (!this.hidden) this.raise(nativeFailed(api, text, rawCode));
      break wechat;
    }
  }

  /**
   * A leave (stop, the lobby's stopPreview) that answered no success, dropped or failed on a hidden page: made
   * again (on show, on destroy), unless a new entry or preview began.
   */
  protected releaseAgain(): void {
    if (this.phase === 'idle') this.adapter.ensureReleased?.();
  }

  pageShow(): void {
    if (!this.hidden) return;
    this.hidden = false;
    this.releaseAgain();
    const queued = this.deferred;
    this.deferred = [];
    for (const d of queued) d.run();
    if (this.adapter.rebuildHiddenPlayers && this.view.rebuildHidden()) this.markView();
    if (this.pendingReenter && this.phase !== 'idle') {
      this.pendingReenter = false;
      if (this.phase === 'reconnecting') this.reenter();
      else this.scheduleReconnect(t(this.lang, 'connection.hidden'));
    }
  }

  protected whenVisible(fn: () => void, ended?: () => void): void {
    if (this.hidden) this.deferred.push({ run: fn, ended });
    else fn();
  }

  /** The session ended while the page is hidden: what it held is not run on show, only answered. */
  protected override teardown(): void {
    super.teardown();
    const queued = this.deferred;
    this.deferred = [];
    for (const d of queued) d.ended?.();
  }

  protected dropDeferred(): void {
    this.deferred = [];
  }
}
