/**
 * The remote tiles: stable slots, which streams get a native player (the player limit policy), and the diff
 * that turns the next view into `setData` path keys.
 *
 * Tiles live in stable slots of `streams[]`: a joining user takes the first free slot (or appends), a leaving
 * user's slot becomes a small free marker. So the bytes sent for one join or leave do not depend on how many
 * users are already in the room, and no other tile's native view is touched. Layout (positions, pages) is
 * computed in WXS from these fields, so switching template sends one key and re-creates no player.
 *
 * A native player (`live-player`, remote `rtc-room`) exists only while its stream has something to play: a
 * main stream while it publishes audio or video, a screen share while it has video. At most `maxPlayers` exist
 * at once; beyond that a stream waits (its tile shows initials) and takes the next player that frees, screen
 * shares first, then in join order. A stream that has a player keeps it while it plays (no churn).
 */
import type { Subscription } from '../platform/adapter';
import type { RoomState } from '../room/reducer';
import { usersInOrder } from '../room/reducer';

/** A `custom` template rectangle as the page gave it (numbers are px, strings CSS lengths). */
export interface Rect {
  left: number | string;
  top: number | string;
  width: number | string;
  height: number | string;
  zIndex?: number;
}

export interface Tile {
  /** wx:key; changes only when the native view must be rebuilt */
  key: string;
  /** element id of the player */
  id: string;
  userID: string;
  streamType: 'main' | 'aux';
  src: string;
  hasVideo: boolean;
  hasAudio: boolean;
  muteVideo: boolean;
  muteAudio: boolean;
  /** network quality of this stream is bad (net_status 4-6); absent while it is not (fewer bytes per join) */
  weak?: boolean;
  /** a native player exists for this stream (false: no media, or waiting for a free player) */
  player: boolean;
  /** `custom` template: this tile's rectangle from customRects (absent when it has none) */
  rect?: Rect | null;
}

export interface FreeSlot {
  key: string;
  free: true;
}

export type Slot = Tile | FreeSlot;

export const GRID_PAGE_SIZE = 4;

export interface ViewInput {
  state: RoomState;
  /** per tile base key (`userID|main`, `userID|aux`) */
  subs: ReadonlyMap<string, Subscription>;
  autoSubscribe: boolean;
  template: string;
  gridPage: number;
  /** validated customRects (null: none given) */
  customRects: Readonly<Record<string, unknown>> | null;
  /** rebuild counters per tile base key */
  revs: ReadonlyMap<string, number>;
  /** tile base keys whose network is weak */
  weak?: ReadonlySet<string>;
  /** simultaneous native players (the platform's limit); default unlimited */
  maxPlayers?: number;
  /** the player `src` of a stream (WeChat: the reported play URL, or one made from the user ID) */
  src?: (userID: string, streamType: 'main' | 'aux', reported: string, small: boolean) => string;
}

/** An own property of a page-given object: `constructor` or `__proto__` never reach Object.prototype. */
export function ownRect(rects: Readonly<Record<string, unknown>> | null, key: string): Rect | null {
  if (!rects || !Object.prototype.hasOwnProperty.call(rects, key)) return null;
  const r = rects[key];
  return r && typeof r === 'object' ? (r as Rect) : null;
}

/** Whether customRects places anything (null or `{}` means the default placement). */
export function hasRects(rects: Readonly<Record<string, unknown>> | null): boolean {
  return !!rects && Object.keys(rects).length > 0;
}

export function tileBase(userID: string, streamType: 'main' | 'aux'): string {
  return `${userID}|${streamType}`;
}

export function defaultSubscription(autoSubscribe: boolean): Subscription {
  return { video: autoSubscribe, audio: autoSubscribe, small: false };
}

interface Wanted {
  base: string;
  userID: string;
  streamType: 'main' | 'aux';
  hasVideo: boolean;
  hasAudio: boolean;
  url: string;
}

function wantedTiles(state: RoomState): Wanted[] {
  const out: Wanted[] = [];
  for (const u of usersInOrder(state)) {
    out.push({
      base: tileBase(u.userID, 'main'),
      userID: u.userID,
      streamType: 'main',
      hasVideo: u.video,
      hasAudio: u.audio,
      url: u.mainUrl,
    });
    if (u.aux) {
      out.push({
        base: tileBase(u.userID, 'aux'),
        userID: u.userID,
        streamType: 'aux',
        hasVideo: true,
        hasAudio: false,
        url: u.auxUrl,
      });
    }
  }
  return out;
}

function isTile(s: Slot | undefined): s is Tile {
  return !!s && !(s as FreeSlot).free;
}

/** Grid page of the tile at `rank` among remote tiles; the local view takes the first cell of page 0. */
export function gridPageOf(rank: number): number {
  return Math.floor((rank + 1) / GRID_PAGE_SIZE);
}

export function gridPageCount(remoteTiles: number): number {
  return Math.max(1, Math.ceil((remoteTiles + 1) / GRID_PAGE_SIZE));
}

export interface ViewScalars {
  /** element id of the big view in `bigsmall` */
  mainKey: string;
  gridPage: number;
  gridPages: number;
}

/** Which wanted streams get a player: holders keep theirs, then screen shares, then join order. */
function assignPlayers(wanted: Wanted[], had: (base: string) => boolean, max: number): Set<string> {
  const wants = wanted.filter((w) => w.streamType === 'aux' || w.hasVideo || w.hasAudio);
  const out = new Set<string>();
  for (const w of wants) if (had(w.base) && out.size < max) out.add(w.base);
  const next = [
    ...wants.filter((w) => w.streamType === 'aux'),
    ...wants.filter((w) => w.streamType === 'main'),
  ];
  for (const w of next) if (out.size < max) out.add(w.base);
  return out;
}

export class TileView {
  private slots: Slot[] = [];
  private bySlotBase = new Map<string, number>();
  private scalars: ViewScalars = { mainKey: '', gridPage: 0, gridPages: 1 };
  private mainBase = '';
  private created: string[] = [];
  private waitingCount = 0;
  private pulls = new Map<string, boolean>();

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
    this.created = [];
    this.waitingCount = 0;
    this.pulls = new Map();
    const patch: Record<string, unknown> = { streams: [] };
    const next: ViewScalars = { mainKey: '', gridPage: 0, gridPages: 1 };
    for (const k of Object.keys(next) as Array<keyof ViewScalars>)
      if (this.scalars[k] !== next[k]) patch[k] = next[k];
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
    const players = assignPlayers(
      wanted,
      (base) => {
        const t = slotOf(base);
        return isTile(t) && t.player;
      },
      input.maxPlayers ?? Infinity,
    );
    const rects = hasRects(input.customRects) ? input.customRects : null;
    this.created = [];
    this.pulls = new Map();
    let waiting = 0;
    for (const w of wanted) {
      const i = this.bySlotBase.get(w.base) as number;
      const sub = input.subs.get(w.base) ?? defaultSubscription(input.autoSubscribe);
      const offPage = input.template === 'grid' && gridPageOf(rank.get(w.base) as number) !== gridPage;
      const rect = rects
        ? (ownRect(rects, w.base) ?? (w.streamType === 'main' ? ownRect(rects, w.userID) : null))
        : null;
      const unplaced = input.template === 'custom' && !!rects && !rect;
      this.pulls.set(w.base, !offPage && !unplaced);
      const rev = input.revs.get(w.base) ?? 0;
      const player = players.has(w.base);
      if (!player && (w.streamType === 'aux' || w.hasVideo || w.hasAudio)) waiting++;
      const small = w.streamType === 'main' && sub.small;
      const tile: Tile = {
        key: rev ? `${w.base}#${rev}` : w.base,
        id: `player-${i}`,
        userID: w.userID,
        streamType: w.streamType,
        src: input.src ? input.src(w.userID, w.streamType, w.url, small) : w.url,
        hasVideo: w.hasVideo,
        hasAudio: w.hasAudio,
        muteVideo: !w.hasVideo || !sub.video || offPage || unplaced,
        muteAudio: !sub.audio,
        player,
      };
      if (input.weak?.has(w.base)) tile.weak = true;
      if (rect) tile.rect = rect;
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
        if (prev.rect && !tile.rect) patch[`streams[${i}].rect`] = null;
      }
      this.slots[i] = tile;
    }
    this.waitingCount = waiting;

    this.mainBase = this.pickMain(wanted);
    const mainKey = this.mainBase ? `player-${this.bySlotBase.get(this.mainBase)}` : '';
    const next: ViewScalars = { mainKey, gridPage, gridPages };
    for (const k of Object.keys(next) as Array<keyof ViewScalars>)
      if (this.scalars[k] !== next[k]) patch[k] = next[k];
    this.scalars = next;
    return patch;
  }

  /** The big view in `bigsmall`: sticky while present; else a screen share, else the first with video, else the first. */
  private pickMain(wanted: Wanted[]): string {
    if (this.mainBase && this.bySlotBase.has(this.mainBase)) return this.mainBase;
    const pick = wanted.find((w) => w.streamType === 'aux') ?? wanted.find((w) => w.hasVideo) ?? wanted[0];
    return pick ? pick.base : '';
  }

  /** Make a tile the big view in `bigsmall` (e.g. on tap). Returns false for an unknown tile. */
  pin(userID: string, streamType: 'main' | 'aux'): boolean {
    const base = tileBase(userID, streamType);
    if (!this.bySlotBase.has(base)) return false;
    this.mainBase = base;
    return true;
  }
}
