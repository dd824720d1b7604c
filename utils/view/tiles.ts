/**
 * The remote tiles: stable slots, which streams get a native player (the player limit policy), and the diff
 * that turns the next view into `setData` path keys (the tile model and player assignment are in ./slots.ts).
 *
 * Tiles live in stable slots of `streams[]`: a joining user takes the first free slot (or appends), a leaving
 * user's slot becomes a small free marker. So the bytes sent for one join or leave do not depend on how many
 * users are already in the room, and no other tile's native view is touched. Layout (positions, pages) is
 * computed in WXS from the room scalars (tileCount, mainRank, holes: a tile's rank is its slot minus the free
 * slots before it), so switching template sends one key and re-creates no player, and a leave does not send
 * every later tile its new rank.
 *
 * A native player (`live-player`, remote `rtc-room`) exists only while its stream has something to play: a
 * main stream while it publishes audio or video, a screen share while it has video, and only while the page
 * subscribes to that (autoSubscribe, subscribe(); never the layout's off-page muting). At most `maxPlayers` exist
 * at once; beyond that a stream waits (its tile shows initials) and takes the next player that frees, screen
 * shares first, then in join order. A stream that has a player keeps it while it plays (no churn).
 */
import { orEmpty, orZero } from '../core/values';
import {
  isThumbnail,
  ownRect,
  hasRects,
  tileBase,
  defaultSubscription,
  gridPageOf,
  gridPageCount,
  wantedTiles,
  isTile,
  NO_SCALARS,
  assignPlayers,
  playable,
  rectStyle,
  scalarPatch,
  LOCAL_RECT,
} from './slots';
import type { Tile, FreeSlot, Slot, ViewInput, ViewScalars, Wanted } from './slots';

export type { FreeSlot, Rect, Slot, Tile, ViewInput, ViewScalars } from './slots';
export {
  defaultSubscription,
  GRID_PAGE_SIZE,
  gridPageCount,
  gridPageOf,
  hasRects,
  isThumbnail,
  ownRect,
  tileBase,
} from './slots';

export class TileView {
  private slots: Slot[] = [];
  private bySlotBase = new Map<string, number>();
  private scalars: ViewScalars = { ...NO_SCALARS };
  private mainBase = '';
  /** set by pin(); wins over followSpeaker while the tile exists */
  private pinned = '';
  private created: string[] = [];
  private waitingCount = 0;
  private pulls = new Map<string, boolean>();
  private localNamed = false;

  get currentScalars(): Readonly<ViewScalars> {
    return this.scalars;
  }

  /** Tile base keys whose native player the last update() created (new, re-keyed or out of waiting). */
  get lastCreated(): readonly string[] {
    return this.created;
  }

  /** Whether the layout shows a tile's video (false: off-page in grid, unplaced in custom), by base key. */
  get layoutPulls(): ReadonlyMap<string, boolean> {
    return this.pulls;
  }

  /**
   * A remote user named `local` is in a `custom` room whose customRects has the local view's `local` and no
   * `'local|main'` for them: their tile is parked (the key `local` is the local view's only).
   */
  get reservedLocal(): boolean {
    return this.localNamed;
  }

  /** Streams that want a player but wait for a free one (the player limit). */
  get waiting(): number {
    return this.waitingCount;
  }

  tiles(): Tile[] {
    return this.slots.filter(isTile);
  }

  /** Forget everything; the caller sends `streams: []`. */
  reset(): Record<string, unknown> {
    this.slots = [];
    this.bySlotBase.clear();
    this.mainBase = '';
    this.pinned = '';
    this.created = [];
    this.waitingCount = 0;
    this.pulls = new Map();
    this.localNamed = false;
    const patch: Record<string, unknown> = { streams: [] };
    const next: ViewScalars = { ...NO_SCALARS };
    scalarPatch(this.scalars, next, patch);
    this.scalars = next;
    return patch;
  }

  /** Computes the next view and returns only what changed, as `setData` path keys. */
  update(input: ViewInput): Record<string, unknown> {
    const patch: Record<string, unknown> = {};
    const wanted = wantedTiles(input.state);
    const wantedBases = new Set(wanted.map((w) => w.base));

    // 1. free the slots of tiles that are gone
    for (const [base, i] of this.bySlotBase) {
      if (wantedBases.has(base)) continue;
      this.bySlotBase.delete(base);
      const free: FreeSlot = { key: `~${i}`, free: true };
      this.slots[i] = free;
      patch[`streams[${i}]`] = free;
    }
    // 2. give new tiles a slot: the lowest free one, else append
    const freeSlots = this.slots.map((s, i) => (isTile(s) ? -1 : i)).filter((i) => i >= 0);
    for (const w of wanted) {
      if (this.bySlotBase.has(w.base)) continue;
      const i = freeSlots.length ? (freeSlots.shift() as number) : this.slots.length;
      this.bySlotBase.set(w.base, i);
      if (i === this.slots.length) this.slots.push({ key: `~${i}`, free: true }); // filled below
    }
    // 3. ranks in slot order decide grid pages
    const order = [...this.bySlotBase.entries()].sort((a, b) => a[1] - b[1]).map(([b]) => b);
    const rank = new Map(order.map((b, r) => [b, r]));
    const gridPages = gridPageCount(order.length);
    const gridPage = Math.min(Math.max(0, input.gridPage), gridPages - 1);

    const slotOf = (base: string) => this.slots[this.bySlotBase.get(base) as number];
    const subOf = (w: Wanted) => input.subs.get(w.base) ?? defaultSubscription(input.autoSubscribe);
    const wants = (w: Wanted) =>
      playable(w, input.videoOnlyViews === true, input.audioOnly === true, subOf(w));
    const players = assignPlayers(
      wanted,
      (base) => {
        const t = slotOf(base);
        return isTile(t) && t.player;
      },
      input.maxPlayers ?? Infinity,
      wants,
    );
    this.mainBase = this.pickMain(wanted, orEmpty(input.follow));
    // customRects place tiles in `custom` only
    const rects = input.template === 'custom' && hasRects(input.customRects) ? input.customRects : null;
    this.localNamed = false;
    this.created = [];
    this.pulls = new Map();
    let waiting = 0;
    for (const w of wanted) {
      const i = this.bySlotBase.get(w.base) as number;
      const sub = subOf(w);
      const offPage = input.template === 'grid' && gridPageOf(rank.get(w.base) as number) !== gridPage;
      // `local` is the local view's rectangle: a remote user of that name has only 'local|main'
      const rect = rects
        ? (ownRect(rects, w.base) ??
          (w.streamType === 'main' && w.userID !== LOCAL_RECT ? ownRect(rects, w.userID) : null))
        : null;
      const unplaced = !!rects && !rect;
      if (unplaced && w.userID === LOCAL_RECT && w.streamType === 'main' && ownRect(rects, LOCAL_RECT))
        this.localNamed = true;
      this.pulls.set(w.base, !offPage && !unplaced);
      const rev = orZero(input.revs.get(w.base));
      const player = players.has(w.base);
      if (!player && wants(w)) waiting++;
      const thumb =
        !!input.autoSmall && isThumbnail(input.template, w.base, this.mainBase, rank.get(w.base) as number);
      const small = w.streamType === 'main' && (sub.stream ? sub.stream === 'small' : sub.small || thumb);
      const tile: Tile = {
        key: rev ? `${w.base}#${rev}` : w.base,
        id: `player-${i}`,
        userID: w.userID,
        streamType: w.streamType,
        src: input.src ? input.src(w.userID, w.streamType, w.url, small) : w.url,
        hasVideo: w.hasVideo,
        hasAudio: w.hasAudio,
        muteVideo: !w.hasVideo || !sub.video || offPage || unplaced || input.audioOnly === true,
        muteAudio: !sub.audio,
        player,
      };
      if (input.weak?.has(w.base)) tile.weak = true;
      if (w.streamType === 'main' && input.speaking?.has(w.userID)) tile.speaking = true;
      if (rect) tile.rect = rectStyle(rect);
      const prev = this.slots[i];
      if (!isTile(prev) || prev.key !== tile.key) {
        patch[`streams[${i}]`] = tile;
        if (player) this.created.push(w.base);
      } else {
        if (player && !prev.player) this.created.push(w.base);
        for (const k of Object.keys(tile) as Array<keyof Tile>) {
          if (prev[k] !== tile[k]) patch[`streams[${i}].${k}`] = tile[k];
        }
        // optional fields that went away
        if (prev.weak && !tile.weak) patch[`streams[${i}].weak`] = false;
        if (prev.speaking && !tile.speaking) patch[`streams[${i}].speaking`] = false;
        if (prev.rect && !tile.rect) patch[`streams[${i}].rect`] = null;
      }
      this.slots[i] = tile;
    }
    this.waitingCount = waiting;

    const mainKey = this.mainBase ? `player-${this.bySlotBase.get(this.mainBase)}` : '';
    const mainRank = this.mainBase ? (rank.get(this.mainBase) ?? -1) : -1;
    // free slots after the last tile rank nothing: not sent
    let lastTile = -1;
    this.slots.forEach((t, i) => {
      if (isTile(t)) lastTile = i;
    });
    const holes = this.slots.slice(0, lastTile + 1).flatMap((t, i) => (isTile(t) ? [] : [i]));
    const next: ViewScalars = { mainKey, gridPage, gridPages, tileCount: order.length, mainRank, holes };
    scalarPatch(this.scalars, next, patch);
    this.scalars = next;
    return patch;
  }

  /**
   * The big view in `bigsmall`: the pinned tile; else the active speaker (followSpeaker); else sticky while
   * present; else a screen share, else the first with video, else the first.
   */
  private pickMain(wanted: Wanted[], follow: string): string {
    if (this.pinned && this.bySlotBase.has(this.pinned)) return this.pinned;
    this.pinned = '';
    const speaker = follow ? tileBase(follow, 'main') : '';
    if (speaker && this.bySlotBase.has(speaker)) return speaker;
    if (this.mainBase && this.bySlotBase.has(this.mainBase)) return this.mainBase;
    const pick = wanted.find((w) => w.streamType === 'aux') ?? wanted.find((w) => w.hasVideo) ?? wanted[0];
    return pick ? pick.base : '';
  }

  /** Make a tile the big view in `bigsmall` (e.g. on tap). Returns false for an unknown tile. */
  pin(userID: string, streamType: 'main' | 'aux'): boolean {
    const base = tileBase(userID, streamType);
    if (!this.bySlotBase.has(base)) return false;
    this.mainBase = base;
    this.pinned = base;
    return true;
  }

  /** Forget the pin; the big view stays where it is until the active speaker moves it. */
  unpin(): boolean {
    this.pinned = '';
    return true;
  }
}
