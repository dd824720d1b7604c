/**
 * The room model: a pure reducer over normalized membership/stream actions, and the diff that turns
 * two successive states into the page's RoomEvents. Both platforms feed the same reducer:
 * WeChat per-user events (1031-1034), Douyin full member lists. Total, idempotent, order-tolerant.
 * Users are a Map keyed by userID: `constructor` or `__proto__` are user IDs like any other.
 */
import { roomEvent, RoomEvent, StreamType } from '../core/events';

export interface RemoteUser {
  readonly userID: string;
  /** join order, for stable iteration */
  readonly seq: number;
  readonly video: boolean;
  readonly audio: boolean;
  /** sub stream (screen share) */
  readonly aux: boolean;
  /** the play URL the platform reported (WeChat `playurl`), '' until it did */
  readonly mainUrl: string;
  readonly auxUrl: string;
  /** connection epoch in which this user was last confirmed (see `new_epoch` / `sweep`) */
  readonly epoch: number;
  /** epoch in which each stream was last reported on: a re-entry announces only streams that are on */
  readonly on: Readonly<Record<Stream, number>>;
}

type Stream = 'video' | 'aux' | 'audio';
const STREAMS: readonly Stream[] = ['video', 'aux', 'audio'];

export type MemberList = 'chat' | 'video' | 'speakers' | 'screen';

export interface RoomState {
  readonly localUserID: string;
  readonly users: ReadonlyMap<string, RemoteUser>;
  readonly seq: number;
  readonly epoch: number;
  /** latest Douyin snapshots; presence = union of all lists */
  readonly lists: Readonly<Partial<Record<MemberList, readonly string[]>>>;
}

export type RoomAction =
  | { type: 'user_join'; userID: string }
  | { type: 'user_leave'; userID: string }
  | { type: 'video'; userID: string; streamType: StreamType; available: boolean; url?: string }
  | { type: 'audio'; userID: string; available: boolean; url?: string }
  | { type: 'members'; list: MemberList; userIDs: readonly string[] }
  /** re-entered after a reconnect: users must be confirmed again */
  | { type: 'new_epoch' }
  /** drop users not confirmed since `epoch` (the reconnect resync window closed) */
  | { type: 'sweep'; epoch: number };

export function initialRoomState(localUserID = ''): RoomState {
  return { localUserID, users: new Map(), seq: 0, epoch: 0, lists: {} };
}

function upsert(state: RoomState, userID: string, patch: Partial<RemoteUser>): RoomState {
  const prev = state.users.get(userID);
  let seq = state.seq;
  const base: RemoteUser = prev ?? {
    userID,
    seq: ++seq,
    video: false,
    audio: false,
    aux: false,
    mainUrl: '',
    auxUrl: '',
    epoch: state.epoch,
    on: { video: -1, aux: -1, audio: -1 },
  };
  let on = base.on;
  if (STREAMS.some((k) => patch[k] && on[k] !== state.epoch)) {
    on = { ...on };
    for (const k of STREAMS) if (patch[k]) (on as Record<Stream, number>)[k] = state.epoch;
  }
  const next: RemoteUser = { ...base, ...patch, epoch: state.epoch, on };
  if (prev && sameUser(prev, next)) return state;
  const users = new Map(state.users);
  users.set(userID, next);
  return { ...state, seq, users };
}

function sameUser(a: RemoteUser, b: RemoteUser): boolean {
  return (
    a.video === b.video &&
    a.audio === b.audio &&
    a.aux === b.aux &&
    a.mainUrl === b.mainUrl &&
    a.auxUrl === b.auxUrl &&
    a.epoch === b.epoch &&
    a.on === b.on
  );
}

function remove(state: RoomState, userID: string): RoomState {
  if (!state.users.has(userID)) return state;
  const users = new Map(state.users);
  users.delete(userID);
  return { ...state, users };
}

function isValidID(id: unknown): id is string {
  return typeof id === 'string' && id !== '';
}

/**
 * Presence and streams recomputed from the four latest Douyin lists. The speakers list says who is talking
 * *now* (typings: "members starting/stopping speaking"; WeChat's VoIP analogue onVoIPChatSpeakersChanged fires
 * when a member starts or stops speaking), so it feeds the speaking state, not `audio`: Douyin cannot tell a
 * muted microphone from silence, and a visible member's audio is subscribed, so `audio` is on while present.
 */
function applyLists(state: RoomState, lists: RoomState['lists']): RoomState {
  const has = (l: MemberList) => new Set((lists[l] ?? []).filter(isValidID));
  const chat = has('chat');
  const video = has('video');
  const screen = has('screen');
  const present = new Set<string>([...chat, ...video, ...has('speakers'), ...screen]);
  present.delete(state.localUserID);
  let next: RoomState = { ...state, lists };
  for (const id of state.users.keys()) if (!present.has(id)) next = remove(next, id);
  for (const id of present) {
    next = upsert(next, id, { video: video.has(id), audio: true, aux: screen.has(id) });
  }
  return next;
}

export function reduceRoom(state: RoomState, action: RoomAction): RoomState {
  switch (action.type) {
    case 'user_join':
      if (!isValidID(action.userID) || action.userID === state.localUserID) return state;
      return upsert(state, action.userID, {});
    case 'user_leave':
      if (!isValidID(action.userID)) return state;
      return remove(state, action.userID);
    case 'video': {
      if (!isValidID(action.userID) || action.userID === state.localUserID) return state;
      // "off" for someone not here (a late event after 1032) must not resurrect them
      if (!action.available && !state.users.has(action.userID)) return state;
      const patch: Partial<RemoteUser> =
        action.streamType === 'aux' ? { aux: action.available } : { video: action.available };
      if (action.url)
        Object.assign(patch, action.streamType === 'aux' ? { auxUrl: action.url } : { mainUrl: action.url });
      return upsert(state, action.userID, patch);
    }
    case 'audio': {
      if (!isValidID(action.userID) || action.userID === state.localUserID) return state;
      if (!action.available && !state.users.has(action.userID)) return state;
      const patch: Partial<RemoteUser> = action.url
        ? { audio: action.available, mainUrl: action.url }
        : { audio: action.available };
      return upsert(state, action.userID, patch);
    }
    case 'members':
      return applyLists(state, {
        ...state.lists,
        [action.list]: Array.isArray(action.userIDs) ? action.userIDs : [],
      });
    case 'new_epoch':
      return { ...state, epoch: state.epoch + 1 };
    case 'sweep': {
      let next = state;
      for (const u of state.users.values()) {
        if (u.epoch < action.epoch) next = remove(next, u.userID);
        else {
          // confirmed again, but a stream that was not: it went off while the room was left
          const off: Partial<Record<Stream, boolean>> = {};
          for (const k of STREAMS) if (u[k] && u.on[k] < action.epoch) off[k] = false;
          if (Object.keys(off).length) next = upsert(next, u.userID, off);
        }
      }
      return next;
    }
    default:
      return state;
  }
}

export function usersInOrder(state: RoomState): RemoteUser[] {
  return [...state.users.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * The page events between two states: leaves first (each stream's `*_available 0` before `user_leave`,
 * so a page never sees a user vanish with a stream still "on"), then joins and stream changes in join order.
 */
export function diffRoom(prev: RoomState, next: RoomState): RoomEvent[] {
  if (prev.users === next.users) return [];
  const out: RoomEvent[] = [];
  for (const u of usersInOrder(prev)) {
    if (next.users.has(u.userID)) continue;
    if (u.video) out.push(roomEvent('video_available', 0, { userID: u.userID, streamType: 'main' }));
    if (u.aux) out.push(roomEvent('video_available', 0, { userID: u.userID, streamType: 'aux' }));
    if (u.audio) out.push(roomEvent('audio_available', 0, { userID: u.userID }));
    out.push(roomEvent('user_leave', 0, { userID: u.userID }));
  }
  for (const u of usersInOrder(next)) {
    const p = prev.users.get(u.userID);
    if (!p) out.push(roomEvent('user_join', 0, { userID: u.userID }));
    if (u.video !== (p?.video ?? false)) {
      out.push(roomEvent('video_available', u.video ? 1 : 0, { userID: u.userID, streamType: 'main' }));
    }
    if (u.aux !== (p?.aux ?? false)) {
      out.push(roomEvent('video_available', u.aux ? 1 : 0, { userID: u.userID, streamType: 'aux' }));
    }
    if (u.audio !== (p?.audio ?? false))
      out.push(roomEvent('audio_available', u.audio ? 1 : 0, { userID: u.userID }));
  }
  return out;
}
