/**
 * View model for the remote tiles and the diff that turns it into `setData` path keys.
 *
 * Tiles live in stable slots of `streams[]`: a joining user takes the first free slot (or appends), a leaving
 * user's slot becomes a small free marker. So the bytes sent for one join or leave do not depend on how many
 * users are already in the room, and no other tile's native view is touched. Layout (positions, pages) is
 * computed in WXS from these fields, so switching template sends one key and re-creates no player.
 */
import type { Subscription } from '../platform/adapter';
import type { RoomState } from '../room/reducer';
import { usersInOrder } from '../room/reducer';
import { withStreamType } from '../platform/wx/url';

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
  /** network quality of this stream is bad (net_status 4-6) */
  weak: boolean;
  /** this user is speaking now (main tile only) */
  speaking: boolean;
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
  subs: Readonly<Record<string, Subscription>>;
  autoSubscribe: boolean;
  template: string;
  gridPage: number;
  customRects: Readonly<Record<string, unknown>> | null;
  /** rebuild counters per tile base key */
  revs: Readonly<Record<string, number>>;
  /** tile base keys whose network is weak */
  weak?: ReadonlySet<string>;
  /** remote userIDs speaking now */
  speaking?: ReadonlySet<string>;
  /** bigsmall followSpeaker: the active speaker's userID ('' = off) */
  follow?: string;
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

export class TileView {
  private slots: Slot[] = [];
  private bySlotBase = new Map<string, number>();
  private scalars: ViewScalars = { mainKey: '', gridPage: 0, gridPages: 1 };
  private mainBase = '';
  /** set by pin(); wins over followSpeaker while the tile exists */
  private pinned = '';

  get currentScalars(): Readonly<ViewScalars> {
    return this.scalars;
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

    for (const w of wanted) {
      const i = this.bySlotBase.get(w.base) as number;
      const sub = input.subs[w.base] ?? defaultSubscription(input.autoSubscribe);
      const offPage = input.template === 'grid' && gridPageOf(rank.get(w.base) as number) !== gridPage;
      const unplaced =
        input.template === 'custom' &&
        !(input.customRects && (input.customRects[w.userID] || input.customRects[w.base]));
      const rev = input.revs[w.base] ?? 0;
      const tile: Tile = {
        key: rev ? `${w.base}#${rev}` : w.base,
        id: `player-${i}`,
        userID: w.userID,
        streamType: w.streamType,
        src: w.streamType === 'main' && sub.small ? withStreamType(w.url, 'small') : w.url,
        hasVideo: w.hasVideo,
        hasAudio: w.hasAudio,
        muteVideo: !w.hasVideo || !sub.video || offPage || unplaced,
        muteAudio: !sub.audio,
        weak: !!input.weak && input.weak.has(w.base),
        speaking: w.streamType === 'main' && !!input.speaking && input.speaking.has(w.userID),
      };
      const prev = this.slots[i];
      if (!isTile(prev) || prev.key !== tile.key) {
        patch[`streams[${i}]`] = tile;
      } else {
        for (const k of Object.keys(tile) as Array<keyof Tile>) {
          if (prev[k] !== tile[k]) patch[`streams[${i}].${k}`] = tile[k];
        }
      }
      this.slots[i] = tile;
    }

    this.mainBase = this.pickMain(wanted, input.follow ?? '');
    const mainKey = this.mainBase ? `player-${this.bySlotBase.get(this.mainBase)}` : '';
    const next: ViewScalars = { mainKey, gridPage, gridPages };
    for (const k of Object.keys(next) as Array<keyof ViewScalars>)
      if (this.scalars[k] !== next[k]) patch[k] = next[k];
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
