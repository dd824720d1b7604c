/**
 * Random event storms (seeded, so a failure reproduces): hundreds of sequences of 40+ native events —
 * duplicates, 1033/1034 before 1031, malformed JSON, unknown codes, 1020 noise, leaves and re-joins on WeChat;
 * random member lists on Douyin. After each sequence the native players in the view are exactly the streams
 * with something to play, no error event was emitted and nothing threw.
 */
import { RoomController } from '../utils/room/controller';
import type { RoomEvent } from '../utils/core/events';
import type { AdapterEvent } from '../utils/platform/adapter';
import { parsePusherState } from '../utils/platform/wx/state';
import { wxPlaySrc } from '../utils/platform/wx/policy';
import { FakeAdapter } from './helpers/fake-adapter';

/** mulberry32: small, fast, reproducible */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Room {
  ctl: RoomController;
  adapter: FakeAdapter;
  events: RoomEvent[];
  streams: Array<Record<string, unknown>>;
}

/** The view as the page holds it: every setData path applied. */
function apply(room: Room, patch: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(patch)) {
    if (k === 'streams') room.streams = (v as Array<Record<string, unknown>>).map((x) => ({ ...x }));
    const m = /^streams\[(\d+)\](?:\.(\w+))?$/.exec(k);
    if (!m) continue;
    const i = Number(m[1]);
    if (m[2]) room.streams[i] = { ...room.streams[i], [m[2]]: v };
    else room.streams[i] = { ...(v as Record<string, unknown>) };
  }
}

async function enteredRoom(platform: 'wx' | 'tt', maxPlayers: number): Promise<Room> {
  const adapter = new FakeAdapter(platform);
  adapter.maxPlayers = maxPlayers;
  const room: Room = { ctl: null as unknown as RoomController, adapter, events: [], streams: [] };
  room.ctl = new RoomController(
    Object.assign(adapter, { playSrc: platform === 'wx' ? wxPlaySrc : undefined }),
    {
      setData: (patch, cb) => {
        apply(room, patch);
        cb?.();
      },
      emit: (ev) => room.events.push(ev),
      timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as number) },
      now: () => Date.now(),
      log: () => undefined,
    },
    platform === 'wx'
      ? { sdkAppID: 1400000001, userID: 'me', userSig: 'sig', roomID: 7, template: 'grid' }
      : { sdkAppID: '618a0ef784f0cc00c33bd7fc', userID: 'me', userSig: 'tok', roomID: 7, template: 'grid' },
  );
  adapter.sink = room.ctl.onAdapterEvent;
  const started = room.ctl.start();
  for (let i = 0; i < 5; i++) await Promise.resolve();
  jest.advanceTimersByTime(20);
  adapter.emit({ type: 'entered' });
  await started;
  return room;
}

/** 40 user IDs, four of them Object.prototype names */
const USERS = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  ...Array.from({ length: 36 }, (_, i) => `u${i}`),
];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

/** One random WeChat live-pusher statechange (code, message). */
function wxEvent(r: () => number): [number, unknown] {
  const some = () => Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(r, USERS));
  const url = (id: string, st: string) => `room://cloud.tencent.com/rtc?userid=${id}&streamtype=${st}`;
  const list = (items: Array<Record<string, unknown>>) => JSON.stringify({ userlist: items });
  const x = r();
  if (x < 0.2) return [1031, list(some().map((userid) => ({ userid })))];
  if (x < 0.3) return [1032, list(some().map((userid) => ({ userid })))];
  if (x < 0.55) {
    const st = r() < 0.2 ? 'aux' : 'main';
    return [
      1033,
      list(some().map((id) => ({ userid: id, playurl: url(id, st), streamtype: st, hasvideo: r() < 0.6 }))),
    ];
  }
  if (x < 0.75)
    return [
      1034,
      list(some().map((id) => ({ userid: id, playurl: url(id, 'main'), hasaudio: r() < 0.6 ? 1 : 0 }))),
    ];
  if (x < 0.82) return [1020, list(some().map((userid) => ({ userid })))];
  if (x < 0.88) return [pick(r, [1031, 1033, 1034]), '{"userlist": [ {"userid": '];
  if (x < 0.92) return [pick(r, [1031, 1034]), JSON.stringify({ userlist: [{ nouser: 1 }, 7, null] })];
  return [pick(r, [1001, 1002, 2003, 4000, 9999, -9999]), 'whatever'];
}

function ttEvent(r: () => number): AdapterEvent {
  const ids = USERS.filter(() => r() < 0.25);
  if (r() < 0.3) ids.push('me');
  return { type: 'members', list: pick(r, ['chat', 'video', 'speakers', 'screen'] as const), userIDs: ids };
}

/** Streams with something to play, by the page-visible API. */
function mediaStreams(room: Room): string[] {
  const out: string[] = [];
  for (const u of room.ctl.getRemoteUsers()) {
    if (u.hasAudio || u.hasVideo) out.push(`${u.userID}|main`);
    if (u.hasAuxVideo) out.push(`${u.userID}|aux`);
  }
  return out.sort();
}

function players(room: Room): string[] {
  return room.streams
    .filter((t) => t && !t.free && t.player)
    .map((t) => `${String(t.userID)}|${String(t.streamType)}`)
    .sort();
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

async function storm(platform: 'wx' | 'tt', seed: number, maxPlayers: number): Promise<Room> {
  const r = prng(seed);
  const room = await enteredRoom(platform, maxPlayers);
  room.events.length = 0;
  const n = 40 + Math.floor(r() * 40);
  let last: (() => void) | null = null;
  for (let i = 0; i < n; i++) {
    let send: () => void;
    if (last && r() < 0.1)
      send = last; // a duplicate
    else if (platform === 'wx') {
      const [code, message] = wxEvent(r);
      send = () => {
        for (const ev of parsePusherState(code, message)) room.ctl.onAdapterEvent(ev);
      };
    } else {
      const ev = ttEvent(r);
      send = () => room.ctl.onAdapterEvent(ev);
    }
    send();
    last = send;
    if (r() < 0.3) jest.advanceTimersByTime(Math.floor(r() * 30));
  }
  jest.advanceTimersByTime(20);
  return room;
}

describe.each(['wx', 'tt'] as const)('random event storms on %s', (platform) => {
  test('300 sequences: native players are exactly the streams with audio or video; no error, no exception', async () => {
    for (let seed = 1; seed <= 300; seed++) {
      const room = await storm(platform, seed, Infinity);
      const context = `${platform} seed ${seed}`;
      expect([context, players(room)]).toEqual([context, mediaStreams(room)]);
      expect([context, room.events.filter((e) => e.tag === 'error')]).toEqual([context, []]);
      room.ctl.destroy();
    }
  });

  test('100 sequences under a limit of 6: players are streams with media, as many as the limit allows', async () => {
    for (let seed = 1001; seed <= 1100; seed++) {
      const room = await storm(platform, seed, 6);
      const media = mediaStreams(room);
      const got = players(room);
      const context = `${platform} seed ${seed}`;
      expect([context, got.every((p) => media.includes(p))]).toEqual([context, true]);
      expect([context, got.length]).toEqual([context, Math.min(6, media.length)]);
      expect([context, room.events.filter((e) => e.tag === 'error')]).toEqual([context, []]);
      room.ctl.destroy();
    }
  });
});
