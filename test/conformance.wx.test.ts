/**
 * The WeChat adapter against shared/reference/wechat-trtc.md, the way a real client sends its codes: repeated and
 * out-of-order reports, reports on a hidden page, and the context methods' fail callbacks.
 */
import { settle } from './behaviour/driver';
import { type WxFake } from './helpers/wx-fake';
import { fire, Mounted, mountRoom, nativeViews } from './helpers/mp';
import { enterWx, useWxRoomLifecycle, WX_IDENTITY } from './helpers/wx-room';
import { ENTER_TIMEOUT_MS } from '../utils/room/controller';
import { createAdapter } from '../components/webrtc-room/platform';

let wxf: WxFake;
let m: Mounted;

useWxRoomLifecycle(
  (f) => (wxf = f),
  () => m,
);

const entered = { code: 1018, message: 'onEnterRoom success, time cost[10]' };

/** The first retry's delay (1 s) runs out: the pusher starts again, and its 1018 is the one reconnect. */
async function firstRetryEnters(): Promise<void> {
  jest.advanceTimersByTime(1000);
  await settle();
  expect(wxf.pusher.start).toHaveBeenCalledTimes(2);
  fire(m.room, '#pusher', 'statechange', entered);
  await settle();
  expect(m.events).toEqual([
    { tag: 'reconnecting', code: 1, detail: {} },
    { tag: 'reconnected', code: 1, detail: {} },
  ]);
}

describe('one loss reported more than once (iOS 1102 → 3002 → -1307, 1021 then -1307): one re-entry', () => {
  test.each([
    ['-1307 six times', [-1307, -1307, -1307, -1307, -1307, -1307]],
    ['1021 then -1307', [1021, -1307]],
  ])('%s before the re-entry: reconnecting 1 once, no give-up', async (_n, codes) => {
    m = await enterWx();
    for (const code of codes) fire(m.room, '#pusher', 'statechange', { code, message: 'lost' });
    await settle();
    expect(m.events).toEqual([{ tag: 'reconnecting', code: 1, detail: {} }]);
    await firstRetryEnters();
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

describe('5000 while entering: the client enters by itself in the foreground, the entry waits for it', () => {
  const hide = () => (m.room as any).triggerPageLifeTime('hide');
  const show = () => (m.room as any).triggerPageLifeTime('show');

  test.each([
    ['hidden first', true],
    ['5000 first', false],
  ])(
    '%s: no timeout and no pusher call while hidden; its 1018 after show resolves start()',
    async (_n, hideFirst) => {
      m = mountRoom({ ...WX_IDENTITY });
      const started = m.inst.start();
      started.catch(() => undefined);
      await settle();
      if (hideFirst) hide();
      fire(m.room, '#pusher', 'statechange', { code: 5000, message: '' });
      fire(m.room, '#pusher', 'statechange', { code: 1019, message: 'onExitRoom reason[0]' });
      if (!hideFirst) hide();
      jest.advanceTimersByTime(ENTER_TIMEOUT_MS * 4);
      await settle();
      expect(m.events).toEqual([]);
      expect(wxf.pusher.stop).not.toHaveBeenCalled();
      show();
      jest.advanceTimersByTime(ENTER_TIMEOUT_MS - 1);
      fire(m.room, '#pusher', 'statechange', entered);
      await expect(started).resolves.toMatchObject({ elapsed: expect.any(Number) });
      expect(m.events.map((e) => [e.tag, e.code])).toEqual([['enter_room', expect.any(Number)]]);
      expect(wxf.pusher.start).toHaveBeenCalledTimes(1);
    },
  );

  test('no 1018 within the enter timeout after show: error -10, devices released', async () => {
    m = mountRoom({ ...WX_IDENTITY });
    const started = m.inst.start();
    started.catch(() => undefined);
    await settle();
    hide();
    fire(m.room, '#pusher', 'statechange', { code: 5000, message: '' });
    jest.advanceTimersByTime(ENTER_TIMEOUT_MS * 2);
    show();
    jest.advanceTimersByTime(ENTER_TIMEOUT_MS);
    await settle();
    await expect(started).rejects.toMatchObject({ code: -10 });
    expect(m.events.map((e) => [e.tag, e.code])).toEqual([['error', -10]]);
    expect(wxf.pusher.stop).toHaveBeenCalledTimes(1);
  });
});

describe('5001 on a visible page (the floating window closed before the hide was told)', () => {
  test('the client left: re-entered now, like a loss, and no spurious reconnect on a later show', async () => {
    m = await enterWx();
    fire(m.room, '#pusher', 'statechange', { code: 5001, message: '' });
    fire(m.room, '#pusher', 'statechange', { code: 1019, message: 'onExitRoom reason[0]' });
    jest.advanceTimersByTime(1000);
    await settle();
    expect(wxf.pusher.start).toHaveBeenCalledTimes(2);
    fire(m.room, '#pusher', 'statechange', entered);
    await settle();
    (m.room as any).triggerPageLifeTime('hide');
    (m.room as any).triggerPageLifeTime('show');
    jest.advanceTimersByTime(5000);
    await settle();
    expect(m.events.map((e) => [e.tag, e.code])).toEqual([
      ['warning', 5001],
      ['reconnecting', 1],
      ['reconnected', 1],
    ]);
    expect(wxf.pusher.start).toHaveBeenCalledTimes(2);
  });
});

describe('5000 in the room before the page hides (either order): the 15 s for its own re-entry count from show', () => {
  test('no re-entry of ours on show; its 1018 is the reconnect', async () => {
    m = await enterWx();
    fire(m.room, '#pusher', 'statechange', { code: 5000, message: '' });
    (m.room as any).triggerPageLifeTime('hide');
    fire(m.room, '#pusher', 'statechange', { code: 1019, message: 'onExitRoom reason[0]' });
    jest.advanceTimersByTime(ENTER_TIMEOUT_MS * 4);
    await settle();
    (m.room as any).triggerPageLifeTime('show');
    jest.advanceTimersByTime(ENTER_TIMEOUT_MS - 1000);
    await settle();
    expect(wxf.pusher.stop).not.toHaveBeenCalled();
    expect(wxf.pusher.start).toHaveBeenCalledTimes(1);
    fire(m.room, '#pusher', 'statechange', entered);
    await settle();
    expect(m.events).toEqual([
      { tag: 'reconnecting', code: 0, detail: { reason: 'suspended' } },
      { tag: 'reconnected', code: 0, detail: { reason: 'suspended' } },
    ]);
  });
});

describe('LivePusherContext fail callbacks', () => {
  test("a start() that fails late, after its session was stopped and a new one began, is not the new one's", async () => {
    const fails: Array<(e: unknown) => void> = [];
    wxf.pusher.start.mockImplementation((o: { fail?: (e: unknown) => void }) => {
      if (o.fail) fails.push(o.fail);
    });
    m = mountRoom({ ...WX_IDENTITY });
    m.inst.start().catch(() => undefined);
    await settle();
    await m.inst.stop();
    const second = m.inst.start();
    second.catch(() => undefined);
    await settle();
    expect(wxf.pusher.start).toHaveBeenCalledTimes(2);
    fails[0]({ errMsg: 'start:fail old' });
    await settle();
    expect(m.inst.data.phase).toBe('entering');
    fire(m.room, '#pusher', 'statechange', entered);
    await expect(second).resolves.toMatchObject({ elapsed: expect.any(Number) });
    expect(m.events.map((e) => e.tag)).toEqual(['enter_room']);
  });

  test('the current start() failing is still error -10', async () => {
    wxf.pusher.start.mockImplementation((o: { fail?: (e: unknown) => void }) =>
      o.fail?.({ errMsg: 'start:fail' }),
    );
    m = mountRoom({ ...WX_IDENTITY });
    await expect(m.inst.start()).rejects.toMatchObject({ code: -10 });
  });

  test('switchCamera failing after a frontCamera change in the room: error -4 with the client text, not silence', async () => {
    m = await enterWx({ frontCamera: true });
    wxf.pusher.switchCamera.mockImplementation((o: { fail?: (e: unknown) => void }) =>
      o.fail?.({ errMsg: 'switchCamera:fail camera busy' }),
    );
    m.setProps({ frontCamera: false });
    await settle();
    expect(wxf.pusher.switchCamera).toHaveBeenCalledTimes(1);
    expect(m.events).toEqual([
      {
        tag: 'error',
        code: -4,
        detail: {
          message: 'switching the camera failed',
          rawCode: 0,
          platformMessage: 'switchCamera:fail camera busy',
        },
      },
    ]);
  });

  test('startPreview fail (the camera is busy): error -4 with the platform text, not silence', async () => {
    wxf.pusher.startPreview.mockImplementation((o: { fail?: (e: unknown) => void }) =>
      o.fail?.({ errMsg: 'startPreview:fail camera busy' }),
    );
    m = mountRoom({ ...WX_IDENTITY });
    await m.inst.startPreview();
    await settle();
    expect(m.events).toEqual([
      {
        tag: 'error',
        code: -4,
        detail: {
          message: 'opening the camera failed',
          rawCode: 0,
          platformMessage: 'startPreview:fail camera busy',
        },
      },
    ]);
  });
});

describe('5001 (floating window closed) while entering: the client left, the component enters again on show', () => {
  test('hidden: no pusher call; on show one re-entry, its 1018 resolves start() with enter_room', async () => {
    m = mountRoom({ ...WX_IDENTITY });
    const started = m.inst.start();
    started.catch(() => undefined);
    await settle();
    (m.room as any).triggerPageLifeTime('hide');
    fire(m.room, '#pusher', 'statechange', { code: 5001, message: '' });
    fire(m.room, '#pusher', 'statechange', { code: 1019, message: 'onExitRoom reason[0]' });
    jest.advanceTimersByTime(ENTER_TIMEOUT_MS * 2);
    await settle();
    expect(wxf.pusher.stop).not.toHaveBeenCalled();
    (m.room as any).triggerPageLifeTime('show');
    jest.advanceTimersByTime(1000);
    await settle();
    expect(wxf.pusher.start).toHaveBeenCalledTimes(2);
    fire(m.room, '#pusher', 'statechange', entered);
    await expect(started).resolves.toMatchObject({ elapsed: expect.any(Number) });
    expect(m.events.map((e) => [e.tag, e.code])).toEqual([
      ['warning', 5001],
      ['reconnecting', 1],
      ['enter_room', expect.any(Number)],
    ]);
  });
});

describe("a user's camera and screen share each report netstatus (two live-players)", () => {
  test("the screen share's net_status says streamType aux: the page can tell it from the camera's", async () => {
    m = await enterWx({}, { bob: { video: true } });
    const playurl = 'room://cloud.tencent.com/rtc?userid=bob&streamtype=aux';
    fire(m.room, '#pusher', 'statechange', {
      code: 1033,
      message: JSON.stringify({ userlist: [{ userid: 'bob', playurl, streamtype: 'aux', hasvideo: 1 }] }),
    });
    await settle();
    m.events.length = 0;
    const players = nativeViews(m.room, 'live-player');
    const id = (st: string) => String(players.find((p) => p['data-stream-type'] === st)?.id);
    fire(m.room, `#${id('main')}`, 'netstatus', { info: { netSpeed: 800, netJitter: 20 } });
    fire(m.room, `#${id('aux')}`, 'netstatus', { info: { netSpeed: 800, netJitter: 150 } });
    expect(m.events).toEqual([
      { tag: 'net_status', code: 1, detail: { userID: 'bob', netSpeed: 800, netJitter: 20 } },
      {
        tag: 'net_status',
        code: 4,
        detail: { userID: 'bob', streamType: 'aux', netSpeed: 800, netJitter: 150 },
      },
    ]);
  });
});

describe('a 1018 that arrives after the pusher was stopped for a re-entry, before that re-entry starts', () => {
  test("is the old entry's: the re-entry still starts the pusher, and its own 1018 is the reconnect", async () => {
    m = await enterWx({}, { bob: { video: true } });
    fire(m.room, '#pusher', 'statechange', { code: 1021, message: 'network changed' });
    await settle();
    expect(wxf.pusher.stop).toHaveBeenCalledTimes(1);
    fire(m.room, '#pusher', 'statechange', entered);
    await settle();
    expect(m.events).toEqual([{ tag: 'reconnecting', code: 1, detail: {} }]);
    await firstRetryEnters();
    expect(m.inst.data.phase).toBe('in_room');
  });
});

describe("Tencent's own components' known faults (wechat-trtc.md §1.2, §3.2, §5)", () => {
  test('no telemetry: a whole session makes no request of its own, and no event carries the UserSig', async () => {
    const w = (globalThis as any).wx;
    const net = ['request', 'connectSocket', 'uploadFile', 'downloadFile'].map((api) => {
      const fn = jest.fn();
      w[api] = fn;
      return fn;
    });
    m = await enterWx({ debug: true }, { bob: { video: true, audio: true } }, { keepEvents: true });
    fire(m.room, '#pusher', 'netstatus', { info: { netSpeed: 800, netJitter: 20 } });
    fire(m.room, '#pusher', 'statechange', { code: -1303, message: 'encode' });
    fire(m.room, '#pusher', 'statechange', { code: -1307, message: 'lost' });
    jest.advanceTimersByTime(1000);
    await settle();
    fire(m.room, '#pusher', 'statechange', entered);
    await m.inst.stop();
    await settle();
    for (const fn of net) expect(fn).not.toHaveBeenCalled();
    expect(JSON.stringify(m.events)).not.toContain('sig-alice');
    expect(m.events.map((e) => e.tag)).toContain('exit_room');
  });

  test('contexts are created with the component (never page-global), the pusher by its own id', async () => {
    m = await enterWx({}, { bob: { video: true } });
    expect(wxf.createLivePusherContext).toHaveBeenCalledWith('pusher', m.inst);
    m.inst.pause();
    for (const call of wxf.createLivePlayerContext.mock.calls) expect(call[1]).toBe(m.inst);
    expect(wxf.createLivePlayerContext).toHaveBeenCalled();
  });
});

describe('payload shapes a real client sends', () => {
  const pusher = { currentTarget: { dataset: { role: 'pusher' } } };
  const run = (ev: Record<string, unknown>) => {
    const got: unknown[] = [];
    createAdapter({} as never, (e) => got.push(e)).handleNative({ ...pusher, ...ev });
    return got;
  };

  test('binderror with its payload in `details` (one WeChat version, read by Tencent as detail || details)', () => {
    expect(run({ type: 'error', details: { errCode: 10001, errMsg: 'camera denied' } })).toMatchObject([
      { type: 'error', code: -7, rawCode: 10001, reason: 'permission' },
    ]);
  });

  test('statechange codes as strings, user lists as JSON in a string or as an object', () => {
    expect(run({ type: 'statechange', detail: { code: '1018', message: 'onEnterRoom success' } })).toEqual([
      { type: 'entered' },
    ]);
    expect(run({ type: 'statechange', detail: { code: '1019', message: 'onExitRoom reason[2]' } })).toEqual([
      { type: 'kicked', reason: 2, message: 'onExitRoom reason[2]' },
    ]);
    expect(
      run({ type: 'statechange', detail: { code: 1031, message: { userlist: [{ userid: 'bob' }] } } }),
    ).toEqual([{ type: 'user_join', userID: 'bob' }]);
  });
});

describe('live-player statechange through the real component', () => {
  test("-2301 from a player (string code too) is that user's rebuild; 2004/2007/2003 change nothing", async () => {
    m = await enterWx({}, { bob: { video: true } });
    const key = () => (m.inst.data.streams as Array<{ key: string }>)[0].key;
    const before = key();
    for (const code of [2007, 2004, 2003]) fire(m.room, '#player-0', 'statechange', { code, message: 'x' });
    await settle();
    expect(m.events).toEqual([]);
    fire(m.room, '#player-0', 'statechange', { code: '-2301', message: 'disconnected' });
    await settle();
    expect(m.events).toEqual([
      { tag: 'warning', code: -2301, detail: { message: expect.stringContaining('bob') } },
    ]);
    const after = nativeViews(m.room, 'live-player');
    expect(after).toHaveLength(1);
    expect(after[0]['data-user-id']).toBe('bob');
    // a new wx:key: the native view is created anew
    expect(key()).not.toBe(before);
  });

  test('-2301 from the player of a user who just left (same burst, the view not yet updated): nothing', async () => {
    m = await enterWx({}, { bob: { video: true } });
    fire(m.room, '#pusher', 'statechange', {
      code: 1032,
      message: JSON.stringify({ userlist: [{ userid: 'bob' }] }),
    });
    fire(m.room, '#player-0', 'statechange', { code: -2301, message: 'disconnected' });
    await settle();
    expect(m.events.map((e) => e.tag)).toEqual(['video_available', 'user_leave']);
    expect(nativeViews(m.room, 'live-player')).toHaveLength(0);
  });
});
