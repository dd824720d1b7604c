/** The black-screen watchdog: a WeChat player that shows video but reports no 2003 in time is rebuilt. */
import { RECONNECT_DELAYS, RoomController, RoomProps } from '../utils/room/controller';
import { FIRST_FRAME_MS } from '../utils/room/first-frame';
import { MAX_PLAYER_REBUILDS } from '../utils/view/room-view';
import type { RoomEvent } from '../utils/core/events';
import { FakeAdapter } from './helpers/fake-adapter';
import { controllerRig, tick } from './helpers/controller';

const PROPS: RoomProps = {
  sdkAppID: 1400000001,
  userID: 'alice',
  userSig: 'sig',
  roomID: 42,
  template: 'grid',
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
  adapter.emit({ type: 'entered' });
  await p;
  await tick();
  events.length = 0;
}

async function bob(video = true, audio = true) {
  adapter.emit({ type: 'user_join', userID: 'bob' });
  if (video) adapter.emit({ type: 'video', userID: 'bob', streamType: 'main', available: true });
  if (audio) adapter.emit({ type: 'audio', userID: 'bob', available: true });
  await tick();
}

const warnings = () => events.filter((e) => e.tag === 'warning');
const keys = (): unknown[] =>
  setData.mock.calls.flatMap(([patch]) =>
    Object.entries(patch as Record<string, { key?: string }>).flatMap(([k, v]): unknown[] =>
      k === 'streams[0]' ? [v.key] : k === 'streams[0].key' ? [v] : [],
    ),
  );
const frame = () =>
  adapter.emit({ type: 'player_state', playerId: 'player-0', code: 2003, message: 'first' });

beforeEach(() => {
  jest.useFakeTimers();
  make();
});
afterEach(() => jest.useRealTimers());

test('no 2003 within the window: one warning 2003 naming the stream, and the player is rebuilt', async () => {
  await enter();
  await bob();
  await tick(FIRST_FRAME_MS - 100);
  expect(warnings()).toEqual([]);
  await tick(100);
  await tick();
  expect(warnings()).toEqual([
    {
      tag: 'warning',
      code: 2003,
      detail: {
        message: 'no video from the player of bob (main) within 5 s; rebuilding (1)',
        userID: 'bob',
        streamType: 'main',
      },
    },
  ]);
  expect(keys()).toEqual(['bob|main', 'bob|main#1']);
  // the rebuilt player gets a window of its own; its 2003 ends it
  await tick(FIRST_FRAME_MS - 100);
  frame();
  await tick(FIRST_FRAME_MS * 3);
  expect(warnings()).toHaveLength(1);
});

test('a 2003 in time clears it; the warning is in the component language', async () => {
  await enter();
  await bob();
  await tick(1000);
  frame();
  await tick(FIRST_FRAME_MS * 2);
  expect(warnings()).toEqual([]);
  await ctl.stop();
  make({ ...PROPS, lang: 'zh-CN' });
  await enter();
  await bob();
  await tick(FIRST_FRAME_MS);
  expect(warnings().map((e) => e.detail.message)).toEqual([
    'bob（main）的播放器 5 秒内没有画面，正在重建（第 1 次）',
  ]);
});

test('audio-only streams, unsubscribed video and the audio scene are never watched', async () => {
  await enter();
  await bob(false, true);
  await tick(FIRST_FRAME_MS * 2);
  expect(warnings()).toEqual([]);
  await ctl.stop();
  make();
  await enter();
  await ctl.subscribe('bob', { video: false });
  await bob();
  await tick(FIRST_FRAME_MS * 2);
  expect(warnings()).toEqual([]);
  // video wanted again: a window starts then
  await ctl.subscribe('bob', { video: true });
  await tick();
  await tick(FIRST_FRAME_MS - 100);
  expect(warnings()).toEqual([]);
  await tick(100);
  expect(warnings().map((e) => e.code)).toEqual([2003]);
  await ctl.stop();
  make({ ...PROPS, scene: 'audiocall' } as RoomProps);
  await enter();
  await bob();
  await tick(FIRST_FRAME_MS * 2);
  expect(warnings()).toEqual([]);
});

test('video off and on again on a player that rendered starts no window (its play session had its 2003)', async () => {
  // whether 2003 comes again after a camera toggle is not known on every client (docs/platform-facts.md (a)):
  // timing the player again would flag, and rebuild, a working native view on one that sends it once
  await enter();
  await bob();
  frame();
  adapter.emit({ type: 'video', userID: 'bob', streamType: 'main', available: false });
  await tick(FIRST_FRAME_MS * 2);
  adapter.emit({ type: 'video', userID: 'bob', streamType: 'main', available: true });
  await tick();
  await tick(FIRST_FRAME_MS * 2);
  expect(warnings()).toEqual([]);
  // the same toggle on a player that never rendered still waits for its first frame
  adapter.emit({ type: 'user_join', userID: 'cat' });
  adapter.emit({ type: 'audio', userID: 'cat', available: true });
  await tick();
  adapter.emit({ type: 'video', userID: 'cat', streamType: 'main', available: true });
  await tick();
  await tick(FIRST_FRAME_MS);
  expect(warnings().map((e) => [e.code, (e.detail as { userID?: string }).userID])).toEqual([[2003, 'cat']]);
});

test('a hidden page pauses the window; on show it runs in full', async () => {
  await enter();
  await bob();
  await tick(FIRST_FRAME_MS - 1000);
  ctl.pageHide();
  await tick(FIRST_FRAME_MS * 3);
  expect(warnings()).toEqual([]);
  ctl.pageShow();
  await tick(FIRST_FRAME_MS - 100);
  expect(warnings()).toEqual([]);
  await tick(100);
  expect(warnings().map((e) => e.code)).toEqual([2003]);
});

test('the budget is the one -2301 uses: past it one last warning and no rebuild', async () => {
  await enter();
  await bob();
  adapter.emit({ type: 'player_state', playerId: 'player-0', code: -2301, message: 'gone' });
  await tick();
  for (let i = 0; i < MAX_PLAYER_REBUILDS + 2; i++) await tick(FIRST_FRAME_MS);
  expect(warnings().map((e) => `${e.code} ${e.detail.message}`)).toEqual([
    '-2301 player of bob failed; rebuilding (1)',
    '2003 no video from the player of bob (main) within 5 s; rebuilding (2)',
    '2003 no video from the player of bob (main) within 5 s; rebuilding (3)',
    '2003 no video from the player of bob (main)',
  ]);
  expect(keys().pop()).toBe('bob|main#3');
});

test('reconnecting stops the window; back in the room it runs in full; a player that rendered stays so', async () => {
  await enter();
  await bob();
  await tick(FIRST_FRAME_MS - 1000);
  adapter.emit({ type: 'connection_lost', rawCode: -1307, message: 'lost' });
  await tick(RECONNECT_DELAYS[0]);
  await tick(FIRST_FRAME_MS * 2);
  expect(warnings()).toEqual([]);
  adapter.emit({ type: 'entered' });
  adapter.emit({ type: 'user_join', userID: 'bob' });
  adapter.emit({ type: 'video', userID: 'bob', streamType: 'main', available: true });
  await tick(FIRST_FRAME_MS - 100);
  expect(warnings()).toEqual([]);
  await tick(100);
  expect(warnings().map((e) => e.code)).toEqual([2003]);
  await tick();
  frame();
  adapter.emit({ type: 'connection_lost', rawCode: -1307, message: 'lost' });
  await tick(RECONNECT_DELAYS[0]);
  adapter.emit({ type: 'entered' });
  adapter.emit({ type: 'user_join', userID: 'bob' });
  adapter.emit({ type: 'video', userID: 'bob', streamType: 'main', available: true });
  await tick(FIRST_FRAME_MS * 3);
  expect(warnings().map((e) => e.code)).toEqual([2003]);
});

test('nothing after the session ended; nothing on Douyin', async () => {
  await enter();
  await bob();
  await ctl.stop();
  await tick(FIRST_FRAME_MS * 2);
  expect(warnings()).toEqual([]);
  expect(jest.getTimerCount()).toBe(0);
  make({ ...PROPS, sdkAppID: '618a0ef784f0cc00c33bd7fc' }, 'tt');
  await enter();
  await bob();
  await tick(FIRST_FRAME_MS * 2);
  expect(warnings()).toEqual([]);
});
