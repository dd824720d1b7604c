/**
 * The room's view state around the tiles: subscriptions, grid page, pin, weak-network flags, player rebuilds
 * (failed players, players created while the page was hidden) and which streams' video the layout shows.
 * It turns a room state into one `setData` patch and tells what the platform must be told besides.
 */
import { orZero } from '../core/values';
import type { Subscription } from '../platform/adapter';
import type { RoomState } from '../room/reducer';
import { defaultSubscription, Tile, TileView, tileBase } from './tiles';

export interface RoomViewInput {
  state: RoomState;
  autoSubscribe: boolean;
  template: string;
  customRects: Readonly<Record<string, unknown>> | null;
  maxPlayers: number;
  src?: (userID: string, streamType: 'main' | 'aux', reported: string, small: boolean) => string;
  /** the page is hidden now (players created now are rebuilt on show where the platform needs it) */
  hidden: boolean;
  /** remote userIDs speaking now */
  speaking?: ReadonlySet<string>;
  /** bigsmall followSpeaker: the active speaker ('' = off) */
  follow?: string;
  /** remote audio needs no player (Douyin) */
  videoOnlyViews?: boolean;
  /** audio scene: no remote video */
  audioOnly?: boolean;
  /** enableSmallStream: thumbnails play the small stream */
  autoSmall?: boolean;
}

/** A stream whose video the layout starts or stops showing (Douyin unsubscribes off-page video). */
export interface VideoShown {
  userID: string;
  streamType: 'main' | 'aux';
  shown: boolean;
}

/** A remote player is rebuilt at most this many times after it failed. */
export const MAX_PLAYER_REBUILDS = 3;

export class RoomView {
  private readonly tiles = new TileView();
  private readonly subs = new Map<string, Subscription>();
  private readonly revs = new Map<string, number>();
  /** rebuilds that counted against MAX_PLAYER_REBUILDS (a re-entry's or a show's own rebuild does not) */
  private readonly spent = new Map<string, number>();
  /** players that failed while the room was reconnecting: that re-entry rebuilds them */
  private readonly failedAway = new Set<string>();
  private readonly weak = new Set<string>();
  private readonly createdHidden = new Set<string>();
  /** what the platform was last told about each stream's video (absent: never told, shown by default) */
  private readonly shown = new Map<string, boolean>();
  private streams = new Map<string, { userID: string; streamType: 'main' | 'aux' }>();
  private gridPage = 0;
  private dirty = false;

  get isDirty(): boolean {
    return this.dirty;
  }

  markDirty(): void {
    this.dirty = true;
  }

  /** Streams waiting for a free player (the player limit). */
  get waiting(): number {
    return this.tiles.waiting;
  }

  /** A remote user named `local` is parked: customRects.local is the local view's (TileView.reservedLocal). */
  get reservedLocal(): boolean {
    return this.tiles.reservedLocal;
  }

  currentTiles(): Tile[] {
    return this.tiles.tiles();
  }

  subscription(base: string, autoSubscribe: boolean): Subscription {
    return this.subs.get(base) ?? defaultSubscription(autoSubscribe);
  }

  /** Whether the page chose any subscription (subscribe()) this session. */
  get anyChosen(): boolean {
    return this.subs.size > 0;
  }

  /** The page's own subscription of a stream (subscribe()), undefined while it chose none. */
  chosen(base: string): Subscription | undefined {
    return this.subs.get(base);
  }

  setSubscription(base: string, sub: Subscription): void {
    this.subs.set(base, sub);
    this.dirty = true;
  }

  setGridPage(page: number): boolean {
    if (!Number.isInteger(page) || page === this.gridPage) return false;
    this.gridPage = page;
    this.dirty = true;
    return true;
  }

  pin(userID: string, streamType: 'main' | 'aux'): boolean {
    const ok = this.tiles.pin(userID, streamType);
    if (ok) this.dirty = true;
    return ok;
  }

  /** Forget the pin (followSpeaker moves the big view again). */
  unpin(): boolean {
    this.dirty = true;
    return this.tiles.unpin();
  }

  /** A stream's network quality graded weak or not; true when that changed. */
  setWeak(key: string, weak: boolean): boolean {
    if (weak === this.weak.has(key)) return false;
    if (weak) this.weak.add(key);
    else this.weak.delete(key);
    this.dirty = true;
    return true;
  }

  /** A new player for that stream: its key gets the next revision (the native view is created anew). */
  private nextRev(base: string): void {
    this.revs.set(base, orZero(this.revs.get(base)) + 1);
  }

  /** A new player for each of `bases`, none counted against the budget; true when there were any. */
  private rebuildAll(bases: Set<string>): boolean {
    if (!bases.size) return false;
    for (const base of bases) this.nextRev(base);
    bases.clear();
    this.dirty = true;
    return true;
  }

  /**
   * A player failed (-2301) while the room reconnects: every player loses the room with the pusher, so it is no
   * fault of its own. Nothing now; the re-entry rebuilds it (rebuildFailedAway), at no cost to its budget.
   */
  playerFailedAway(playerId: string): void {
    const tile = this.tiles.tiles().find((x) => x.id === playerId);
    if (tile) this.failedAway.add(tileBase(tile.userID, tile.streamType));
  }

  /** Entered again: the players that failed while away are built anew; true when there were any. */
  rebuildFailedAway(): boolean {
    return this.rebuildAll(this.failedAway);
  }

  /**
   * A remote stream whose player stays down (quality 6, WeChat's black screen) or failed (WeChat -2301): its tile
   * and whether it may be rebuilt once more (then it is).
   */
  streamDown(base: string): { tile: Tile; rebuilt: number } | null {
    const tile = this.tiles.tiles().find((x) => tileBase(x.userID, x.streamType) === base);
    return tile ? this.rebuild(tile) : null;
  }

  private rebuild(tile: Tile): { tile: Tile; rebuilt: number } {
    const base = tileBase(tile.userID, tile.streamType);
    const n = orZero(this.spent.get(base)) + 1;
    if (n > MAX_PLAYER_REBUILDS) return { tile, rebuilt: 0 };
    this.spent.set(base, n);
    this.nextRev(base);
    this.dirty = true;
    return { tile, rebuilt: n };
  }

  /**
   * On show: rebuild every player created while hidden (main and screen share alike). The platform's need, no
   * failure of that player: its rebuild budget is left whole.
   */
  rebuildHidden(): boolean {
    return this.rebuildAll(this.createdHidden);
  }

  /** The patch for the next setData (null when nothing it shows changed). */
  patch(input: RoomViewInput): Record<string, unknown> | null {
    if (!this.dirty) return null;
    this.dirty = false;
    const patch = this.tiles.update({
      state: input.state,
      subs: this.subs,
      autoSubscribe: input.autoSubscribe,
      template: input.template,
      gridPage: this.gridPage,
      customRects: input.customRects,
      revs: this.revs,
      weak: this.weak,
      maxPlayers: input.maxPlayers,
      src: input.src,
      speaking: input.speaking,
      follow: input.follow,
      videoOnlyViews: input.videoOnlyViews,
      audioOnly: input.audioOnly,
      autoSmall: input.autoSmall,
    });
    this.gridPage = this.tiles.currentScalars.gridPage;
    for (const base of this.tiles.lastCreated) {
      if (input.hidden) this.createdHidden.add(base);
      else this.createdHidden.delete(base);
    }
    this.streams = new Map(this.tiles.tiles().map((x) => [tileBase(x.userID, x.streamType), x]));
    for (const base of this.createdHidden) if (!this.streams.has(base)) this.createdHidden.delete(base);
    // a stream that is gone leaves nothing behind: coming back, it starts unweak with a full rebuild budget
    for (const base of [...this.revs.keys()]) if (!this.streams.has(base)) this.revs.delete(base);
    for (const base of [...this.spent.keys()]) if (!this.streams.has(base)) this.spent.delete(base);
    for (const base of [...this.failedAway]) if (!this.streams.has(base)) this.failedAway.delete(base);
    for (const base of [...this.weak]) if (!this.streams.has(base)) this.weak.delete(base);
    return patch;
  }

  /** Streams whose layout visibility differs from what the platform was told; records them as told. */
  videoChanges(): VideoShown[] {
    const out: VideoShown[] = [];
    for (const [base, shown] of this.tiles.layoutPulls) {
      const s = this.streams.get(base);
      if (!s || (this.shown.get(base) ?? true) === shown) continue;
      this.shown.set(base, shown);
      out.push({ userID: s.userID, streamType: s.streamType, shown });
    }
    for (const base of [...this.shown.keys()]) if (!this.streams.has(base)) this.shown.delete(base);
    return out;
  }

  /** A new entry: the platform subscribed everything again; tell it what the layout hides. */
  forgetTold(): void {
    this.shown.clear();
    this.dirty = true;
  }

  /** Forget every tile (the session ended); the returned patch clears the view. */
  reset(): Record<string, unknown> {
    this.subs.clear();
    this.revs.clear();
    this.spent.clear();
    this.failedAway.clear();
    this.weak.clear();
    this.createdHidden.clear();
    this.shown.clear();
    this.streams.clear();
    this.dirty = false;
    return this.tiles.reset();
  }
}
