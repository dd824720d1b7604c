import { initialRoomState, reduceRoom, RoomAction, RoomState } from '../utils/room/reducer';
import { gridPageCount, gridPageOf, TileView, ViewInput } from '../utils/view/tiles';
import { wxPlaySrc } from '../utils/platform/wx/policy';
import { viewInput } from './helpers/view-input';
import { rectStyle } from '../utils/view/slots';

function stateWith(ids: string[], extra: RoomAction[] = []): RoomState {
  let s = initialRoomState('me');
  for (const id of ids) {
    s = reduceRoom(s, { type: 'user_join', userID: id });
    s = reduceRoom(s, { type: 'video', userID: id, streamType: 'main', available: true });
  }
  for (const a of extra) s = reduceRoom(s, a);
  return s;
}

function input(state: RoomState, patch: Partial<ViewInput> = {}): ViewInput {
  return viewInput(state, { src: wxPlaySrc, ...patch });
}

const bytes = (p: Record<string, unknown>) => JSON.stringify(p).length;

test('first tile is sent whole, then only changed fields as paths', () => {
  const v = new TileView();
  const p1 = v.update(input(stateWith(['bob'])));
  expect(Object.keys(p1)).toEqual(['streams[0]', 'mainKey', 'tileCount', 'mainRank']);
  // no rank: the layouts rank a tile by its slot and the room's holes
  expect(p1['streams[0]']).not.toHaveProperty('rank');
  const p2 = v.update(input(stateWith(['bob'], [{ type: 'audio', userID: 'bob', available: true }])));
  expect(p2).toEqual({ 'streams[0].hasAudio': true });
  expect(v.update(input(stateWith(['bob'], [{ type: 'audio', userID: 'bob', available: true }])))).toEqual(
    {},
  );
});

test('the bytes for one join do not grow with the room size', () => {
  const sizes = [1, 4, 16, 50].map((n) => {
    const ids = Array.from({ length: n }, (_, i) => `u${String(i).padStart(3, '0')}`);
    const v = new TileView();
    v.update(input(stateWith(ids)));
    return bytes(v.update(input(stateWith([...ids, 'newcomer']))));
  });
  // only digits differ: the slot index ("streams[4]" vs "streams[50]", "player-4" vs "player-50") and the
  // room's tileCount
  expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(4);
});

test('a leave frees its slot with a small marker and names it a hole; the next join reuses the slot', () => {
  const v = new TileView();
  v.update(input(stateWith(['a', 'b', 'c'])));
  const leave = v.update(input(stateWith(['a', 'c'])));
  // c moves up one place (its layout position changes) without being sent anything: the layouts rank it by
  // its slot minus the holes before it
  expect(leave).toEqual({ 'streams[1]': { key: '~1', free: true }, tileCount: 2, holes: [1] });
  const join = v.update(input(stateWith(['a', 'c', 'd'])));
  expect(Object.keys(join).sort()).toEqual(['holes', 'streams[1]', 'tileCount']);
  expect(join.holes).toEqual([]);
  expect(join['streams[1]']).toMatchObject({ userID: 'd', id: 'player-1' });
  // an update that leaves the holes as they were sends none
  expect(v.update(input(stateWith(['a', 'c', 'd'])))).toEqual({});
  // free slots after the last tile rank nothing and are not named
  // (slots now: a, d, c)
  expect(v.update(input(stateWith(['a', 'd'])))).toEqual({
    'streams[2]': { key: '~2', free: true },
    tileCount: 2,
  });
  expect(v.update(input(stateWith(['d'])))).toMatchObject({ 'streams[0]': { free: true }, holes: [0] });
  expect(v.update(input(stateWith([])))).toMatchObject({ holes: [], tileCount: 0 });
});

test('the bytes for one leave do not grow with the room size', () => {
  // sizes where the leave keeps the grid's page count and the big view (those send one more scalar), and the
  // leaver is not the last tile (a free slot at the end ranks nothing and sends no hole)
  const sizes = [3, 5, 17, 49].map((n) => {
    const ids = Array.from({ length: n }, (_, i) => `u${String(i).padStart(3, '0')}`);
    const v = new TileView();
    v.update(input(stateWith(ids)));
    const leaver = Math.floor(n / 2);
    return bytes(v.update(input(stateWith(ids.filter((_, i) => i !== leaver)))));
  });
  // only digits differ: the slot index, the hole and tileCount
  expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(4);
});

test('two joins in one update get two different slots', () => {
  const v = new TileView();
  v.update(input(stateWith(['a', 'b', 'c'])));
  v.update(input(stateWith(['c'])));
  const p = v.update(input(stateWith(['c', 'x', 'y'])));
  expect(p['streams[0]']).toMatchObject({ userID: 'x' });
  expect(p['streams[1]']).toMatchObject({ userID: 'y' });
});

test('bigsmall main view is sticky, prefers screen share when the main one leaves', () => {
  const v = new TileView();
  v.update(input(stateWith(['a', 'b'])));
  expect(v.currentScalars.mainKey).toBe('player-0');
  v.update(
    input(stateWith(['a', 'b'], [{ type: 'video', userID: 'b', streamType: 'aux', available: true }])),
  );
  expect(v.currentScalars.mainKey).toBe('player-0');
  v.update(input(stateWith(['b'], [{ type: 'video', userID: 'b', streamType: 'aux', available: true }])));
  expect(v.tiles().find((t) => t.id === v.currentScalars.mainKey)).toMatchObject({
    userID: 'b',
    streamType: 'aux',
  });
  expect(v.pin('b', 'main')).toBe(true);
  expect(v.pin('zz', 'main')).toBe(false);
});

test('grid: off-page tiles do not pull video; paging changes only muteVideo', () => {
  const ids = ['a', 'b', 'c', 'd', 'e'];
  const v = new TileView();
  const p = v.update(input(stateWith(ids), { template: 'grid' }));
  expect(p.gridPages).toBe(2);
  expect(v.tiles().map((t) => t.muteVideo)).toEqual([false, false, false, true, true]);
  const p2 = v.update(input(stateWith(ids), { template: 'grid', gridPage: 1 }));
  expect(p2).toEqual({
    'streams[0].muteVideo': true,
    'streams[1].muteVideo': true,
    'streams[2].muteVideo': true,
    'streams[3].muteVideo': false,
    'streams[4].muteVideo': false,
    gridPage: 1,
  });
  // a page beyond the last is clamped
  expect(v.update(input(stateWith(ids), { template: 'grid', gridPage: 9 }))).toEqual({});
  expect(gridPageOf(2)).toBe(0);
  expect(gridPageOf(3)).toBe(1);
  expect(gridPageCount(0)).toBe(1);
  expect(gridPageCount(3)).toBe(1);
  expect(gridPageCount(4)).toBe(2);
});

test('custom: tiles without a rectangle do not pull video', () => {
  const v = new TileView();
  v.update(
    input(stateWith(['a', 'b']), {
      template: 'custom',
      customRects: { a: { left: 0, top: 0, width: 100, height: 100 } },
    }),
  );
  expect(v.tiles().map((t) => t.muteVideo)).toEqual([false, true]);
});

test('subscriptions: small stream URL, unsubscribed audio/video, rebuild counter changes the key', () => {
  const v = new TileView();
  const s = stateWith(
    ['bob'],
    [
      {
        type: 'video',
        userID: 'bob',
        streamType: 'main',
        available: true,
        url: 'room://cloud.tencent.com/rtc?userid=bob&streamtype=main',
      },
    ],
  );
  v.update(input(s));
  const p = v.update(
    input(s, { subs: new Map([['bob|main', { video: false, audio: false, small: true }]]) }),
  );
  expect(p).toEqual({
    'streams[0].src': 'room://cloud.tencent.com/rtc?userid=bob&streamtype=small',
    'streams[0].muteVideo': true,
    'streams[0].muteAudio': true,
    // nothing of it subscribed: no player
    'streams[0].player': false,
  });
  const r = v.update(input(s, { revs: new Map([['bob|main', 1]]) }));
  expect(r['streams[0]']).toMatchObject({
    key: 'bob|main#1',
    src: 'room://cloud.tencent.com/rtc?userid=bob&streamtype=main',
  });
});

test('audio-only users get a tile; autoSubscribe off mutes by default', () => {
  let s = initialRoomState('me');
  s = reduceRoom(s, { type: 'audio', userID: 'voice', available: true });
  const v = new TileView();
  v.update(input(s, { autoSubscribe: false }));
  expect(v.tiles()).toEqual([
    expect.objectContaining({
      userID: 'voice',
      hasVideo: false,
      hasAudio: true,
      muteAudio: true,
      muteVideo: true,
    }),
  ]);
});

test('reset clears the list in one key', () => {
  const v = new TileView();
  v.update(input(stateWith(['a'])));
  expect(v.reset()).toEqual({ streams: [], mainKey: '', tileCount: 0, mainRank: -1 });
  expect(v.tiles()).toEqual([]);
});

describe('player limit policy', () => {
  const players = (v: TileView) =>
    v
      .tiles()
      .filter((t) => t.player)
      .map((t) => `${t.userID}|${t.streamType}`);

  test('holders keep their player; a screen share waits ahead of main streams; the first free player goes to it', () => {
    const v = new TileView();
    let s = stateWith(['a', 'b']);
    v.update(input(s, { maxPlayers: 2 }));
    expect(players(v)).toEqual(['a|main', 'b|main']);
    expect(v.lastCreated).toEqual(['a|main', 'b|main']);
    s = stateWith(['a', 'b', 'c'], [{ type: 'video', userID: 'c', streamType: 'aux', available: true }]);
    v.update(input(s, { maxPlayers: 2 }));
    // nobody loses a player to a newcomer
    expect(players(v)).toEqual(['a|main', 'b|main']);
    expect(v.waiting).toBe(2);
    s = reduceRoom(s, { type: 'user_leave', userID: 'a' });
    v.update(input(s, { maxPlayers: 2 }));
    expect(players(v)).toEqual(['b|main', 'c|aux']);
    expect(v.lastCreated).toEqual(['c|aux']);
    expect(v.waiting).toBe(1);
  });

  test('a member without audio or video has a tile and no player', () => {
    const v = new TileView();
    const s = reduceRoom(initialRoomState('me'), { type: 'user_join', userID: 'quiet' });
    const p = v.update(input(s));
    expect(p['streams[0]']).toMatchObject({ userID: 'quiet', player: false });
    expect(v.waiting).toBe(0);
  });

  test('customRects are looked up as own properties: `constructor` is not Object.prototype.constructor', () => {
    const v = new TileView();
    const s = stateWith(['constructor', 'toString']);
    const p = v.update(
      input(s, { template: 'custom', customRects: { toString: { left: 1, top: 2, width: 3, height: 4 } } }),
    );
    expect(p['streams[0]']).toMatchObject({ userID: 'constructor', muteVideo: true });
    expect((p['streams[0]'] as { rect?: unknown }).rect).toBeUndefined();
    expect(p['streams[1]']).toMatchObject({
      userID: 'toString',
      muteVideo: false,
      rect: 'left:1px;top:2px;width:3px;height:4px;z-index:1;',
    });
  });
});

describe("customRects: the key 'local' is the local view's", () => {
  const R = (n: number) => ({ left: n, top: 0, width: 10, height: 10 });

  test("a remote user named 'local' never gets the local view's rectangle; it is parked and named", () => {
    const v = new TileView();
    const p = v.update(
      input(stateWith(['local', 'bob']), { template: 'custom', customRects: { local: R(1), bob: R(2) } }),
    );
    expect(p['streams[0]']).toMatchObject({ userID: 'local', muteVideo: true });
    expect((p['streams[0]'] as { rect?: unknown }).rect).toBeUndefined();
    expect(p['streams[1]']).toMatchObject({ userID: 'bob', rect: rectStyle(R(2)) });
    expect(v.reservedLocal).toBe(true);
  });

  test("'local|main' places the remote user 'local' (as '<userID>|main' places anyone)", () => {
    const v = new TileView();
    const rects = { local: R(1), 'local|main': R(3), 'bob|main': R(4), bob: R(5) };
    const p = v.update(input(stateWith(['local', 'bob']), { template: 'custom', customRects: rects }));
    expect(p['streams[0]']).toMatchObject({ userID: 'local', muteVideo: false, rect: rectStyle(R(3)) });
    // '<userID>|main' wins over '<userID>'
    expect(p['streams[1]']).toMatchObject({ userID: 'bob', rect: rectStyle(R(4)) });
    expect(v.reservedLocal).toBe(false);
  });

  test("a remote 'local' without the key 'local' in customRects is like any unplaced tile (no warning)", () => {
    const v = new TileView();
    v.update(input(stateWith(['local']), { template: 'custom', customRects: { bob: R(2) } }));
    expect(v.tiles()[0]).toMatchObject({ userID: 'local', muteVideo: true });
    expect(v.reservedLocal).toBe(false);
    // the screen share of 'local' is placed by 'local|aux' as anyone's
    const s = stateWith(['local'], [{ type: 'video', userID: 'local', streamType: 'aux', available: true }]);
    v.update(input(s, { template: 'custom', customRects: { local: R(1), 'local|aux': R(6) } }));
    expect(v.tiles()[1]).toMatchObject({ streamType: 'aux', rect: rectStyle(R(6)) });
    expect(v.reservedLocal).toBe(true);
    // outside `custom` the rectangles place nothing and nothing is named
    v.update(input(s, { template: 'grid', customRects: { local: R(1) } }));
    expect(v.reservedLocal).toBe(false);
  });
});

describe('players for what the page subscribed', () => {
  const players = (v: TileView) =>
    v
      .tiles()
      .filter((t) => t.player)
      .map((t) => t.userID);

  test('a stream nothing is subscribed of holds no player: a subscribed one past the limit gets it', () => {
    const v = new TileView();
    const s = stateWith(['a', 'b', 'c'], [{ type: 'audio', userID: 'a', available: true }]);
    v.update(input(s, { maxPlayers: 2, autoSubscribe: false }));
    expect(players(v)).toEqual([]);
    expect(v.waiting).toBe(0);
    const subs = new Map([['c|main', { video: true, audio: false, small: false }]]);
    v.update(input(s, { maxPlayers: 2, autoSubscribe: false, subs }));
    expect(players(v)).toEqual(['c']);
    // audio only: a player where audio needs one (WeChat), none where it does not (Douyin)
    subs.set('a|main', { video: false, audio: true, small: false });
    v.update(input(s, { maxPlayers: 2, autoSubscribe: false, subs }));
    expect(players(v)).toEqual(['a', 'c']);
    const tt = new TileView();
    tt.update(input(s, { maxPlayers: 2, autoSubscribe: false, subs, videoOnlyViews: true }));
    expect(players(tt)).toEqual(['c']);
  });
});
