import { settle } from './behaviour/driver';
import { userlist, type WxFake } from './helpers/wx-fake';
import { fire, mountRoom, Mounted, nativeAttrs } from './helpers/mp';
import { useWxRoomLifecycle, WX_IDENTITY as BASE } from './helpers/wx-room';

let wxf: WxFake;
let m: Mounted;

useWxRoomLifecycle(
  (f) => (wxf = f),
  () => m,
);

async function enter(props: Record<string, unknown> = {}) {
  m = mountRoom({ ...BASE, ...props });
  const started = m.inst.start();
  await settle();
  expect(wxf.pusher.start).toHaveBeenCalledTimes(1);
  jest.advanceTimersByTime(123);
  fire(m.room, '#pusher', 'statechange', { code: 1018, message: 'onEnterRoom success, time cost[120]' });
  const res = await started;
  await settle();
  return res;
}

test('start() sets the TRTC push URL, starts the pusher, resolves on 1018 and emits enter_room', async () => {
  const res = await enter();
  expect(m.inst.data.pusher.url).toBe(
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
  await settle();
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
      player: true,
    },
    mainKey: 'player-0',
    tileCount: 1,
    mainRank: 0,
  });
  expect(m.room.querySelectorAll('.wr-tile--remote').length).toBe(1);
});

test('switching template keeps every player node and sends one key', async () => {
  await enter({ template: 'bigsmall' });
  fire(m.room, '#pusher', 'statechange', {
    code: 1031,
    message: userlist([{ userid: 'bob' }, { userid: 'carol' }]),
  });
  await settle();
  const before = m.room.querySelectorAll('.wr-tile--remote').map((t: any) => t._exparserNode);
  const setData = jest.spyOn(m.inst, 'setData');
  m.setProps({ template: 'grid' });
  await settle();
  const after = m.room.querySelectorAll('.wr-tile--remote').map((t: any) => t._exparserNode);
  expect(after).toHaveLength(2);
  after.forEach((n: unknown, i: number) => expect(n).toBe(before[i]));
  // the property itself is set by the host; the component sends nothing else for the same view
  expect(setData.mock.calls.map((c) => Object.keys(c[0] as object))).toEqual([]);
  expect(m.room.dom?.innerHTML).toContain('left:50%;top:0%;width:50%;height:50%');
});

test('binderror 10001 is error -7 with the platform code', async () => {
  await enter();
  m.events.length = 0;
  fire(m.room, '#pusher', 'error', { errCode: 10001, errMsg: 'camera auth deny' });
  expect(m.events).toEqual([
    {
      tag: 'error',
      code: -7,
      detail: {
        message: 'camera or microphone permission denied',
        platformMessage: 'camera auth deny',
        rawCode: 10001,
        reason: 'permission',
      },
    },
  ]);
});

test('6001 (no send right in the privateMapKey) is a warning with the platform text; the room stays', async () => {
  await enter();
  m.events.length = 0;
  const text = 'ignore upstream video and audio: the privateMapKey has no right to send it';
  fire(m.room, '#pusher', 'statechange', { code: 6001, message: text });
  fire(m.room, '#pusher', 'statechange', { code: 6001, message: '' });
  await settle();
  expect(m.events).toEqual([
    {
      tag: 'warning',
      code: 6001,
      detail: { message: 'not publishing: the privateMapKey grants no right to send', platformMessage: text },
    },
    {
      tag: 'warning',
      code: 6001,
      detail: { message: 'not publishing: the privateMapKey grants no right to send' },
    },
  ]);
  expect(m.inst.data.phase).toBe('in_room');
  expect(wxf.pusher.stop).not.toHaveBeenCalled();
});

test('refused scope.camera rejects start() with -7 and never starts the pusher', async () => {
  wxf.authSetting = {};
  wxf.deny.add('scope.camera');
  m = mountRoom(BASE);
  const p = m.inst.start();
  await settle();
  await expect(p).rejects.toMatchObject({ code: -7, detail: { reason: 'permission' } });
  expect(m.events[0]).toMatchObject({ tag: 'error', code: -7 });
  expect(wxf.pusher.start).not.toHaveBeenCalled();
});

test('WeChat older than 7.0.9 on iOS or base library < 2.10.0 is -2', async () => {
  wxf.system = { platform: 'ios', version: '7.0.8', SDKVersion: '2.12.0' };
  m = mountRoom(BASE);
  await expect(m.inst.start()).rejects.toMatchObject({ code: -2 });
  wxf.system = { platform: 'android', version: '8.0.1', SDKVersion: '2.9.4' };
  m.host.detach();
  m = mountRoom(BASE);
  await expect(m.inst.start()).rejects.toMatchObject({ code: -2 });
  expect(wxf.pusher.start).not.toHaveBeenCalled();
});

test('a numeric string roomID is converted; strRoomID goes into strroomid', async () => {
  await enter({ roomID: '0042' });
  expect(m.inst.data.pusher.url).toContain('&roomid=42&');
  m.host.detach();
  m = mountRoom({ ...BASE, roomID: 0, strRoomID: 'team a' });
  // a start() still entering is rejected by the detach in afterEach
  m.inst.start().catch(() => undefined);
  await settle();
  expect(m.inst.data.pusher.url).toContain('&strroomid=team%20a&');
});

test('remote player netstatus becomes net_status for that user; pusher netstatus for the local user', async () => {
  await enter();
  fire(m.room, '#pusher', 'statechange', { code: 1031, message: userlist([{ userid: 'bob' }]) });
  fire(m.room, '#pusher', 'statechange', { code: 1034, message: userlist([{ userid: 'bob', hasaudio: 1 }]) });
  await settle();
  m.events.length = 0;
  fire(m.room, '#player-0', 'netstatus', { info: { netSpeed: 800, netJitter: 20, videoWidth: 640 } });
  fire(m.room, '#pusher', 'netstatus', { info: { netSpeed: 0, videoBitrate: 0, audioBitrate: 0 } });
  expect(m.events).toEqual([
    { tag: 'net_status', code: 1, detail: { userID: 'bob', netSpeed: 800, netJitter: 20, videoWidth: 640 } },
    { tag: 'net_status', code: 6, detail: { userID: '', netSpeed: 0, videoBitrate: 0, audioBitrate: 0 } },
  ]);
});

test('pause/resume reach the pusher and every player through contexts created with the component', async () => {
  await enter();
  fire(m.room, '#pusher', 'statechange', { code: 1031, message: userlist([{ userid: 'bob' }]) });
  fire(m.room, '#pusher', 'statechange', { code: 1034, message: userlist([{ userid: 'bob', hasaudio: 1 }]) });
  await settle();
  m.inst.pause();
  m.inst.resume();
  expect(wxf.pusher.pause).toHaveBeenCalledTimes(1);
  expect(wxf.pusher.resume).toHaveBeenCalledTimes(1);
  expect(wxf.createLivePlayerContext).toHaveBeenCalledWith('player-0', m.inst);
  expect(wxf.players.get('player-0')?.pause).toHaveBeenCalledTimes(1);
});

test('page hide/show: reconnect waits for show', async () => {
  await enter();
  m.events.length = 0;
  (m.room as any).triggerPageLifeTime('hide');
  fire(m.room, '#pusher', 'statechange', { code: -1307, message: 'lost' });
  jest.advanceTimersByTime(60000);
  expect(wxf.pusher.stop).not.toHaveBeenCalled();
  (m.room as any).triggerPageLifeTime('show');
  expect(m.events).toEqual([{ tag: 'reconnecting', code: 1, detail: {} }]);
  expect(wxf.pusher.stop).toHaveBeenCalledTimes(1);
});

test('detached stops the pusher, emits exit_room once and leaves no timer behind', async () => {
  await enter();
  fire(m.room, '#pusher', 'statechange', { code: -1307, message: 'lost' });
  m.events.length = 0;
  m.host.detach();
  expect(m.events).toEqual([{ tag: 'exit_room', code: 0, detail: { reason: 'left' } }]);
  expect(jest.getTimerCount()).toBe(0);
});

test('black screen: a live-player with video and no 2003 in 5 s is rebuilt once; its 2003 ends it; detach leaves no timer', async () => {
  await enter({ template: 'grid' });
  const url = 'room://cloud.tencent.com/rtc?userid=bob&streamtype=main';
  fire(m.room, '#pusher', 'statechange', { code: 1031, message: userlist([{ userid: 'bob' }]) });
  fire(m.room, '#pusher', 'statechange', {
    code: 1033,
    message: userlist([{ userid: 'bob', playurl: url, streamtype: 'main', hasvideo: 1 }]),
  });
  await settle();
  m.events.length = 0;
  const keys = () => (m.inst.data.streams as Array<{ key: string }>).map((t) => t.key);
  expect(keys()).toEqual(['bob|main']);
  jest.advanceTimersByTime(5000);
  await settle();
  expect(m.events).toEqual([
    {
      tag: 'warning',
      code: 2003,
      detail: {
        message: 'no video from the player of bob (main) within 5 s; rebuilding (1)',
        userID: 'bob',
        streamType: 'main',
      },
    },
  ]);
  expect(keys()).toEqual(['bob|main#1']);
  fire(m.room, '#player-0', 'statechange', { code: 2003, message: 'first video frame received' });
  jest.advanceTimersByTime(20000);
  await settle();
  expect(m.events).toHaveLength(1);
  // video off and on: a new window; the page leaves before it ends
  fire(m.room, '#pusher', 'statechange', {
    code: 1033,
    message: userlist([{ userid: 'bob', playurl: url, streamtype: 'main', hasvideo: 0 }]),
  });
  fire(m.room, '#pusher', 'statechange', {
    code: 1034,
    message: userlist([{ userid: 'bob', playurl: url, hasaudio: 1 }]),
  });
  await settle();
  fire(m.room, '#pusher', 'statechange', {
    code: 1033,
    message: userlist([{ userid: 'bob', playurl: url, streamtype: 'main', hasvideo: 1 }]),
  });
  await settle();
  m.host.detach();
  expect(jest.getTimerCount()).toBe(0);
  jest.advanceTimersByTime(20000);
  expect(m.events.filter((e) => e.tag === 'warning')).toHaveLength(1);
});

test('two rooms on one page keep separate contexts, state and events', async () => {
  const pusherA = { ...wxf.pusher, start: jest.fn(), stop: jest.fn() };
  const pusherB = { ...wxf.pusher, start: jest.fn(), stop: jest.fn() };
  wxf.createLivePusherContext.mockImplementationOnce(() => pusherA).mockImplementationOnce(() => pusherB);
  const a = mountRoom({ ...BASE, userID: 'a' });
  const b = mountRoom({ ...BASE, userID: 'b' });
  void a.inst.start();
  const bStart = b.inst.start().catch((e: unknown) => e);
  await settle();
  fire(a.room, '#pusher', 'statechange', { code: 1018, message: '' });
  fire(a.room, '#pusher', 'statechange', { code: 1031, message: userlist([{ userid: 'z' }]) });
  await settle();
  expect(pusherA.start).toHaveBeenCalledTimes(1);
  expect(pusherB.start).toHaveBeenCalledTimes(1);
  expect(wxf.createLivePusherContext.mock.calls[0][1]).toBe(a.inst);
  expect(wxf.createLivePusherContext.mock.calls[1][1]).toBe(b.inst);
  expect(a.events.map((e) => e.tag)).toEqual(['enter_room', 'user_join']);
  expect(b.events).toEqual([]);
  expect(b.inst.getRemoteUsers()).toEqual([]);
  a.host.detach();
  expect(pusherA.stop).toHaveBeenCalledTimes(1);
  expect(pusherB.stop).not.toHaveBeenCalled();
  b.host.detach();
  await expect(bStart).resolves.toMatchObject({ code: -10 });
});

test('audience: camera and microphone attributes off, no permission prompt; role switch in the room needs no re-entry', async () => {
  wxf.authSetting = {};
  wxf.deny.add('scope.camera').add('scope.record');
  m = mountRoom({ ...BASE, role: 'audience', muted: false, enableCamera: true, beauty: 0 });
  const started = m.inst.start();
  await settle();
  fire(m.room, '#pusher', 'statechange', { code: 1018, message: '' });
  await started;
  expect(nativeAttrs(m.room, 'pusher')).toMatchObject({ enableCamera: false, enableMic: false });
  m.setProps({ role: 'anchor' });
  await settle();
  expect(nativeAttrs(m.room, 'pusher')).toMatchObject({ enableCamera: true, enableMic: true, muted: false });
  m.setProps({ muted: true, enableCamera: false, beauty: 5 });
  await settle();
  expect(nativeAttrs(m.room, 'pusher')).toMatchObject({
    enableCamera: false,
    enableMic: true,
    muted: true,
    beauty: 5,
  });
  expect(wxf.pusher.start).toHaveBeenCalledTimes(1);
  expect(wxf.pusher.stop).not.toHaveBeenCalled();
});

test('grid: a horizontal swipe pages through 2x2 pages; off-page tiles stop pulling video', async () => {
  await enter({ template: 'grid' });
  const ids = ['b1', 'b2', 'b3', 'b4', 'b5'];
  fire(m.room, '#pusher', 'statechange', {
    code: 1031,
    message: userlist(ids.map((userid) => ({ userid }))),
  });
  fire(m.room, '#pusher', 'statechange', {
    code: 1033,
    message: userlist(ids.map((userid) => ({ userid, hasvideo: true }))),
  });
  await settle();
  const muted = () => (m.inst.data.streams as Array<{ muteVideo: boolean }>).map((t) => t.muteVideo);
  expect(m.inst.data.gridPages).toBe(2);
  expect(muted()).toEqual([false, false, false, true, true]);
  const root = m.room.querySelector('.wr-room');
  const swipe = async (from: number, to: number) => {
    // j-component builds real TouchEvents from {x, y}
    root.dispatchEvent('touchstart', {
      touches: [{ x: from, y: 100 }],
      changedTouches: [{ x: from, y: 100 }],
    });
    await settle();
    root.dispatchEvent('touchend', { touches: [], changedTouches: [{ x: to, y: 100 }] });
    await settle();
  };
  await swipe(300, 100); // left: next page
  expect(m.inst.data.gridPage).toBe(1);
  expect(muted()).toEqual([true, true, true, false, false]);
  await swipe(300, 100); // no page 3
  expect(m.inst.data.gridPage).toBe(1);
  await swipe(100, 120); // too short to count
  expect(m.inst.data.gridPage).toBe(1);
  await swipe(100, 300); // right: back
  expect(m.inst.data.gridPage).toBe(0);
  expect(muted()).toEqual([false, false, false, true, true]);
});

test('bigsmall: tapping a thumbnail makes it the large view (one key sent)', async () => {
  await enter({ template: 'bigsmall' });
  fire(m.room, '#pusher', 'statechange', {
    code: 1031,
    message: userlist([{ userid: 'bob' }, { userid: 'carol' }]),
  });
  await settle();
  expect(m.inst.data.mainKey).toBe('player-0');
  const setData = jest.spyOn(m.inst, 'setData');
  const carolTile = m.room
    .querySelectorAll('.wr-tile--remote')
    .find((t: any) => t.dom.dataset.userId === 'carol');
  carolTile.dispatchEvent('tap');
  await settle();
  expect(m.inst.data.mainKey).toBe('player-1');
  expect(setData.mock.calls.map((c) => c[0])).toEqual([{ mainKey: 'player-1', mainRank: 1 }]);
  expect(m.inst.pin('nobody')).toBe(false);
});

describe('issue 10 on WeChat: validated native attributes, hidden rebuilds, devices released', () => {
  const playerKeys = () =>
    (m.inst.data.streams as Array<{ key?: string; free?: boolean }>).filter((t) => !t.free).map((t) => t.key);

  test('beauty 12 is error -1 naming beauty; the live-pusher keeps the last good value', async () => {
    await enter({ beauty: 5 });
    expect(nativeAttrs(m.room, 'pusher').beauty).toBe(5);
    m.events.length = 0;
    m.setProps({ beauty: 12 });
    await settle();
    expect(m.events).toEqual([
      {
        tag: 'error',
        code: -1,
        detail: { field: 'beauty', rawCode: 0, message: expect.stringContaining('beauty') },
      },
    ]);
    expect(nativeAttrs(m.room, 'pusher').beauty).toBe(5);
    m.setProps({ beauty: 7 });
    await settle();
    expect(nativeAttrs(m.room, 'pusher').beauty).toBe(7);
  });

  test('debug and waiting-image reach the native views through the validated pusher data', async () => {
    await enter({ debug: true, waitingImage: 'https://example.com/w.png' });
    fire(m.room, '#pusher', 'statechange', { code: 1031, message: userlist([{ userid: 'bob' }]) });
    fire(m.room, '#pusher', 'statechange', {
      code: 1034,
      message: userlist([{ userid: 'bob', hasaudio: 1 }]),
    });
    await settle();
    expect(nativeAttrs(m.room, 'pusher')).toMatchObject({
      debug: true,
      waitingImage: 'https://example.com/w.png',
    });
    expect(nativeAttrs(m.room, 'player-0')).toMatchObject({ debug: true });
    m.setProps({ debug: false });
    await settle();
    expect(nativeAttrs(m.room, 'pusher').debug).toBe(false);
  });

  test('Android: a screen share and a new user that started while hidden are rebuilt on show', async () => {
    await enter();
    const url = (id: string, st: string) => `room://cloud.tencent.com/rtc?userid=${id}&streamtype=${st}`;
    fire(m.room, '#pusher', 'statechange', { code: 1031, message: userlist([{ userid: 'bob' }]) });
    fire(m.room, '#pusher', 'statechange', {
      code: 1033,
      message: userlist([{ userid: 'bob', playurl: url('bob', 'main'), streamtype: 'main', hasvideo: 1 }]),
    });
    await settle();
    (m.room as any).triggerPageLifeTime('hide');
    fire(m.room, '#pusher', 'statechange', {
      code: 1033,
      message: userlist([{ userid: 'bob', playurl: url('bob', 'aux'), streamtype: 'aux', hasvideo: 1 }]),
    });
    fire(m.room, '#pusher', 'statechange', { code: 1031, message: userlist([{ userid: 'carol' }]) });
    fire(m.room, '#pusher', 'statechange', {
      code: 1034,
      message: userlist([{ userid: 'carol', playurl: url('carol', 'main'), hasaudio: 1 }]),
    });
    await settle();
    expect(playerKeys()).toEqual(['bob|main', 'bob|aux', 'carol|main']);
    (m.room as any).triggerPageLifeTime('show');
    await settle();
    // created while visible: kept; created while hidden (aux included): rebuilt once
    expect(playerKeys()).toEqual(['bob|main', 'bob|aux#1', 'carol|main#1']);
  });

  test('a player that keeps reporting quality 6 after the room recovered is rebuilt (bounded, count reset)', async () => {
    await enter();
    const url = 'room://cloud.tencent.com/rtc?userid=bob&streamtype=main';
    const joinBob = () => {
      fire(m.room, '#pusher', 'statechange', { code: 1031, message: userlist([{ userid: 'bob' }]) });
      fire(m.room, '#pusher', 'statechange', {
        code: 1033,
        message: userlist([{ userid: 'bob', playurl: url, streamtype: 'main', hasvideo: 1 }]),
      });
    };
    joinBob();
    await settle();
    // each new player renders its first frame once (2003), then its network goes down: no black screen
    let rendered = '';
    const report = async (down: boolean) => {
      const key = String(playerKeys().pop());
      if (key !== rendered) {
        rendered = key;
        fire(m.room, '#player-0', 'statechange', { code: 2003, message: 'first video frame received' });
      }
      jest.advanceTimersByTime(1000);
      const info = down
        ? { netSpeed: 0, videoBitrate: 0, audioBitrate: 0 }
        : { netSpeed: 900, netJitter: 10 };
      fire(m.room, '#player-0', 'netstatus', { info });
      await settle();
    };
    const warnings = () => m.events.filter((e) => e.tag === 'warning');
    // down while reconnecting does not count
    fire(m.room, '#pusher', 'statechange', { code: -1307, message: 'lost' });
    await settle();
    for (let i = 0; i < 6; i++) await report(true);
    jest.advanceTimersByTime(60000);
    await settle();
    fire(m.room, '#pusher', 'statechange', { code: 1018, message: 'onEnterRoom success' });
    joinBob();
    await settle();
    expect(m.events.map((e) => e.tag)).toContain('reconnected');
    expect(playerKeys()).toEqual(['bob|main']);
    rendered = ''; // the re-entered room plays it anew
    m.events.length = 0;
    // four down, one good: the count starts again
    for (let i = 0; i < 4; i++) await report(true);
    await report(false);
    for (let i = 0; i < 4; i++) await report(true);
    expect(warnings()).toEqual([]);
    expect(playerKeys()).toEqual(['bob|main']);
    await report(true);
    expect(playerKeys()).toEqual(['bob|main#1']);
    expect(warnings()).toEqual([
      { tag: 'warning', code: 6, detail: { message: 'player of bob failed; rebuilding (1)' } },
    ]);
    // the rebuild resets the count and the new player gets the 3 s start (3 reports) first; the bound is the one
    // of failed players (3), then one warning
    for (let i = 0; i < 8 * 4; i++) await report(true);
    expect(playerKeys()).toEqual(['bob|main#3']);
    expect(warnings().map((e) => [e.code, e.detail])).toEqual([
      [6, { message: 'player of bob failed; rebuilding (1)' }],
      [6, { message: 'player of bob failed; rebuilding (2)' }],
      [6, { message: 'player of bob failed; rebuilding (3)' }],
      [6, { message: 'player of bob failed' }],
    ]);
  });

  test.each([
    ['kicked_out (1019 reason 1)', 1019, 'onExitRoom reason[1]', 'kicked'],
    ['credential rejected in the room (-100018)', -100018, 'userSig expired', 'lost'],
  ])('%s: camera and microphone released, the page told why', async (_n, code, message, reason) => {
    await enter();
    expect(nativeAttrs(m.room, 'pusher')).toMatchObject({ enableCamera: true, enableMic: true });
    m.events.length = 0;
    fire(m.room, '#pusher', 'statechange', { code, message });
    await settle();
    expect(nativeAttrs(m.room, 'pusher')).toMatchObject({ enableCamera: false, enableMic: false, url: '' });
    expect(wxf.pusher.stop).toHaveBeenCalledTimes(1);
    expect(wxf.pusher.stopPreview).toHaveBeenCalled();
    expect(m.events[m.events.length - 1]).toEqual({
      tag: 'exit_room',
      code: expect.any(Number),
      detail: { reason },
    });
  });
});
