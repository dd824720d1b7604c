/** WeChat: sendMessage (SEI through the pusher), the `message` event (player 2012), snapshot(). */
import type { WxFake } from './helpers/wx-fake';
import { enterWx, useWxRoomLifecycle, WX_IDENTITY as BASE } from './helpers/wx-room';
import { fire, mountRoom, Mounted, nativeAttrs } from './helpers/mp';
import { MAX_MESSAGE_BYTES, utf8Length } from '../utils/room/extras';
import { settle } from './behaviour/driver';

let wxf: WxFake;
let m: Mounted;
let sendMessage: jest.Mock;
let pusherSnapshot: jest.Mock;
let playerSnapshot: jest.Mock;

useWxRoomLifecycle(
  (f) => (wxf = f),
  () => m,
);

beforeEach(() => {
  sendMessage = jest.fn((o) => o.success?.({ errMsg: 'sendMessage:ok' }));
  pusherSnapshot = jest.fn((o) =>
    o.success?.({ tempImagePath: 'wxfile://local.jpg', width: 720, height: 1280 }),
  );
  playerSnapshot = jest.fn((o) =>
    o.success?.({ tempImagePath: 'wxfile://bob.jpg', width: 360, height: 640 }),
  );
  Object.assign(wxf.pusher, { sendMessage, snapshot: pusherSnapshot });
  const create = wxf.createLivePlayerContext.getMockImplementation()!;
  wxf.createLivePlayerContext.mockImplementation((id: string, scope: unknown) =>
    Object.assign(create(id, scope), { snapshot: playerSnapshot }),
  );
});

async function enter() {
  m = await enterWx({}, { bob: { video: true } });
}

const errors = () => m.events.filter((e) => e.tag === 'error');

test('sendMessage: LivePusherContext.sendMessage with the payload; players receive with enable-recv-message', async () => {
  await enter();
  await expect(m.inst.sendMessage('{"cmd":"raise-hand"}')).resolves.toBeUndefined();
  expect(sendMessage).toHaveBeenCalledTimes(1);
  expect(sendMessage.mock.calls[0][0]).toMatchObject({ msg: '{"cmd":"raise-hand"}' });
  expect(nativeAttrs(m.room, m.inst.data.streams[0].id)).toMatchObject({ enableRecvMessage: true });
  expect(m.events).toEqual([]);
});

test('a player statechange 2012 is a message event of that user; not a player_state; nothing after stop()', async () => {
  await enter();
  const id = m.inst.data.streams[0].id;
  fire(m.room, `#${id}`, 'statechange', { code: 2012, message: 'hello' });
  expect(m.events).toEqual([{ tag: 'message', code: 0, detail: { userID: 'bob', payload: 'hello' } }]);
  await m.inst.stop();
  m.events.length = 0;
  fire(m.room, '#pusher', 'statechange', { code: 2012, message: 'late' });
  expect(m.events).toEqual([]);
});

test('bad payloads are -1 with field payload; before entering -14; nothing sent', async () => {
  m = mountRoom({ ...BASE });
  await expect(m.inst.sendMessage('x')).rejects.toMatchObject({ code: -14 });
  expect(errors()).toEqual([
    {
      tag: 'error',
      code: -14,
      detail: expect.objectContaining({ message: expect.stringContaining('sendMessage') }),
    },
  ]);
  m.host.detach();
  await enter();
  const tooLong = '汉'.repeat(Math.floor(MAX_MESSAGE_BYTES / 3) + 1);
  expect(utf8Length(tooLong)).toBeGreaterThan(MAX_MESSAGE_BYTES);
  for (const bad of ['', 5, null, tooLong]) {
    await expect(m.inst.sendMessage(bad)).rejects.toMatchObject({ code: -1, detail: { field: 'payload' } });
  }
  expect(errors()).toHaveLength(4);
  expect(sendMessage).not.toHaveBeenCalled();
});

test('an older base library without sendMessage: -2; a native failure: -15 with the platform text', async () => {
  await enter();
  sendMessage.mockImplementation((o) => o.fail?.({ errMsg: 'sendMessage:fail not pushing' }));
  await expect(m.inst.sendMessage('x')).rejects.toMatchObject({
    code: -15,
    detail: { message: expect.stringContaining('not pushing') },
  });
  delete (wxf.pusher as any).sendMessage;
  await expect(m.inst.sendMessage('x')).rejects.toMatchObject({ code: -2 });
});

test('snapshot(): the pusher for the local view, the player of a remote; unknown users are -1', async () => {
  await enter();
  await expect(m.inst.snapshot()).resolves.toEqual({
    tempImagePath: 'wxfile://local.jpg',
    width: 720,
    height: 1280,
  });
  await expect(m.inst.snapshot('alice')).resolves.toMatchObject({ tempImagePath: 'wxfile://local.jpg' });
  expect(pusherSnapshot).toHaveBeenCalledTimes(2);
  await expect(m.inst.snapshot('bob')).resolves.toEqual({
    tempImagePath: 'wxfile://bob.jpg',
    width: 360,
    height: 640,
  });
  const id = m.inst.data.streams[0].id;
  expect(wxf.createLivePlayerContext).toHaveBeenLastCalledWith(id, expect.anything());
  await expect(m.inst.snapshot('carol')).rejects.toMatchObject({ code: -1, detail: { field: 'userID' } });
  await expect(m.inst.snapshot(7)).rejects.toMatchObject({ code: -1, detail: { field: 'userID' } });
  playerSnapshot.mockImplementation((o) => o.fail?.({ errMsg: 'snapshot:fail' }));
  await expect(m.inst.snapshot('bob')).rejects.toMatchObject({ code: -15 });
});

describe('background music', () => {
  const bgm = () => {
    const calls: Array<[string, Record<string, unknown>]> = [];
    for (const api of ['playBGM', 'stopBGM', 'pauseBGM', 'resumeBGM', 'setBGMVolume']) {
      (wxf.pusher as any)[api] = jest.fn((o) => {
        calls.push([api, { ...o, success: undefined, fail: undefined, complete: undefined }]);
        o.success?.({ errMsg: `${api}:ok` });
      });
    }
    return calls;
  };
  const strip = (calls: Array<[string, Record<string, unknown>]>) =>
    calls.map(([api, o]) => [api, Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))]);

  test('the five commands reach the pusher context; pusher bgm events become bgm_* RoomEvents', async () => {
    const calls = bgm();
    await enter();
    await m.inst.playBGM('https://example.com/a.mp3');
    await m.inst.setBGMVolume(0.5);
    await m.inst.pauseBGM();
    await m.inst.resumeBGM();
    await m.inst.stopBGM();
    expect(strip(calls)).toEqual([
      ['playBGM', { url: 'https://example.com/a.mp3' }],
      ['setBGMVolume', { volume: 0.5 }],
      ['pauseBGM', {}],
      ['resumeBGM', {}],
      ['stopBGM', {}],
    ]);
    fire(m.room, '#pusher', 'bgmstart', {});
    fire(m.room, '#pusher', 'bgmprogress', { progress: 3.5, duration: 180 });
    fire(m.room, '#pusher', 'bgmcomplete', {});
    expect(m.events).toEqual([
      { tag: 'bgm_start', code: 0, detail: {} },
      { tag: 'bgm_progress', code: 0, detail: { progress: 3.5, duration: 180 } },
      { tag: 'bgm_complete', code: 0, detail: {} },
    ]);
  });

  test('bad url / volume -1 with the field; not in a room -14; a failure is bgm_error and -15', async () => {
    bgm();
    m = mountRoom({ ...BASE });
    await expect(m.inst.playBGM('https://example.com/a.mp3')).rejects.toMatchObject({ code: -14 });
    m.host.detach();
    await enter();
    await expect(m.inst.playBGM('')).rejects.toMatchObject({ code: -1, detail: { field: 'url' } });
    await expect(m.inst.setBGMVolume(2)).rejects.toMatchObject({ code: -1, detail: { field: 'volume' } });
    m.events.length = 0;
    (wxf.pusher as any).playBGM = jest.fn((o) => o.fail?.({ errMsg: 'playBGM:fail network' }));
    await expect(m.inst.playBGM('https://example.com/b.mp3')).rejects.toMatchObject({ code: -15 });
    expect(m.events).toEqual([
      { tag: 'bgm_error', code: 0, detail: { rawCode: 0, message: expect.stringContaining('network') } },
    ]);
  });
});

test('a sendMessage() held while the page is hidden is never sent once the session ended meanwhile', async () => {
  await enter();
  (m.room as any).triggerPageLifeTime('hide');
  const sent = m.inst.sendMessage('late');
  sent.catch(() => undefined);
  fire(m.room, '#pusher', 'statechange', { code: 1019, message: 'onExitRoom reason[1]' }); // kicked
  await settle();
  m.events.length = 0;
  (m.room as any).triggerPageLifeTime('show');
  await settle();
  await expect(sent).rejects.toMatchObject({ code: -14 });
  expect(sendMessage).not.toHaveBeenCalled();
  expect(m.events).toEqual([]);
});

test('a switchCamera() held while hidden, its session ended meanwhile: no native call, the next session starts with it', async () => {
  await enter();
  (m.room as any).triggerPageLifeTime('hide');
  const switched = m.inst.switchCamera();
  fire(m.room, '#pusher', 'statechange', { code: 1019, message: 'onExitRoom reason[1]' }); // kicked
  await settle();
  await expect(switched).resolves.toBe('back');
  (m.room as any).triggerPageLifeTime('show');
  await settle();
  expect(wxf.pusher.switchCamera).not.toHaveBeenCalled();
  expect(nativeAttrs(m.room, 'pusher').devicePosition).toBe('back');
});
