/**
 * The WeChat adapter against shared/reference/wechat-trtc.md, the way a real client sends its codes: repeated and
 * out-of-order reports, reports on a hidden page, and the context methods' fail callbacks.
 */
import { settle } from './behaviour/driver';
import { type WxFake } from './helpers/wx-fake';
import { fire, Mounted } from './helpers/mp';
import { enterWx, useWxRoomLifecycle } from './helpers/wx-room';

let wxf: WxFake;
let m: Mounted;

useWxRoomLifecycle(
  (f) => (wxf = f),
  () => m,
);

const entered = { code: 1018, message: 'onEnterRoom success, time cost[10]' };

describe('one loss reported more than once (iOS 1102 → 3002 → -1307, 1021 then -1307): one re-entry', () => {
  test.each([
    ['-1307 six times', [-1307, -1307, -1307, -1307, -1307, -1307]],
    ['1021 then -1307', [1021, -1307]],
  ])('%s before the re-entry: reconnecting 1 once, no give-up', async (_n, codes) => {
    m = await enterWx();
    for (const code of codes) fire(m.room, '#pusher', 'statechange', { code, message: 'lost' });
    await settle();
    expect(m.events).toEqual([{ tag: 'reconnecting', code: 1, detail: {} }]);
    jest.advanceTimersByTime(1000);
    await settle();
    expect(wxf.pusher.start).toHaveBeenCalledTimes(2);
    fire(m.room, '#pusher', 'statechange', entered);
    await settle();
    expect(m.events).toEqual([
      { tag: 'reconnecting', code: 1, detail: {} },
      { tag: 'reconnected', code: 1, detail: {} },
    ]);
  });

  test('a loss during the re-entry itself is its failure: the next attempt', async () => {
    m = await enterWx();
    fire(m.room, '#pusher', 'statechange', { code: -1307, message: 'lost' });
    jest.advanceTimersByTime(1000);
    await settle();
    fire(m.room, '#pusher', 'statechange', { code: -1307, message: 'lost' });
    await settle();
    expect(m.events.map((e) => [e.tag, e.code])).toEqual([
      ['reconnecting', 1],
      ['reconnecting', 2],
    ]);
  });
});
