/**
 * A re-entry the cloud refuses for its credential: the PrivateMapKey in the push URL is checked on every entry
 * (-100006 then 1022, e.g. expired while the client was suspended); no retry can pass it (the key is the one the
 * session started with), so the session ends at once with -9, as for a rejected UserSig.
 */
import { settle } from './behaviour/driver';
import { type WxFake } from './helpers/wx-fake';
import { fire, Mounted, mountRoom, nativeAttrs } from './helpers/mp';
import { enterWx, useWxRoomLifecycle, WX_IDENTITY } from './helpers/wx-room';
import { ENTER_TIMEOUT_MS, RECONNECT_DELAYS } from '../utils/room/controller';

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

describe('an entry refused for its old UserSig while the page already handed over a new one', () => {
  /** The client's report of a refused UserSig: the error, then the entry's failure (as the emulator sends them). */
  const sigRefused = [
    { code: -100018, message: 'userSig check failed: expired' },
    { code: 1022, message: 'onEnterRoom failed, error code[-100018]' },
  ];
  const entered = { code: 1018, message: 'onEnterRoom success, time cost[10]' };
  const REFUSED_AGAIN = {
    tag: 'error',
    code: -9,
    detail: { message: 'credential rejected', rawCode: -100018, platformMessage: sigRefused[0].message },
  };

  /** The push URL each LivePusherContext.start() was called with, and the context calls in order. */
  function recordPusher(): { urls: string[]; calls: string[] } {
    const out = { urls: [] as string[], calls: [] as string[] };
    const start = wxf.pusher.start.getMockImplementation()!;
    const stop = wxf.pusher.stop.getMockImplementation()!;
    wxf.pusher.start.mockImplementation((o) => {
      out.calls.push('start');
      out.urls.push(String(nativeAttrs(m.room, 'pusher').url));
      start(o);
    });
    wxf.pusher.stop.mockImplementation((o) => {
      out.calls.push('stop');
      stop(o);
    });
    return out;
  }

  async function startThenRenew(renew: () => Promise<void> | void) {
    m = mountRoom({ ...WX_IDENTITY });
    const pusher = recordPusher();
    const started = m.inst.start();
    started.catch(() => undefined);
    await settle();
    await renew();
    await settle();
    return { pusher, started };
  }

  /** The pusher left and entered once more with sig-2, and that entry's 1018 settles start() with one enter_room. */
  async function reenteredWithSig2(pusher: { urls: string[]; calls: string[] }, started: Promise<unknown>) {
    expect(pusher.calls).toEqual(['start', 'stop', 'start']);
    expect(pusher.urls[1]).toContain('usersig=sig-2');
    fire(m.room, '#pusher', 'statechange', entered);
    await started;
    expect(m.events.map((e) => e.tag)).toEqual(['enter_room']);
  }

  test.each([
    ['updateUserSig()', () => m.inst.updateUserSig('sig-2')],
    ['the userSig property', () => m.setProps({ userSig: 'sig-2' })],
  ])(
    'given by %s: entered again at once with it, no error; start() resolves once with enter_room',
    async (_n, renew) => {
      const { pusher, started } = await startThenRenew(renew);
      for (const ev of sigRefused) fire(m.room, '#pusher', 'statechange', ev);
      await settle();
      expect(pusher.calls).toEqual(['start', 'stop', 'start']);
      expect(pusher.urls[0]).toContain('usersig=sig-alice');
      expect(pusher.urls[1]).toContain('usersig=sig-2');
      expect(m.events).toEqual([]);
      expect(m.inst.data.phase).toBe('entering');
      fire(m.room, '#pusher', 'statechange', entered);
      await expect(started).resolves.toEqual({ elapsed: expect.any(Number) });
      await settle();
      expect(m.events).toEqual([
        { tag: 'enter_room', code: expect.any(Number), detail: { roomID: 1234, userID: 'alice' } },
      ]);
      expect(m.inst.data.phase).toBe('in_room');
    },
  );

  test('a client that reports only the 1022: the same single re-entry', async () => {
    const { pusher, started } = await startThenRenew(() => m.inst.updateUserSig('sig-2'));
    fire(m.room, '#pusher', 'statechange', sigRefused[1]);
    await settle();
    await reenteredWithSig2(pusher, started);
  });

  test('the new UserSig refused too: -9 once, start() rejects with it, no third entry', async () => {
    const { pusher, started } = await startThenRenew(() => m.inst.updateUserSig('sig-2'));
    for (const ev of sigRefused) fire(m.room, '#pusher', 'statechange', ev);
    await settle();
    for (const ev of sigRefused) fire(m.room, '#pusher', 'statechange', ev);
    jest.advanceTimersByTime(ENTER_TIMEOUT_MS * 2);
    await settle();
    await expect(started).rejects.toMatchObject({ code: -9, detail: { rawCode: -100018 } });
    expect(m.events).toEqual([REFUSED_AGAIN]);
    expect(pusher.calls).toEqual(['start', 'stop', 'start', 'stop']);
    expect(m.inst.data.phase).toBe('idle');
  });

  test('at most once per UserSig: a page that hands the refused one back gets -9', async () => {
    const { pusher, started } = await startThenRenew(() => m.inst.updateUserSig('sig-2'));
    for (const ev of sigRefused) fire(m.room, '#pusher', 'statechange', ev);
    await settle();
    await m.inst.updateUserSig('sig-alice');
    for (const ev of sigRefused) fire(m.room, '#pusher', 'statechange', ev);
    await settle();
    await expect(started).rejects.toMatchObject({ code: -9 });
    expect(m.events).toEqual([REFUSED_AGAIN]);
    expect(pusher.calls).toEqual(['start', 'stop', 'start', 'stop']);
  });

  test('no newer UserSig held: -9 at once, as before (the refusal is the first report)', async () => {
    const { pusher, started } = await startThenRenew(() => undefined);
    for (const ev of sigRefused) fire(m.room, '#pusher', 'statechange', ev);
    await settle();
    await expect(started).rejects.toMatchObject({ code: -9 });
    expect(m.events).toEqual([REFUSED_AGAIN]);
    expect(pusher.calls).toEqual(['start', 'stop']);
  });

  test('refused while the page is hidden: no pusher call until show, then it leaves and enters with the new one', async () => {
    const { pusher, started } = await startThenRenew(() => m.inst.updateUserSig('sig-2'));
    (m.room as any).triggerPageLifeTime('hide');
    for (const ev of sigRefused) fire(m.room, '#pusher', 'statechange', ev);
    jest.advanceTimersByTime(ENTER_TIMEOUT_MS * 2);
    await settle();
    expect(pusher.calls).toEqual(['start']);
    expect(m.events).toEqual([]);
    (m.room as any).triggerPageLifeTime('show');
    await settle();
    await reenteredWithSig2(pusher, started);
  });

  test('refused while hidden, then stop() before show: the pusher is released, show enters nothing', async () => {
    const { pusher, started } = await startThenRenew(() => m.inst.updateUserSig('sig-2'));
    (m.room as any).triggerPageLifeTime('hide');
    for (const ev of sigRefused) fire(m.room, '#pusher', 'statechange', ev);
    await settle();
    await m.inst.stop();
    await settle();
    expect(pusher.calls).toEqual(['start', 'stop']);
    (m.room as any).triggerPageLifeTime('show');
    jest.advanceTimersByTime(ENTER_TIMEOUT_MS * 2);
    await settle();
    // the refused entry's late reports change nothing either
    for (const ev of sigRefused) fire(m.room, '#pusher', 'statechange', ev);
    await settle();
    expect(pusher.calls).toEqual(['start', 'stop']);
    expect(m.inst.data.phase).toBe('idle');
    expect(m.events).toEqual([]);
    await expect(started).rejects.toMatchObject({ code: -10 });
  });

  test("the component's re-entry after a loss refused, a new UserSig given meanwhile: re-entered with it", async () => {
    m = await enterWx();
    const pusher = recordPusher();
    fire(m.room, '#pusher', 'statechange', { code: -1307, message: 'lost' });
    jest.advanceTimersByTime(RECONNECT_DELAYS[0]);
    await settle();
    await m.inst.updateUserSig('sig-2');
    for (const ev of sigRefused) fire(m.room, '#pusher', 'statechange', ev);
    await settle();
    expect(pusher.calls).toEqual(['stop', 'start', 'stop', 'start']);
    expect(pusher.urls).toEqual([
      expect.stringContaining('usersig=sig-alice'),
      expect.stringContaining('usersig=sig-2'),
    ]);
    fire(m.room, '#pusher', 'statechange', entered);
    await settle();
    expect(m.events).toEqual([
      { tag: 'reconnecting', code: 1, detail: {} },
      { tag: 'reconnected', code: 1, detail: {} },
    ]);
  });

  test('a refusal of the entry left for a re-entry that waits for its delay: that re-entry enters with the new one', async () => {
    m = await enterWx();
    const pusher = recordPusher();
    await m.inst.updateUserSig('sig-2');
    await settle();
    // the sig-2 entry is lost (its retry waits 1 s), the page gives sig-3, then that left entry's refusal comes
    fire(m.room, '#pusher', 'statechange', { code: 1019, message: 'onExitRoom reason[0]' });
    fire(m.room, '#pusher', 'statechange', { code: -1307, message: 'lost' });
    await m.inst.updateUserSig('sig-3');
    for (const ev of sigRefused) fire(m.room, '#pusher', 'statechange', ev);
    await settle();
    expect(pusher.calls).toEqual(['stop', 'start', 'stop']);
    jest.advanceTimersByTime(RECONNECT_DELAYS[0]);
    await settle();
    expect(pusher.calls).toEqual(['stop', 'start', 'stop', 'start']);
    expect(pusher.urls[1]).toContain('usersig=sig-3');
    fire(m.room, '#pusher', 'statechange', entered);
    await settle();
    expect(m.events.map((e) => [e.tag, e.code])).toEqual([
      ['reconnecting', 0],
      ['reconnecting', 1],
      ['reconnected', 1],
    ]);
  });

  test("the client's own re-entry after 5000 refused, a new UserSig given meanwhile: re-entered with it", async () => {
    m = await enterWx();
    const pusher = recordPusher();
    fire(m.room, '#pusher', 'statechange', { code: 5000, message: '' });
    await m.inst.updateUserSig('sig-2');
    for (const ev of sigRefused) fire(m.room, '#pusher', 'statechange', ev);
    await settle();
    expect(pusher.calls).toEqual(['stop', 'start']);
    expect(pusher.urls[0]).toContain('usersig=sig-2');
    fire(m.room, '#pusher', 'statechange', entered);
    await settle();
    expect(m.events).toEqual([
      { tag: 'reconnecting', code: 0, detail: { reason: 'suspended' } },
      { tag: 'reconnected', code: 0, detail: { reason: 'suspended' } },
    ]);
    expect(m.inst.data.phase).toBe('in_room');
  });

  describe("in the room, the client's own re-entry (e.g. after a network switch) refused for the old UserSig", () => {
    const CREDENTIAL = { reason: 'credential' };

    /** In the room entered with sig-alice, the page holding sig-2 (`how`); the pusher recorded from then on. */
    async function inRoomHolding(how: 'property' | 'updateUserSig') {
      if (how === 'property') {
        m = await enterWx();
        m.setProps({ userSig: 'sig-2' });
      } else {
        // given while entering: the entry under way goes on with sig-alice and is entered
        m = mountRoom({ ...WX_IDENTITY });
        const started = m.inst.start();
        await settle();
        await m.inst.updateUserSig('sig-2');
        fire(m.room, '#pusher', 'statechange', entered);
        await started;
      }
      await settle();
      m.events.length = 0;
      return recordPusher();
    }

    test.each([
      ['the userSig property changed in the room', 'property'],
      ['updateUserSig() while entering', 'updateUserSig'],
    ] as const)(
      'a newer UserSig held (%s): re-entered once with it, reconnecting / reconnected {reason: credential}, no error',
      async (_n, how) => {
        const pusher = await inRoomHolding(how);
        expect(wxf.pusher.start).toHaveBeenCalledTimes(1);
        for (const ev of sigRefused) fire(m.room, '#pusher', 'statechange', ev);
        await settle();
        expect(m.events).toEqual([{ tag: 'reconnecting', code: 0, detail: CREDENTIAL }]);
        expect(pusher.calls).toEqual(['stop', 'start']);
        expect(pusher.urls).toEqual([expect.stringContaining('usersig=sig-2')]);
        fire(m.room, '#pusher', 'statechange', entered);
        jest.advanceTimersByTime(60000);
        await settle();
        expect(m.events).toEqual([
          { tag: 'reconnecting', code: 0, detail: CREDENTIAL },
          { tag: 'reconnected', code: 0, detail: CREDENTIAL },
        ]);
        expect(pusher.calls).toEqual(['stop', 'start']);
        expect(m.inst.data.phase).toBe('in_room');
      },
    );

    test('a client that reports only the 1022: the same single re-entry', async () => {
      const pusher = await inRoomHolding('property');
      fire(m.room, '#pusher', 'statechange', sigRefused[1]);
      await settle();
      fire(m.room, '#pusher', 'statechange', entered);
      await settle();
      expect(m.events.map((e) => [e.tag, e.code, e.detail])).toEqual([
        ['reconnecting', 0, CREDENTIAL],
        ['reconnected', 0, CREDENTIAL],
      ]);
      expect(pusher.calls).toEqual(['stop', 'start']);
      expect(pusher.urls[0]).toContain('usersig=sig-2');
    });

    test('the newer one refused too: -9 once and exit_room lost, no third entry', async () => {
      const pusher = await inRoomHolding('property');
      for (const ev of sigRefused) fire(m.room, '#pusher', 'statechange', ev);
      await settle();
      for (const ev of sigRefused) fire(m.room, '#pusher', 'statechange', ev);
      jest.advanceTimersByTime(60000);
      await settle();
      expect(m.events).toEqual([
        { tag: 'reconnecting', code: 0, detail: CREDENTIAL },
        REFUSED_AGAIN,
        { tag: 'exit_room', code: -100018, detail: { reason: 'lost' } },
      ]);
      expect(pusher.calls).toEqual(['stop', 'start', 'stop']);
      expect(m.inst.data.phase).toBe('idle');
    });

    test('refused while the page is hidden: announced, no pusher call until show, then re-entered with it', async () => {
      const pusher = await inRoomHolding('property');
      (m.room as any).triggerPageLifeTime('hide');
      for (const ev of sigRefused) fire(m.room, '#pusher', 'statechange', ev);
      jest.advanceTimersByTime(ENTER_TIMEOUT_MS * 2);
      await settle();
      expect(pusher.calls).toEqual([]);
      expect(m.events).toEqual([{ tag: 'reconnecting', code: 0, detail: CREDENTIAL }]);
      (m.room as any).triggerPageLifeTime('show');
      await settle();
      expect(pusher.calls).toEqual(['stop', 'start']);
      expect(pusher.urls[0]).toContain('usersig=sig-2');
      fire(m.room, '#pusher', 'statechange', entered);
      await settle();
      expect(m.events.map((e) => e.tag)).toEqual(['reconnecting', 'reconnected']);
    });
  });
});
