import { installWx, userlist, WxFake } from './helpers/wx-fake';
import { fire, mountRoom, Mounted } from './helpers/mp';

const BASE = { sdkAppID: 1400000001, userID: 'alice', userSig: 'sig-alice', roomID: 1234 };

let wxf: WxFake;
let m: Mounted;

async function flushAll() {
  // microtasks (permission promises) + the 16 ms setData batch window
  for (let i = 0; i < 5; i++) {
    await Promise.resolve();
    jest.advanceTimersByTime(20);
  }
}

beforeEach(() => {
  jest.useFakeTimers();
  wxf = installWx();
});

afterEach(() => {
  m?.host.detach();
  jest.useRealTimers();
});

async function enter(props: Record<string, unknown> = {}) {
  m = mountRoom({ ...BASE, ...props });
  const started = m.inst.start();
  await flushAll();
  expect(wxf.pusher.start).toHaveBeenCalledTimes(1);
  jest.advanceTimersByTime(123);
  fire(m.room, '#pusher', 'statechange', { code: 1018, message: 'onEnterRoom success, time cost[120]' });
  const res = await started;
  await flushAll();
  return res;
}

test('start() sets the TRTC push URL, starts the pusher, resolves on 1018 and emits enter_room', async () => {
  const res = await enter();
  expect(m.inst.data.pushUrl).toBe(
    'room://cloud.tencent.com/rtc?sdkappid=1400000001&roomid=1234&userid=alice&usersig=sig-alice&appscene=videocall&recvmode=1',
  );
  expect(res.elapsed).toBeGreaterThan(0);
  expect(m.events).toEqual([
    { tag: 'enter_room', code: res.elapsed, detail: { roomID: 1234, userID: 'alice' } },
  ]);
  expect(wxf.createLivePusherContext).toHaveBeenCalledWith('pusher', expect.anything());
});

test('remote user joining with video emits user_join then video_available and adds one tile', async () => {
  await enter();
  m.events.length = 0;
  const setData = jest.spyOn(m.inst, 'setData');
  fire(m.room, '#pusher', 'statechange', { code: 1031, message: userlist([{ userid: 'bob' }]) });
  fire(m.room, '#pusher', 'statechange', {
    code: 1033,
    message: userlist([
      {
        userid: 'bob',
        playurl: 'room://cloud.tencent.com/rtc?userid=bob&streamtype=main',
        streamtype: 'main',
        hasvideo: true,
      },
    ]),
  });
  fire(m.room, '#pusher', 'statechange', {
    code: 1034,
    message: userlist([{ userid: 'bob', hasaudio: true }]),
  });
  await flushAll();
  expect(m.events).toEqual([
    { tag: 'user_join', code: 0, detail: { userID: 'bob' } },
    { tag: 'video_available', code: 1, detail: { userID: 'bob', streamType: 'main' } },
    { tag: 'audio_available', code: 1, detail: { userID: 'bob' } },
  ]);
  expect(setData).toHaveBeenCalledTimes(1);
  expect(setData.mock.calls[0][0]).toEqual({
    'streams[0]': {
      key: 'bob|main',
      id: 'player-0',
      userID: 'bob',
      streamType: 'main',
      src: 'room://cloud.tencent.com/rtc?userid=bob&streamtype=main',
      hasVideo: true,
      hasAudio: true,
      muteVideo: false,
      muteAudio: false,
    },
    mainKey: 'player-0',
  });
  expect(m.room.querySelectorAll('.wr-tile--remote').length).toBe(1);
});
