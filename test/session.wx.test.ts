/**
 * WeChat session paths through the real component: a credential refresh (updateUserSig re-enters the room), the
 * lobby preview's devices, and how every live-pusher / live-player code is treated (shared/reference/wechat-trtc.md).
 */
import { settle } from './behaviour/driver';
import { userlist, type WxFake } from './helpers/wx-fake';
import { fire, Mounted, mountRoom, nativeAttrs, nativeViews } from './helpers/mp';
import { announce, enterWx, useWxRoomLifecycle, WX_IDENTITY } from './helpers/wx-room';
import { ENTER_TIMEOUT_MS, RESYNC_WINDOW_MS } from '../utils/room/controller';

let wxf: WxFake;
let m: Mounted;

useWxRoomLifecycle(
  (f) => (wxf = f),
  () => m,
);

const entered = (cost = 10) => ({ code: 1018, message: `onEnterRoom success, time cost[${cost}]` });

/** The pusher reporting the connection lost (-1307), as a real phone does after a network change. */
const lost = () => fire(m.room, '#pusher', 'statechange', { code: -1307, message: 'lost' });

/** In the room, then updateUserSig('sig-2'): the pusher left and enters again with it, not answered yet. */
async function reenteringWithNewSig(): Promise<void> {
  m = await enterWx();
  await m.inst.updateUserSig('sig-2');
  await settle();
}

describe('updateUserSig() in the room: a re-entry announced as one', () => {
  test('reconnecting {reason: credential} before the re-entry, reconnected with the same detail after 1018', async () => {
    m = await enterWx({}, { bob: { video: true } });
    await m.inst.updateUserSig('sig-2');
    await settle();
    // the push URL carries the UserSig: the pusher leaves and enters again with the new one
    expect(wxf.pusher.stop).toHaveBeenCalledTimes(1);
    expect(wxf.pusher.start).toHaveBeenCalledTimes(2);
    expect(nativeAttrs(m.room, 'pusher').url).toContain('usersig=sig-2');
    expect(m.inst.data.phase).toBe('reconnecting');
    expect(m.events).toEqual([{ tag: 'reconnecting', code: 0, detail: { reason: 'credential' } }]);
    fire(m.room, '#pusher', 'statechange', entered());
    await settle();
    expect(m.inst.data.phase).toBe('in_room');
    expect(m.events).toEqual([
      { tag: 'reconnecting', code: 0, detail: { reason: 'credential' } },
      { tag: 'reconnected', code: 0, detail: { reason: 'credential' } },
    ]);
  });

  test("the old entry's late -1307 / 1021 during the credential re-entry are not the new entry's loss", async () => {
    await reenteringWithNewSig();
    // reported by the entry just stopped (iOS: no 1019 of it comes): no retry stops the new entry
    lost();
    fire(m.room, '#pusher', 'statechange', { code: 1021, message: 'network type changed' });
    jest.advanceTimersByTime(5000);
    await settle();
    expect(wxf.pusher.stop).toHaveBeenCalledTimes(1);
    expect(wxf.pusher.start).toHaveBeenCalledTimes(2);
    fire(m.room, '#pusher', 'statechange', entered());
    await settle();
    // a loss after the new entry's 1018 is its own: an ordinary retry
    lost();
    jest.advanceTimersByTime(1000);
    await settle();
    expect(wxf.pusher.start).toHaveBeenCalledTimes(3);
    fire(m.room, '#pusher', 'statechange', entered());
    await settle();
    expect(m.events).toEqual([
      { tag: 'reconnecting', code: 0, detail: { reason: 'credential' } },
      { tag: 'reconnected', code: 0, detail: { reason: 'credential' } },
      { tag: 'reconnecting', code: 1, detail: {} },
      { tag: 'reconnected', code: 1, detail: {} },
    ]);
    expect(nativeAttrs(m.room, 'pusher').url).toContain('usersig=sig-2');
  });

  test("after the old entry's 1019 reason[0] (Android) a loss is the new entry's: the retries are ordinary ones", async () => {
    await reenteringWithNewSig();
    fire(m.room, '#pusher', 'statechange', { code: 1019, message: 'onExitRoom reason[0]' });
    lost();
    await settle();
    jest.advanceTimersByTime(1000);
    await settle();
    expect(wxf.pusher.start).toHaveBeenCalledTimes(3);
    fire(m.room, '#pusher', 'statechange', entered());
    await settle();
    expect(m.events).toEqual([
      { tag: 'reconnecting', code: 0, detail: { reason: 'credential' } },
      { tag: 'reconnecting', code: 1, detail: {} },
      { tag: 'reconnected', code: 1, detail: {} },
    ]);
    expect(nativeAttrs(m.room, 'pusher').url).toContain('usersig=sig-2');
  });

  test('the new entry never answers after a late old-entry loss: the enter timeout retries it', async () => {
    await reenteringWithNewSig();
    lost();
    jest.advanceTimersByTime(ENTER_TIMEOUT_MS);
    await settle();
    expect(m.events).toEqual([
      { tag: 'reconnecting', code: 0, detail: { reason: 'credential' } },
      { tag: 'reconnecting', code: 1, detail: {} },
    ]);
    jest.advanceTimersByTime(1000);
    await settle();
    expect(wxf.pusher.start).toHaveBeenCalledTimes(3);
  });

  test('the new UserSig rejected on re-entry (1022 -100018): error -9, exit_room lost, devices released', async () => {
    m = await enterWx();
    await m.inst.updateUserSig('sig-bad');
    await settle();
    fire(m.room, '#pusher', 'statechange', {
      code: 1022,
      message: 'onEnterRoom failed, error code[-100018]',
    });
    await settle();
    expect(m.events.map((e) => [e.tag, e.code])).toEqual([
      ['reconnecting', 0],
      ['error', -9],
      ['exit_room', -100018],
    ]);
    expect(nativeAttrs(m.room, 'pusher')).toMatchObject({ enableCamera: false, enableMic: false });
  });

  test('hidden page: announced now, no pusher call until show, then one exit and one entry', async () => {
    m = await enterWx();
    (m.room as any).triggerPageLifeTime('hide');
    await m.inst.updateUserSig('sig-2');
    lost();
    jest.advanceTimersByTime(60000);
    await settle();
    expect(wxf.pusher.stop).not.toHaveBeenCalled();
    expect(wxf.pusher.start).toHaveBeenCalledTimes(1);
    (m.room as any).triggerPageLifeTime('show');
    await settle();
    expect(wxf.pusher.stop).toHaveBeenCalledTimes(1);
    expect(wxf.pusher.start).toHaveBeenCalledTimes(2);
    fire(m.room, '#pusher', 'statechange', entered());
    await settle();
    expect(m.events).toEqual([
      { tag: 'reconnecting', code: 0, detail: { reason: 'credential' } },
      { tag: 'reconnected', code: 0, detail: { reason: 'credential' } },
    ]);
  });

  test('while entering (pusher started, no 1018 yet): the entry goes on, every later re-entry pushes the new UserSig', async () => {
    m = mountRoom({ ...WX_IDENTITY });
    const started = m.inst.start();
    await settle();
    expect(nativeAttrs(m.room, 'pusher').url).toContain('usersig=sig-alice');
    await m.inst.updateUserSig('sig-2');
    await settle();
    // no room to re-enter yet: the pusher is not stopped and no re-entry is announced
    expect(wxf.pusher.stop).not.toHaveBeenCalled();
    expect(wxf.pusher.start).toHaveBeenCalledTimes(1);
    fire(m.room, '#pusher', 'statechange', entered());
    await started;
    expect(m.events.map((e) => e.tag)).toEqual(['enter_room']);
    fire(m.room, '#pusher', 'statechange', { code: -1307, message: 'lost' });
    jest.advanceTimersByTime(1000);
    await settle();
    expect(wxf.pusher.start).toHaveBeenCalledTimes(2);
    expect(nativeAttrs(m.room, 'pusher').url).toContain('usersig=sig-2');
    fire(m.room, '#pusher', 'statechange', entered());
    await settle();
    expect(m.events.map((e) => e.tag)).toEqual(['enter_room', 'reconnecting', 'reconnected']);
  });

  test('a network reconnect still says {} (attempt numbers from 1)', async () => {
    m = await enterWx();
    lost();
    jest.advanceTimersByTime(1000);
    await settle();
    fire(m.room, '#pusher', 'statechange', entered());
    await settle();
    expect(m.events).toEqual([
      { tag: 'reconnecting', code: 1, detail: {} },
      { tag: 'reconnected', code: 1, detail: {} },
    ]);
  });
});

describe('lobby preview on WeChat: the camera only', () => {
  test('startPreview() asks scope.camera and leaves enable-mic off; start() asks scope.record and turns it on', async () => {
    wxf.authSetting = {};
    const asked: string[] = [];
    const w = (globalThis as any).wx;
    const authorize = w.authorize;
    w.authorize = (o: { scope: string }) => {
      asked.push(o.scope);
      authorize(o);
    };
    m = mountRoom({ ...WX_IDENTITY });
    await m.inst.startPreview();
    await settle();
    expect(asked).toEqual(['scope.camera']);
    expect(wxf.pusher.startPreview).toHaveBeenCalledTimes(1);
    // live-pusher opens the microphone whenever enable-mic is true, pushing or not
    expect(nativeAttrs(m.room, 'pusher')).toMatchObject({ enableCamera: true, enableMic: false, url: '' });
    const started = m.inst.start();
    await settle();
    expect(asked).toEqual(['scope.camera', 'scope.record']);
    expect(nativeAttrs(m.room, 'pusher')).toMatchObject({ enableCamera: true, enableMic: true });
    fire(m.room, '#pusher', 'statechange', entered());
    await started;
    await m.inst.stop();
    await settle();
    expect(nativeAttrs(m.room, 'pusher')).toMatchObject({ enableCamera: false, enableMic: false });
  });

  test('stopPreview() releases the camera; a refused microphone at start() keeps the lobby without the mic', async () => {
    m = mountRoom({ ...WX_IDENTITY });
    await m.inst.startPreview();
    await settle();
    wxf.authSetting = { 'scope.camera': true };
    wxf.deny.add('scope.record');
    await expect(m.inst.start()).rejects.toMatchObject({ code: -7 });
    await settle();
    expect(m.inst.data.phase).toBe('preview');
    expect(nativeAttrs(m.room, 'pusher')).toMatchObject({ enableCamera: true, enableMic: false });
    await m.inst.stopPreview();
    await settle();
    expect(nativeAttrs(m.room, 'pusher')).toMatchObject({ enableCamera: false, enableMic: false });
  });
});

describe('5000 (suspended): the client leaves the room itself and enters again in the foreground', () => {
  const exited = { code: 1019, message: 'onExitRoom reason[0]' };

  test('its own 1019 reason[0] does not end the session; the re-entry is announced and users who left are swept', async () => {
    m = await enterWx({}, { bob: { video: true }, carol: { audio: true } });
    (m.room as any).triggerPageLifeTime('hide');
    fire(m.room, '#pusher', 'statechange', { code: 5000, message: '' });
    fire(m.room, '#pusher', 'statechange', exited);
    await settle();
    expect(m.events).toEqual([{ tag: 'reconnecting', code: 0, detail: { reason: 'suspended' } }]);
    expect(nativeAttrs(m.room, 'pusher')).toMatchObject({ enableCamera: true, enableMic: true });
    expect(nativeAttrs(m.room, 'pusher').url).toContain('usersig=sig-alice');
    (m.room as any).triggerPageLifeTime('show');
    fire(m.room, '#pusher', 'statechange', entered());
    announce(m, 'bob', { video: true });
    await settle();
    jest.advanceTimersByTime(RESYNC_WINDOW_MS);
    await settle();
    expect(m.events).toEqual([
      { tag: 'reconnecting', code: 0, detail: { reason: 'suspended' } },
      { tag: 'reconnected', code: 0, detail: { reason: 'suspended' } },
      { tag: 'audio_available', code: 0, detail: { userID: 'carol' } },
      { tag: 'user_leave', code: 0, detail: { userID: 'carol' } },
    ]);
    // the client re-entered by itself: no stop/start of ours
    expect(wxf.pusher.stop).not.toHaveBeenCalled();
    expect(wxf.pusher.start).toHaveBeenCalledTimes(1);
    expect(m.inst.data.phase).toBe('in_room');
  });

  test('no re-entry within the enter timeout after show: an ordinary reconnect', async () => {
    m = await enterWx();
    (m.room as any).triggerPageLifeTime('hide');
    fire(m.room, '#pusher', 'statechange', { code: 5000, message: '' });
    await settle();
    jest.advanceTimersByTime(60000);
    (m.room as any).triggerPageLifeTime('show');
    await settle();
    expect(wxf.pusher.start).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(ENTER_TIMEOUT_MS);
    await settle();
    expect(m.events).toEqual([
      { tag: 'reconnecting', code: 0, detail: { reason: 'suspended' } },
      { tag: 'reconnecting', code: 1, detail: {} },
    ]);
    jest.advanceTimersByTime(1000);
    await settle();
    expect(wxf.pusher.stop).toHaveBeenCalledTimes(1);
    expect(wxf.pusher.start).toHaveBeenCalledTimes(2);
    fire(m.room, '#pusher', 'statechange', entered());
    await settle();
    expect(m.events.pop()).toEqual({ tag: 'reconnected', code: 1, detail: {} });
  });
});

describe("the client's own 1019 reason[0] after it stopped itself, while a re-entry waits for show", () => {
  test.each([
    ['5001 (floating window closed)', { code: 5001, message: '' }, ['warning', 5001]],
    ['-1307 while hidden', { code: -1307, message: 'lost' }, null],
  ])('%s: the session stands and is re-entered on show', async (_n, stop, first) => {
    m = await enterWx({}, { bob: { video: true } });
    (m.room as any).triggerPageLifeTime('hide');
    fire(m.room, '#pusher', 'statechange', stop);
    fire(m.room, '#pusher', 'statechange', { code: 1019, message: 'onExitRoom reason[0]' });
    await settle();
    expect(m.events.map((e) => [e.tag, e.code])).toEqual(first ? [first] : []);
    expect(nativeAttrs(m.room, 'pusher')).toMatchObject({ enableCamera: true, enableMic: true });
    (m.room as any).triggerPageLifeTime('show');
    jest.advanceTimersByTime(1000);
    await settle();
    expect(wxf.pusher.start).toHaveBeenCalledTimes(2);
    fire(m.room, '#pusher', 'statechange', entered());
    announce(m, 'bob', { video: true });
    await settle();
    expect(m.events.map((e) => [e.tag, e.code]).slice(first ? 1 : 0)).toEqual([
      ['reconnecting', 1],
      ['reconnected', 1],
    ]);
  });
});

describe('a bare 1019 reason[0] on a hidden page (no 5000 / 5001 before it): the client left by itself', () => {
  test('no leave: nothing while hidden, reconnecting 1 on show, the component re-enters, reconnected 1', async () => {
    m = await enterWx({}, { bob: { video: true } });
    (m.room as any).triggerPageLifeTime('hide');
    fire(m.room, '#pusher', 'statechange', { code: 1019, message: 'onExitRoom reason[0]' });
    jest.advanceTimersByTime(ENTER_TIMEOUT_MS * 2);
    await settle();
    // no event, no pusher call while hidden; the session stands
    expect(m.events).toEqual([]);
    expect(m.inst.data.phase).toBe('in_room');
    expect(wxf.pusher.stop).not.toHaveBeenCalled();
    expect(nativeAttrs(m.room, 'pusher')).toMatchObject({ enableCamera: true, enableMic: true });
    (m.room as any).triggerPageLifeTime('show');
    await settle();
    expect(m.events).toEqual([{ tag: 'reconnecting', code: 1, detail: {} }]);
    expect(wxf.pusher.stop).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(1000);
    await settle();
    expect(wxf.pusher.start).toHaveBeenCalledTimes(2);
    fire(m.room, '#pusher', 'statechange', entered());
    announce(m, 'bob', { video: true });
    jest.advanceTimersByTime(RESYNC_WINDOW_MS);
    await settle();
    expect(m.events).toEqual([
      { tag: 'reconnecting', code: 1, detail: {} },
      { tag: 'reconnected', code: 1, detail: {} },
    ]);
    expect(m.inst.data.phase).toBe('in_room');
  });

  test('during the first entry (start, hide, 1019, show): re-entered on show, start() resolves once', async () => {
    m = mountRoom({ ...WX_IDENTITY });
    const outcomes: string[] = [];
    const started = m.inst.start().then(
      () => outcomes.push('resolved'),
      () => outcomes.push('rejected'),
    );
    await settle();
    (m.room as any).triggerPageLifeTime('hide');
    fire(m.room, '#pusher', 'statechange', { code: 1019, message: 'onExitRoom reason[0]' });
    jest.advanceTimersByTime(ENTER_TIMEOUT_MS * 2);
    await settle();
    expect(m.events).toEqual([]);
    expect(wxf.pusher.stop).not.toHaveBeenCalled();
    (m.room as any).triggerPageLifeTime('show');
    await settle();
    // no 1018 can come from an entry the client left: entered again now, not failed 15 s after show
    expect(m.events).toEqual([{ tag: 'reconnecting', code: 1, detail: {} }]);
    expect(wxf.pusher.stop).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(1000);
    await settle();
    expect(wxf.pusher.start).toHaveBeenCalledTimes(2);
    fire(m.room, '#pusher', 'statechange', entered());
    await started;
    jest.advanceTimersByTime(ENTER_TIMEOUT_MS * 2);
    await settle();
    expect(outcomes).toEqual(['resolved']);
    expect(m.events.map((e) => [e.tag, e.code])).toEqual([
      ['reconnecting', 1],
      ['enter_room', expect.any(Number)],
    ]);
    expect(m.inst.data.phase).toBe('in_room');
  });

  test('on a visible page the same 1019 reason[0] is a leave: exit_room left', async () => {
    m = await enterWx();
    fire(m.room, '#pusher', 'statechange', { code: 1019, message: 'onExitRoom reason[0]' });
    await settle();
    expect(m.events).toEqual([{ tag: 'exit_room', code: 0, detail: { reason: 'left' } }]);
    expect(m.inst.data.phase).toBe('idle');
  });
});

describe('re-entry: streams are confirmed again like users', () => {
  test('a stream not announced again within the resync window is off (TRTC announces only streams that are on)', async () => {
    m = await enterWx({}, { bob: { video: true, audio: true } });
    lost();
    jest.advanceTimersByTime(1000);
    await settle();
    fire(m.room, '#pusher', 'statechange', entered());
    // bob turned his camera off while we were out: the client announces his presence and audio only
    announce(m, 'bob', { audio: true });
    await settle();
    jest.advanceTimersByTime(RESYNC_WINDOW_MS);
    await settle();
    expect(m.events).toEqual([
      { tag: 'reconnecting', code: 1, detail: {} },
      { tag: 'reconnected', code: 1, detail: {} },
      { tag: 'video_available', code: 0, detail: { userID: 'bob', streamType: 'main' } },
    ]);
    expect(m.inst.getRemoteUsers()).toEqual([
      { userID: 'bob', hasVideo: false, hasAudio: true, hasAuxVideo: false },
    ]);
  });
});

describe('a player still on screen reports for a user who left (its removal waits for the next setData)', () => {
  test('no net_status, audio_volume or message for that user after user_leave', async () => {
    m = await enterWx({}, { bob: { video: true, audio: true } });
    fire(m.room, '#pusher', 'statechange', {
      code: 1032,
      message: JSON.stringify({ userlist: [{ userid: 'bob' }] }),
    });
    // the same burst: the view still has bob's player
    fire(m.room, '#player-0', 'netstatus', { info: { netSpeed: 0, videoBitrate: 0, audioBitrate: 0 } });
    fire(m.room, '#player-0', 'audiovolumenotify', { volume: 80 });
    fire(m.room, '#player-0', 'statechange', { code: 2012, message: 'hi' });
    jest.advanceTimersByTime(1000);
    await settle();
    expect(m.events.map((e) => e.tag)).toEqual(['video_available', 'audio_available', 'user_leave']);
  });
});

describe('netstatus of a pusher that sends nothing', () => {
  const zeros = { info: { netSpeed: 0, videoBitrate: 0, audioBitrate: 0 } };
  test('the local user publishing nothing (camera off, muted): quality 0, no weak badge', async () => {
    m = await enterWx({ enableCamera: false, muted: true });
    fire(m.room, '#pusher', 'netstatus', zeros);
    await settle();
    expect(m.events).toEqual([{ tag: 'net_status', code: 0, detail: { userID: '', ...zeros.info } }]);
    expect(m.inst.data.localWeak).toBe(false);
    // publishing again, silence is down
    m.setProps({ muted: false });
    jest.advanceTimersByTime(1000);
    fire(m.room, '#pusher', 'netstatus', zeros);
    await settle();
    expect(m.events.pop()).toMatchObject({ tag: 'net_status', code: 6 });
    expect(m.inst.data.localWeak).toBe(true);
  });
});

describe('remote netstatus right after a re-entry', () => {
  test('all-zero reports while the streams come back (the resync window) are 0, not 6 down: no weak badge', async () => {
    m = await enterWx({}, { bob: { video: true } });
    lost();
    jest.advanceTimersByTime(1000);
    await settle();
    fire(m.room, '#pusher', 'statechange', entered());
    announce(m, 'bob', { video: true });
    await settle();
    m.events.length = 0;
    const zeros = { info: { netSpeed: 0, videoBitrate: 0, audioBitrate: 0 } };
    fire(m.room, '#player-0', 'netstatus', zeros);
    await settle();
    expect(m.events).toEqual([{ tag: 'net_status', code: 0, detail: { userID: 'bob', ...zeros.info } }]);
    expect(m.room.querySelectorAll('.wr-badge--weak')).toHaveLength(0);
    // after the window, silence is down again
    jest.advanceTimersByTime(RESYNC_WINDOW_MS);
    fire(m.room, '#player-0', 'netstatus', zeros);
    await settle();
    expect(m.events.pop()).toMatchObject({ tag: 'net_status', code: 6 });
  });
});

describe('remote netstatus of a player that has just started', () => {
  test('its all-zero reports in its first 3 s are 0 (no frame yet), later ones 6', async () => {
    m = await enterWx({}, { bob: { video: true } });
    const zeros = { info: { netSpeed: 0, videoBitrate: 0, audioBitrate: 0 } };
    fire(m.room, '#player-0', 'netstatus', zeros);
    await settle();
    expect(m.events).toEqual([{ tag: 'net_status', code: 0, detail: { userID: 'bob', ...zeros.info } }]);
    jest.advanceTimersByTime(RESYNC_WINDOW_MS);
    fire(m.room, '#player-0', 'netstatus', zeros);
    await settle();
    expect(m.events.pop()).toMatchObject({ tag: 'net_status', code: 6 });
    expect(m.room.querySelectorAll('.wr-badge--weak')).toHaveLength(1);
  });
});

describe("a 1031 after the same user's 1032 (docs/platform-facts.md (f)): a join, like a genuine rejoin", () => {
  test('the late 1031 shows the user (a tile, no player) until the next re-entry sweeps them', async () => {
    m = await enterWx();
    fire(m.room, '#pusher', 'statechange', { code: 1032, message: userlist([{ userid: 'bob' }]) });
    await settle();
    // a leave of a user never announced changes nothing
    expect(m.events).toEqual([]);
    fire(m.room, '#pusher', 'statechange', { code: 1031, message: userlist([{ userid: 'bob' }]) });
    await settle();
    expect(m.events).toEqual([{ tag: 'user_join', code: 0, detail: { userID: 'bob' } }]);
    expect(m.inst.getRemoteUsers().map((u: { userID: string }) => u.userID)).toEqual(['bob']);
    expect(m.inst.data.tileCount).toBe(1);
    expect(nativeViews(m.room, 'live-player')).toEqual([]);
    // nothing in the same entry announces users again: no sweep without a re-entry
    jest.advanceTimersByTime(RESYNC_WINDOW_MS * 10);
    await settle();
    expect(m.inst.data.tileCount).toBe(1);
    lost();
    jest.advanceTimersByTime(1000);
    await settle();
    fire(m.room, '#pusher', 'statechange', entered());
    jest.advanceTimersByTime(RESYNC_WINDOW_MS);
    await settle();
    expect(m.events.map((e) => [e.tag, e.code])).toEqual([
      ['user_join', 0],
      ['reconnecting', 1],
      ['reconnected', 1],
      ['user_leave', 0],
    ]);
    expect(m.inst.data.tileCount).toBe(0);
  });
});
