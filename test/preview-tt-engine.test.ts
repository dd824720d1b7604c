/**
 * The Douyin RtcRoomContext stand-in when the host destroys its engine (the emulator's `engine_destroyed`): no
 * event, the room and the capture gone, every later call failing 115910 as the docs give it (douyin-rtc.md §2.3).
 * The room connection is a fake here; the emulator's side is in test/emulator/faults.test.ts.
 */
type Handler = (msg: any) => void;
const sessions: FakeSession[] = [];
class FakeSession {
  handlers: Handler[] = [];
  joined = false;
  closedByUs = false;
  userID = '';
  sent: any[] = [];
  constructor() {
    sessions.push(this);
  }
  on(fn: Handler) {
    this.handlers.push(fn);
    return () => undefined;
  }
  open(join: any) {
    this.userID = join.userId;
    this.sent.push(join);
    return Promise.resolve();
  }
  update(u: any) {
    this.sent.push({ t: 'update', ...u });
  }
  send(m: any) {
    this.sent.push(m);
  }
  leave() {
    this.closedByUs = true;
  }
  deliver(msg: any) {
    if (msg.t === 'joined') this.joined = true;
    for (const h of [...this.handlers]) h(msg);
  }
}

jest.mock('j-component', () => ({ register: () => undefined }));
jest.mock('../preview/runtime/rtc', () => ({ Session: FakeSession, RemoteFeed: class {} }));
jest.mock('../preview/runtime/tt-audio', () => ({
  rooms: new Set(),
  RoomAudio: class {
    setMode() {}
    setMembers() {}
    sync() {}
    close() {}
    levels() {
      return new Map();
    }
  },
}));
const stream = { getVideoTracks: () => [], getAudioTracks: () => [] };
jest.mock('../preview/runtime/tt-local', () => ({
  refused: () => false,
  local: {
    stream: null,
    video: false,
    audio: false,
    watchers: new Set(),
    get: () => Promise.resolve(stream),
    apply() {},
  },
}));

const { createRtcRoomContext } = require('../preview/runtime/tt');
const { local } = require('../preview/runtime/tt-local');

const flush = () => new Promise((r) => setTimeout(r, 0));
const call = (ctx: any, name: string, params: Record<string, unknown> = {}) =>
  new Promise<any>((resolve) => ctx[name]({ ...params, success: resolve, fail: resolve }));

test('engine_destroyed: out of the room without an event; every call fails 115910; a new context works', async () => {
  const ctx = createRtcRoomContext({ appId: 'app' });
  const heard = jest.fn();
  for (const e of [
    'onRtcChatInterrupted',
    'onRtcStateChanged',
    'onRtcStateChange',
    'onRtcChatMembersChanged',
  ])
    ctx[e]((d: unknown) => heard(e, d));
  await call(ctx, 'changeVideoCapture', { state: 1 });
  await call(ctx, 'changeAudioCapture', { state: 1 });
  const joined = call(ctx, 'joinRtcRoom', { roomId: 'r1', userId: 'u1', token: 't' });
  await flush();
  const s = sessions[0];
  s.deliver({ t: 'joined', cost: 1, userID: 'u1' });
  expect(await joined).toEqual({ errMsg: 'joinRtcRoom:ok' });
  expect([local.video, local.audio]).toEqual([true, true]);

  s.deliver({ t: 'fault', fault: { kind: 'engine_destroyed' } });
  // the emulator then closes the connection (4000): still no interruption, nothing at all
  s.deliver({ t: 'error', message: 'closed:4000:1' });
  s.deliver({ t: 'tt', name: 'onRtcChatMembersChanged', data: { userIdList: ['u2'] } });
  expect(heard).not.toHaveBeenCalled();
  expect([local.video, local.audio]).toEqual([false, false]);
  const gone = (api: string) => ({
    errMsg: `${api}:fail engine has been destroyed,please invoke tt.createRtcRoomContext create new engine`,
    errorCode: 115910,
  });
  for (const [api, p] of [
    ['changeVideoCapture', { state: 1 }],
    ['changeAudioCapture', { state: 0 }],
    ['exitRtcRoom', { roomId: 'r1' }],
    ['joinRtcRoom', { roomId: 'r1', userId: 'u1', token: 't' }],
    ['updateToken', { token: 't2' }],
    ['setAudioPlaybackDevice', { device: 'earpiece' }],
    ['changeUserVisibility', { visible: true }],
  ] as const)
    expect(await call(ctx, api, p)).toEqual(gone(api));
  expect(sessions).toHaveLength(1);
  expect([local.video, local.audio]).toEqual([false, false]);

  // the component's way out: a new context, a new engine
  const next = createRtcRoomContext({ appId: 'app' });
  expect(await call(next, 'changeVideoCapture', { state: 1 })).toEqual({ errMsg: 'changeVideoCapture:ok' });
  const again = call(next, 'joinRtcRoom', { roomId: 'r1', userId: 'u1', token: 't' });
  await flush();
  sessions[1].deliver({ t: 'joined', cost: 1, userID: 'u1' });
  expect(await again).toEqual({ errMsg: 'joinRtcRoom:ok' });
});

test('changeUserVisibility: the engine keeps it; the join carries it and a change in the room reaches the room', async () => {
  const ctx = createRtcRoomContext({ appId: 'app' });
  expect(await call(ctx, 'changeUserVisibility', { visible: false })).toEqual({
    errMsg: 'changeUserVisibility:ok',
  });
  const joined = call(ctx, 'joinRtcRoom', { roomId: 'r1', userId: 'u1', token: 't' });
  await flush();
  const s = sessions.at(-1)!;
  expect(s.sent[0]).toMatchObject({ t: 'join', model: 'volc', userId: 'u1', visible: false });
  s.deliver({ t: 'joined', cost: 1, userID: 'u1' });
  await joined;
  expect(await call(ctx, 'changeUserVisibility', { visible: true })).toEqual({
    errMsg: 'changeUserVisibility:ok',
  });
  expect(s.sent.at(-1)).toEqual({ t: 'update', visible: true });
  // not a boolean: the host's parameter check (20000), nothing sent
  const sent = s.sent.length;
  expect(await call(ctx, 'changeUserVisibility', { visible: 'no' })).toMatchObject({
    errMsg: expect.stringMatching(/^changeUserVisibility:fail /),
    errNo: 20000,
  });
  expect(s.sent).toHaveLength(sent);
  // the next room is joined visible: the engine kept the last state
  await call(ctx, 'exitRtcRoom', { roomId: 'r1' });
  void call(ctx, 'joinRtcRoom', { roomId: 'r2', userId: 'u1', token: 't' });
  await flush();
  expect(sessions.at(-1)!.sent[0]).toMatchObject({ t: 'join', roomId: 'r2', visible: true });
});
