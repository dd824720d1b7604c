import { diffRoom, initialRoomState, reduceRoom, RoomAction, RoomState } from '../utils/room/reducer';
import type { RoomEvent } from '../utils/core/events';

function run(actions: RoomAction[], local = 'me'): { state: RoomState; events: RoomEvent[] } {
  let state = initialRoomState(local);
  const events: RoomEvent[] = [];
  for (const a of actions) {
    const next = reduceRoom(state, a);
    events.push(...diffRoom(state, next));
    state = next;
  }
  return { state, events };
}

const join = (userID: string): RoomAction => ({ type: 'user_join', userID });
const leave = (userID: string): RoomAction => ({ type: 'user_leave', userID });
const video = (userID: string, available: boolean, url?: string): RoomAction => ({
  type: 'video',
  userID,
  streamType: 'main',
  available,
  url,
});
const audio = (userID: string, available: boolean): RoomAction => ({ type: 'audio', userID, available });

test('join, streams, leave: leave reports every stream off before user_leave', () => {
  const { events, state } = run([join('bob'), video('bob', true), audio('bob', true), leave('bob')]);
  expect(events).toEqual([
    { tag: 'user_join', code: 0, detail: { userID: 'bob' } },
    { tag: 'video_available', code: 1, detail: { userID: 'bob', streamType: 'main' } },
    { tag: 'audio_available', code: 1, detail: { userID: 'bob' } },
    { tag: 'video_available', code: 0, detail: { userID: 'bob', streamType: 'main' } },
    { tag: 'audio_available', code: 0, detail: { userID: 'bob' } },
    { tag: 'user_leave', code: 0, detail: { userID: 'bob' } },
  ]);
  expect(state.users.size).toBe(0);
});

test('1033/1034 before 1031 are kept: the user joins with the stream', () => {
  const { events } = run([video('bob', true, 'room://x?userid=bob&streamtype=main'), join('bob')]);
  expect(events.map((e) => `${e.tag}:${e.code}`)).toEqual(['user_join:0', 'video_available:1']);
});

test('duplicates are harmless and emit nothing', () => {
  const { events } = run([
    join('bob'),
    join('bob'),
    video('bob', true),
    video('bob', true),
    audio('bob', false),
  ]);
  expect(events.map((e) => e.tag)).toEqual(['user_join', 'video_available']);
});

test('a late "off" for someone who left does not bring them back', () => {
  const { events, state } = run([
    join('bob'),
    leave('bob'),
    video('bob', false),
    audio('bob', false),
    leave('bob'),
  ]);
  expect(events.map((e) => e.tag)).toEqual(['user_join', 'user_leave']);
  expect(state.users.size).toBe(0);
});

test('the local user never appears as remote', () => {
  const { events } = run([
    join('me'),
    video('me', true),
    { type: 'members', list: 'chat', userIDs: ['me', 'bob'] },
  ]);
  expect(events).toEqual([
    { tag: 'user_join', code: 0, detail: { userID: 'bob' } },
    // a Douyin member is heard while present (the lists do not say more about a microphone)
    { tag: 'audio_available', code: 1, detail: { userID: 'bob' } },
  ]);
});

test('invalid ids are ignored', () => {
  const { events } = run([join(''), { type: 'user_join', userID: 5 as unknown as string }, video('', true)]);
  expect(events).toEqual([]);
});

test('aux (screen share) is its own stream', () => {
  const { events, state } = run([
    join('bob'),
    { type: 'video', userID: 'bob', streamType: 'aux', available: true, url: 'u-aux' },
  ]);
  expect(events[1]).toEqual({
    tag: 'video_available',
    code: 1,
    detail: { userID: 'bob', streamType: 'aux' },
  });
  expect(state.users.get('bob')?.auxUrl).toBe('u-aux');
});

describe('Douyin member lists', () => {
  const list = (l: 'chat' | 'video' | 'speakers' | 'screen', ids: string[]): RoomAction => ({
    type: 'members',
    list: l,
    userIDs: ids,
  });

  test('lists in any order give the same final events and state', () => {
    const a = run([list('chat', ['bob']), list('video', ['bob']), list('speakers', ['bob'])]);
    const b = run([list('speakers', ['bob']), list('video', ['bob']), list('chat', ['bob'])]);
    expect(a.state.users.get('bob')).toMatchObject({ video: true, audio: true, aux: false });
    expect(b.state.users.get('bob')).toMatchObject({ video: true, audio: true, aux: false });
    expect(a.events.filter((e) => e.tag === 'user_join')).toHaveLength(1);
    expect(b.events.filter((e) => e.tag === 'user_join')).toHaveLength(1);
  });

  test('a user leaves only when absent from every latest list', () => {
    const r = run([list('chat', ['bob', 'carol']), list('video', ['bob']), list('chat', ['carol'])]);
    expect(r.state.users.get('bob')).toBeDefined();
    const r2 = run([
      list('chat', ['bob', 'carol']),
      list('video', ['bob']),
      list('chat', ['carol']),
      list('video', []),
    ]);
    expect(r2.state.users.get('bob')).toBeUndefined();
    expect(r2.events.slice(-3).map((e) => `${e.tag}:${e.code}`)).toEqual([
      'video_available:0',
      'audio_available:0',
      'user_leave:0',
    ]);
  });

  test('repeated lists emit nothing; screen list maps to aux', () => {
    const r = run([
      list('chat', ['bob']),
      list('chat', ['bob']),
      list('screen', ['bob']),
      list('screen', ['bob']),
    ]);
    expect(r.events.map((e) => e.tag)).toEqual(['user_join', 'audio_available', 'video_available']);
    expect(r.events[2].detail).toEqual({ userID: 'bob', streamType: 'aux' });
  });

  test('the speakers list is who talks now: it never flips audio_available', () => {
    const r = run([
      list('chat', ['bob']),
      list('speakers', ['bob']),
      list('speakers', []),
      list('speakers', ['bob']),
    ]);
    expect(r.events.map((e) => `${e.tag}:${e.code}`)).toEqual(['user_join:0', 'audio_available:1']);
    expect(r.state.users.get('bob')?.audio).toBe(true);
  });

  test('a non-array list counts as empty', () => {
    const r = run([
      list('chat', ['bob']),
      { type: 'members', list: 'chat', userIDs: null as unknown as string[] },
    ]);
    expect(r.state.users.size).toBe(0);
  });
});

test('reconnect resync: users not confirmed in the new epoch are swept', () => {
  let s = run([join('bob'), join('carol')]).state;
  s = reduceRoom(s, { type: 'new_epoch' });
  s = reduceRoom(s, join('bob'));
  const before = s;
  s = reduceRoom(s, { type: 'sweep', epoch: s.epoch });
  expect([...s.users.keys()]).toEqual(['bob']);
  expect(diffRoom(before, s)).toEqual([{ tag: 'user_leave', code: 0, detail: { userID: 'carol' } }]);
});

test('sweep: a confirmed user keeps only the streams reported on again since the epoch', () => {
  let s = run([
    join('bob'),
    { type: 'video', userID: 'bob', streamType: 'main', available: true },
    { type: 'video', userID: 'bob', streamType: 'aux', available: true },
    { type: 'audio', userID: 'bob', available: true },
  ]).state;
  s = reduceRoom(s, { type: 'new_epoch' });
  s = reduceRoom(s, join('bob'));
  s = reduceRoom(s, { type: 'audio', userID: 'bob', available: true });
  const before = s;
  s = reduceRoom(s, { type: 'sweep', epoch: s.epoch });
  expect(s.users.get('bob')).toMatchObject({ video: false, aux: false, audio: true });
  expect(diffRoom(before, s)).toEqual([
    { tag: 'video_available', code: 0, detail: { userID: 'bob', streamType: 'main' } },
    { tag: 'video_available', code: 0, detail: { userID: 'bob', streamType: 'aux' } },
  ]);
  // nothing stale: the sweep changes nothing
  expect(reduceRoom(s, { type: 'sweep', epoch: s.epoch })).toBe(s);
});

test('unchanged state keeps identity (no diff work)', () => {
  const s = run([join('bob')]).state;
  expect(reduceRoom(s, join('bob'))).toBe(s);
  expect(diffRoom(s, s)).toEqual([]);
});
