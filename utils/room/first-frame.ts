/**
 * The black-screen watchdog (WeChat): a remote player that should show video but reports no first frame
 * (live-player statechange 2003) within FIRST_FRAME_MS is rebuilt (wechat-trtc.md §4 row 1, TRTCSDK#192).
 * A window runs per stream whose tile has a player pulling video (video announced, the page's subscription wants
 * it, the layout shows it) and that has not rendered in its play session; it starts when that becomes so, when the
 * player is new (rebuild: a new key) or gets another src, and again after a re-entry for one that had not rendered. It runs only while the room is in and the page visible: a hidden page
 * stops it, and on show it starts in full.
 * Only the WeChat adapter names FrameWatch (PlatformAdapter.firstFrames), so the Douyin bundle ships none of it:
 * FrameWatch is the room's glue (utils/room/media.ts calls it), FirstFrames the windows.
 */
import type { Timers } from './base';
import { roomEvent, RoomEvent } from '../core/events';
import { msg, Msg } from '../core/i18n';
import { tileBase, Tile } from '../view/slots';

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

/** What the watchdog reads of the room (utils/room/media.ts) and asks it to do. */
export interface FrameRoom {
  readonly timers: Timers;
  tiles(): Tile[];
  /** in the room and the page visible */
  running(): boolean;
  /** the bounded rebuild -2301 uses (RoomView.streamDown) */
  streamDown(base: string): { tile: Tile; rebuilt: number } | null;
  emit(ev: RoomEvent): void;
  /** a message in the component's language */
  text(m: Msg): string;
  /** the stream's player was rebuilt: its reports start afresh, the view is patched */
  restarted(base: string): void;
}

/** The black-screen watchdog as the room uses it: windows from its tiles, first frames and the rebuilds. */
export class FrameWatch {
  private readonly frames: FirstFrames;

  constructor(private readonly room: FrameRoom) {
    this.frames = new FirstFrames(room.timers, (base, sig, ms) => this.onNoFrame(base, sig, ms));
  }

  /** A 2003 of that tile's player (the room checked it is its current instance, showing that user). */
  rendered(tile: Tile): void {
    this.frames.rendered(tileBase(tile.userID, tile.streamType), frameSig(tile));
  }

  /**
   * The windows follow the tiles (after each view patch, hide / show, entry): WeChat players with video to show
   * wait FIRST_FRAME_MS for their 2003 while the room is in and the page visible.
   */
  watch(): void {
    const players = new Map<string, string>();
    const watched = new Set<string>();
    for (const x of this.room.tiles()) {
      if (!x.player) continue;
      const base = tileBase(x.userID, x.streamType);
      players.set(base, frameSig(x));
      if (!x.muteVideo) watched.add(base);
    }
    this.frames.sync(players, watched, this.room.running());
  }

  /** The session ended. */
  reset(): void {
    this.frames.reset();
  }

  /** No first frame in time: one warning 2003, and the bounded rebuild -2301 uses. */
  private onNoFrame(base: string, sig: string, ms: number): void {
    const tile = this.room.tiles().find((x) => tileBase(x.userID, x.streamType) === base);
    if (!this.room.running() || !tile || frameSig(tile) !== sig) return;
    const hit = this.room.streamDown(base);
    if (!hit) return;
    const { userID, streamType } = tile;
    const m = hit.rebuilt
      ? msg('warn.black.rebuild', { userID, streamType, s: ms / 1000, n: hit.rebuilt })
      : msg('warn.black.failed', { userID, streamType });
    this.room.emit(roomEvent('warning', 2003, { message: this.room.text(m), userID, streamType }));
    if (hit.rebuilt) this.room.restarted(base);
  }
}

/** What a first-frame window waits for: this player (its key changes on a rebuild) playing this src. */
function frameSig(tile: { key: string; src: string }): string {
  return `${tile.key} ${tile.src}`;
}
