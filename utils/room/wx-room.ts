/**
 * The WeChat room: the RoomController plus what only WeChat's entries need. TRTC checks the UserSig in the push
 * URL on every entry (-100018, and 1022 with it); a newer one the page handed over (updateUserSig(), the userSig
 * property) only reaches the pusher with its next entry. An entry refused for the old one while the page holds
 * a newer one enters again at once with it; in the room, the client's own re-entry refused so is re-entered with
 * it. Douyin renews its token in place (updateToken, renewToken), so only the WeChat adapter's module names this
 * class (components/webrtc-room/platform.ts `Room`): dist/tt ships none of it.
 */
import { ErrorCode, RoomError } from '../core/events';
import { checkUserSig } from '../core/validate';
import { RoomController } from './controller';

/** TRTC's refusal of the UserSig an entry was sent with (WeChat statechange -100018, and 1022 with it) */
const USERSIG_REFUSED = -100018;

export class WxRoomController extends RoomController {
  /** the UserSig in the entry under way's push URL */
  private sentSig = '';
  /** this session's UserSigs refused on entering: none is entered with again at once */
  private readonly refusedSigs = new Set<string>();
  /** after an entry re-entered with a newer UserSig: the refused one's other report of the same refusal, once */
  private refusalEcho: '' | 'error' | 'enter_failed' = '';

  protected override enterNow(): void {
    if (this.params) this.sentSig = this.params.userSig;
    super.enterNow();
  }

  protected override onEntered(): void {
    // the entry under way answered (while a re-entry waits for its delay, a 1018 is the old entry's)
    if ((this.phase === 'entering' || this.phase === 'reconnecting') && this.timers.reconnectTimer === null)
      this.refusalEcho = '';
    super.onEntered();
  }

  protected override onEnterFailed(err: RoomError): void {
    if (!this.takenByNewerSig(err, 'enter_failed')) super.onEnterFailed(err);
  }

  protected override onError(err: RoomError): void {
    if (!this.takenByNewerSig(err, 'error')) super.onError(err);
  }

  protected override teardown(): void {
    this.refusalEcho = '';
    this.refusedSigs.clear();
    super.teardown();
  }

  /**
   * Whether a refusal of the UserSig an entry (or re-entry) was sent with is taken by a newer one the page has
   * handed over since (updateUserSig(), the userSig property): then the caller reports nothing. Taken: entered
   * again with it (at once, or at a hidden page's show), or left to a re-entry that already waits (its delay, a
   * hidden page's show); or it is the refused entry's second report (the client reports the refusal twice,
   * -100018 then 1022: the one that follows is that same refusal, not the new entry's). In the room it is the
   * client's own re-entry (after a network switch) that was refused: the component re-enters with the newer one,
   * announced as a credential re-entry (`reconnecting` / `reconnected` 0 `{reason: 'credential'}`). At most once
   * per UserSig in a session.
   */
  private takenByNewerSig(err: RoomError, kind: 'error' | 'enter_failed'): boolean {
    const params = this.params;
    const inRoom = this.phase === 'in_room';
    const entering = this.phase === 'entering' || this.phase === 'reconnecting';
    if (!params || !(entering || inRoom) || err.code !== ErrorCode.CREDENTIAL_REJECTED) return false;
    if (err.detail.rawCode !== USERSIG_REFUSED) return false;
    if (this.refusalEcho === kind) {
      this.refusalEcho = '';
      return true;
    }
    this.refusedSigs.add(this.sentSig);
    const held = checkUserSig(this.sigOverride ?? this.props.userSig);
    if (!held.ok || this.refusedSigs.has(held.value)) return false;
    this.refusalEcho = kind === 'error' ? 'enter_failed' : 'error';
    this.params = { ...params, userSig: held.value };
    if (inRoom) {
      this.announceReentry('credential', () => this.reenterWithSig());
      return true;
    }
    // a re-entry that already waits (its delay, or the show of a hidden page) enters with it
    const waits = () => this.timers.reconnectTimer !== null || this.pendingReenter;
    if (waits()) return true;
    this.clearTimer('enterTimer');
    const token = this.startToken;
    const phase = this.phase;
    this.whenVisible(() => {
      if (token !== this.startToken || this.phase !== phase || waits()) return;
      this.adapter.exit();
      this.enterNow();
    });
    return true;
  }
}
