import {
  FOLLOW_DWELL_MS,
  normalizeVolume,
  SPEAKING_HOLD_MS,
  SpeakerTick,
  Speakers,
  VOLUME_INTERVAL_MS,
} from '../utils/room/speakers';
import { TileView } from '../utils/view/tiles';
import { viewInput } from './helpers/view-input';
import { initialRoomState, reduceRoom, RoomState } from '../utils/room/reducer';

let now = 0;
let ticks: SpeakerTick[];
let s: Speakers;

beforeEach(() => {
  jest.useFakeTimers();
  now = 0;
  ticks = [];
  s = new Speakers(
    { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as number) },
    () => now,
    (t) => ticks.push(t),
  );
});

afterEach(() => jest.useRealTimers());

/** Fake time in 50 ms steps, so each timer sees its own `now`. */
function advance(ms: number) {
  for (let t = 0; t < ms; t += 50) {
    const step = Math.min(50, ms - t);
    now += step;
    jest.advanceTimersByTime(step);
  }
}

/** `volumes` every 100 ms for `ms` (WeChat notifies several times a second). */
function talk(volumes: Record<string, number>, ms: number) {
  for (let t = 0; t < ms; t += 100) {
    for (const [id, v] of Object.entries(volumes)) s.report(id, v);
    advance(100);
  }
}

test('normalizeVolume: numbers and numeric strings clamp to 0-100, anything else is null', () => {
  expect(normalizeVolume(42.6)).toBe(43);
  expect(normalizeVolume('7')).toBe(7);
  expect(normalizeVolume(140)).toBe(100);
  expect(normalizeVolume(-3)).toBe(0);
  expect(normalizeVolume(undefined)).toBeNull();
  expect(normalizeVolume('loud')).toBeNull();
  expect(normalizeVolume(NaN)).toBeNull();
  expect(normalizeVolume({})).toBeNull();
});

test('many notifications make one tick per window with the loudest value of each user', () => {
  s.report('', 30);
  s.report('bob', 5);
  s.report('', 60);
  s.report('bob', 12);
  s.report('', 40);
  expect(ticks).toEqual([]);
  advance(VOLUME_INTERVAL_MS);
  expect(ticks).toEqual([
    {
      volumes: [
        { userID: '', volume: 60 },
        { userID: 'bob', volume: 12 },
      ],
      changed: true,
      activeChanged: false,
    },
  ]);
  expect(s.isSpeaking('')).toBe(true);
  expect(s.isSpeaking('bob')).toBe(false);
});

test('ten seconds of notifications: at most one tick per window, the speaking flag flips once', () => {
  talk({ bob: 50 }, 10000);
  expect(ticks.length).toBeLessThanOrEqual(Math.ceil(10000 / VOLUME_INTERVAL_MS));
  expect(ticks.filter((t) => t.changed)).toHaveLength(1);
});

test('silence is sent once, not every window', () => {
  talk({ bob: 0 }, 3000);
  expect(ticks).toEqual([]);
  talk({ bob: 12 }, 300);
  talk({ bob: 0 }, 3000);
  expect(ticks.map((t) => t.volumes)).toEqual([
    [{ userID: 'bob', volume: 12 }],
    [{ userID: 'bob', volume: 0 }],
  ]);
});

test('hysteresis: short dips keep speaking; silence longer than the hold ends it without new reports', () => {
  talk({ bob: 50 }, 600);
  expect(s.isSpeaking('bob')).toBe(true);
  // a pause between words
  talk({ bob: 3 }, SPEAKING_HOLD_MS - 300);
  expect(s.isSpeaking('bob')).toBe(true);
  talk({ bob: 50 }, 300);
  const flips = ticks.filter((t) => t.changed).length;
  expect(flips).toBe(1);
  // the player stops notifying altogether: the flag still ends
  advance(SPEAKING_HOLD_MS + VOLUME_INTERVAL_MS * 2);
  expect(s.isSpeaking('bob')).toBe(false);
  expect(ticks.filter((t) => t.changed)).toHaveLength(2);
});

test('a middle level (between off and on) does not start speaking', () => {
  talk({ bob: 15 }, 1000);
  expect(s.isSpeaking('bob')).toBe(false);
});

test('active speaker: first speaker at once; a louder one only after leading and after the dwell', () => {
  talk({ bob: 50 }, 300);
  expect(s.activeSpeaker).toBe('bob');
  // carol louder for a moment: no flapping
  talk({ bob: 40, carol: 80 }, 300);
  expect(s.activeSpeaker).toBe('bob');
  // carol keeps leading past the dwell
  talk({ bob: 40, carol: 80 }, FOLLOW_DWELL_MS);
  expect(s.activeSpeaker).toBe('carol');
  // the local user never takes the big view
  talk({ '': 100, carol: 30 }, 4000);
  expect(s.activeSpeaker).toBe('carol');
});

test('alternating loudest speakers every window never move the big view after the first', () => {
  for (let i = 0; i < 20; i++) talk(i % 2 ? { bob: 90, carol: 40 } : { bob: 40, carol: 90 }, 300);
  expect(ticks.filter((t) => t.activeChanged)).toHaveLength(1);
});

test('a departed active speaker hands over at once', () => {
  talk({ bob: 50 }, 300);
  talk({ bob: 50, carol: 60 }, 300);
  s.forget('bob');
  talk({ carol: 60 }, 300);
  expect(s.activeSpeaker).toBe('carol');
});

test('Douyin: the speakers list is the speaking set; no volumes', () => {
  s.setSpeaking(['', 'bob']);
  advance(VOLUME_INTERVAL_MS);
  expect(ticks).toEqual([{ volumes: [], changed: true, activeChanged: true }]);
  expect(s.isSpeaking('')).toBe(true);
  expect(s.activeSpeaker).toBe('bob');
  s.setSpeaking(['carol', 'bob']);
  advance(VOLUME_INTERVAL_MS);
  // bob still speaks: he keeps the view
  expect(s.activeSpeaker).toBe('bob');
  s.setSpeaking(['carol']);
  advance(FOLLOW_DWELL_MS);
  expect(s.activeSpeaker).toBe('carol');
});

test('reset(true): no timer, later reports ignored', () => {
  s.report('bob', 80);
  s.reset(true);
  s.report('bob', 80);
  advance(5000);
  expect(ticks).toEqual([]);
  expect(jest.getTimerCount()).toBe(0);
});

describe('tiles: speaking flag and followSpeaker', () => {
  function room(...ids: string[]): RoomState {
    let st = initialRoomState('alice');
    for (const id of ids)
      st = reduceRoom(st, { type: 'video', userID: id, streamType: 'main', available: true });
    return st;
  }
  const input = viewInput;

  test('a speaking flip is one path key; the active speaker becomes the big view; a pin wins until unpinned', () => {
    const v = new TileView();
    const st = room('bob', 'carol');
    expect(v.update(input(st)).mainKey).toBe('player-0');
    expect(v.update(input(st, { speaking: new Set(['carol']) }))).toEqual({ 'streams[1].speaking': true });
    expect(v.update(input(st, { speaking: new Set(['carol']), follow: 'carol' }))).toEqual({
      mainKey: 'player-1',
      mainRank: 1,
    });
    expect(v.pin('bob', 'main')).toBe(true);
    expect(v.update(input(st, { follow: 'carol' }))).toEqual({
      'streams[1].speaking': false,
      mainKey: 'player-0',
      mainRank: 0,
    });
    expect(v.unpin()).toBe(true);
    expect(v.update(input(st, { follow: 'carol' }))).toEqual({ mainKey: 'player-1', mainRank: 1 });
    // without followSpeaker the big view stays where it is
    expect(v.update(input(st, { follow: '' }))).toEqual({});
  });
});
