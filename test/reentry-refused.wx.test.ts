/**
 * A re-entry the cloud refuses for its credential: the PrivateMapKey in the push URL is checked on every entry
 * (-100006 then 1022, e.g. expired while the client was suspended); no retry can pass it (the key is the one the
 * session started with), so the session ends at once with -9, as for a rejected UserSig.
 */
import { settle } from './behaviour/driver';
import { type WxFake } from './helpers/wx-fake';
import { fire, Mounted, mountRoom } from './helpers/mp';
import { enterWx, useWxRoomLifecycle, WX_IDENTITY } from './helpers/wx-room';
import { RECONNECT_DELAYS } from '../utils/room/controller';

let wxf: WxFake;
let m: Mounted;

useWxRoomLifecycle(
  (f) => (wxf = f),
  () => m,
);

const refused = [
  { code: -100006, message: 'privateMapKey check failed: expired' },
  { code: 1022, message: 'onEnterRoom failed, error code[-100006]' },
];

test("back from 5000, the client's own re-entry refused (-100006, 1022): error -9 and exit_room now, no retries", async () => {
  m = await enterWx({ privateMapKey: 'pmk-1' });
  fire(m.room, '#pusher', 'statechange', { code: 5000, message: '' });
  (m.room as any).triggerPageLifeTime('hide');
  fire(m.room, '#pusher', 'statechange', { code: 1019, message: 'onExitRoom reason[0]' });
  (m.room as any).triggerPageLifeTime('show');
  for (const ev of refused) fire(m.room, '#pusher', 'statechange', ev);
  await settle();
  const total = RECONNECT_DELAYS.reduce((a, b) => a + b, 0);
  jest.advanceTimersByTime(total * 2);
  await settle();
  expect(m.events).toEqual([
    { tag: 'reconnecting', code: 0, detail: { reason: 'suspended' } },
    {
      tag: 'warning',
      code: -100006,
      detail: expect.objectContaining({ platformMessage: refused[0].message }),
    },
    {
      tag: 'error',
      code: -9,
      detail: { message: 'credential rejected', rawCode: -100006, platformMessage: refused[1].message },
    },
    { tag: 'exit_room', code: -100006, detail: { reason: 'lost' } },
  ]);
  expect(wxf.pusher.start).toHaveBeenCalledTimes(1);
  expect(m.inst.data.phase).toBe('idle');
});

test('a network re-entry refused the same way ends the session at once too', async () => {
  m = await enterWx({ privateMapKey: 'pmk-1' });
  fire(m.room, '#pusher', 'statechange', { code: -1307, message: 'lost' });
  jest.advanceTimersByTime(RECONNECT_DELAYS[0]);
  await settle();
  for (const ev of refused) fire(m.room, '#pusher', 'statechange', ev);
  jest.advanceTimersByTime(60000);
  await settle();
  expect(m.events.map((e) => [e.tag, e.code])).toEqual([
    ['reconnecting', 1],
    ['warning', -100006],
    ['error', -9],
    ['exit_room', -100006],
  ]);
  expect(wxf.pusher.start).toHaveBeenCalledTimes(2);
});

test('the first entry refused for its PrivateMapKey: -9 (a new credential is the answer), start() rejects with it', async () => {
  m = mountRoom({ ...WX_IDENTITY, privateMapKey: 'pmk-1' });
  const started = m.inst.start();
  started.catch(() => undefined);
  await settle();
  for (const ev of refused) fire(m.room, '#pusher', 'statechange', ev);
  await expect(started).rejects.toMatchObject({ code: -9, detail: { rawCode: -100006 } });
});

describe("in the room, the client's own re-entry fails (1022 / -3301, e.g. after a network switch)", () => {
  test.each([
    ['1022', { code: 1022, message: 'onEnterRoom failed, error code[-3308]' }],
    ['-3301', { code: -3301, message: 'enter room failed' }],
  ])('%s: a loss, re-entered by the component (reconnecting 1, then reconnected 1)', async (_n, ev) => {
    m = await enterWx();
    fire(m.room, '#pusher', 'statechange', ev);
    await settle();
    expect(m.events).toEqual([{ tag: 'reconnecting', code: 1, detail: {} }]);
    expect(wxf.pusher.stop).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(RECONNECT_DELAYS[0]);
    await settle();
    expect(wxf.pusher.start).toHaveBeenCalledTimes(2);
    fire(m.room, '#pusher', 'statechange', { code: 1018, message: 'onEnterRoom success, time cost[10]' });
    await settle();
    expect(m.events).toEqual([
      { tag: 'reconnecting', code: 1, detail: {} },
      { tag: 'reconnected', code: 1, detail: {} },
    ]);
    expect(m.inst.data.phase).toBe('in_room');
  });

  test('1022 with -100018 in the room: error -9 and exit_room lost now, no retries', async () => {
    m = await enterWx();
    fire(m.room, '#pusher', 'statechange', {
      code: 1022,
      message: 'onEnterRoom failed, error code[-100018]',
    });
    jest.advanceTimersByTime(60000);
    await settle();
    expect(m.events).toEqual([
      {
        tag: 'error',
        code: -9,
        detail: {
          message: 'credential rejected',
          rawCode: -100018,
          platformMessage: 'onEnterRoom failed, error code[-100018]',
        },
      },
      { tag: 'exit_room', code: -100018, detail: { reason: 'lost' } },
    ]);
    expect(wxf.pusher.start).toHaveBeenCalledTimes(1);
    expect(m.inst.data.phase).toBe('idle');
  });
});
