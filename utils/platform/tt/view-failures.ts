/**
 * Which `<rtc-room binderror>`s the Douyin adapter reports (pure: it only remembers). One view's failure is one
 * report per session: a view that fails again is the same failure. A remote user's view is remembered only while
 * that user is in one of the session's member lists, so a user who left and came back has new views, whose
 * failures are their own (the room drops the report of a user who left: `viewOf`).
 */
export class ViewFailures {
  /** `role|userID|streamType` of the views whose failure was reported */
  private failed = new Set<string>();
  /** the session's latest member list of each kind: a user in none of them is not in the room */
  private lists = new Map<string, readonly string[]>();

  /** A member list as the engine gave it (the latest of its kind); views of users in none of them are forgotten. */
  members(list: string, userIDs: readonly string[]): void {
    this.lists.set(list, userIDs);
    for (const view of this.failed) {
      const [role, userID] = view.split('|');
      if (role === 'remote' && !this.present(userID)) this.failed.delete(view);
    }
  }

  /** A view failed: whether it is a failure to report (not a repeat of one reported). */
  report(role: unknown, userID: unknown, streamType: unknown): boolean {
    const view = `${role}|${userID}|${streamType}`;
    if (this.failed.has(view)) return false;
    // a view on its way out, of a user who left: no failure to remember
    if (role !== 'remote' || this.present(String(userID))) this.failed.add(view);
    return true;
  }

  /** A new session (a re-entry) or the end: every view fails afresh; `members` also forgets the member lists. */
  clear(members: boolean): void {
    this.failed.clear();
    if (members) this.lists.clear();
  }

  private present(userID: string): boolean {
    return [...this.lists.values()].some((ids) => ids.includes(userID));
  }
}
