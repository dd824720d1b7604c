/**
 * Douyin event orders a real phone produces (douyin-rtc.md §2.4, §3): reports of a room being left, callbacks
 * that answer after the session or the component ended, lists in any order. Nothing after a session ended
 * changes state or reaches the page; camera and microphone are released whenever a session ends.
 */
import { settle } from '../behaviour/driver';
import { TtDriver, useTtDriverLifecycle } from '../behaviour/tt-driver';

let d: TtDriver;
useTtDriverLifecycle(() => d);

async function enter(props: Record<string, unknown> = {}) {
  d = new TtDriver();
  return d.enter(props);
}

/** A new room whose first joinRtcRoom the fake holds, started and settled: `started` is 'entered' or its error code. */
async function startHoldingJoin(
  opts: ConstructorParameters<typeof TtDriver>[0] = {},
): Promise<{ started: Promise<string | number | undefined> }> {
  d = new TtDriver(opts);
  d.fake.holdJoins = 1;
  d.mount();
  const started = d.start().then(
    () => 'entered',
    (e: { code?: number }) => e.code,
  );
  await settle();
  return { started };
}

/** A room entered, then its connection lost: the re-entry's joinRtcRoom is out and held by the fake. */
async function reenterHoldingJoin() {
  await enter();
  const ctx = d.fake.ctx;
  d.fake.holdJoins = 1;
  d.loseConnection();
  await d.advance(1000);
  return ctx;
}

describe('the room being left (exitRtcRoom not answered yet) reports to no session', () => {
  test('stop() then start(): its state report and member list reach no one; the new session listens once the exit answered', async () => {
    await enter();
    const ctx = d.fake.ctx;
    d.fake.exitDelayMs = 300;
    await d.m.inst.stop();
    const again = d.m.inst.start() as Promise<{ elapsed: number }>;
    // a failing run leaves it rejected: its failure is the assertions below
    again.catch(() => undefined);
    await settle();
    d.clearEvents();
    // the engine, still leaving the old room, reports on whatever listeners there are: only the new session's
    // token watch is on (the same token: its expiry is the new session's)
    expect(ctx.totalListeners()).toBe(1);
    expect(ctx.count('onRoomTokenWillExpire')).toBe(1);
    ctx.emit('onRtcStateChanged', { errNo: -1006, errMsg: 'kicked out while leaving', data: {} });
    ctx.emit('onRtcChatMembersChanged', { userIdList: ['alice', 'bob'] });
    await settle();
    expect(d.events()).toEqual([]);
    await d.advance(300);
    const res = await again;
    expect(d.events()).toEqual([
      { tag: 'enter_room', code: res.elapsed, detail: { roomID: 1234, userID: 'alice' } },
    ]);
    expect(ctx.count('onRtcChatMembersChanged')).toBe(1);
    expect(ctx.callsOf('joinRtcRoom')).toHaveLength(2);
  });

  test('a re-entry after a loss: a removal the old room reports while it is left does not end the re-entered session', async () => {
    await enter();
    const ctx = d.fake.ctx;
    d.fake.exitDelayMs = 3000;
    d.fake.join('bob', { video: true });
    await settle();
    d.loseConnection();
    // the backoff (1 s) is over: the re-entry waits for the exit
    await d.advance(1000);
    d.clearEvents();
    ctx.emit('onRtcStateChanged', { errNo: -1006, errMsg: 'kicked out while leaving', data: {} });
    ctx.emit('onRtcChatMembersChanged', { userIdList: ['alice'] });
    await settle();
    expect(d.events()).toEqual([]);
    await d.advance(2000);
    expect(d.events().map((e) => e.tag)).toEqual(['reconnected']);
    expect(d.players()).toEqual(['bob|main']);
    expect(d.inRoom()).toBe(true);
  });
});

describe('onRoomTokenWillExpire while the room is re-entered (the engine warns once per token)', () => {
  /** A loss; the re-entry (after the 1 s backoff) waits for the old room's exit (3 s). */
  async function reentering() {
    await enter();
    const ctx = d.fake.ctx;
    d.fake.exitDelayMs = 3000;
    d.loseConnection();
    await settle();
    d.clearEvents();
    return ctx;
  }

  test('while the re-entry waits for the exit: token_will_expire once, also when the engine warns again after the re-join', async () => {
    const ctx = await reentering();
    await d.advance(1000);
    expect(ctx.callsOf('joinRtcRoom')).toHaveLength(1);
    ctx.emit('onRoomTokenWillExpire');
    await settle();
    expect(d.events()).toEqual([{ tag: 'token_will_expire', code: 0, detail: {} }]);
    await d.advance(2000);
    expect(ctx.callsOf('joinRtcRoom').map((j) => j.token)).toEqual(['token-alice', 'token-alice']);
    ctx.emit('onRoomTokenWillExpire');
    await settle();
    expect(d.events().map((e) => e.tag)).toEqual(['token_will_expire', 'reconnected']);
    // the page renews: a warning of the new token is the session's again
    await d.m.inst.updateUserSig('token-2');
    ctx.emit('onRoomTokenWillExpire');
    await settle();
    expect(d.events().map((e) => e.tag)).toEqual(['token_will_expire', 'reconnected', 'token_will_expire']);
  });

  test('during the backoff before the re-entry: token_will_expire', async () => {
    const ctx = await reentering();
    ctx.emit('onRoomTokenWillExpire');
    await settle();
    expect(d.events()).toEqual([{ tag: 'token_will_expire', code: 0, detail: {} }]);
  });

  test('a warning of the old token while the re-entry with a new one (updateUserSig meanwhile) waits: not the session’s', async () => {
    const ctx = await reentering();
    await d.m.inst.updateUserSig('token-2');
    await d.advance(1000);
    ctx.emit('onRoomTokenWillExpire');
    await d.advance(2000);
    expect(ctx.callsOf('joinRtcRoom').map((j) => j.token)).toEqual(['token-alice', 'token-2']);
    expect(d.events().map((e) => e.tag)).toEqual(['reconnected']);
  });

  test('a warning of the old token in the backoff after updateUserSig (before the re-entry): not the session’s; the new one’s is', async () => {
    const ctx = await reentering();
    await d.m.inst.updateUserSig('token-2');
    // no room to send updateToken to: the re-join takes the new token
    expect(ctx.callsOf('updateToken')).toHaveLength(0);
    ctx.emit('onRoomTokenWillExpire');
    await settle();
    expect(d.events()).toEqual([]);
    await d.advance(4000);
    expect(ctx.callsOf('joinRtcRoom').map((j) => j.token)).toEqual(['token-alice', 'token-2']);
    expect(d.events().map((e) => e.tag)).toEqual(['reconnected']);
    // the engine warns of the token it holds now: the page's renewed one
    ctx.emit('onRoomTokenWillExpire');
    await settle();
    expect(d.events().map((e) => e.tag)).toEqual(['reconnected', 'token_will_expire']);
  });

  test('updateUserSig while the re-entry waits for the exit (enter() made, no join sent): the join takes the new token', async () => {
    const ctx = await reentering();
    await d.advance(1000);
    await d.m.inst.updateUserSig('token-2');
    ctx.emit('onRoomTokenWillExpire');
    await d.advance(3000);
    expect(ctx.callsOf('joinRtcRoom').map((j) => j.token)).toEqual(['token-alice', 'token-2']);
    expect(d.events().map((e) => e.tag)).toEqual(['reconnected']);
  });

  test('the engine replaced by the re-entry (its exit failed with 115910): the token the page heard of is not warned of again', async () => {
    await enter();
    const old = d.fake.ctx;
    d.clearEvents();
    old.emit('onRoomTokenWillExpire');
    await settle();
    expect(d.events()).toEqual([{ tag: 'token_will_expire', code: 0, detail: {} }]);
    d.clearEvents();
    // the host drops the engine, then the call drops too: the exit fails with 115910, the re-entry makes a new one
    d.fake.destroyEngine();
    d.loseConnection();
    await d.advance(1000);
    expect(d.fake.createRtcRoomContext).toHaveBeenCalledTimes(2);
    const ctx = d.fake.ctx;
    expect(ctx.callsOf('joinRtcRoom').map((j) => j.token)).toEqual(['token-alice']);
    expect(d.events().map((e) => e.tag)).toEqual(['reconnecting', 'reconnected']);
    // the new engine warns once per token too, also of the one the old engine already warned of: the session's
    // page heard of it
    ctx.emit('onRoomTokenWillExpire');
    await settle();
    expect(d.events().map((e) => e.tag)).toEqual(['reconnecting', 'reconnected']);
    expect(old.totalListeners()).toBe(0);
    expect(ctx.count('onRoomTokenWillExpire')).toBe(1);
    // the page renews: a warning of the new token is the session's
    await d.m.inst.updateUserSig('token-2');
    ctx.emit('onRoomTokenWillExpire');
    await settle();
    expect(d.events().map((e) => e.tag)).toEqual(['reconnecting', 'reconnected', 'token_will_expire']);
  });

  test('after stop(): no watch is left, and the next session hears the warning of its own token only', async () => {
    await enter();
    const ctx = d.fake.ctx;
    await d.m.inst.stop();
    expect(ctx.totalListeners()).toBe(0);
    const again = d.start();
    await settle();
    await again;
    d.clearEvents();
    ctx.emit('onRoomTokenWillExpire');
    await settle();
    expect(d.events()).toEqual([{ tag: 'token_will_expire', code: 0, detail: {} }]);
  });
});

describe('updateUserSig: updateToken answers after the room it was sent to was left', () => {
  const notInRoom = { errMsg: 'updateToken:fail user is not in the room', errNo: 21102 };

  test('a loss meanwhile: the call resolves, the re-entry joins with the new token', async () => {
    await enter();
    d.clearEvents();
    const ctx = d.fake.ctx;
    ctx.failNext('updateToken', notInRoom);
    const update = d.m.inst.updateUserSig('token-2').then(
      () => 'resolved',
      (e: unknown) => e,
    );
    d.loseConnection();
    await settle();
    expect(await update).toBe('resolved');
    await d.advance(1000);
    expect(d.events()).toEqual([
      { tag: 'reconnecting', code: 1, detail: {} },
      { tag: 'reconnected', code: 1, detail: {} },
    ]);
    expect(ctx.callsOf('joinRtcRoom').map((j) => j.token)).toEqual(['token-alice', 'token-2']);
  });

  test('the token expired meanwhile: the session ended once (-9, exit_room), the call resolves, the next start() uses the new token', async () => {
    await enter();
    const ctx = d.fake.ctx;
    ctx.emit('onRoomTokenWillExpire');
    await settle();
    d.clearEvents();
    ctx.failNext('updateToken', notInRoom);
    const update = d.m.inst.updateUserSig('token-2').then(
      () => 'resolved',
      (e: unknown) => e,
    );
    d.fake.expireToken('onRtcChatInterrupted');
    await settle();
    expect(await update).toBe('resolved');
    expect(d.events()).toEqual([
      {
        tag: 'error',
        code: -9,
        detail: { message: 'credential rejected', rawCode: -1009, platformMessage: 'token expired' },
      },
      { tag: 'exit_room', code: -1009, detail: { reason: 'lost' } },
    ]);
    expect(d.local()).toMatchObject({ camera: false, mic: false });
    const again = d.start();
    await settle();
    await again;
    expect(ctx.callsOf('joinRtcRoom').map((j) => j.token)).toEqual(['token-alice', 'token-2']);
  });
});

describe('the engine destroyed while the room is re-entered: the session ends like any -13', () => {
  const destroyed = (rawCode = 115910) => [
    {
      tag: 'error',
      code: -13,
      detail: {
        message: 'the RTC engine was destroyed; the next start() creates a new one',
        platformMessage: expect.stringContaining('engine has been destroyed'),
        rawCode,
      },
    },
    { tag: 'exit_room', code: rawCode, detail: { reason: 'lost' } },
  ];

  test('reported by onRtcStateChanged while the re-join is on its way: no reconnected, the next start() has a new context', async () => {
    const ctx = await reenterHoldingJoin();
    expect(ctx.callsOf('joinRtcRoom')).toHaveLength(2);
    d.clearEvents();
    d.fake.destroyEngine();
    ctx.emit('onRtcStateChanged', { errNo: 115910, errMsg: 'engine has been destroyed', data: {} });
    await settle();
    expect(d.events()).toEqual(destroyed());
    expect(ctx.totalListeners()).toBe(0);
    // the join on the gone engine answers late: nothing changes
    d.fake.answerJoin({ errMsg: 'joinRtcRoom:fail engine has been destroyed', errorCode: 115910 });
    await d.advance(20000);
    expect(d.events()).toEqual(destroyed());
    expect(d.m.inst.data.phase).toBe('idle');
    const again = d.start();
    await settle();
    await again;
    expect(d.fake.createRtcRoomContext).toHaveBeenCalledTimes(2);
    expect(d.inRoom()).toBe(true);
  });

  test('found by the re-entry itself (its calls fail with 115910): one -13, exit_room, no further attempt', async () => {
    await enter();
    d.loseConnection();
    await settle();
    d.fake.destroyEngine();
    d.clearEvents();
    await d.advance(1000);
    expect(d.events()).toEqual(destroyed());
    await d.advance(60000);
    expect(d.events()).toEqual(destroyed());
    expect(d.fake.createRtcRoomContext).toHaveBeenCalledTimes(1);
  });
});

describe('joinRtcRoom answers after the component was detached', () => {
  async function detachWhileJoining() {
    const { started } = await startHoldingJoin();
    d.detach();
    await settle();
    const ctx = d.fake.ctx;
    // detached: the room left, camera and microphone off, no listener
    expect(ctx.calls.slice(-3).map(([m, a]) => [m, a.state])).toEqual([
      ['exitRtcRoom', undefined],
      ['changeVideoCapture', 0],
      ['changeAudioCapture', 0],
    ]);
    expect(ctx.totalListeners()).toBe(0);
    return { ctx, started };
  }

  test('its success: the room it landed in is left again, nothing reaches the page, the devices stay off', async () => {
    const { ctx, started } = await detachWhileJoining();
    const before = d.events().length;
    d.fake.answerJoin();
    await settle();
    expect(ctx.calls.slice(-1).map(([m]) => m)).toEqual(['exitRtcRoom']);
    expect(d.inRoom()).toBe(false);
    expect(d.local()).toMatchObject({ camera: false, mic: false });
    expect(d.events()).toHaveLength(before);
    expect(await started).toBe(-10);
  });

  test('its failure: nothing more is called, nothing reaches the page', async () => {
    const { ctx, started } = await detachWhileJoining();
    const calls = ctx.calls.length;
    const before = d.events().length;
    d.fake.answerJoin({ errMsg: 'joinRtcRoom:fail invalid token', errNo: 21101 });
    await settle();
    expect(ctx.calls).toHaveLength(calls);
    expect(d.events()).toHaveLength(before);
    expect(await started).toBe(-10);
  });
});

describe('a failed call that the state listener reports too (onRtcStateChange carries API errors)', () => {
  test.each(['state first', 'fail first'] as const)(
    'the camera refused in the room (%s): one error -7',
    async (order) => {
      await enter({ enableCamera: false });
      d.clearEvents();
      const ctx = d.fake.ctx;
      const refused = { errMsg: 'changeVideoCapture:fail auth deny', errNo: 10200 };
      ctx.failNext('changeVideoCapture', refused);
      d.setProps({ enableCamera: true });
      if (order === 'fail first') await settle();
      ctx.emit('onRtcStateChanged', { ...refused, data: {} });
      await settle();
      expect(d.events()).toEqual([
        {
          tag: 'error',
          code: -7,
          detail: {
            message: 'camera or microphone permission denied',
            rawCode: 10200,
            reason: 'permission',
            platformMessage: 'changeVideoCapture:fail auth deny',
          },
        },
      ]);
    },
  );
});

describe('member lists that come before the join answers (the engine is in the room a moment earlier)', () => {
  test('the join succeeds: enter_room first, then the users, as on WeChat', async () => {
    d = new TtDriver();
    d.fake.listsBeforeJoinAnswer = true;
    d.fake.remotes.set('bob', { video: true, audio: true, screen: false });
    d.mount();
    const started = d.start();
    await settle();
    const res = await started;
    expect(d.events()).toEqual([
      { tag: 'enter_room', code: res.elapsed, detail: { roomID: 1234, userID: 'alice' } },
      { tag: 'user_join', code: 0, detail: { userID: 'bob' } },
      { tag: 'audio_available', code: 1, detail: { userID: 'bob' } },
      { tag: 'video_available', code: 1, detail: { userID: 'bob', streamType: 'main' } },
    ]);
    expect(d.players()).toEqual(['bob|main']);
  });

  test('the join fails: no user of a room never entered reaches the page', async () => {
    const { started } = await startHoldingJoin();
    const ctx = d.fake.ctx;
    ctx.emit('onRtcChatMembersChanged', { userIdList: ['alice', 'bob'] });
    ctx.emit('onRtcVideoMembersChanged', { userIdList: ['bob'] });
    await settle();
    d.fake.answerJoin({ errMsg: 'joinRtcRoom:fail invalid token', errNo: 21101 });
    await settle();
    expect(await started).toBe(-9);
    expect(d.events()).toEqual([
      {
        tag: 'error',
        code: -9,
        detail: {
          message: 'credential rejected',
          rawCode: 21101,
          platformMessage: 'joinRtcRoom:fail invalid token',
        },
      },
    ]);
    expect(d.m.inst.getRemoteUsers()).toEqual([]);
    expect(d.players()).toEqual([]);
  });
});

describe('updateUserSig while a joinRtcRoom is out (entering, re-entering): the room takes the new token once joined', () => {
  /** the warning of the old token comes while the new one is on its way (updateToken not answered yet) */
  function warnOnUpdate(ctx: typeof d.fake.ctx) {
    const send = (ctx as unknown as { updateToken: jest.Mock }).updateToken;
    const real = send.getMockImplementation() as (o: unknown) => void;
    send.mockImplementationOnce((o: unknown) => {
      ctx.emit('onRoomTokenWillExpire');
      real(o);
    });
  }

  /** A new room whose first joinRtcRoom (with token-alice) the fake holds, renewed to token-2 meanwhile. */
  async function renewedWhileJoining(opts: ConstructorParameters<typeof TtDriver>[0] = {}) {
    d = new TtDriver(opts);
    d.fake.holdJoins = 1;
    d.mount();
    const started = d.start();
    await settle();
    const ctx = d.fake.ctx;
    await d.m.inst.updateUserSig('token-2');
    return { started, ctx };
  }

  test('the first entry: updateToken with it after the join succeeded; the old token’s warning is not the session’s', async () => {
    const { started, ctx } = await renewedWhileJoining();
    expect(ctx.callsOf('joinRtcRoom').map((j) => j.token)).toEqual(['token-alice']);
    expect(ctx.callsOf('updateToken')).toEqual([]);
    warnOnUpdate(ctx);
    d.fake.answerJoin();
    await started;
    await settle();
    expect(ctx.callsOf('updateToken')).toEqual([{ token: 'token-2' }]);
    expect(ctx.room?.token).toBe('token-2');
    expect(d.events().map((e) => e.tag)).toEqual(['enter_room']);
    // the engine warns of the token it holds now: the page's renewed one
    ctx.emit('onRoomTokenWillExpire');
    await settle();
    expect(d.events().map((e) => e.tag)).toEqual(['enter_room', 'token_will_expire']);
  });

  test('a re-entry after a loss: the re-join went out with the old token, updateToken follows its success', async () => {
    const ctx = await reenterHoldingJoin();
    expect(ctx.callsOf('joinRtcRoom').map((j) => j.token)).toEqual(['token-alice', 'token-alice']);
    d.clearEvents();
    await d.m.inst.updateUserSig('token-2');
    warnOnUpdate(ctx);
    d.fake.answerJoin();
    await settle();
    expect(ctx.callsOf('updateToken')).toEqual([{ token: 'token-2' }]);
    expect(ctx.room?.token).toBe('token-2');
    expect(d.events().map((e) => e.tag)).toEqual(['reconnected']);
  });

  test('the new token refused by updateToken: a warning, the session goes on, the old token’s warning reaches the page', async () => {
    const { started, ctx } = await renewedWhileJoining();
    d.fake.invalidTokens.add('token-2');
    d.fake.answerJoin();
    await started;
    await settle();
    expect(ctx.room?.token).toBe('token-alice');
    expect(d.events().slice(1)).toEqual([
      {
        tag: 'warning',
        code: 21101,
        detail: { message: 'notice from the platform', platformMessage: 'updateToken:fail invalid token' },
      },
    ]);
    expect(d.inRoom()).toBe(true);
    d.clearEvents();
    ctx.emit('onRoomTokenWillExpire');
    await settle();
    expect(d.events().map((e) => e.tag)).toEqual(['token_will_expire']);
  });

  test('the first join refused for its old token (21101), renewed meanwhile: joined again at once with the new one', async () => {
    const { started, ctx } = await renewedWhileJoining();
    d.fake.invalidTokens.add('token-alice');
    d.fake.answerJoin();
    const res = await started;
    await settle();
    expect(ctx.callsOf('joinRtcRoom').map((j) => j.token)).toEqual(['token-alice', 'token-2']);
    expect(ctx.callsOf('exitRtcRoom')).toEqual([]);
    expect(ctx.room?.token).toBe('token-2');
    expect(d.events()).toEqual([
      { tag: 'enter_room', code: res.elapsed, detail: { roomID: 1234, userID: 'alice' } },
    ]);
    expect(d.inRoom()).toBe(true);
  });

  test('a re-entry’s join refused for the old token (21101), renewed meanwhile: joined again at once with the new one', async () => {
    const ctx = await reenterHoldingJoin();
    d.clearEvents();
    await d.m.inst.updateUserSig('token-2');
    d.fake.invalidTokens.add('token-alice');
    d.fake.answerJoin();
    await d.advance(100);
    expect(ctx.callsOf('joinRtcRoom').map((j) => j.token)).toEqual(['token-alice', 'token-alice', 'token-2']);
    expect(ctx.room?.token).toBe('token-2');
    expect(d.events()).toEqual([{ tag: 'reconnected', code: 1, detail: {} }]);
    expect(d.inRoom()).toBe(true);
  });

  test('the renewed token refused too: -9 once, start() rejects with it, no third join', async () => {
    const { started, ctx } = await renewedWhileJoining();
    d.fake.invalidTokens.add('token-alice');
    d.fake.invalidTokens.add('token-2');
    d.fake.answerJoin();
    await expect(started).rejects.toMatchObject({ code: -9, detail: { rawCode: 21101 } });
    await d.advance(60000);
    expect(ctx.callsOf('joinRtcRoom').map((j) => j.token)).toEqual(['token-alice', 'token-2']);
    expect(d.events().map((e) => [e.tag, e.code])).toEqual([['error', -9]]);
    expect(d.m.inst.data.phase).toBe('idle');
  });

  const fallback = {
    tag: 'warning',
    code: 0,
    detail: { message: 'updateToken is not available on this base library; re-entering with the new token' },
  };
  const credential = [
    { tag: 'reconnecting', code: 0, detail: { reason: 'credential' } },
    { tag: 'reconnected', code: 0, detail: { reason: 'credential' } },
  ];

  test('the first entry, no updateToken (base library < 2.68.0): once joined, a credential re-entry with it', async () => {
    const { started, ctx } = await renewedWhileJoining({ missing: ['updateToken'] });
    d.fake.answerJoin();
    const res = await started;
    // the old token's warning before the re-join is not the session's: it enters with the new one
    ctx.emit('onRoomTokenWillExpire');
    await d.advance(100);
    expect(ctx.callsOf('exitRtcRoom')).toHaveLength(1);
    expect(ctx.callsOf('joinRtcRoom').map((j) => j.token)).toEqual(['token-alice', 'token-2']);
    expect(ctx.room?.token).toBe('token-2');
    expect(d.events()).toEqual([
      { tag: 'enter_room', code: res.elapsed, detail: { roomID: 1234, userID: 'alice' } },
      fallback,
      ...credential,
    ]);
    expect(d.inRoom()).toBe(true);
    d.clearEvents();
    ctx.emit('onRoomTokenWillExpire');
    await settle();
    expect(d.events().map((e) => e.tag)).toEqual(['token_will_expire']);
  });

  test('no updateToken, the page hidden when the join succeeds: the re-entry waits for show, the old token is no one’s', async () => {
    const { started } = await startHoldingJoin({ missing: ['updateToken'] });
    const ctx = d.fake.ctx;
    await d.m.inst.updateUserSig('token-2');
    (d.m.room as any).triggerPageLifeTime('hide');
    d.fake.answerJoin();
    expect(await started).toBe('entered');
    await settle();
    ctx.emit('onRoomTokenWillExpire');
    await settle();
    expect(d.events().map((e) => e.tag)).toEqual(['enter_room', 'warning', 'reconnecting']);
    expect(ctx.callsOf('joinRtcRoom').map((j) => j.token)).toEqual(['token-alice']);
    (d.m.room as any).triggerPageLifeTime('show');
    await d.advance(100);
    expect(ctx.callsOf('joinRtcRoom').map((j) => j.token)).toEqual(['token-alice', 'token-2']);
    expect(d.events().slice(1)).toEqual([fallback, ...credential]);
  });

  test('a re-entry after a loss, no updateToken: reconnected, then a credential re-entry with the new token', async () => {
    d = new TtDriver({ missing: ['updateToken'] });
    await d.enter();
    const ctx = d.fake.ctx;
    d.fake.holdJoins = 1;
    d.loseConnection();
    await d.advance(1000);
    d.clearEvents();
    await d.m.inst.updateUserSig('token-2');
    d.fake.answerJoin();
    await d.advance(100);
    expect(ctx.callsOf('joinRtcRoom').map((j) => j.token)).toEqual(['token-alice', 'token-alice', 'token-2']);
    expect(ctx.room?.token).toBe('token-2');
    expect(d.events()).toEqual([{ tag: 'reconnected', code: 1, detail: {} }, fallback, ...credential]);
    expect(d.inRoom()).toBe(true);
  });

  test('the re-join fails: no updateToken, the next re-entry joins with the new token', async () => {
    const ctx = await reenterHoldingJoin();
    await d.m.inst.updateUserSig('token-2');
    d.fake.answerJoin({ errMsg: 'joinRtcRoom:fail network', errNo: 21102 });
    await d.advance(2000);
    await d.advance(2000);
    expect(ctx.callsOf('joinRtcRoom').map((j) => j.token)).toEqual(['token-alice', 'token-alice', 'token-2']);
    expect(ctx.callsOf('updateToken')).toEqual([]);
    expect(ctx.room?.token).toBe('token-2');
    expect(d.inRoom()).toBe(true);
  });
});
