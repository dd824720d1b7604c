/**
 * The black-screen watchdog (WeChat): a remote player that should show video but reports no first frame
 * (live-player statechange 2003) within FIRST_FRAME_MS is rebuilt (wechat-trtc.md §4 row 1, TRTCSDK#192).
 * A window runs per stream whose tile has a player pulling video (video announced, the page's subscription wants
 * it, the layout shows it) and that has not rendered in its play session; it starts when that becomes so, when the
 * player is new (rebuild: a new key) or gets another src, and again after a re-entry for one that had not rendered. It runs only while the room is in and the page visible: a hidden page
 * stops it, and on show it starts in full.
 * Only the WeChat adapter names this class (PlatformAdapter.firstFrames), so the Douyin bundle does not ship it.
 */
import type { Timers } from './base';

/** No 2003 within this time of a player starting to pull video: it is rebuilt. */
export const FIRST_FRAME_MS = 5000;

export class FirstFrames {
  /** running windows: base → what they wait for (player key and src) */
  private readonly armed = new Map<string, { sig: string; timer: unknown }>();
  /** streams whose first frame came (or whose window ran out) for that sig: no new window until it changes */
  private readonly done = new Map<string, string>();

  constructor(
    private readonly timers: Timers,
    private readonly expired: (base: string, sig: string, ms: number) => void,
  ) {}

  /**
   * `players`: base → sig of every remote player; `watched`: the bases of those that must render now; `running`:
   * in the room and visible. A player that rendered stays done while it plays that src, video off and on
   * included: not every client is known to report 2003 again (docs/platform-facts.md (a)), and timing one that
   * does not would rebuild a working view on each camera toggle.
   */
  sync(players: ReadonlyMap<string, string>, watched: ReadonlySet<string>, running: boolean): void {
    for (const [base, sig] of this.done) if (players.get(base) !== sig) this.done.delete(base);
    for (const [base, a] of this.armed)
      if (!running || !watched.has(base) || players.get(base) !== a.sig) this.stop(base);
    if (!running) return;
    for (const base of watched) {
      const sig = players.get(base);
      if (sig === undefined) continue;
      if (this.done.get(base) === sig || this.armed.has(base)) continue;
      const timer = this.timers.setTimeout(() => {
        this.armed.delete(base);
        this.done.set(base, sig);
        this.expired(base, sig, FIRST_FRAME_MS);
      }, FIRST_FRAME_MS);
      this.armed.set(base, { sig, timer });
    }
  }

  /** A 2003 of that player: its window ends. */
  rendered(base: string, sig: string): void {
    this.stop(base);
    this.done.set(base, sig);
  }

  /** The session ended. */
  reset(): void {
    for (const base of [...this.armed.keys()]) this.stop(base);
    this.done.clear();
  }

  private stop(base: string): void {
    const a = this.armed.get(base);
    if (!a) return;
    this.timers.clearTimeout(a.timer);
    this.armed.delete(base);
  }
}
