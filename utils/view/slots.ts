/**
 * The tile model under TileView (./tiles.ts): tile and slot types, stream keys, `custom` rectangles, grid
 * paging, and which wanted streams get a native player (holders keep theirs, then screen shares, then join order).
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
  /** this user is speaking now (main tile only); absent while not (fewer bytes per join) */
  speaking?: boolean;
  /** `custom` template: the style of this tile's rectangle from customRects (absent when it has none) */
  rect?: string | null;
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
  /** remote userIDs speaking now */
  speaking?: ReadonlySet<string>;
  /** bigsmall followSpeaker: the active speaker's userID ('' = off) */
  follow?: string;
  /** remote audio needs no player (Douyin): players only for video */
  videoOnlyViews?: boolean;
  /** audio scene (audiocall, voicechatroom): no remote video, no screen-share tiles */
  audioOnly?: boolean;
  /** enableSmallStream: thumbnails play the small stream */
  autoSmall?: boolean;
}

/**
 * A thumbnail for enableSmallStream: bigsmall's small views, grid tiles after the first remote, float's
 * floating views; `custom` leaves it to subscribe().
 */
export function isThumbnail(template: string, base: string, mainBase: string, rank: number): boolean {
  if (template === 'bigsmall') return base !== mainBase;
  if (template === 'grid') return rank > 0;
  return template === 'float';
}

/** The customRects key of the local view; a remote user of that name is placed by 'local|main' only. */
export const LOCAL_RECT = 'local';

/** An own property of a page-given object: `constructor` or `__proto__` never reach Object.prototype. */
export function ownRect(rects: Readonly<Record<string, unknown>> | null, key: string): Rect | null {
  if (!rects || !Object.prototype.hasOwnProperty.call(rects, key)) return null;
  const r = rects[key];
  return r && typeof r === 'object' ? (r as Rect) : null;
}

const unit = (v: unknown): string => (typeof v === 'number' ? `${v}px` : String(v));

/**
 * A page-given rectangle as the tile's style: numbers are px, strings as they are, z-index 1 unless given (0 is).
 * The same rule as templates/custom/custom.wxs place() (the local view's rectangle); a test holds them equal.
 */
export function rectStyle(r: Rect): string {
  return (
    `left:${unit(r.left || 0)};top:${unit(r.top || 0)};width:${unit(r.width || 0)};` +
    `height:${unit(r.height || 0)};z-index:${r.zIndex ?? 1};`
  );
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

export interface Wanted {
  base: string;
  userID: string;
  streamType: 'main' | 'aux';
  hasVideo: boolean;
  hasAudio: boolean;
  url: string;
}

export function wantedTiles(state: RoomState): Wanted[] {
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

export function isTile(s: Slot | undefined): s is Tile {
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
  /** remote tiles shown (the layouts' count; no WXS walks `streams`) */
  tileCount: number;
  /** rank of the big view's tile, -1 when there is none */
  mainRank: number;
  /**
   * The free slots of `streams[]` before its last tile, ascending. A tile's rank (its place among the remote
   * tiles, which the layouts use) is its slot minus the holes before it, so a leave sends this list (empty
   * again once joins have refilled the slots) instead of a new rank to every later tile.
   */
  holes: number[];
}

export const NO_SCALARS: ViewScalars = {
  mainKey: '',
  gridPage: 0,
  gridPages: 1,
  tileCount: 0,
  mainRank: -1,
  holes: [],
};

/** The scalars that changed from `prev` to `next`, as `setData` keys (holes compared by value). */
export function scalarPatch(prev: ViewScalars, next: ViewScalars, patch: Record<string, unknown>): void {
  for (const k of Object.keys(next) as Array<keyof ViewScalars>) {
    const a = prev[k];
    const b = next[k];
    if (Array.isArray(a) && Array.isArray(b) ? a.join() !== b.join() : a !== b) patch[k] = b;
  }
}

/**
 * A stream has something for a native player: subscribed video (unless an audio scene), or subscribed audio where
 * players play it.
 */
export function playable(w: Wanted, videoOnlyViews: boolean, audioOnly: boolean, sub: Subscription): boolean {
  if (!audioOnly && sub.video && (w.streamType === 'aux' || w.hasVideo)) return true;
  return w.streamType === 'main' && sub.audio && w.hasAudio && !videoOnlyViews;
}

/** Which wanted streams get a player: holders keep theirs, then screen shares, then join order. */
export function assignPlayers(
  wanted: Wanted[],
  had: (base: string) => boolean,
  max: number,
  wants: (w: Wanted) => boolean,
): Set<string> {
  const playing = wanted.filter(wants);
  const out = new Set<string>();
  for (const w of playing) if (had(w.base) && out.size < max) out.add(w.base);
  const next = [
    ...playing.filter((w) => w.streamType === 'aux'),
    ...playing.filter((w) => w.streamType === 'main'),
  ];
  for (const w of next) if (out.size < max) out.add(w.base);
  return out;
}
