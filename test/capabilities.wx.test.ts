/** WeChat: getCapabilities() from versions and canIUse; checkEnvironment() with start()'s codes. */
import { settle } from './behaviour/driver';
import type { WxFake } from './helpers/wx-fake';
import { useWxRoomLifecycle, WX_IDENTITY as BASE } from './helpers/wx-room';
import { mountRoom, Mounted } from './helpers/mp';
import { SETTING_NAMES } from '../utils/room/settings';

let wxf: WxFake;
let m: Mounted;

useWxRoomLifecycle(
  (f) => (wxf = f),
  () => m,
);

const allSettings = (v: boolean) => Object.fromEntries(SETTING_NAMES.map((k) => [k, v]));

test('a current client: every feature, every scene, every setting', () => {
  m = mountRoom(BASE);
  expect(m.inst.getCapabilities()).toEqual({
    platform: 'wx',
    sdkVersion: '3.5.0',
    clientVersion: '8.0.50',
    os: 'android',
    rtc: true,
    scenes: ['rtc', 'live', 'audiocall', 'voicechatroom'],
    audioVolume: true,
    speaking: true,
    followSpeaker: true,
    sendMessage: true,
    snapshot: true,
    smallStream: true,
    bgm: true,
    settings: allSettings(true),
  });
});

test('canIUse false for an attribute or a method turns exactly that off', () => {
  const asked: string[] = [];
  (globalThis as any).wx.canIUse = (s: string) => {
    asked.push(s);
    return s !== 'live-pusher.voice-changer-type' && s !== 'LivePusherContext.sendMessage';
  };
  m = mountRoom(BASE);
  const caps = m.inst.getCapabilities();
  expect(caps.settings).toEqual({ ...allSettings(true), voiceChangerType: false });
  expect(caps.sendMessage).toBe(false);
  expect(caps.snapshot).toBe(true);
  expect(asked).toEqual(expect.arrayContaining(['live-player.sound-mode', 'live-pusher.enable-agc']));
});

test('a base library older than 2.10.0: no RTC, nothing else either', () => {
  wxf.system = { platform: 'ios', version: '8.0.1', SDKVersion: '2.9.4' };
  m = mountRoom(BASE);
  expect(m.inst.getCapabilities()).toMatchObject({
    rtc: false,
    scenes: [],
    audioVolume: false,
    sendMessage: false,
    settings: allSettings(false),
  });
});

test('checkEnvironment: ok; then every problem start() would reject with, localized, nothing emitted', async () => {
  m = mountRoom({ ...BASE, lang: 'en' });
  await expect(m.inst.checkEnvironment()).resolves.toEqual({ ok: true, problems: [] });
  m.host.detach();
  wxf.system = { platform: 'android', version: '8.0.1', SDKVersion: '2.9.4' };
  wxf.authSetting = { 'scope.camera': false, 'scope.record': true };
  m = mountRoom({ ...BASE, userID: 'bad id', fps: 40, lang: 'zh-CN' });
  m.events.length = 0;
  const env = await m.inst.checkEnvironment();
  expect(env.ok).toBe(false);
  expect(env.problems.map((p: { code: number; field?: string }) => [p.code, p.field])).toEqual([
    [-1, 'userID'],
    [-1, 'fps'],
    [-2, undefined],
    [-7, undefined],
  ]);
  expect(env.problems[2].message).toContain('基础库');
  expect(env.problems[3].message).toContain('摄像头');
  expect(m.events).toEqual([]);
  expect(wxf.pusher.start).not.toHaveBeenCalled();
  // start() rejects with the first of them
  await expect(m.inst.start()).rejects.toMatchObject({ code: -1, detail: { field: 'userID' } });
});

test('an audience member needs neither camera nor microphone', async () => {
  wxf.authSetting = { 'scope.camera': false, 'scope.record': false };
  m = mountRoom({ ...BASE, role: 'audience' });
  await settle();
  await expect(m.inst.checkEnvironment()).resolves.toEqual({ ok: true, problems: [] });
});
