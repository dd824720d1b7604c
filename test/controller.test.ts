import {
  ENTER_TIMEOUT_MS,
  RECONNECT_DELAYS,
  RESYNC_WINDOW_MS,
  RoomController,
  RoomProps,
} from '../utils/room/controller';
import { RoomError, RoomEvent } from '../utils/core/events';
import type { AdapterEvent } from '../utils/platform/adapter';
import { FakeAdapter } from './helpers/fake-adapter';
import { controllerRig, tick } from './helpers/controller';

const PROPS: RoomProps = {
  sdkAppID: 1400000001,
  userID: 'alice',
  userSig: 'sig',
  roomID: 42,
  template: 'bigsmall',
};

let adapter: FakeAdapter;
let events: RoomEvent[];
let setData: jest.Mock;
let ctl: RoomController;

function make(props: RoomProps = PROPS, platform: 'wx' | 'tt' = 'wx') {
  ({ adapter, events, setData, ctl } = controllerRig(props, platform));
}

async function enter() {
  const p = ctl.start();
  await tick();
  expect(adapter.count('enter')).toBe(1);
  jest.advanceTimersByTime(50);
  adapter.emit({ type: 'entered' });
  const r = await p;
  await tick();
  events.length = 0;
  return r;
}

beforeEach(() => {
  jest.useFakeTimers();
  make();
});
afterEach(() => jest.useRealTimers());

describe('start()', () => {
  test('resolves with the elapsed time on entered and emits enter_room once', async () => {
    const p = ctl.start();
    expect(ctl.start()).toBe(p);
    await tick();
    expect(setData).toHaveBeenCalledWith(
      expect.objectContaining({ phase: 'entering', 'pusher.url': 'room://fake' }),
      expect.any(Function),
    );
    jest.advanceTimersByTime(250);
    adapter.emit({ type: 'entered' });
    adapter.emit({ type: 'entered' });
    const r = await p;
    expect(r.elapsed).toBeGreaterThanOrEqual(250);
    expect(events).toEqual([{ tag: 'enter_room', code: r.elapsed, detail: { roomID: 42, userID: 'alice' } }]);
    expect(await ctl.start()).toEqual(r);
  });

  test('invalid parameters reject with -1 naming the field, before any platform call', async () => {
    make({ ...PROPS, userID: 'bad id' });
    await expect(ctl.start()).rejects.toMatchObject({
      tag: 'error',
      code: -1,
      detail: { field: 'userID', rawCode: 0 },
    });
    expect(events).toEqual([
      { tag: 'error', code: -1, detail: { field: 'userID', rawCode: 0, message: expect.any(String) } },
    ]);
    expect(adapter.calls).toEqual([]);
  });

  test('unknown template and bad media props are -1 too', async () => {
    make({ ...PROPS, template: 'mosaic' });
    await expect(ctl.start()).rejects.toMatchObject({ code: -1, detail: { field: 'template' } });
    make({ ...PROPS, beauty: 12 });
    await expect(ctl.start()).rejects.toMatchObject({ code: -1, detail: { field: 'beauty' } });
  });

  test('unsupported platform is -2; permission refusal is -7; neither enters', async () => {
    adapter.support = new RoomError(-2, { message: 'old', rawCode: 0 });
    await expect(ctl.start()).rejects.toMatchObject({ code: -2 });
    make();
    adapter.permission = new RoomError(-7, {
      message: 'camera permission denied',
      rawCode: 0,
      reason: 'permission',
    });
    const p = ctl.start();
    await expect(p).rejects.toBeInstanceOf(RoomError);
    expect(events.map((e) => `${e.tag}:${e.code}`)).toEqual(['error:-7']);
    expect(adapter.count('enter')).toBe(0);
  });

  test('audience asks for no permission; anchor without camera asks only for the microphone', async () => {
    make({ ...PROPS, role: 'audience' });
    void ctl.start();
    await tick();
    expect(adapter.calls.find((c) => c[0] === 'ensurePermissions')).toEqual([
      'ensurePermissions',
      { camera: false, mic: false },
    ]);
    make({ ...PROPS, enableCamera: false });
    void ctl.start();
    await tick();
    expect(adapter.calls.find((c) => c[0] === 'ensurePermissions')).toEqual([
      'ensurePermissions',
      { camera: false, mic: true },
    ]);
  });

  test('enter failure (1022 / -9) rejects with the same detail as the error event and leaves', async () => {
    const p = ctl.start();
    await tick();
    adapter.emit({ type: 'enter_failed', code: -9, rawCode: -100018, message: 'sig' });
    const err = (await p.catch((e: RoomError) => e)) as RoomError;
    expect(events).toEqual([
      {
        tag: 'error',
        code: -9,
        detail: { message: 'credential rejected', platformMessage: 'sig', rawCode: -100018 },
      },
    ]);
    expect({ tag: err.tag, code: err.code, detail: err.detail }).toEqual(events[0]);
    expect(adapter.count('exit')).toBe(1);
    expect(ctl.currentPhase).toBe('idle');
  });

  test('no answer within the enter timeout is -10', async () => {
    const p = ctl.start();
    await tick();
    jest.advanceTimersByTime(ENTER_TIMEOUT_MS);
    await expect(p).rejects.toMatchObject({ code: -10 });
  });

  test('stop() while entering cancels start() without an error event or exit_room', async () => {
    const p = ctl.start();
    await tick();
    await ctl.stop();
    await expect(p).rejects.toMatchObject({ code: -10 });
    expect(events).toEqual([]);
  });

  test('stop() during the permission prompt wins: nothing enters afterwards', async () => {
    const p = ctl.start();
    await ctl.stop();
    await tick();
    await expect(p).rejects.toMatchObject({ code: -10 });
    expect(adapter.count('enter')).toBe(0);
  });

  test('startPreview() cancelled by stop() during the permission prompt: a refusal afterwards emits nothing', async () => {
    adapter.permission = new RoomError(-7, { message: 'camera refused', rawCode: 0, reason: 'permission' });
    const p = ctl.startPreview();
    await ctl.stop();
    await expect(p).resolves.toBeUndefined();
    await tick();
    expect(events).toEqual([]);
    expect(setData.mock.calls.some(([patch]) => 'guide' in patch)).toBe(false);
    expect(adapter.count('startPreview')).toBe(0);
  });
});

describe('in the room', () => {
  test('stop() emits exit_room 0 exactly once; a late native exit adds nothing', async () => {
    await enter();
    await ctl.stop();
    await ctl.stop();
    adapter.emit({ type: 'exited', reason: 0 });
    expect(events).toEqual([{ tag: 'exit_room', code: 0, detail: { reason: 'left' } }]);
  });

  test.each([
    ['stop()', () => ctl.stop()],
    ['a normal exit (1019 reason 0)', () => adapter.emit({ type: 'exited', reason: 0 })],
    ['kicked out', () => adapter.emit({ type: 'kicked', reason: 1, message: '' })],
    ['error -9 in the room', () => adapter.emit({ type: 'error', code: -9, rawCode: -100018, message: '' })],
  ])('after %s nothing of the ended session changes state or emits', async (_n, end) => {
    await enter();
    await end();
    await tick();
    events.length = 0;
    setData.mockClear();
    const late: AdapterEvent[] = [
      { type: 'user_join', userID: 'mallory' },
      { type: 'video', userID: 'mallory', streamType: 'main', available: true },
      { type: 'members', list: 'chat', userIDs: ['mallory'] },
      { type: 'entered' },
      { type: 'connection_lost', rawCode: -1307, message: 'late' },
      { type: 'kicked', reason: 2, message: 'late' },
      { type: 'warning', rawCode: 1, message: 'late' },
      { type: 'error', code: -4, rawCode: -1301, message: 'late' },
      { type: 'net_status', userID: '', quality: 6, info: {} },
      { type: 'token_will_expire' },
    ];
    for (const ev of late) adapter.emit(ev);
    await tick();
    jest.advanceTimersByTime(60000);
    expect(events).toEqual([]);
    expect(ctl.getRemoteUsers()).toEqual([]);
    expect(ctl.currentPhase).toBe('idle');
    expect(setData).not.toHaveBeenCalled();
    expect(adapter.count('enter')).toBe(1);
  });

  test.each([
    ['wx', 2, 'the room was dismissed', '房间已解散'],
    ['wx', 3, 'kicked out (reason 3)', '被移出房间（原因 3）'],
    ['tt', -1006, 'removed from the room by the server', '被服务端移出房间'],
    ['tt', -1011, 'the room was dismissed', '房间已解散'],
    ['tt', -1004, 'the same user ID joined the room elsewhere', '同一用户 ID 在别处进入了房间'],
    ['tt', 2, 'kicked out (reason 2)', '被移出房间（原因 2）'],
  ] as const)('kicked_out on %s, reason %d, says why: %s', async (platform, reason, en, zh) => {
    for (const lang of ['en', 'zh-CN'] as const) {
      make(
        platform === 'tt' ? { ...PROPS, lang, sdkAppID: '618a0ef784f0cc00c33bd7fc' } : { ...PROPS, lang },
        platform,
      );
      await enter();
      adapter.emit({ type: 'kicked', reason, message: '' });
      expect(events[0]).toEqual({
        tag: 'kicked_out',
        code: reason,
        detail: { reason: lang === 'en' ? en : zh },
      });
    }
  });

  test('native normal exit (1019 reason 0) without stop emits exit_room 0', async () => {
    await enter();
    adapter.emit({ type: 'exited', reason: 0 });
    expect(events).toEqual([{ tag: 'exit_room', code: 0, detail: { reason: 'left' } }]);
  });

  test('kicked: kicked_out (localized reason, platform text apart) then exit_room, devices released', async () => {
    await enter();
    adapter.emit({ type: 'kicked', reason: 1, message: 'onExitRoom reason[1]' });
    jest.advanceTimersByTime(60000);
    expect(events).toEqual([
      {
        tag: 'kicked_out',
        code: 1,
        detail: { reason: 'removed from the room by the server', platformMessage: 'onExitRoom reason[1]' },
      },
      { tag: 'exit_room', code: 1, detail: { reason: 'kicked' } },
    ]);
    expect(adapter.count('enter')).toBe(1);
    expect(adapter.count('stopPreview')).toBe(1);
    const last = setData.mock.calls.map((c) => c[0]).reduce((acc, p) => ({ ...acc, ...p }), {});
    expect(last['pusher.enableCamera']).toBe(false);
    expect(last['pusher.enableMic']).toBe(false);
  });

  test('a burst of native events becomes one setData', async () => {
    await enter();
    setData.mockClear();
    adapter.emit({ type: 'user_join', userID: 'bob' });
    adapter.emit({ type: 'video', userID: 'bob', streamType: 'main', available: true });
    adapter.emit({ type: 'user_join', userID: 'carol' });
    adapter.emit({ type: 'audio', userID: 'carol', available: true });
    await tick();
    expect(setData).toHaveBeenCalledTimes(1);
    expect(Object.keys(setData.mock.calls[0][0])).toEqual([
      'streams[0]',
      'streams[1]',
      'mainKey',
      'tileCount',
      'mainRank',
    ]);
    expect(ctl.getRemoteUsers()).toEqual([
      { userID: 'bob', hasVideo: true, hasAudio: false, hasAuxVideo: false },
      { userID: 'carol', hasVideo: false, hasAudio: true, hasAuxVideo: false },
    ]);
  });

  test('net_status at most once per second per stream', async () => {
    await enter();
    adapter.emit({ type: 'user_join', userID: 'bob' });
    events.length = 0;
    for (let i = 0; i < 5; i++)
      adapter.emit({ type: 'net_status', userID: 'bob', quality: 2, info: { netJitter: 40 } });
    adapter.emit({ type: 'net_status', userID: '', quality: 1, info: {} });
    jest.advanceTimersByTime(1000);
    adapter.emit({ type: 'net_status', userID: 'bob', quality: 3, info: {} });
    expect(events).toEqual([
      { tag: 'net_status', code: 2, detail: { userID: 'bob', netJitter: 40 } },
      { tag: 'net_status', code: 1, detail: { userID: '' } },
      { tag: 'net_status', code: 3, detail: { userID: 'bob' } },
    ]);
  });

  test('credential rejected in the room leaves with error -9 and exit_room', async () => {
    await enter();
    adapter.emit({ type: 'error', code: -9, rawCode: -100018, message: 'expired' });
    expect(events.map((e) => `${e.tag}:${e.code}`)).toEqual(['error:-9', 'exit_room:-100018']);
  });

  test('camera failure is reported but the room stays', async () => {
    await enter();
    adapter.emit({ type: 'error', code: -4, rawCode: -1301, message: 'camera' });
    expect(events).toEqual([
      {
        tag: 'error',
        code: -4,
        detail: { message: 'camera or microphone failed', platformMessage: 'camera', rawCode: -1301 },
      },
    ]);
    expect(ctl.currentPhase).toBe('in_room');
  });

  test('warnings pass through; token_will_expire is emitted', async () => {
    await enter();
    adapter.emit({ type: 'warning', rawCode: 1031, message: 'malformed' });
    adapter.emit({ type: 'token_will_expire' });
    expect(events).toEqual([
      {
        tag: 'warning',
        code: 1031,
        detail: { message: 'notice from the platform', platformMessage: 'malformed' },
      },
      { tag: 'token_will_expire', code: 0, detail: {} },
    ]);
  });
});

describe('recovery', () => {
  test('connection lost → reconnecting with backoff → reconnected; stale users swept', async () => {
    await enter();
    adapter.emit({ type: 'user_join', userID: 'bob' });
    adapter.emit({ type: 'user_join', userID: 'carol' });
    events.length = 0;
    adapter.emit({ type: 'connection_lost', rawCode: -1307, message: 'lost' });
    expect(events).toEqual([{ tag: 'reconnecting', code: 1, detail: {} }]);
    expect(adapter.count('exit')).toBe(1);
    jest.advanceTimersByTime(RECONNECT_DELAYS[0] - 1);
    await tick(0);
    expect(adapter.count('enter')).toBe(1);
    await tick(1);
    expect(adapter.count('enter')).toBe(2);
    adapter.emit({ type: 'entered' });
    adapter.emit({ type: 'user_join', userID: 'bob' });
    expect(events.slice(1)).toEqual([{ tag: 'reconnected', code: 1, detail: {} }]);
    jest.advanceTimersByTime(RESYNC_WINDOW_MS);
    expect(events.slice(2)).toEqual([{ tag: 'user_leave', code: 0, detail: { userID: 'carol' } }]);
    expect(ctl.getRemoteUsers().map((u) => u.userID)).toEqual(['bob']);
  });

  test('every attempt failing ends with error -6 and exit_room after the last backoff', async () => {
    await enter();
    adapter.emit({ type: 'connection_lost', rawCode: -1307, message: 'lost' });
    for (let i = 0; i < RECONNECT_DELAYS.length; i++) {
      jest.advanceTimersByTime(RECONNECT_DELAYS[i]);
      await tick(0);
      adapter.emit({ type: 'enter_failed', code: -10, rawCode: -3301, message: 'fail' });
    }
    expect(events.map((e) => `${e.tag}:${e.code}`)).toEqual([
      'reconnecting:1',
      'reconnecting:2',
      'reconnecting:3',
      'reconnecting:4',
      'reconnecting:5',
      'error:-6',
      'exit_room:-3301',
    ]);
    expect(ctl.currentPhase).toBe('idle');
  });

  test('an attempt that never answers counts as failed (enter timeout)', async () => {
    await enter();
    adapter.emit({ type: 'connection_lost', rawCode: 1021, message: 'network changed' });
    jest.advanceTimersByTime(RECONNECT_DELAYS[0]);
    await tick(0);
    jest.advanceTimersByTime(ENTER_TIMEOUT_MS);
    expect(events.map((e) => `${e.tag}:${e.code}`)).toEqual(['reconnecting:1', 'reconnecting:2']);
  });

  test('a loss during the very first entry retries, then resolves start() with enter_room (not reconnected)', async () => {
    const p = ctl.start();
    await tick();
    adapter.emit({ type: 'connection_lost', rawCode: -1307, message: 'lost' });
    jest.advanceTimersByTime(RECONNECT_DELAYS[0]);
    await tick(0);
    expect(adapter.count('enter')).toBe(2);
    adapter.emit({ type: 'entered' });
    const r = await p;
    expect(events.map((e) => `${e.tag}:${e.code}`)).toEqual(['reconnecting:1', `enter_room:${r.elapsed}`]);
  });

  test('start() while reconnecting keeps the session and does not enter twice', async () => {
    await enter();
    adapter.emit({ type: 'connection_lost', rawCode: -1307, message: 'lost' });
    await expect(ctl.start()).resolves.toEqual({ elapsed: expect.any(Number) });
    expect(adapter.count('enter')).toBe(1);
  });

  test('stop() during backoff cancels the re-entry', async () => {
    await enter();
    adapter.emit({ type: 'connection_lost', rawCode: -1307, message: 'lost' });
    await ctl.stop();
    jest.advanceTimersByTime(60000);
    expect(adapter.count('enter')).toBe(1);
    expect(events.map((e) => e.tag)).toEqual(['reconnecting', 'exit_room']);
  });

  test('hidden: no context calls; on show the room is re-entered and hidden-added players rebuilt', async () => {
    await enter();
    ctl.pageHide();
    adapter.emit({ type: 'connection_lost', rawCode: -1307, message: 'lost' });
    adapter.emit({ type: 'user_join', userID: 'bob' });
    adapter.emit({ type: 'video', userID: 'bob', streamType: 'main', available: true });
    ctl.pause();
    jest.advanceTimersByTime(60000);
    expect(adapter.count('exit')).toBe(0);
    expect(adapter.count('pause')).toBe(0);
    setData.mockClear();
    ctl.pageShow();
    expect(adapter.count('pause')).toBe(1);
    expect(events.map((e) => `${e.tag}:${e.code}`)).toEqual([
      'user_join:0',
      'video_available:1',
      'reconnecting:1',
    ]);
    await tick();
    const patch = setData.mock.calls.map((c) => c[0]).find((p) => p['streams[0]']);
    expect(patch['streams[0]']).toMatchObject({ key: 'bob|main#1' });
    jest.advanceTimersByTime(RECONNECT_DELAYS[0]);
    await tick(0);
    adapter.emit({ type: 'entered' });
    expect(events.map((e) => e.tag).pop()).toBe('reconnected');
  });

  test('5001 (floating window closed) re-enters on show', async () => {
    await enter();
    ctl.pageHide();
    adapter.emit({ type: 'floating_closed' });
    ctl.pageShow();
    expect(events.map((e) => `${e.tag}:${e.code}`)).toEqual(['warning:5001', 'reconnecting:1']);
  });

  test('a failing remote player is rebuilt a bounded number of times', async () => {
    await enter();
    adapter.emit({ type: 'user_join', userID: 'bob' });
    await tick();
    for (let i = 0; i < 5; i++) {
      adapter.emit({ type: 'player_state', playerId: 'player-0', code: -2301, message: 'gone' });
      await tick();
    }
    expect(events.filter((e) => e.tag === 'warning').map((e) => e.detail)).toEqual([
      { message: 'player of bob failed; rebuilding (1)' },
      { message: 'player of bob failed; rebuilding (2)' },
      { message: 'player of bob failed; rebuilding (3)' },
      { message: 'player of bob failed', platformMessage: 'gone' },
      { message: 'player of bob failed', platformMessage: 'gone' },
    ]);
  });
});

test('a -2301 from the old player of a user whose slot another user took over rebuilds no one', async () => {
  await enter();
  adapter.emit({ type: 'user_join', userID: 'bob' });
  await tick();
  adapter.emit({ type: 'user_leave', userID: 'bob' });
  adapter.emit({ type: 'user_join', userID: 'carol' });
  await tick();
  events.length = 0;
  adapter.emit({ type: 'player_state', playerId: 'player-0', userID: 'bob', code: -2301, message: 'gone' });
  await tick();
  expect(events).toEqual([]);
  adapter.emit({ type: 'player_state', playerId: 'player-0', userID: 'carol', code: -2301, message: 'gone' });
  await tick();
  expect(events.map((e) => e.detail)).toEqual([{ message: 'player of carol failed; rebuilding (1)' }]);
});

describe('a player failing (-2301) while the room reconnects is part of that reconnect', () => {
  const keys = () =>
    setData.mock.calls
      .flatMap(([patch]) =>
        Object.entries(patch as Record<string, any>).flatMap(([k, v]) =>
          k === 'streams[0]' ? [v.key] : k === 'streams[0].key' ? [v] : [],
        ),
      )
      .filter((k) => String(k).startsWith('bob'));
  const fail = async () => {
    adapter.emit({ type: 'player_state', playerId: 'player-0', code: -2301, message: 'gone' });
    await tick();
  };
  const warnings = () => events.filter((e) => e.tag === 'warning').map((e) => e.detail);

  beforeEach(async () => {
    await enter();
    adapter.emit({ type: 'user_join', userID: 'bob' });
    adapter.emit({ type: 'video', userID: 'bob', streamType: 'main', available: true });
    await tick();
    adapter.emit({ type: 'connection_lost', rawCode: -1307, message: 'lost' });
    await tick();
    setData.mockClear();
    events.length = 0;
  });

  test('no rebuild while reconnecting, one by the re-entry, the whole budget left', async () => {
    await fail();
    await fail();
    expect(keys()).toEqual([]);
    expect(warnings()).toEqual([]);
    jest.advanceTimersByTime(RECONNECT_DELAYS[0]);
    await tick(0);
    adapter.emit({ type: 'entered' });
    adapter.emit({ type: 'user_join', userID: 'bob' });
    adapter.emit({ type: 'video', userID: 'bob', streamType: 'main', available: true });
    await tick();
    expect(events.map((e) => e.tag)).toEqual(['reconnected']);
    expect(keys()).toEqual(['bob|main#1']);
    for (let i = 0; i < 4; i++) await fail();
    expect(warnings()).toEqual([
      { message: 'player of bob failed; rebuilding (1)' },
      { message: 'player of bob failed; rebuilding (2)' },
      { message: 'player of bob failed; rebuilding (3)' },
      { message: 'player of bob failed', platformMessage: 'gone' },
    ]);
    expect(keys()).toEqual(['bob|main#1', 'bob|main#2', 'bob|main#3', 'bob|main#4']);
  });

  test('a player that did not fail is not rebuilt by the re-entry; one whose user left is forgotten', async () => {
    jest.advanceTimersByTime(RECONNECT_DELAYS[0]);
    await tick(0);
    adapter.emit({ type: 'entered' });
    await tick();
    expect(keys()).toEqual([]);
    adapter.emit({ type: 'connection_lost', rawCode: -1307, message: 'lost' });
    await tick();
    await fail();
    adapter.emit({ type: 'user_leave', userID: 'bob' });
    await tick();
    jest.advanceTimersByTime(RECONNECT_DELAYS[0]);
    await tick(0);
    adapter.emit({ type: 'entered' });
    adapter.emit({ type: 'user_join', userID: 'bob' });
    adapter.emit({ type: 'video', userID: 'bob', streamType: 'main', available: true });
    await tick();
    expect(keys()).toEqual(['bob|main']);
    expect(warnings()).toEqual([]);
  });

  test('the session ending during the reconnect leaves nothing to rebuild', async () => {
    await fail();
    ctl.stop();
    await tick();
    expect(keys()).toEqual([]);
    expect(warnings()).toEqual([]);
  });
});

test('Android: a player created while hidden is rebuilt on show at no cost to its rebuild budget', async () => {
  await enter();
  ctl.pageHide();
  adapter.emit({ type: 'user_join', userID: 'bob' });
  adapter.emit({ type: 'video', userID: 'bob', streamType: 'main', available: true });
  await tick();
  ctl.pageShow();
  await tick();
  // the rebuild on show is the platform's, not a failure of that player: no warning, the whole budget left
  ctl.pageHide();
  ctl.pageShow();
  await tick();
  const keys = setData.mock.calls
    .flatMap(([patch]) =>
      Object.entries(patch as Record<string, any>).flatMap(([k, v]) =>
        k === 'streams[0]' ? [v.key] : k === 'streams[0].key' ? [v] : [],
      ),
    )
    .filter((k) => String(k).startsWith('bob'));
  expect(keys).toEqual(['bob|main', 'bob|main#1']);
  expect(events.filter((e) => e.tag === 'warning')).toEqual([]);
  for (let i = 0; i < 4; i++) {
    adapter.emit({ type: 'player_state', playerId: 'player-0', code: -2301, message: 'gone' });
    await tick();
  }
  expect(events.filter((e) => e.tag === 'warning').map((e) => e.detail)).toEqual([
    { message: 'player of bob failed; rebuilding (1)' },
    { message: 'player of bob failed; rebuilding (2)' },
    { message: 'player of bob failed; rebuilding (3)' },
    { message: 'player of bob failed', platformMessage: 'gone' },
  ]);
});

test('a user who leaves and comes back starts afresh: no weak flag, a full rebuild budget', async () => {
  await enter();
  const join = () => {
    adapter.emit({ type: 'user_join', userID: 'bob' });
    adapter.emit({ type: 'video', userID: 'bob', streamType: 'main', available: true });
  };
  join();
  await tick();
  for (let i = 0; i < 3; i++) {
    adapter.emit({ type: 'player_state', playerId: 'player-0', code: -2301, message: 'gone' });
    await tick();
  }
  adapter.emit({ type: 'net_status', userID: 'bob', streamType: 'main', quality: 5, info: {} });
  await tick();
  adapter.emit({ type: 'user_leave', userID: 'bob' });
  await tick();
  setData.mockClear();
  events.length = 0;
  join();
  await tick();
  const tile = setData.mock.calls.map(([patch]) => patch['streams[0]']).find(Boolean) as Record<
    string,
    unknown
  >;
  expect(tile).toMatchObject({ key: 'bob|main', userID: 'bob' });
  expect(tile.weak).toBeUndefined();
  adapter.emit({ type: 'player_state', playerId: 'player-0', code: -2301, message: 'gone' });
  await tick();
  expect(events.filter((e) => e.tag === 'warning').map((e) => e.detail)).toEqual([
    { message: 'player of bob failed; rebuilding (1)' },
  ]);
});

describe('commands', () => {
  test('property changes in the room reach the adapter; identity changes wait for the next start', async () => {
    await enter();
    ctl.setProps({ ...PROPS, muted: true });
    expect(adapter.calls.filter((c) => c[0] === 'applyLocal').pop()).toEqual([
      'applyLocal',
      { publish: true, camera: true, mic: false, front: true },
      { publish: true, camera: true, mic: true, front: true },
    ]);
    ctl.setProps({ ...PROPS, muted: true, role: 'audience' });
    expect(adapter.calls.filter((c) => c[0] === 'applyLocal').pop()?.[1]).toEqual({
      publish: false,
      camera: false,
      mic: false,
      front: true,
    });
    const enters = adapter.count('enter');
    ctl.setProps({ ...PROPS, userID: 'someone-else' });
    expect(adapter.count('enter')).toBe(enters);
  });

  test('bad property values in the room are error -1 with the field, and nothing else changes', async () => {
    await enter();
    ctl.setProps({ ...PROPS, template: 'nope' });
    ctl.setProps({ ...PROPS, beauty: 42 });
    expect(events.map((e) => [e.code, (e.detail as { field?: string }).field])).toEqual([
      [-1, 'template'],
      [-1, 'beauty'],
    ]);
  });

  test('subscribe validates, records and forwards', async () => {
    await enter();
    await expect(ctl.subscribe('', {})).rejects.toMatchObject({ code: -1, detail: { field: 'userID' } });
    await expect(ctl.subscribe('bob', { streamType: 'hd' as never })).rejects.toMatchObject({
      detail: { field: 'streamType' },
    });
    await expect(ctl.subscribe('bob', { video: 'yes' as never })).rejects.toMatchObject({
      detail: { field: 'video' },
    });
    await ctl.subscribe('bob', { video: false });
    await ctl.subscribe('bob', { streamType: 'small' });
    await ctl.subscribe('bob', { streamType: 'aux', audio: false });
    expect(adapter.calls.filter((c) => c[0] === 'subscribe')).toEqual([
      ['subscribe', 'bob', 'main', { video: false, audio: true, small: false }],
      ['subscribe', 'bob', 'main', { video: false, audio: true, small: true }],
      ['subscribe', 'bob', 'aux', { video: true, audio: false, small: false }],
    ]);
  });

  test.each([
    ['wx', 'a b'],
    ['wx', 'x'.repeat(33)],
    ['wx', '{{userID}}'],
    ['tt', 'a b'],
    ['tt', 'x'.repeat(129)],
  ] as const)(
    'subscribe(%s, %j): a user ID that platform never issues is error -1 naming userID, nothing forwarded',
    async (platform, id) => {
      make(platform === 'tt' ? { ...PROPS, sdkAppID: '618a0ef784f0cc00c33bd7fc' } : PROPS, platform);
      await enter();
      const before = events.length;
      await expect(ctl.subscribe(id, { video: false })).rejects.toMatchObject({
        code: -1,
        detail: { field: 'userID' },
      });
      expect(
        events.slice(before).map((e) => [e.tag, e.code, (e.detail as { field?: string }).field]),
      ).toEqual([['error', -1, 'userID']]);
      expect(adapter.count('subscribe')).toBe(0);
      // Object.prototype names are ordinary user IDs on both platforms
      await ctl.subscribe('constructor', { video: false });
      expect(adapter.count('subscribe')).toBe(1);
    },
  );

  test('switchCamera toggles and reports the side; before start it only flips the initial side', async () => {
    await expect(ctl.switchCamera()).resolves.toBe('back');
    expect(adapter.count('switchCamera')).toBe(0);
    await enter();
    await expect(ctl.switchCamera()).resolves.toBe('front');
    expect(adapter.calls.filter((c) => c[0] === 'switchCamera')).toEqual([['switchCamera', true]]);
  });

  test('updateUserSig: validated; WeChat re-enters with the new sig; Douyin updates in place', async () => {
    await expect(ctl.updateUserSig('')).rejects.toMatchObject({ code: -1, detail: { field: 'userSig' } });
    await enter();
    await ctl.updateUserSig('sig-2');
    expect(adapter.count('exit')).toBe(1);
    await tick();
    const last = adapter.calls.filter((c) => c[0] === 'enter').pop() as [string, { userSig: string }];
    expect(last[1].userSig).toBe('sig-2');
    make({ ...PROPS, sdkAppID: '618a0ef784f0cc00c33bd7fc' }, 'tt');
    adapter.sigMode = 'updated';
    await enter();
    await ctl.updateUserSig('sig-3');
    expect(adapter.count('exit')).toBe(0);
  });

  test('a userSig property set after updateUserSig() wins at the next start()', async () => {
    await enter();
    await ctl.updateUserSig('sig-2');
    await tick();
    await ctl.stop();
    ctl.setProps({ ...PROPS, userSig: 'sig-3' });
    const p = ctl.start();
    await tick();
    const last = adapter.calls.filter((c) => c[0] === 'enter').pop() as [string, { userSig: string }];
    expect(last[1].userSig).toBe('sig-3');
    adapter.emit({ type: 'entered' });
    await p;
    // an unchanged property keeps the newer credential the page handed over
    await ctl.updateUserSig('sig-4');
    await tick();
    await ctl.stop();
    ctl.setProps({ ...PROPS, userSig: 'sig-3', muted: true });
    void ctl.start();
    await tick();
    const again = adapter.calls.filter((c) => c[0] === 'enter').pop() as [string, { userSig: string }];
    expect(again[1].userSig).toBe('sig-4');
  });

  test('destroy() leaves, releases the adapter and ignores later events and timers', async () => {
    await enter();
    adapter.emit({ type: 'connection_lost', rawCode: -1307, message: 'x' });
    ctl.destroy();
    expect(adapter.count('destroy')).toBe(1);
    const before = events.length;
    adapter.emit({ type: 'user_join', userID: 'late' });
    jest.advanceTimersByTime(120000);
    expect(events.length).toBe(before);
    expect(jest.getTimerCount()).toBe(0);
    await expect(ctl.start()).rejects.toMatchObject({ code: -10 });
  });
});
