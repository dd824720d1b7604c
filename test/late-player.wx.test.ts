/**
 * A live-player the view replaced (a rebuild gives its tile a new key: a new native instance in the same slot
 * and element id) may still deliver a report queued before it went: 2003 or -2301 of the removed instance is not
 * the new player's.
 */
import { settle } from './behaviour/driver';
import { type WxFake } from './helpers/wx-fake';
import { fire, Mounted } from './helpers/mp';
import { enterWx, useWxRoomLifecycle } from './helpers/wx-room';
import { FIRST_FRAME_MS } from '../utils/room/first-frame';

let wxf: WxFake;
let m: Mounted;

useWxRoomLifecycle(
  (f) => (wxf = f),
  () => m,
);

const keys = () => (m.inst.data.streams as Array<{ key: string }>).map((t) => t.key);
const warnings = () => m.events.filter((e) => e.tag === 'warning').map((e) => [e.code, e.detail.message]);

/** A statechange of the player instance that showed `key` in element `player-0` (gone from the view now). */
function fromRemoved(key: string, code: number): void {
  (m.inst as any)._adapter.handleNative({
    type: 'statechange',
    detail: { code, message: code === 2003 ? 'first video frame received' : 'disconnected' },
    currentTarget: {
      id: 'player-0',
      dataset: { role: 'player', playerId: 'player-0', userId: 'bob', streamType: 'main', key },
    },
  });
}

test("the removed player's late 2003 does not count as the rebuilt one's first frame", async () => {
  m = await enterWx({}, { bob: { video: true } });
  expect(wxf.pusher.start).toHaveBeenCalledTimes(1);
  jest.advanceTimersByTime(FIRST_FRAME_MS);
  await settle();
  expect(keys()).toEqual(['bob|main#1']);
  fromRemoved('bob|main', 2003);
  jest.advanceTimersByTime(FIRST_FRAME_MS);
  await settle();
  expect(warnings()).toEqual([
    [2003, 'no video from the player of bob (main) within 5 s; rebuilding (1)'],
    [2003, 'no video from the player of bob (main) within 5 s; rebuilding (2)'],
  ]);
  expect(keys()).toEqual(['bob|main#2']);
  // the current player's own 2003 ends its window
  fire(m.room, '#player-0', 'statechange', { code: 2003, message: 'first video frame received' });
  jest.advanceTimersByTime(FIRST_FRAME_MS * 3);
  await settle();
  expect(warnings()).toHaveLength(2);
});

test("the removed player's repeated -2301 spends no rebuild of the new one", async () => {
  m = await enterWx({}, { bob: { video: true } });
  fire(m.room, '#player-0', 'statechange', { code: 2003, message: 'first video frame received' });
  fire(m.room, '#player-0', 'statechange', { code: -2301, message: 'disconnected' });
  await settle();
  expect(keys()).toEqual(['bob|main#1']);
  fromRemoved('bob|main', -2301);
  await settle();
  expect(keys()).toEqual(['bob|main#1']);
  expect(warnings()).toEqual([[-2301, 'player of bob failed; rebuilding (1)']]);
});

describe('a hidden page: players that drop in the background are no fault of their own', () => {
  const hide = () => (m.room as any).triggerPageLifeTime('hide');
  const show = () => (m.room as any).triggerPageLifeTime('show');

  test('-2301 while hidden: no rebuild and no warning then; rebuilt once on show, its budget whole', async () => {
    wxf.system.platform = 'ios';
    m = await enterWx({}, { bob: { video: true } });
    fire(m.room, '#player-0', 'statechange', { code: 2003, message: 'first video frame received' });
    hide();
    fire(m.room, '#player-0', 'statechange', { code: -2301, message: 'disconnected' });
    await settle();
    expect(keys()).toEqual(['bob|main']);
    expect(warnings()).toEqual([]);
    show();
    await settle();
    expect(keys()).toEqual(['bob|main#1']);
    expect(warnings()).toEqual([]);
    fire(m.room, '#player-0', 'statechange', { code: 2003, message: 'first video frame received' });
    fire(m.room, '#player-0', 'statechange', { code: -2301, message: 'disconnected' });
    await settle();
    expect(warnings()).toEqual([[-2301, 'player of bob failed; rebuilding (1)']]);
  });

  test('netstatus all zero while hidden: the down count does not run, no rebuild', async () => {
    wxf.system.platform = 'ios';
    m = await enterWx({}, { bob: { video: true } });
    fire(m.room, '#player-0', 'statechange', { code: 2003, message: 'first video frame received' });
    jest.advanceTimersByTime(5000);
    hide();
    for (let i = 0; i < 8; i++) {
      jest.advanceTimersByTime(1000);
      fire(m.room, '#player-0', 'netstatus', { info: { netSpeed: 0, videoBitrate: 0, audioBitrate: 0 } });
    }
    await settle();
    expect(keys()).toEqual(['bob|main']);
    expect(warnings()).toEqual([]);
    show();
    await settle();
    expect(keys()).toEqual(['bob|main']);
  });
});
