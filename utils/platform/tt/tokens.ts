/**
 * The Douyin session's tokens (pure: it only remembers; the adapter calls the engine). Which token the engine
 * holds, which one the session enters with, one renewed while a join with the old one is out, and the one whose
 * expiry the page heard of. The engine warns once per token, 30 s before it expires (douyin-rtc.md §2.4): the
 * page hears it only of the token the session enters with, once, from its first enter() to its end.
 * A token is never empty (checkUserSig): an unset one is `undefined` (no constructor to ship).
 */
export class TtTokens {
  /** the token the engine holds (the last joinRtcRoom sent, or an updateToken that succeeded) */
  private engineToken?: string;
  /** the token the session enters with, from its first enter() to its end */
  private sessionToken?: string;
  /** renewed while a join was out with the old one: that join's success takes it */
  private renewedToken?: string;
  /** the token whose expiry the session heard of: once per token */
  private warnedToken?: string;

  /** A new engine (context): it holds no token. */
  newEngine(): void {
    this.engineToken = undefined;
  }

  /** An entry (a re-entry too): the session enters with the page's credential. */
  enter(userSig: string): void {
    this.sessionToken = userSig;
    this.renewedToken = undefined;
  }

  /** The join goes out: with the session's token (`userSig` when none), which the engine holds from then on. */
  join(userSig: string): string {
    const token = this.sessionToken || userSig;
    this.engineToken = token;
    return token;
  }

  /**
   * The join succeeded (or was refused for its token): the token renewed while it was out (undefined: none), the
   * session's from now on (the old token's warning is no one's then); the room still has to take it (updateToken,
   * a re-entry, or the join again).
   */
  joined(): string | undefined {
    const renewed = this.renewedToken;
    this.renewedToken = undefined;
    if (renewed) this.sessionToken = renewed;
    return renewed;
  }

  /** updateToken refused the renewed token after the join: the session goes on with the one it joined with. */
  refused(renewed: string, joinedWith: string): void {
    if (this.sessionToken === renewed) this.sessionToken = joinedWith;
  }

  /** updateToken took `token`: the session's, and the engine's when it is still the one it was sent to. */
  updated(token: string, sameEngine: boolean): void {
    if (sameEngine) this.engineToken = token;
    if (this.sessionToken) this.sessionToken = token;
  }

  /**
   * A new credential while the session is in no room: a join out with the old token takes it once it succeeded
   * (`joinOut`), otherwise the next join does. Outside a session: nothing to renew.
   */
  renew(token: string, joinOut: boolean): void {
    if (!this.sessionToken) return;
    if (joinOut) this.renewedToken = token;
    else this.sessionToken = token;
  }

  /** onRoomTokenWillExpire: whether the page hears it (the engine holds the session's token, not warned yet). */
  expiring(): boolean {
    const token = this.engineToken;
    if (!token || token !== this.sessionToken || token === this.warnedToken) return false;
    this.warnedToken = token;
    return true;
  }

  /** The session ended: none of its tokens is the session's. */
  end(): void {
    this.sessionToken = this.renewedToken = this.warnedToken = undefined;
  }
}
