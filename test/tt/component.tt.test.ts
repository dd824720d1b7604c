/** Douyin-only behaviour: the RtcRoomContext calls themselves, the rtc-room markup, tokens, error mapping. */
import { ErrorCode } from '../../utils/core/events';
import { ENTER_TIMEOUT_MS } from '../../utils/room/controller';
import { fire, nativeAttrs } from '../helpers/mp';
import { EVENT_NAMES } from '../helpers/tt-fake';
import { settle } from '../behaviour/driver';
import { TT_APP_ID, TtDriver, useTtDriverLifecycle } from '../behaviour/tt-driver';

let d: TtDriver;

useTtDriverLifecycle(() => d);

async function enter(
  props: Record<string, unknown> = {},
  opts: ConstructorParameters<typeof TtDriver>[0] = {},
) {
  d = new TtDriver(opts);
  return d.enter(props);
}

/** <rtc-room> elements rendered in the component */
const rtcRooms = () =>
  (JSON.stringify((d.m.room as any).toJSON()).match(/"tagName":"(?:wx-)?rtc-room"/g) ?? []).length;

test('start(): one context from the AppId, listeners, capture, then joinRtcRoom with roomConfig', async () => {
  await enter();
  expect(d.fake.createRtcRoomContext).toHaveBeenCalledTimes(1);
  expect(d.fake.createRtcRoomContext).toHaveBeenCalledWith({ appId: '618a0ef784f0cc00c33bd7fc' });
  const ctx = d.fake.ctx;
  expect(ctx.calls.map(([m]) => m)).toEqual(['changeVideoCapture', 'changeAudioCapture', 'joinRtcRoom']);
  expect(ctx.callsOf('joinRtcRoom')[0]).toEqual({
    roomId: '1234',
    userId: 'alice',
    token: 'token-alice',
    roomConfig: { autoPublish: true, autoSubscribe: true },
  });
  // every listener before the join (the full demo's order); onRtcStateChanged preferred over onRtcStateChange
  const joinOrder = (ctx as any).joinRtcRoom.mock.invocationCallOrder[0];
  for (const ev of EVENT_NAMES.filter((e) => e !== 'onRtcStateChange')) {
    expect(ctx.count(ev)).toBe(1);
    expect((ctx as any)[ev].mock.invocationCallOrder[0]).toBeLessThan(joinOrder);
  }
  expect(ctx.count('onRtcStateChange')).toBe(0);
});

test('audience: invisible before the join, autoPublish false, no capture; autoSubscribe follows the property', async () => {
  await enter({ role: 'audience', autoSubscribe: false });
  const ctx = d.fake.ctx;
  expect(ctx.calls.map(([m, a]) => [m, a.state ?? a.visible])).toEqual([
    ['changeVideoCapture', 0],
    ['changeAudioCapture', 0],
    ['changeUserVisibility', false],
    ['joinRtcRoom', undefined],
  ]);
  expect(ctx.callsOf('joinRtcRoom')[0].roomConfig).toEqual({ autoPublish: false, autoSubscribe: false });
});

test('the local user in the lists never appears as remote; lists in any order and repeated give the same events', async () => {
  d = new TtDriver();
  d.fake.order = ['screen', 'speakers', 'video', 'chat'];
  d.fake.repeatLists = true;
  d.mount();
  const started = d.start();
  await settle();
  const res = await started;
  d.remoteJoin('bob', { video: true, audio: true });
  await settle();
  // the stream events follow the order the lists arrive in; the set and user_join first are fixed
  expect(d.events().slice(0, 2)).toEqual([
    { tag: 'enter_room', code: res.elapsed, detail: { roomID: 1234, userID: 'alice' } },
    { tag: 'user_join', code: 0, detail: { userID: 'bob' } },
  ]);
  expect(d.events().slice(2)).toHaveLength(2);
  expect(d.events().slice(2)).toEqual(
    expect.arrayContaining([
      { tag: 'video_available', code: 1, detail: { userID: 'bob', streamType: 'main' } },
      { tag: 'audio_available', code: 1, detail: { userID: 'bob' } },
    ]),
  );
  expect(d.m.inst.getRemoteUsers().map((u: { userID: string }) => u.userID)).toEqual(['bob']);
});

test('markup: a camera rtc-room for the local user, video/screen rtc-room per remote stream, placeholder without video', async () => {
  await enter();
  d.remoteJoin('bob', { video: true, audio: true });
  d.remoteJoin('carol', { screen: true });
  d.remoteJoin('dave');
  await settle();
  expect(nativeAttrs(d.m.room, 'local-view')).toMatchObject({
    userId: 'alice',
    mode: 'camera',
    devicePosition: 'front',
  });
  const tiles = d.m.inst.data.streams as Array<{ id: string; userID: string; streamType: string }>;
  const byKey = (userID: string, st: string) =>
    tiles.find((t) => t.userID === userID && t.streamType === st)!;
  expect(nativeAttrs(d.m.room, byKey('bob', 'main').id)).toMatchObject({ userId: 'bob', mode: 'video' });
  expect(nativeAttrs(d.m.room, byKey('carol', 'aux').id)).toMatchObject({ userId: 'carol', mode: 'screen' });
  expect(() => nativeAttrs(d.m.room, byKey('carol', 'main').id)).toThrow(/no native view/);
  expect(() => nativeAttrs(d.m.room, byKey('dave', 'main').id)).toThrow(/no native view/);
  expect(d.tiles()).toBe(4);
  // local camera, bob's video, carol's screen; carol's camera tile and dave publish nothing: no view
  expect(rtcRooms()).toBe(3);
  const json = JSON.stringify((d.m.room as any).toJSON());
  expect(json).not.toMatch(/live-pusher|live-player/);
  // camera off: the local view stays, parked (test/tt/native-views.tt.test.ts), never re-created
  d.setProps({ enableCamera: false });
  await settle();
  expect(nativeAttrs(d.m.room, 'local-view').style).toContain('opacity:0');
  expect(rtcRooms()).toBe(3);
});

test("the local rtc-room's user-id is the session's validated userID, never the page's later value", async () => {
  await enter();
  d.setProps({ userID: 'bad id!' });
  await settle();
  expect(nativeAttrs(d.m.room, 'local-view')).toMatchObject({ userId: 'alice', 'data-user-id': 'alice' });
  d.setProps({ userID: '' });
  await settle();
  expect(nativeAttrs(d.m.room, 'local-view')).toMatchObject({ userId: 'alice' });
  await d.m.inst.stop();
  d.setProps({ userID: 'bob' });
  const again = d.start();
  await settle();
  await again;
  expect(nativeAttrs(d.m.room, 'local-view')).toMatchObject({ userId: 'bob' });
  expect(d.fake.ctx.callsOf('joinRtcRoom')[1]).toMatchObject({ userId: 'bob' });
});

test('lobby preview with frontCamera false shows the back camera (switchCamera, or device-position before 2.68.0)', async () => {
  d = new TtDriver();
  d.mount({ frontCamera: false });
  await d.m.inst.startPreview();
  await settle();
  expect(d.fake.ctx.calls.map(([m, a]) => [m, a.state ?? a.camera])).toEqual([
    ['changeVideoCapture', 1],
    ['switchCamera', 'back'],
  ]);
  expect(d.m.inst.data.devicePosition).toBe('back');
  // entering from the lobby keeps it: no second switch
  const started = d.start();
  await settle();
  await started;
  expect(d.fake.ctx.callsOf('switchCamera')).toHaveLength(1);
  expect(d.fake.ctx.camera).toBe('back');
  d.detach();
  d = new TtDriver({ missing: ['switchCamera'] });
  d.mount({ frontCamera: false });
  await d.m.inst.startPreview();
  await settle();
  expect(d.m.inst.data.devicePosition).toBe('back');
  expect(d.events().map((e) => e.tag)).toEqual(['warning']);
});

test('lobby preview: the local rtc-room takes the validated userID; an invalid one gets no view (and no camera)', async () => {
  d = new TtDriver();
  d.mount();
  await d.m.inst.startPreview();
  await settle();
  expect(nativeAttrs(d.m.room, 'local-view')).toMatchObject({ userId: 'alice', mode: 'camera' });
  await d.m.inst.stopPreview();
  await settle();
  d.setProps({ userID: 'bad id!' });
  await expect(d.m.inst.startPreview()).rejects.toMatchObject({ code: -1, detail: { field: 'userID' } });
  await settle();
  expect(() => nativeAttrs(d.m.room, 'local-view')).toThrow(/no native view/);
  expect(d.local().camera).toBe(false);
});

describe('the permission prompt of a capture call is still open when the session ends', () => {
  /** mounts and starts while the system asks for `scopes`; start()'s promise (its rejection handled) */
  async function startAsking(...scopes: Array<'camera' | 'mic'>): Promise<{ started: Promise<unknown> }> {
    d = new TtDriver();
    for (const s of scopes) d.fake.asking.add(s);
    d.mount();
    const started = d.start();
    started.catch(() => undefined);
    await settle();
    return { started }; // wrapped: an async function returning a promise would wait for it
  }

  test('start() cancelled by stop(): the grant afterwards leaves camera and microphone off', async () => {
    const { started } = await startAsking('camera', 'mic');
    expect(d.fake.prompts).toHaveLength(1);
    await d.m.inst.stop();
    await expect(started).rejects.toMatchObject({ code: ErrorCode.ENTER_FAILED });
    d.fake.answerPrompt(true);
    await settle();
    expect(d.local()).toEqual({ camera: false, mic: false, publishing: false });
    expect(d.fake.ctx.callsOf('joinRtcRoom')).toEqual([]);
  });

  test('the user answers after the enter timeout: the timeout counts from the join, the entry succeeds', async () => {
    const { started } = await startAsking('camera');
    await d.advance(ENTER_TIMEOUT_MS + 5000);
    expect(d.events()).toEqual([]);
    d.fake.answerPrompt(true);
    await settle();
    await started;
    expect(d.events().map((e) => e.tag)).toEqual(['enter_room']);
    expect(d.local()).toEqual({ camera: true, mic: true, publishing: true });
  });

  test('a join that never answers still times out, counted from the join', async () => {
    const { started } = await startAsking('camera');
    await d.advance(ENTER_TIMEOUT_MS - 1000);
    const ctx = d.fake.ctx as any;
    ctx.joinRtcRoom.mockImplementation(() => undefined); // the engine never answers
    d.fake.answerPrompt(true);
    await settle();
    expect(ctx.joinRtcRoom).toHaveBeenCalledTimes(1);
    await d.advance(ENTER_TIMEOUT_MS - 1000);
    expect(d.events()).toEqual([]);
    await d.advance(2000);
    await expect(started).rejects.toMatchObject({ code: ErrorCode.ENTER_FAILED });
  });

  test('a re-entry asks no one: a capture call that hangs there still times the attempt out', async () => {
    await enter();
    d.fake.asking.add('camera'); // from now on a capture call never answers
    d.clearEvents();
    d.loseConnection();
    await settle();
    await d.advance(1000);
    expect(d.fake.prompts.length).toBeGreaterThan(0);
    await d.advance(ENTER_TIMEOUT_MS);
    expect(d.events().map((e) => [e.tag, e.code])).toEqual([
      ['reconnecting', 1],
      ['reconnecting', 2],
    ]);
  });

  test('detached: the grant afterwards leaves camera and microphone off', async () => {
    await startAsking('camera');
    const ctx = d.fake.ctx;
    d.detach();
    d.fake.answerPrompt(true);
    await settle();
    expect(ctx.capture).toEqual({ video: 0, audio: 0 });
  });

  test('the lobby preview stopped: the grant afterwards leaves the camera off', async () => {
    d = new TtDriver();
    d.fake.asking.add('camera');
    d.mount();
    await d.m.inst.startPreview();
    await settle();
    await d.m.inst.stopPreview();
    d.fake.answerPrompt(true);
    await settle();
    expect(d.local()).toMatchObject({ camera: false, mic: false });
  });

  test('in the room, camera turned on: stop() before the grant leaves the camera off', async () => {
    await enter({ enableCamera: false });
    d.fake.asking.add('camera');
    d.setProps({ enableCamera: true });
    await settle();
    expect(d.fake.prompts).toHaveLength(1);
    await d.m.inst.stop();
    d.fake.answerPrompt(true);
    await settle();
    expect(d.fake.ctx.capture).toEqual({ video: 0, audio: 0 });
  });

  test('camera turned on while paused, asked at resume(); detached before the grant: the camera stays off', async () => {
    await enter({ enableCamera: false });
    d.m.inst.pause();
    await settle();
    d.fake.asking.add('camera');
    d.setProps({ enableCamera: true });
    await settle();
    expect(d.fake.prompts).toHaveLength(0);
    d.m.inst.resume();
    await settle();
    expect(d.fake.prompts.length).toBeGreaterThan(0);
    d.detach();
    d.fake.answerPrompt(true);
    await settle();
    expect(d.fake.ctx.capture).toEqual({ video: 0, audio: 0 });
  });

  test('stop() and start() again before the answer: the new entry keeps its capture and joins', async () => {
    await startAsking('camera');
    await d.m.inst.stop();
    const again = d.start();
    await settle();
    d.fake.answerPrompt(true);
    await settle();
    await again;
    expect(d.local()).toEqual({ camera: true, mic: true, publishing: true });
    expect(d.fake.ctx.callsOf('joinRtcRoom')).toHaveLength(1);
  });
});

test('stop() while joinRtcRoom is on its way: the join that lands afterwards is left again (no 21100 next time)', async () => {
  d = new TtDriver();
  d.fake.joinDelayMs = 500;
  d.mount();
  const started = d.start();
  started.catch(() => undefined);
  await settle();
  expect(d.fake.ctx.callsOf('joinRtcRoom')).toHaveLength(1);
  await d.m.inst.stop();
  await d.advance(500);
  expect(d.fake.inRoom.size).toBe(0);
  expect(d.inRoom()).toBe(false);
  d.clearEvents();
  const again = d.start();
  await settle();
  await d.advance(500);
  const res = await again;
  expect(d.events()).toEqual([
    { tag: 'enter_room', code: res.elapsed, detail: { roomID: 1234, userID: 'alice' } },
  ]);
});

describe('a join of an earlier entry answers after start() → stop() → start() began the next one', () => {
  /** start → stop → start with the first join held (the engine answers it later, as a real round trip) */
  async function restartWhileJoining(hold: number, asking = false) {
    d = new TtDriver();
    d.fake.holdJoins = hold;
    d.mount();
    d.start().catch(() => undefined);
    await settle();
    expect(d.fake.ctx.callsOf('joinRtcRoom')).toHaveLength(1);
    await d.m.inst.stop();
    if (asking) d.fake.asking.add('camera');
    d.clearEvents();
    const again = d.start();
    again.catch(() => undefined);
    await settle();
    return { again }; // wrapped: an async function returning a promise would wait for it
  }

  /** every join still held answers (a join sent meanwhile too) */
  async function answerAll() {
    while (d.fake.heldJoins.length) {
      d.fake.answerJoin();
      await settle();
    }
  }

  test('its success while the new entry asks for the camera is left again; the new entry joins', async () => {
    const { again } = await restartWhileJoining(1, true);
    d.fake.answerJoin(); // the engine is in the room now, on behalf of the ended entry
    await settle();
    d.fake.answerPrompt(true);
    await settle();
    const res = await again;
    expect(d.events()).toEqual([
      { tag: 'enter_room', code: res.elapsed, detail: { roomID: 1234, userID: 'alice' } },
    ]);
    expect(d.fake.ctx.callsOf('exitRtcRoom')).toHaveLength(2);
    expect(d.inRoom()).toBe(true);
  });

  test('the new join waits for the earlier one to answer; its success is left again first', async () => {
    const { again } = await restartWhileJoining(2);
    // the earlier join is still on its way: the new one must not go out yet (21100 otherwise)
    expect(d.fake.ctx.callsOf('joinRtcRoom')).toHaveLength(1);
    await answerAll();
    const res = await again;
    expect(d.events()).toEqual([
      { tag: 'enter_room', code: res.elapsed, detail: { roomID: 1234, userID: 'alice' } },
    ]);
    const ctx = d.fake.ctx;
    expect(ctx.calls.map(([m]) => m).filter((m) => m.endsWith('RtcRoom'))).toEqual([
      'joinRtcRoom',
      'exitRtcRoom',
      'exitRtcRoom',
      'joinRtcRoom',
    ]);
    expect(d.inRoom()).toBe(true);
  });

  test('its success after the wait ran out, while the new entry asks for the camera: the new join waits for that exit', async () => {
    const { again } = await restartWhileJoining(1, true);
    await d.advance(3000);
    expect(d.fake.prompts).toHaveLength(1);
    d.fake.exitDelayMs = 300;
    d.fake.answerJoin();
    await settle();
    d.fake.answerPrompt(true);
    await settle();
    expect(d.fake.ctx.callsOf('joinRtcRoom')).toHaveLength(1);
    await d.advance(300);
    const res = await again;
    expect(d.events()).toEqual([
      { tag: 'enter_room', code: res.elapsed, detail: { roomID: 1234, userID: 'alice' } },
    ]);
    expect(d.inRoom()).toBe(true);
  });

  test('its success after the wait ran out and the new join went out: the new one fails -11, the next start() heals', async () => {
    const { again } = await restartWhileJoining(2);
    await d.advance(3000);
    expect(d.fake.ctx.callsOf('joinRtcRoom')).toHaveLength(2);
    d.fake.answerJoin(); // the first join lands: the engine is in the room
    await settle();
    d.fake.answerJoin(); // the second one finds it there
    await settle();
    await expect(again).rejects.toMatchObject({ code: ErrorCode.ALREADY_IN_ROOM });
    // the room the engine is in was left with the failed entry: the next start() enters
    expect(d.inRoom()).toBe(false);
    const third = d.start();
    await settle();
    await third;
    expect(d.inRoom()).toBe(true);
  });

  test('its failure changes nothing in the new session', async () => {
    const { again } = await restartWhileJoining(2);
    d.fake.answerJoin({ errMsg: 'joinRtcRoom:fail invalid token', errNo: 21101 });
    await settle();
    await answerAll();
    const res = await again;
    expect(d.events()).toEqual([
      { tag: 'enter_room', code: res.elapsed, detail: { roomID: 1234, userID: 'alice' } },
    ]);
    // a failed join left nothing to exit
    expect(d.fake.ctx.callsOf('exitRtcRoom')).toHaveLength(1);
    expect(d.inRoom()).toBe(true);
  });

  test('one that never answers holds the new join for EXIT_WAIT_MS at most; answering later leaves the new room alone', async () => {
    const { again } = await restartWhileJoining(1);
    await d.advance(3000);
    const res = await again;
    expect(d.events()).toEqual([
      { tag: 'enter_room', code: res.elapsed, detail: { roomID: 1234, userID: 'alice' } },
    ]);
    d.fake.answerJoin(); // 21100 now: the engine is in the new room
    await settle();
    expect(d.fake.ctx.callsOf('exitRtcRoom')).toHaveLength(1);
    expect(d.events()).toHaveLength(1);
    expect(d.inRoom()).toBe(true);
  });
});

test('a lobby preview without a valid userID is -1 naming it: no camera runs behind a view that cannot show', async () => {
  for (const userID of ['bad user!', undefined]) {
    d = new TtDriver();
    d.mount({ userID });
    await expect(d.m.inst.startPreview()).rejects.toMatchObject({ code: -1, detail: { field: 'userID' } });
    await settle();
    expect(d.fake.contexts.flatMap((c) => c.callsOf('changeVideoCapture'))).toEqual([]);
    expect(d.m.inst.data.phase).toBe('idle');
    expect(d.events()).toEqual([expect.objectContaining({ tag: 'error', code: -1 })]);
    expect(d.events()[0].detail.field).toBe('userID');
    // with a valid one the lobby shows the camera
    d.setProps({ userID: 'alice' });
    await d.m.inst.startPreview();
    await settle();
    expect(d.local().camera).toBe(true);
    expect(nativeAttrs(d.m.room, 'local-view')).toMatchObject({ userId: 'alice', mode: 'camera' });
    d.m.host.detach();
    d.fake.uninstall();
  }
});

test('a lobby preview before the AppId arrived: entering with a new context releases the old one', async () => {
  d = new TtDriver();
  d.mount({ sdkAppID: '' });
  await d.m.inst.startPreview();
  await settle();
  const lobby = d.fake.ctx;
  expect(lobby.capture.video).toBe(1);
  d.setProps({ sdkAppID: TT_APP_ID });
  const started = d.start();
  await settle();
  await started;
  expect(d.fake.contexts).toHaveLength(2);
  expect(lobby.capture).toEqual({ video: 0, audio: 0 });
  expect(d.local()).toEqual({ camera: true, mic: true, publishing: true });
});

test("a replaced context's engine found destroyed says nothing about the new one: stop() releases its capture", async () => {
  d = new TtDriver();
  d.mount({ sdkAppID: '' });
  await d.m.inst.startPreview();
  await settle();
  const lobby = d.fake.ctx;
  d.fake.destroyEngine(); // the host dropped the lobby's engine: releasing its capture fails with 115910
  d.setProps({ sdkAppID: TT_APP_ID });
  const started = d.start();
  await settle();
  await started;
  const ctx = d.fake.ctx;
  expect(ctx).not.toBe(lobby);
  await d.m.inst.stop();
  await settle();
  expect(ctx.capture).toEqual({ video: 0, audio: 0 });
  const again = d.start();
  await settle();
  await again;
  expect(d.fake.contexts).toHaveLength(2);
});

test('stop(): exitRtcRoom with the roomId and every off*; the next start() reuses the context', async () => {
  await enter();
  const ctx = d.fake.ctx;
  expect(ctx.totalListeners()).toBeGreaterThan(0);
  await d.m.inst.stop();
  expect(ctx.callsOf('exitRtcRoom')).toEqual([{ roomId: '1234' }]);
  expect(ctx.totalListeners()).toBe(0);
  const again = d.start();
  await settle();
  await again;
  expect(d.fake.createRtcRoomContext).toHaveBeenCalledTimes(1);
  expect(ctx.callsOf('joinRtcRoom')).toHaveLength(2);
});

test('detach exits the room natively (a later join would fail with 21100 otherwise)', async () => {
  await enter();
  const ctx = d.fake.ctx;
  d.detach();
  expect(ctx.callsOf('exitRtcRoom')).toEqual([{ roomId: '1234' }]);
  expect(ctx.totalListeners()).toBe(0);
  expect(d.fake.inRoom.size).toBe(0);
});

test('reconnect: interrupted → exit + off, re-join after the backoff with listeners again', async () => {
  await enter();
  const ctx = d.fake.ctx;
  d.loseConnection();
  await settle();
  // only the session's token watch stays (the engine warns of the token once, re-entry or not)
  expect(ctx.totalListeners()).toBe(1);
  expect(ctx.count('onRoomTokenWillExpire')).toBe(1);
  await d.advance(1000);
  expect(ctx.callsOf('joinRtcRoom')).toHaveLength(2);
  expect(ctx.count('onRtcChatMembersChanged')).toBe(1);
  expect(d.events().map((e) => e.tag)).toEqual(['enter_room', 'reconnecting', 'reconnected']);
});

describe('errors keep rawCode and the platform message', () => {
  const cases: Array<
    [string, { errMsg: string; errNo?: number; errorCode?: number }, Record<string, unknown>]
  > = [
    [
      '21100',
      { errMsg: 'joinRtcRoom:fail user alice is already in the room 1', errNo: 21100 },
      { code: -11 },
    ],
    [
      '20000',
      { errMsg: 'joinRtcRoom:fail params.token should be string', errNo: 20000 },
      { code: -1, field: 'userSig' },
    ],
    ['115910', { errMsg: 'joinRtcRoom:fail engine has been destroyed', errorCode: 115910 }, { code: -13 }],
    [
      '10202',
      { errMsg: 'joinRtcRoom:fail api scope is not declared in the privacy agreement', errNo: 10202 },
      { code: -7, reason: 'privacy_undeclared' },
    ],
  ];
  test.each(cases)('join fails with %s', async (_n, failure, want) => {
    d = new TtDriver();
    d.fake.joinFailures.push(failure);
    d.mount();
    const started = d.start();
    await settle();
    await expect(started).rejects.toMatchObject({ code: want.code });
    const { code, ...extra } = want;
    expect(d.events()).toEqual([
      {
        tag: 'error',
        code,
        detail: {
          message: expect.any(String),
          platformMessage: failure.errMsg,
          rawCode: failure.errNo ?? failure.errorCode,
          ...extra,
        },
      },
    ]);
  });

  test('115910: the next start() creates a new context and enters', async () => {
    d = new TtDriver();
    d.fake.joinFailures.push({ errMsg: 'joinRtcRoom:fail engine has been destroyed', errorCode: 115910 });
    d.mount();
    const first = d.start();
    await settle();
    await expect(first).rejects.toMatchObject({ code: ErrorCode.ENGINE_DESTROYED });
    const second = d.start();
    await settle();
    await second;
    expect(d.fake.createRtcRoomContext).toHaveBeenCalledTimes(2);
    expect(d.inRoom()).toBe(true);
  });

  test('engine destroyed in the room: -13 from the next call, exit_room, then a new context', async () => {
    await enter();
    d.fake.destroyEngine();
    d.clearEvents();
    d.setProps({ muted: true });
    await settle();
    expect(d.events()).toEqual([
      {
        tag: 'error',
        code: -13,
        detail: {
          message: 'the RTC engine was destroyed; the next start() creates a new one',
          platformMessage: expect.stringContaining('engine has been destroyed'),
          rawCode: 115910,
        },
      },
      { tag: 'exit_room', code: 115910, detail: { reason: 'lost' } },
    ]);
    const again = d.start();
    await settle();
    await again;
    expect(d.fake.createRtcRoomContext).toHaveBeenCalledTimes(2);
  });

  test('engine destroyed, found by updateUserSig(): rejects with -13 and the session ends like any -13', async () => {
    await enter();
    d.fake.destroyEngine();
    d.clearEvents();
    await expect(d.m.inst.updateUserSig('token-2')).rejects.toMatchObject({ code: -13 });
    await settle();
    expect(d.events().map((e) => [e.tag, e.code])).toEqual([
      ['error', -13],
      ['exit_room', 115910],
    ]);
    const again = d.start();
    await settle();
    await again;
    expect(d.fake.createRtcRoomContext).toHaveBeenCalledTimes(2);
  });

  test('engine destroyed, found by switchCamera(): the session ends like any -13', async () => {
    await enter();
    d.fake.destroyEngine();
    d.clearEvents();
    await expect(d.m.inst.switchCamera()).rejects.toMatchObject({ code: ErrorCode.CAMERA_FAILED });
    await settle();
    expect(d.events().map((e) => [e.tag, e.code])).toEqual([
      ['error', -13],
      ['exit_room', 115910],
    ]);
  });

  test('a joinRtcRoom that throws instead of calling fail is that failure at once (no -10 after 15 s)', async () => {
    d = new TtDriver();
    const create = d.fake.createRtcRoomContext.getMockImplementation()!;
    d.fake.createRtcRoomContext.mockImplementationOnce((o: unknown) => {
      const c = create(o);
      c.joinRtcRoom.mockImplementation(() => {
        throw new Error('joinRtcRoom:fail engine has been destroyed,please invoke tt.createRtcRoomContext');
      });
      return c;
    });
    d.mount();
    const started = d.start();
    started.catch(() => undefined);
    await settle();
    await expect(started).rejects.toMatchObject({ code: ErrorCode.ENGINE_DESTROYED });
    const again = d.start();
    await settle();
    await again;
    expect(d.fake.contexts).toHaveLength(2);
  });

  test('createRtcRoomContext throwing 116183 (capability not granted) is -2', async () => {
    d = new TtDriver();
    d.fake.createError = { errMsg: 'createRtcRoomContext:fail platform auth deny', errNo: 116183 };
    d.mount();
    const started = d.start();
    await settle();
    await expect(started).rejects.toMatchObject({
      code: ErrorCode.NOT_SUPPORTED,
      detail: { rawCode: 116183 },
    });
  });

  test('the same in the lobby preview: an error -2, not a silent lobby without camera', async () => {
    d = new TtDriver();
    d.fake.createError = { errMsg: 'createRtcRoomContext:fail platform auth deny', errNo: 116183 };
    d.mount();
    await d.m.inst.startPreview();
    await settle();
    expect(d.events()).toEqual([
      {
        tag: 'error',
        code: ErrorCode.NOT_SUPPORTED,
        detail: expect.objectContaining({ rawCode: 116183 }),
      },
    ]);
  });

  test('base library older than 2.42.0 is -2 before any RTC call', async () => {
    d = new TtDriver({ SDKVersion: '2.41.9' });
    d.mount();
    const started = d.start();
    await settle();
    await expect(started).rejects.toMatchObject({ code: ErrorCode.NOT_SUPPORTED });
    expect(d.fake.createRtcRoomContext).not.toHaveBeenCalled();
  });

  test('autoSubscribe false on a base library that ignores roomConfig (< 2.68.0): one warning, on every entry none more', async () => {
    const old = [
      'changeStreamSubscribeState',
      'changeScreenSubscribeState',
      'changeUserVisibility',
      'updateToken',
    ];
    await enter({ autoSubscribe: false }, { SDKVersion: '2.60.0', missing: old });
    // the engine subscribes everyone regardless: the page is told its setting is not kept
    expect(d.fake.ctx.room?.autoSubscribe).toBe(true);
    const warnings = () => d.events().filter((e) => e.tag === 'warning');
    expect(warnings()).toEqual([
      {
        tag: 'warning',
        code: 0,
        detail: { message: 'roomConfig.autoSubscribe is not available on this base library' },
      },
    ]);
    // a re-entry (updateToken is missing too) says it no more
    await d.m.inst.updateUserSig('token-2');
    await d.advance(1000);
    expect(d.fake.ctx.callsOf('joinRtcRoom')).toHaveLength(2);
    expect(warnings().filter((e) => String(e.detail.message).includes('roomConfig'))).toHaveLength(1);
  });

  test('autoSubscribe false from 2.68.0 on: roomConfig keeps it, no warning', async () => {
    await enter({ autoSubscribe: false }, { SDKVersion: '2.68.0' });
    expect(d.fake.ctx.room?.autoSubscribe).toBe(false);
    expect(d.events().filter((e) => e.tag === 'warning')).toEqual([]);
  });

  test('microphone refused (errorCode 115990) and privacy not agreed (10201) are -7 with their reason', async () => {
    d = new TtDriver();
    d.fake.deny.add('mic');
    d.mount();
    const a = d.start();
    await settle();
    await expect(a).rejects.toMatchObject({ code: -7, detail: { reason: 'permission', rawCode: 115990 } });
    d.fake.deny.clear();
    d.fake.privacy = 'not_agreed';
    const b = d.start();
    await settle();
    await expect(b).rejects.toMatchObject({ code: -7, detail: { reason: 'privacy', rawCode: 10201 } });
    expect(d.inRoom()).toBe(false);
  });

  test('privacy not agreed: the guide opens the agreement popup (not the settings page), agreeing enters', async () => {
    d = new TtDriver();
    d.fake.privacy = 'not_agreed';
    d.mount();
    await expect(d.start()).rejects.toMatchObject({ code: -7, detail: { reason: 'privacy' } });
    await settle();
    expect(d.m.inst.data.guide).toBe('privacy');
    // its button names what it opens: the agreement, not the settings page
    expect(d.m.room.querySelector('.wr-guide__open').dom.textContent).toBe('Review the agreement');
    d.fake.agreesToPrivacy = false;
    d.m.room.querySelector('.wr-guide__open').dispatchEvent('tap');
    await settle();
    // declined: nothing is entered, the guide stays
    expect(d.fake.requirePrivacyAuthorize).toHaveBeenCalledTimes(1);
    expect(d.m.inst.data.guide).toBe('privacy');
    expect(d.fake.ctx.callsOf('joinRtcRoom')).toHaveLength(0);
    d.fake.agreesToPrivacy = true;
    d.m.room.querySelector('.wr-guide__open').dispatchEvent('tap');
    await settle();
    await settle();
    expect(d.fake.openSetting).not.toHaveBeenCalled();
    expect(d.m.inst.data.guide).toBe('');
    expect(d.inRoom()).toBe(true);
    expect(d.events().map((e) => e.tag)).toEqual(['error', 'permission_granted', 'enter_room']);
  });

  test('a refused camera: the guide opens the settings page, granting there enters', async () => {
    d = new TtDriver();
    d.fake.deny.add('camera');
    d.mount();
    await expect(d.start()).rejects.toMatchObject({ code: -7, detail: { reason: 'permission' } });
    await settle();
    expect(d.m.inst.data.guide).toBe('permission');
    d.m.room.querySelector('.wr-guide__open').dispatchEvent('tap');
    await settle();
    await settle();
    expect(d.fake.openSetting).toHaveBeenCalledTimes(1);
    expect(d.fake.requirePrivacyAuthorize).not.toHaveBeenCalled();
    expect(d.inRoom()).toBe(true);
  });

  test('<rtc-room binderror> 21301 is error -2 naming the view', async () => {
    await enter();
    d.clearEvents();
    fire(d.m.room, '#local-view', 'error', { errNo: 21301, errMsg: 'rtcRoom creation failed' });
    await settle();
    expect(d.events()).toEqual([
      {
        tag: 'error',
        code: -2,
        detail: {
          message: 'view of alice failed',
          platformMessage: 'rtcRoom creation failed',
          rawCode: 21301,
        },
      },
    ]);
  });

  test('a view that fails again is one failure; after a re-entry (a new session) its failure is reported again', async () => {
    await enter();
    d.remoteJoin('bob', { video: true });
    await settle();
    const bob = `#${(d.m.inst.data.streams as Array<{ id: string; userID: string }>).find((x) => x.userID === 'bob')!.id}`;
    d.clearEvents();
    const local = { errNo: 21301, errMsg: 'rtcRoom creation failed' };
    const remote = { errNo: 21200, errMsg: 'rtc-room is not available' };
    fire(d.m.room, '#local-view', 'error', local);
    fire(d.m.room, '#local-view', 'error', local);
    fire(d.m.room, bob, 'error', remote);
    fire(d.m.room, bob, 'error', remote);
    // an unknown code (a warning) repeated is one warning too
    fire(d.m.room, bob, 'error', { errNo: 99999, errMsg: 'odd' });
    fire(d.m.room, bob, 'error', { errNo: 99999, errMsg: 'odd' });
    await settle();
    const viewError = (userID: string, f: { errNo: number; errMsg: string }) => ({
      tag: 'error',
      code: -2,
      detail: { message: `view of ${userID} failed`, platformMessage: f.errMsg, rawCode: f.errNo },
    });
    expect(d.events()).toEqual([viewError('alice', local), viewError('bob', remote)]);
    d.loseConnection();
    await d.advance(1000);
    d.fake.join('bob', { video: true });
    await settle();
    expect(d.events().map((e) => e.tag)).toEqual(['error', 'error', 'reconnecting', 'reconnected']);
    d.clearEvents();
    fire(d.m.room, '#local-view', 'error', local);
    fire(d.m.room, '#local-view', 'error', local);
    await settle();
    expect(d.events()).toEqual([viewError('alice', local)]);
  });
});

describe('<rtc-room binderror> of a user who left', () => {
  const remote = { errNo: 21200, errMsg: 'rtc-room is not available' };
  const viewError = (userID: string) => ({
    tag: 'error',
    code: -2,
    detail: { message: `view of ${userID} failed`, platformMessage: remote.errMsg, rawCode: remote.errNo },
  });
  /** bob and carol with video; the native nodes of their views, held as a late binderror's source would */
  async function twoViews() {
    await enter();
    d.remoteJoin('bob', { video: true });
    d.remoteJoin('carol', { video: true });
    await settle();
    const streams = d.m.inst.data.streams as Array<{ id: string; userID: string }>;
    const node = (userID: string) =>
      (d.m.room as any).querySelector(`#${streams.find((x) => x.userID === userID)!.id}`)._exparserNode;
    return { bob: node('bob'), carol: node('carol') };
  }

  test('a view that fails after its user left (a stale view) reaches the page as nothing', async () => {
    const views = await twoViews();
    d.remoteLeave('bob');
    await settle();
    d.clearEvents();
    views.bob.triggerEvent('error', remote, {});
    await settle();
    expect(d.events()).toEqual([]);
    expect(d.inRoom()).toBe(true);
  });

  test('the view of a user still in the room failing is reported, also once another user left', async () => {
    const views = await twoViews();
    d.remoteLeave('bob');
    await settle();
    d.clearEvents();
    views.carol.triggerEvent('error', remote, {});
    views.bob.triggerEvent('error', remote, {});
    await settle();
    expect(d.events()).toEqual([viewError('carol')]);
  });

  test.each(['before', 'after'] as const)(
    'a user back in the room has new views: their failure is reported (the old view failed %s he left)',
    async (when) => {
      const views = await twoViews();
      if (when === 'before') views.bob.triggerEvent('error', remote, {});
      d.remoteLeave('bob');
      await settle();
      if (when === 'after') views.bob.triggerEvent('error', remote, {});
      d.remoteJoin('bob', { video: true });
      await settle();
      d.clearEvents();
      const streams = d.m.inst.data.streams as Array<{ id: string; userID: string }>;
      fire(d.m.room, `#${streams.find((x) => x.userID === 'bob')!.id}`, 'error', remote);
      fire(d.m.room, `#${streams.find((x) => x.userID === 'bob')!.id}`, 'error', remote);
      await settle();
      expect(d.events()).toEqual([viewError('bob')]);
    },
  );

  test('a user whose camera went off is still in the room: a late failure of the view that went is reported', async () => {
    const views = await twoViews();
    d.remoteMedia('bob', { video: false });
    await settle();
    d.clearEvents();
    views.bob.triggerEvent('error', remote, {});
    await settle();
    expect(d.events()).toEqual([viewError('bob')]);
  });
});

describe('tokens', () => {
  test('onRoomTokenWillExpire → token_will_expire; updateUserSig → updateToken in place', async () => {
    await enter();
    d.clearEvents();
    d.fake.ctx.emit('onRoomTokenWillExpire');
    await settle();
    expect(d.events()).toEqual([{ tag: 'token_will_expire', code: 0, detail: {} }]);
    await d.m.inst.updateUserSig('token-2');
    expect(d.fake.ctx.callsOf('updateToken')).toEqual([{ token: 'token-2' }]);
    expect(d.entryCalls()).toBe(1);
  });

  test('a token that gives the publish right back: publishing again after updateToken, capture and views untouched', async () => {
    await enter();
    const ctx = d.fake.ctx;
    d.fake.lapsePublish();
    await settle();
    expect(d.local()).toEqual({ camera: true, mic: true, publishing: false });
    const views = rtcRooms();
    const before = ctx.calls.length;
    d.clearEvents();
    await d.m.inst.updateUserSig('token-2');
    await settle();
    expect(ctx.calls.slice(before)).toEqual([
      ['updateToken', { token: 'token-2' }],
      ['changeStreamPublishState', { state: 1, streamType: 'both' }],
    ]);
    expect(d.local()).toEqual({ camera: true, mic: true, publishing: true });
    expect(rtcRooms()).toBe(views);
    expect(d.events()).toEqual([]);
  });

  test('updateToken of an audience member, or one that fails, publishes nothing', async () => {
    await enter({ role: 'audience' });
    const ctx = d.fake.ctx;
    await d.m.inst.updateUserSig('token-2');
    await settle();
    expect(ctx.callsOf('changeStreamPublishState')).toEqual([]);
    expect(d.local()).toEqual({ camera: false, mic: false, publishing: false });
    d.setProps({ role: 'anchor' });
    await settle();
    const before = ctx.calls.length;
    d.fake.invalidTokens.add('bad');
    await expect(d.m.inst.updateUserSig('bad')).rejects.toMatchObject({ code: -9 });
    await settle();
    expect(ctx.calls.slice(before).map(([m]) => m)).toEqual(['updateToken']);
  });

  test.each(['onRtcChatInterrupted', 'onRtcStateChanged'] as const)(
    'a token that expired without updateUserSig (-1009 by %s): error -9, exit_room, devices released, no reconnect',
    async (via) => {
      await enter();
      const ctx = d.fake.ctx;
      ctx.emit('onRoomTokenWillExpire');
      await settle();
      // 30 s later the engine removes the user: the room is gone, whatever the page does next
      jest.advanceTimersByTime(30000);
      d.clearEvents();
      d.fake.expireToken(via);
      await settle();
      await d.advance(60000);
      expect(d.events()).toEqual([
        {
          tag: 'error',
          code: -9,
          detail: { message: 'credential rejected', platformMessage: 'token expired', rawCode: -1009 },
        },
        { tag: 'exit_room', code: -1009, detail: { reason: 'lost' } },
      ]);
      // no reconnect with the dead token; camera and microphone off; no listener left
      expect(d.entryCalls()).toBe(1);
      expect(d.local()).toMatchObject({ camera: false, mic: false });
      expect(ctx.totalListeners()).toBe(0);
      expect(d.m.inst.data.phase).toBe('idle');
    },
  );

  test('-1009 without a text: error -9 with the rawCode and no platformMessage', async () => {
    await enter();
    d.clearEvents();
    d.fake.expireToken('onRtcChatInterrupted', '');
    await settle();
    expect(d.events()[0]).toEqual({
      tag: 'error',
      code: -9,
      detail: { message: 'credential rejected', rawCode: -1009 },
    });
  });

  test('a rejected token update rejects with -9 and keeps the room', async () => {
    await enter();
    d.fake.invalidTokens.add('bad');
    await expect(d.m.inst.updateUserSig('bad')).rejects.toMatchObject({
      code: -9,
      detail: { rawCode: 21101 },
    });
    expect(d.inRoom()).toBe(true);
  });

  test.each([
    [21102, 'updateToken:fail unknown error', 'en', -10, 'entering the room failed'],
    [115903, 'updateToken:fail server busy', 'en', -10, 'entering the room failed'],
    [21101, 'updateToken:fail invalid token', 'en', -9, 'credential rejected'],
    [21102, 'updateToken:fail unknown error', 'zh-CN', -10, '进房失败'],
    [99999, 'updateToken:fail odd', 'zh-CN', -9, '凭证被拒绝'],
  ])(
    'updateToken failing with %d (%s, %s): the rejection carries the text of its code, the platform text beside it',
    async (errNo, errMsg, lang, code, message) => {
      await enter({ lang });
      d.fake.ctx.failNext('updateToken', { errNo, errMsg });
      const e = (await d.m.inst.updateUserSig('token-2').catch((x: unknown) => x)) as {
        code: number;
        detail: unknown;
      };
      expect({ code: e.code, detail: e.detail }).toEqual({
        code,
        detail: { message, rawCode: errNo, platformMessage: errMsg },
      });
      expect(d.inRoom()).toBe(true);
    },
  );

  test('updateToken failing with a parameter error: -1 naming userSig, in its own words', async () => {
    await enter();
    const errMsg = 'updateToken:fail params.token should be string';
    d.fake.ctx.failNext('updateToken', { errNo: 20000, errMsg });
    const e = (await d.m.inst.updateUserSig('token-2').catch((x: unknown) => x)) as {
      code: number;
      detail: unknown;
    };
    expect({ code: e.code, detail: e.detail }).toEqual({
      code: -1,
      detail: { message: 'invalid parameter', rawCode: 20000, field: 'userSig', platformMessage: errMsg },
    });
  });

  test('without updateToken (older base library): a warning, then the room is re-entered with the new token', async () => {
    await enter({}, { missing: ['updateToken'] });
    d.clearEvents();
    await d.m.inst.updateUserSig('token-2');
    await settle();
    expect(d.events().map((e) => e.tag)).toEqual(['warning', 'reconnecting', 'reconnected']);
    expect(d.fake.ctx.callsOf('joinRtcRoom').map((a) => a.token)).toEqual(['token-alice', 'token-2']);
  });
});

describe('controls', () => {
  test('switchCamera() → switchCamera({camera}) and the view follows', async () => {
    await enter();
    await expect(d.m.inst.switchCamera()).resolves.toBe('back');
    expect(d.fake.ctx.callsOf('switchCamera')).toEqual([{ camera: 'back' }]);
    expect(d.m.inst.data.devicePosition).toBe('back');
  });

  test('frontCamera false at start: switched to the back camera before the join', async () => {
    await enter({ frontCamera: false });
    expect(d.fake.ctx.calls.map(([m]) => m)).toEqual([
      'changeVideoCapture',
      'changeAudioCapture',
      'switchCamera',
      'joinRtcRoom',
    ]);
    expect(d.m.inst.data.devicePosition).toBe('back');
  });

  test('the engine keeps its camera between sessions: a later entry on the front camera switches back to it', async () => {
    await enter({ frontCamera: false });
    expect(d.fake.ctx.camera).toBe('back');
    await d.m.inst.stop();
    d.setProps({ frontCamera: true });
    const again = d.start();
    await settle();
    await again;
    expect(d.m.inst.data.devicePosition).toBe('front');
    expect(d.fake.ctx.camera).toBe('front');
  });

  test('role switch calls visibility and publish state in a safe order', async () => {
    await enter();
    const ctx = d.fake.ctx;
    const before = ctx.calls.length;
    d.setProps({ role: 'audience' });
    await settle();
    expect(ctx.calls.slice(before).map(([m, a]) => [m, a.state ?? a.visible])).toEqual([
      ['changeVideoCapture', 0],
      ['changeAudioCapture', 0],
      ['changeStreamPublishState', 0],
      ['changeUserVisibility', false],
    ]);
  });

  test('a visibility change that answers after stop() is still what the engine is: the next anchor entry is visible', async () => {
    await enter();
    const ctx = d.fake.ctx as any;
    const real = ctx.changeUserVisibility.getMockImplementation();
    let answer: (() => void) | null = null;
    ctx.changeUserVisibility.mockImplementationOnce((o: unknown) => {
      answer = () => real(o);
    });
    d.setProps({ role: 'audience' });
    await settle();
    expect(answer).not.toBeNull();
    await d.m.inst.stop();
    answer!(); // the engine is invisible from now on
    await settle();
    d.setProps({ role: 'anchor' });
    const again = d.start();
    await settle();
    await again;
    expect(d.fake.ctx.visible).toBe(true);
    expect(d.local()).toEqual({ camera: true, mic: true, publishing: true });
  });

  test('methods missing on an older base library give warnings, never a crash', async () => {
    await enter({}, { missing: ['changeUserVisibility', 'changeStreamPublishState'] });
    d.clearEvents();
    d.setProps({ role: 'audience' });
    await settle();
    expect(d.events()).toEqual([
      { tag: 'warning', code: 0, detail: { message: expect.stringContaining('changeStreamPublishState') } },
      { tag: 'warning', code: 0, detail: { message: expect.stringContaining('changeUserVisibility') } },
    ]);
    expect(d.local()).toMatchObject({ camera: false, mic: false });
  });

  test('onRtcStateChange is used when onRtcStateChanged does not exist', async () => {
    await enter({}, { missing: ['onRtcStateChanged', 'offRtcStateChanged'] });
    expect(d.fake.ctx.count('onRtcStateChange')).toBe(1);
    d.clearEvents();
    d.fake.ctx.emit('onRtcStateChange', { errNo: 0, errMsg: 'ok', data: {} });
    d.fake.ctx.emit('onRtcStateChange', { errNo: 12345, errMsg: 'something odd', data: {} });
    await settle();
    expect(d.events()).toEqual([
      {
        tag: 'warning',
        code: 12345,
        detail: { message: 'notice from the platform', platformMessage: 'something odd' },
      },
    ]);
  });

  test('subscribe(): changeStreamSubscribeState / changeScreenSubscribeState, split when audio and video differ', async () => {
    await enter();
    d.remoteJoin('bob', { video: true, audio: true, screen: true });
    await settle();
    await d.m.inst.subscribe('bob', { video: false });
    await d.m.inst.subscribe('bob', { streamType: 'aux', video: false, audio: false });
    await settle();
    expect(d.fake.ctx.callsOf('changeStreamSubscribeState')).toEqual([
      { state: 0, streamType: 'video', userId: 'bob' },
      { state: 1, streamType: 'audio', userId: 'bob' },
    ]);
    expect(d.fake.ctx.callsOf('changeScreenSubscribeState')).toEqual([
      { state: 0, streamType: 'both', userId: 'bob' },
    ]);
  });

  test("a re-entry keeps the page's subscriptions (the join subscribes everything again)", async () => {
    await enter();
    d.remoteJoin('bob', { video: true, audio: true });
    d.remoteJoin('carol', { video: true, audio: true });
    await settle();
    await d.m.inst.subscribe('bob', { video: false, audio: false });
    await settle();
    const ctx = d.fake.ctx;
    ctx.calls.length = 0;
    d.loseConnection();
    await settle();
    await d.advance(1000);
    expect(d.events().map((e) => e.tag)).toContain('reconnected');
    const order = ctx.calls.map(([m]) => m);
    const join = order.indexOf('joinRtcRoom');
    expect(join).toBeGreaterThanOrEqual(0);
    const after = ctx.calls.slice(join + 1).filter(([m]) => m === 'changeStreamSubscribeState');
    expect(after.map(([, a]) => a)).toEqual([{ state: 0, streamType: 'both', userId: 'bob' }]);
  });

  test('the same when the member lists of the re-entry come before its join answers', async () => {
    await enter();
    d.remoteJoin('bob', { video: true, audio: true });
    await settle();
    await d.m.inst.subscribe('bob', { video: false, audio: false });
    await settle();
    const ctx = d.fake.ctx;
    d.fake.listsBeforeJoinAnswer = true;
    ctx.calls.length = 0;
    d.loseConnection();
    await settle();
    await d.advance(1000);
    expect(d.events().map((e) => e.tag)).toContain('reconnected');
    const join = ctx.calls.findIndex(([m]) => m === 'joinRtcRoom');
    const after = ctx.calls.slice(join + 1).filter(([m]) => m === 'changeStreamSubscribeState');
    expect(after.map(([, a]) => a)).toEqual([{ state: 0, streamType: 'both', userId: 'bob' }]);
  });

  test('subscribe() while entering reaches the platform once the user is in the room', async () => {
    d = new TtDriver();
    d.mount({ autoSubscribe: false });
    const started = d.start();
    await d.m.inst.subscribe('bob', { video: true, audio: true });
    await settle();
    await started;
    expect(d.fake.ctx.callsOf('changeStreamSubscribeState')).toEqual([]);
    d.remoteJoin('bob', { video: true, audio: true });
    await settle();
    expect(d.fake.ctx.callsOf('changeStreamSubscribeState')).toEqual([
      { state: 1, streamType: 'both', userId: 'bob' },
    ]);
  });

  test('sdkAppID must be the 24-character AppId on Douyin: -1 before any tt call', async () => {
    d = new TtDriver();
    d.mount({ sdkAppID: 1400000001 });
    const started = d.start();
    await settle();
    await expect(started).rejects.toMatchObject({ code: -1, detail: { field: 'sdkAppID' } });
    expect(d.fake.createRtcRoomContext).not.toHaveBeenCalled();
  });
});

test('a duplicate login (-1004) on interruption is kicked_out, never a reconnect loop', async () => {
  await enter();
  d.clearEvents();
  d.fake.interrupt(-1004, 'duplicate login: user alice joined elsewhere');
  await settle();
  await d.advance(60000);
  expect(d.events()).toEqual([
    {
      tag: 'kicked_out',
      code: -1004,
      detail: {
        reason: 'the same user ID joined the room elsewhere',
        platformMessage: 'duplicate login: user alice joined elsewhere',
      },
    },
    { tag: 'exit_room', code: -1004, detail: { reason: 'kicked' } },
  ]);
  expect(d.fake.ctx.callsOf('joinRtcRoom')).toHaveLength(1);
});

test('an ordinary interruption reconnects', async () => {
  await enter();
  d.clearEvents();
  d.fake.interrupt();
  await settle();
  expect(d.events()[0]).toEqual({ tag: 'reconnecting', code: 1, detail: {} });
});

describe('issue 10 on Douyin: off-page video, re-entry order, catalog messages', () => {
  const videoSubs = () =>
    d.fake.ctx
      .callsOf('changeStreamSubscribeState')
      .filter((c) => c.streamType === 'video' || c.streamType === 'both')
      .map((c) => `${String(c.userId)}:${String(c.state)}`);

  test('grid: off-page users stop pulling video (changeStreamSubscribeState), back on their page they pull again', async () => {
    await enter({ template: 'grid' });
    for (const id of ['a', 'b', 'c', 'd', 'e']) d.remoteJoin(id, { video: true, audio: true });
    await settle();
    // page 0 holds the local view and a, b, c: d and e are off-page
    expect(videoSubs()).toEqual(['d:0', 'e:0']);
    // audio keeps playing off-page
    expect(
      d.fake.ctx
        .callsOf('changeStreamSubscribeState')
        .filter((c) => c.streamType === 'audio' && c.state === 0),
    ).toEqual([]);
    (d.m.inst as any)._ctl.setGridPage(1);
    await settle();
    expect(videoSubs()).toEqual(['d:0', 'e:0', 'a:0', 'b:0', 'c:0', 'd:1', 'e:1']);
    // every view stays: paging moves styles only
    expect(d.players()).toHaveLength(5);
  });

  test('without changeStreamSubscribeState the off-page views stay (parked), with one warning', async () => {
    await enter({ template: 'grid' }, { missing: ['changeStreamSubscribeState'] });
    for (const id of ['a', 'b', 'c', 'd', 'e']) d.remoteJoin(id, { video: true });
    await settle();
    (d.m.inst as any)._ctl.setGridPage(1);
    await settle();
    expect(d.players()).toHaveLength(5);
    const warnings = d.events().filter((e) => e.tag === 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].detail.message).toContain('changeStreamSubscribeState');
  });

  test('re-entry waits for exitRtcRoom to answer before joining again (no 21100)', async () => {
    await enter({}, { missing: ['updateToken'] });
    d.fake.exitDelayMs = 300;
    d.clearEvents();
    await d.m.inst.updateUserSig('token-2');
    await settle();
    const ctx = d.fake.ctx;
    expect(ctx.callsOf('exitRtcRoom')).toHaveLength(1);
    // still in the room natively: the join must not go out yet
    expect(ctx.callsOf('joinRtcRoom')).toHaveLength(1);
    await d.advance(300);
    await d.advance(20);
    expect(ctx.callsOf('joinRtcRoom')).toHaveLength(2);
    expect(ctx.callsOf('joinRtcRoom')[1].token).toBe('token-2');
    expect(d.events().filter((e) => e.tag === 'error')).toEqual([]);
    expect(d.events().map((e) => e.tag)).toContain('reconnected');
  });

  test("the adapter's own messages come from the catalogs (zh-CN)", async () => {
    await enter({ lang: 'zh-CN' }, { missing: ['switchCamera'] });
    d.clearEvents();
    await d.m.inst.switchCamera();
    await settle();
    expect(d.events()).toEqual([
      { tag: 'warning', code: 0, detail: { message: '当前基础库不支持 switchCamera，改用 device-position' } },
    ]);
  });
});

test('an exitRtcRoom that never answers holds a re-entry for EXIT_WAIT_MS at most', async () => {
  await enter({}, { missing: ['updateToken'] });
  d.fake.exitDelayMs = 1e9;
  await d.m.inst.updateUserSig('token-2');
  await settle();
  const joins = () => d.fake.ctx.callsOf('joinRtcRoom').length;
  expect(joins()).toBe(1);
  // settle() itself runs 120 ms of timers per call
  await d.advance(2600);
  expect(joins()).toBe(1);
  await d.advance(400);
  expect(joins()).toBe(2);
});
