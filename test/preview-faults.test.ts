/**
 * The preview's browser-side network faults without a browser: what the WeChat stand-ins report on a weak network
 * (the degraded netstatus, and the statechange the real client sends with it: the pusher's 1101, a player's 2105).
 * In the browser they are covered by test/e2e/faults.wx.test.ts.
 */
import { applyFault, degrade, weakState, WEAK_WARNING_QUALITY } from '../preview/runtime/faults';

const defs = new Map<string, any>();
jest.mock('j-component', () => ({ register: (d: any) => defs.set(d.id, d) }));

afterEach(() => applyFault({ kind: 'clear' }));

describe('weakState: the statechange a weak network adds to each report', () => {
  test('quality 4-6 on every stream: the pusher 1101, every player 2105; below 4, nothing', () => {
    expect(WEAK_WARNING_QUALITY).toBe(4);
    for (const quality of [1, 2, 3]) {
      applyFault({ kind: 'weak', quality });
      expect([weakState(''), weakState('bob')]).toEqual([null, null]);
    }
    for (const quality of [4, 5, 6]) {
      applyFault({ kind: 'weak', quality });
      expect(weakState('')).toEqual({
        code: 1101,
        message: 'network busy: upstream bandwidth too low, upload blocked',
      });
      expect(weakState('bob')).toEqual({ code: 2105, message: 'video play lag' });
    }
    applyFault({ kind: 'weak', quality: 0 });
    expect([weakState(''), weakState('bob')]).toEqual([null, null]);
  });

  test("one remote's stream: only its player stutters, the uplink is fine; __proto__ is a user like any other", () => {
    applyFault({ kind: 'weak', quality: 5, target: '__proto__' });
    expect(weakState('__proto__')).toMatchObject({ code: 2105 });
    expect(weakState('bob')).toBeNull();
    expect(weakState('')).toBeNull();
    expect(degrade('__proto__', { netJitter: 0 }).netJitter).toBe(260);
    expect(degrade('bob', { netJitter: 0 }).netJitter).toBe(0);
  });
});

describe('the stand-ins send it with each netstatus', () => {
  beforeAll(() => {
    // the stand-ins register themselves with j-component (mocked above) and share this faults module
    require('../preview/runtime/pusher');
    require('../preview/runtime/player');
  });

  const states = (self: { triggerEvent: jest.Mock }) =>
    self.triggerEvent.mock.calls.filter(([n]) => n === 'statechange').map(([, d]) => d.code);

  test('the pusher: 1101 while the uplink is weak and it sends something', async () => {
    const pusher = defs.get('live-pusher');
    const self: any = {
      __session: { joined: true, outboundStats: async () => ({ bytes: 0, audioBytes: 0, connections: 0 }) },
      __video: { videoWidth: 640, videoHeight: 480 },
      __media: null,
      data: { enableCamera: true, enableMic: true, muted: false },
      _exparserNode: { $$: { dataset: {} } },
      triggerEvent: jest.fn(),
    };
    self.__emit = (code: number, message: string) => pusher.methods.__emit.call(self, code, message);
    await pusher.methods.__netstatus.call(self);
    expect(states(self)).toEqual([]);
    applyFault({ kind: 'weak', quality: 4 });
    await pusher.methods.__netstatus.call(self);
    expect(states(self)).toEqual([1101]);
    // camera off and muted: nothing goes up, nothing is blocked
    self.data = { enableCamera: false, enableMic: true, muted: true };
    await pusher.methods.__netstatus.call(self);
    expect(states(self)).toEqual([1101]);
  });

  test('a player: 2105 while its stream is weak and it pulls video', async () => {
    const player = defs.get('live-player');
    let bytes = 1000;
    const pc = {
      getStats: async () =>
        new Map([
          ['v', { type: 'inbound-rtp', kind: 'video', bytesReceived: (bytes += 50000), framesPerSecond: 15 }],
          ['a', { type: 'inbound-rtp', kind: 'audio', bytesReceived: bytes / 10 }],
        ]),
    };
    const self: any = {
      __sub: { pc },
      __video: { videoWidth: 640, videoHeight: 480 },
      data: { muteVideo: false },
      _exparserNode: { $$: { dataset: { previewUser: 'bob' } } },
      triggerEvent: jest.fn(),
    };
    self.__emit = (code: number, message: string) => player.methods.__emit.call(self, code, message);
    const report = () => player.methods.__netstatus.call(self);
    await report();
    await report();
    expect(states(self)).toEqual([]);
    applyFault({ kind: 'weak', quality: 6, target: 'bob' });
    await report();
    expect(states(self)).toEqual([2105]);
    const last = self.triggerEvent.mock.calls.filter(([n]: [string]) => n === 'netstatus').pop()[1];
    expect(last.info).toMatchObject({ videoBitrate: 0, netSpeed: 0 });
    self.data.muteVideo = true;
    await report();
    expect(states(self)).toEqual([2105]);
    // the fault over (quality 0): the stutter ends
    self.data.muteVideo = false;
    await report();
    expect(states(self)).toEqual([2105, 2105]);
    applyFault({ kind: 'weak', quality: 0, target: 'bob' });
    await report();
    expect(states(self)).toEqual([2105, 2105]);
  });
});

describe('device_fail: a camera or microphone the phone cannot open', () => {
  beforeAll(() => {
    require('../preview/runtime/pusher');
  });

  const pusherSelf = (data: Record<string, boolean>) => {
    const pusher = defs.get('live-pusher');
    const video = { getVideoTracks: () => [videoTrack], getAudioTracks: () => [audioTrack] };
    const videoTrack = { enabled: true };
    const audioTrack = { enabled: true };
    const self: any = {
      __session: { joined: true, update: jest.fn() },
      __media: video,
      __video: { style: {} },
      data,
      _exparserNode: { $$: { dataset: {} } },
      triggerEvent: jest.fn(),
    };
    for (const k of ['__emit', '__reportDevices', '__applyTracks', '__can', '__sends'])
      self[k] = (...a: unknown[]) => pusher.methods[k].call(self, ...a);
    return { self, videoTrack, audioTrack };
  };
  const states = (self: { triggerEvent: jest.Mock }) =>
    self.triggerEvent.mock.calls.filter(([n]) => n === 'statechange').map(([, d]) => [d.code, d.message]);

  test('the camera fails while in use: -1301 once, its video stops and the room is told; back on clear', () => {
    const { self, videoTrack, audioTrack } = pusherSelf({
      enableCamera: true,
      enableMic: true,
      muted: false,
    });
    self.__sentAudio = true;
    self.__sentVideo = true;
    applyFault({ kind: 'device_fail', device: 'camera', on: true });
    self.__applyTracks();
    self.__applyTracks(); // j-component re-applies attributes: no second report
    expect(states(self)).toEqual([[-1301, 'open camera failed']]);
    expect([videoTrack.enabled, audioTrack.enabled]).toEqual([false, true]);
    expect(self.__session.update).toHaveBeenCalledWith({ audio: true, video: false });
    applyFault({ kind: 'clear' });
    self.__applyTracks();
    expect(videoTrack.enabled).toBe(true);
    expect(self.__session.update).toHaveBeenLastCalledWith({ audio: true, video: true });
    expect(states(self)).toHaveLength(1);
  });

  test("the client's role (live / voicechatroom): anchor while enable-camera or enable-mic is on, sent when it changes", () => {
    const { trtcRole } = require('../preview/runtime/native-util');
    const url = (scene: string) =>
      `room://cloud.tencent.com/rtc?sdkappid=1&roomid=2&userid=u&appscene=${scene}`;
    expect(trtcRole(url('live'), { enableCamera: false, enableMic: true })).toEqual({
      appscene: 'live',
      anchor: true,
    });
    expect(trtcRole(url('voicechatroom'), { enableCamera: false, enableMic: false })).toEqual({
      appscene: 'voicechatroom',
      anchor: false,
    });
    // not one the client knows: no scene, the room sees a member like any other
    expect(trtcRole(url('__proto__'), { enableCamera: true, enableMic: false })).toEqual({ anchor: true });

    const { self } = pusherSelf({ enableCamera: false, enableMic: false, muted: false });
    Object.assign(self, { __sentAudio: false, __sentVideo: false, __sentAnchor: false });
    self.__applyTracks();
    expect(self.__session.update).not.toHaveBeenCalled();
    self.data = { enableCamera: false, enableMic: true, muted: false };
    self.__applyTracks();
    expect(self.__session.update).toHaveBeenLastCalledWith({ audio: true, video: false, anchor: true });
    // muted, the microphone still on: an anchor that sends no sound
    self.data = { enableCamera: false, enableMic: true, muted: true };
    self.__applyTracks();
    expect(self.__session.update).toHaveBeenLastCalledWith({ audio: false, video: false });
    self.data = { enableCamera: false, enableMic: false, muted: true };
    self.__applyTracks();
    expect(self.__session.update).toHaveBeenLastCalledWith({ audio: false, video: false, anchor: false });
    expect(self.__session.update).toHaveBeenCalledTimes(3);
  });

  test('the microphone: -1302 only while the pusher wants it (enable-mic), again when it is turned on again', () => {
    const { self, audioTrack } = pusherSelf({ enableCamera: false, enableMic: false, muted: false });
    applyFault({ kind: 'device_fail', device: 'mic', on: true });
    self.__applyTracks();
    expect(states(self)).toEqual([]);
    self.data = { enableCamera: false, enableMic: true, muted: false };
    self.__applyTracks();
    expect(states(self)).toEqual([[-1302, 'open microphone failed']]);
    expect(audioTrack.enabled).toBe(false);
    self.data = { enableCamera: false, enableMic: false, muted: false };
    self.__applyTracks();
    self.data = { enableCamera: false, enableMic: true, muted: false };
    self.__applyTracks();
    expect(states(self).map(([c]) => c)).toEqual([-1302, -1302]);
    // not pushing: nothing is opened, nothing reported
    const idle = pusherSelf({ enableCamera: true, enableMic: true, muted: false }).self;
    idle.__session = null;
    idle.__applyTracks();
    expect(states(idle)).toEqual([]);
    applyFault({ kind: 'device_fail', device: 'mic', on: false });
  });
});

describe('permission_revoked: the user turns a scope off in the room', () => {
  const { createWx } = require('../preview/runtime/wx');
  const router = {
    navigateTo: () => undefined,
    redirectTo: () => undefined,
    reLaunch: () => undefined,
    navigateBack: () => undefined,
    currentRoot: () => null,
  };
  const settings = (api: any): Record<string, boolean> => {
    let out: Record<string, boolean> = {};
    api.getSetting({ success: (r: any) => (out = r.authSetting) });
    return out;
  };

  test('WeChat: binderror 10001 once, the camera stops and getSetting says so; openSetting gives it back', () => {
    const pusher = defs.get('live-pusher');
    const videoTrack = { enabled: true };
    const audioTrack = { enabled: true };
    const self: any = {
      __session: { joined: true, update: jest.fn() },
      __media: { getVideoTracks: () => [videoTrack], getAudioTracks: () => [audioTrack] },
      __video: { style: {} },
      __sentAudio: true,
      __sentVideo: true,
      data: { enableCamera: true, enableMic: true, muted: false },
      _exparserNode: { $$: { dataset: {} } },
      triggerEvent: jest.fn(),
    };
    for (const k of ['__emit', '__reportDevices', '__applyTracks', '__can', '__sends'])
      self[k] = (...a: unknown[]) => pusher.methods[k].call(self, ...a);
    const wx = createWx(router, 'wx');
    expect(settings(wx)['scope.camera']).toBe(true);
    applyFault({ kind: 'permission_revoked', scope: 'camera' });
    self.__applyTracks();
    self.__applyTracks();
    const errors = () =>
      self.triggerEvent.mock.calls.filter(([n]: [string]) => n === 'error').map(([, d]: any) => d);
    expect(errors()).toEqual([{ errCode: 10001, errMsg: '用户禁止使用摄像头' }]);
    expect(videoTrack.enabled).toBe(false);
    expect(self.__session.update).toHaveBeenCalledWith({ audio: true, video: false });
    expect(settings(wx)).toMatchObject({ 'scope.camera': false, 'scope.record': true });
    const authorize = jest.fn();
    wx.authorize({ scope: 'scope.camera', fail: authorize });
    expect(authorize).toHaveBeenCalledWith(expect.objectContaining({ errMsg: 'authorize:fail auth deny' }));
    wx.openSetting({});
    self.__applyTracks();
    expect(settings(wx)['scope.camera']).toBe(true);
    expect(videoTrack.enabled).toBe(true);
    expect(self.__session.update).toHaveBeenLastCalledWith({ audio: true, video: true });
    // the microphone: 10002
    applyFault({ kind: 'permission_revoked', scope: 'mic' });
    self.__applyTracks();
    expect(errors().map((e: any) => e.errCode)).toEqual([10001, 10002]);
    expect(audioTrack.enabled).toBe(false);
  });

  test('network_change: getNetworkType and onNetworkStatusChange follow the phone to its new network', () => {
    const wx = createWx(router, 'wx');
    const heard = jest.fn();
    wx.onNetworkStatusChange(heard);
    const type = () => {
      let r: any;
      wx.getNetworkType({ success: (x: any) => (r = x.networkType) });
      return r;
    };
    expect(type()).toBe('wifi');
    applyFault({ kind: 'network_type', networkType: '4g' });
    expect(type()).toBe('4g');
    expect(heard.mock.calls).toEqual([[{ isConnected: true, networkType: '4g' }]]);
    applyFault({ kind: 'network_type', networkType: '4g' }); // no change, no event
    applyFault({ kind: 'network_type', networkType: 'wifi' });
    expect(heard).toHaveBeenCalledTimes(2);
    expect(type()).toBe('wifi');
  });

  test('Douyin privacy: capture fails 10201 until requirePrivacyAuthorize; an undeclared scope (10202) stays', () => {
    const tt = createWx(router, 'tt');
    const ctx = tt.createRtcRoomContext({ appId: 'app' });
    const result = (api: string, state: number) => {
      let r: any;
      ctx[api]({ state, success: (x: any) => (r = x), fail: (x: any) => (r = x) });
      return r;
    };
    const needs = () => {
      let r: any;
      tt.getPrivacySetting({ success: (x: any) => (r = x) });
      return r.needAuthorization;
    };
    applyFault({ kind: 'privacy', reason: 'refused', on: true });
    expect(needs()).toBe(true);
    expect(result('changeVideoCapture', 1)).toEqual({
      errMsg: 'changeVideoCapture:fail privacy permission is not authorized',
      errNo: 10201,
    });
    expect(result('changeAudioCapture', 1)).toMatchObject({ errNo: 10201 });
    tt.requirePrivacyAuthorize({});
    expect(needs()).toBe(false);
    applyFault({ kind: 'privacy', reason: 'undeclared', on: true });
    expect(needs()).toBe(false);
    tt.requirePrivacyAuthorize({});
    expect(result('changeAudioCapture', 1)).toEqual({
      errMsg: 'changeAudioCapture:fail api scope is not declared in the privacy agreement',
      errNo: 10202,
    });
    applyFault({ kind: 'privacy', reason: 'undeclared', on: false });
  });

  test('Douyin: the scope reads refused, so the next capture call fails as after a refusal (10200, 115990)', () => {
    const tt = createWx(router, 'tt');
    (globalThis as any).tt = tt;
    try {
      applyFault({ kind: 'permission_revoked', scope: 'mic' });
      expect(settings(tt)['scope.record']).toBe(false);
      const ctx = tt.createRtcRoomContext({ appId: 'app' });
      const failed = jest.fn();
      ctx.changeAudioCapture({ state: 1, fail: failed });
      expect(failed).toHaveBeenCalledWith({
        errMsg: 'changeAudioCapture:fail auth deny',
        errNo: 10200,
        errorCode: 115990,
      });
      tt.openSetting({});
      expect(settings(tt)['scope.record']).toBe(true);
    } finally {
      delete (globalThis as any).tt;
    }
  });
});

describe('android: a player created while its page is hidden never plays', () => {
  beforeAll(() => {
    require('../preview/runtime/player');
  });
  const { setBackground } = require('../preview/runtime/nav');
  const { systemInfo } = require('../preview/runtime/wx');

  const playerSelf = () => {
    const player = defs.get('live-player');
    const self: any = {
      data: { src: 'room://cloud.tencent.com/rtc?userid=bob&streamtype=main', muteVideo: false },
      _exparserNode: { $$: document.createElement('div') },
      triggerEvent: jest.fn(),
      __stopSub: () => undefined,
    };
    self.__emit = (code: number, message: string) => player.methods.__emit.call(self, code, message);
    return { self, play: (cb?: any) => player.methods.__play.call(self, cb) };
  };

  afterEach(() => setBackground(false));

  test('Android, app in the background: play answers ok, nothing loads, no event; a new one made when shown plays', () => {
    applyFault({ kind: 'android', on: true });
    expect(systemInfo('wx')).toMatchObject({ platform: 'android', system: 'Android 14' });
    expect(systemInfo('tt').platform).toBe('devtools');
    setBackground(true);
    const hidden = playerSelf();
    const done = jest.fn();
    hidden.play({ success: done });
    expect(done).toHaveBeenCalledWith({ errMsg: 'play:ok' });
    expect(hidden.self.triggerEvent).not.toHaveBeenCalled();
    expect(hidden.self.__sub).toBeUndefined();
    expect(hidden.self._exparserNode.$$.dataset.previewBroken).toBe('1');
    // shown again: that player stays dead (only a rebuild helps); a new one loads (2007)
    setBackground(false);
    hidden.play();
    expect(hidden.self.triggerEvent).not.toHaveBeenCalled();
    const shown = playerSelf();
    shown.self.__sub = null;
    try {
      shown.play();
    } catch {
      /* no WebRTC in jsdom: the subscription itself cannot start here */
    }
    expect(shown.self.triggerEvent.mock.calls[0]).toEqual([
      'statechange',
      { code: 2007, message: 'video play loading' },
    ]);
  });

  test('not Android (or the switch cleared): a player made in the background loads as any other', () => {
    applyFault({ kind: 'android', on: true });
    applyFault({ kind: 'clear' });
    expect(systemInfo('wx').platform).toBe('devtools');
    setBackground(true);
    const p = playerSelf();
    try {
      p.play();
    } catch {
      /* no WebRTC in jsdom */
    }
    expect(p.self.triggerEvent.mock.calls[0][1].code).toBe(2007);
    expect(p.self._exparserNode.$$.dataset.previewBroken).toBeUndefined();
  });
});

describe('view_error: Douyin <rtc-room> views that cannot be created', () => {
  beforeAll(() => {
    require('../preview/runtime/tt-view');
  });
  const attach = () => {
    const view = defs.get('rtc-room');
    const self: any = {
      data: { userId: 'bob', mode: 'video' },
      _exparserNode: { $$: document.createElement('div') },
      triggerEvent: jest.fn(),
    };
    for (const k of Object.keys(view.methods))
      self[k] = (...a: unknown[]) => view.methods[k].call(self, ...a);
    self.__key = 'video|bob';
    view.lifetimes.attached.call(self);
    return self;
  };
  const tick = () => new Promise((r) => setTimeout(r, 0));

  test('each view created while it is on fires binderror with the documented errNo / errMsg and shows nothing', async () => {
    applyFault({ kind: 'view_error', code: 21200, on: true });
    const a = attach();
    await tick();
    expect(a.triggerEvent.mock.calls).toEqual([
      ['error', { errNo: 21200, errMsg: 'rtc-room is not available' }],
    ]);
    expect(a.__sub).toBeUndefined();
    a.__show(); // j-component re-applies user-id / mode: still nothing
    expect(a.__sub).toBeUndefined();
    applyFault({ kind: 'view_error', code: 10101, on: true });
    const b = attach();
    await tick();
    expect(b.triggerEvent.mock.calls[0][1]).toEqual({ errNo: 10101, errMsg: 'platform auth deny' });
    applyFault({ kind: 'view_error', code: 21301, on: true });
    const c = attach();
    await tick();
    expect(c.triggerEvent.mock.calls[0][1]).toEqual({ errNo: 21301, errMsg: 'rtcRoom creation failed' });
    applyFault({ kind: 'view_error', code: 21301, on: false });
    const d = attach();
    await tick();
    expect(d.triggerEvent).not.toHaveBeenCalled();
    expect(d.__sub).toBeTruthy();
    d.__stop();
  });
});

describe('black: a WeChat player that plays the sound but never a frame', () => {
  beforeAll(() => {
    require('../preview/runtime/player');
  });

  const playerSelf = (user = 'bob') => {
    const player = defs.get('live-player');
    const self: any = {
      data: { src: `room://cloud.tencent.com/rtc?userid=${user}&streamtype=main`, muteVideo: false },
      _exparserNode: { $$: document.createElement('div') },
      triggerEvent: jest.fn(),
      __stopSub: () => undefined,
      __video: { videoWidth: 640, style: {} as Record<string, string> },
    };
    self.__emit = (code: number, message: string) => player.methods.__emit.call(self, code, message);
    self.__firstFrame = () => player.methods.__firstFrame.call(self);
    const play = () => {
      try {
        player.methods.__play.call(self, undefined);
      } catch {
        /* no WebRTC in jsdom: the subscription itself cannot start here */
      }
    };
    const codes = () => self.triggerEvent.mock.calls.map((c: any[]) => c[1].code);
    return { self, play, codes };
  };

  afterEach(() => applyFault({ kind: 'clear' }));

  test('once: the next player of the target loads (2007) but shows nothing and reports no 2003; the one after plays', () => {
    applyFault({ kind: 'black', target: 'bob', once: true, on: true });
    const other = playerSelf('carol');
    other.play();
    other.self.__firstFrame();
    expect(other.codes()).toEqual([2007, 2003, 2004]);
    const black = playerSelf();
    black.play();
    black.self.__firstFrame();
    expect(black.codes()).toEqual([2007]);
    expect(black.self._exparserNode.$$.dataset.previewBlack).toBe('1');
    expect(black.self._exparserNode.$$.dataset.previewPlaying).toBe('0');
    expect(black.self.__video.style.visibility).toBe('hidden');
    // the rebuilt player (a new one) plays
    const rebuilt = playerSelf();
    rebuilt.play();
    rebuilt.self.__firstFrame();
    expect(rebuilt.codes()).toEqual([2007, 2003, 2004]);
    expect(rebuilt.self._exparserNode.$$.dataset.previewBlack).toBe('0');
  });

  test('a switch (once: false) blackens every player of anyone until on: false', () => {
    applyFault({ kind: 'black', once: false, on: true });
    for (const user of ['bob', 'bob', '__proto__']) {
      const p = playerSelf(user);
      p.play();
      p.self.__firstFrame();
      expect(p.codes()).toEqual([2007]);
    }
    applyFault({ kind: 'black', once: false, on: false });
    const p = playerSelf();
    p.play();
    p.self.__firstFrame();
    expect(p.codes()).toEqual([2007, 2003, 2004]);
  });

  test('video on again after mute-video: its first frame is reported again once one is presented', () => {
    const player = defs.get('live-player');
    const p = playerSelf();
    p.play();
    p.self.__firstFrame();
    let presented: (() => void) | null = null;
    p.self.__video.requestVideoFrameCallback = (fn: () => void) => (presented = fn);
    player.observers.muteVideo.call(p.self, true);
    player.observers.muteVideo.call(p.self, false);
    expect(p.codes()).toEqual([2007, 2003, 2004]);
    expect(presented).not.toBeNull();
    presented!();
    expect(p.codes()).toEqual([2007, 2003, 2004, 2003, 2004]);
  });
});

describe('a live-player back to playing on the same src reports 2003 / 2004 again (platform-facts.md (a))', () => {
  const { sessions } = require('../preview/runtime/net');
  beforeAll(() => {
    require('../preview/runtime/player');
  });

  /** A joined session of the page: its listeners and the subscriptions players make on it. */
  const fakeSession = () => {
    const listeners = new Set<(msg: any) => void>();
    const watchers = new Set<(uid: string) => void>();
    const subs: Array<{ onState: (st: string) => void; closed: boolean }> = [];
    const s = {
      joined: true,
      on: (fn: (msg: any) => void) => (listeners.add(fn), () => listeners.delete(fn)),
      watchUsers: (fn: (uid: string) => void) => (watchers.add(fn), () => watchers.delete(fn)),
      onClose: () => () => undefined,
      subscribe: (_uid: string, _onTrack: unknown, onState: (st: string) => void) => {
        const sub = {
          onState,
          closed: false,
          pc: null,
          setVideo: () => undefined,
          close: () => (sub.closed = true),
        };
        subs.push(sub);
        return sub;
      },
      /** the cloud's message as Session.handle passes it on: the user watchers, then the listeners */
      video: (userid: string, hasvideo: boolean, streamtype = 'main') => {
        const message = JSON.stringify({ userlist: [{ userid, playurl: 'x', streamtype, hasvideo }] });
        for (const w of watchers) w(userid);
        for (const fn of listeners) fn({ t: 'event', code: 1033, message });
      },
    };
    sessions.add(s);
    return { s, subs };
  };

  const rig = async (src = 'room://cloud.tencent.com/rtc?userid=bob&streamtype=main', rendered = true) => {
    const player = defs.get('live-player');
    const self: any = {
      data: { src, muteVideo: false },
      _exparserNode: { $$: document.createElement('div') },
      triggerEvent: jest.fn(),
      __video: { videoWidth: 640, style: {} as Record<string, string> },
    };
    for (const m of ['__emit', '__firstFrame', '__playingAgain', '__stopSub'])
      self[m] = (...a: unknown[]) => player.methods[m].call(self, ...a);
    let presented: (() => void) | null = null;
    self.__video.requestVideoFrameCallback = (fn: () => void) => (presented = fn);
    player.methods.__play.call(self, undefined);
    await Promise.resolve(); // the feed binds to the joined session
    await Promise.resolve();
    if (rendered) self.__firstFrame();
    const codes = () => self.triggerEvent.mock.calls.map((c: any[]) => c[1].code);
    const present = () => {
      const fn = presented;
      presented = null;
      fn?.();
    };
    return { self, codes, present, pending: () => presented !== null };
  };

  let live: ReturnType<typeof fakeSession>;
  beforeEach(() => {
    live = fakeSession();
  });
  afterEach(() => sessions.clear());

  test("the remote's video off, then on again (1033): 2003 and 2004 again with the next frame, no re-subscription", async () => {
    const p = await rig();
    expect(p.codes()).toEqual([2007, 2003, 2004]);
    live.s.video('bob', false);
    live.s.video('bob', true);
    expect(p.codes()).toEqual([2007, 2003, 2004]);
    expect(p.self._exparserNode.$$.dataset.previewPlaying).toBe('0');
    p.present();
    expect(p.codes()).toEqual([2007, 2003, 2004, 2003, 2004]);
    expect(live.subs).toHaveLength(1);
    // a 1033 "on" that is no return (already on), another user's, or the screen's: nothing
    live.s.video('bob', true);
    live.s.video('carol', false);
    live.s.video('carol', true);
    live.s.video('bob', false, 'aux');
    live.s.video('bob', true, 'aux');
    expect(p.pending()).toBe(false);
    expect(p.codes()).toEqual([2007, 2003, 2004, 2003, 2004]);
  });

  test('a stall (the connection disconnected, then frames again): 2007, then 2003 and 2004 with the next frame', async () => {
    const p = await rig();
    live.subs[0].onState('disconnected');
    expect(p.codes()).toEqual([2007, 2003, 2004, 2007]);
    // still stalled: no second 2007
    live.subs[0].onState('disconnected');
    expect(p.codes()).toEqual([2007, 2003, 2004, 2007]);
    live.subs[0].onState('connected');
    p.present();
    expect(p.codes()).toEqual([2007, 2003, 2004, 2007, 2003, 2004]);
  });

  test('a player that has not rendered yet, or one playing another src by now, reports nothing extra', async () => {
    const unrendered = await rig(undefined, false);
    live.s.video('bob', false);
    live.s.video('bob', true);
    live.subs[0].onState('disconnected');
    expect(unrendered.pending()).toBe(false);
    expect(unrendered.codes()).toEqual([2007]);
    sessions.clear();
    live = fakeSession();
    const moved = await rig();
    moved.self.__wantSrc = 'room://cloud.tencent.com/rtc?userid=dave&streamtype=main';
    live.s.video('bob', false);
    live.s.video('bob', true);
    live.subs[0].onState('disconnected');
    expect(moved.pending()).toBe(false);
    expect(moved.codes()).toEqual([2007, 2003, 2004]);
  });
});
