/** Douyin: getCapabilities() (method presence once a context exists, else the base library) and checkEnvironment(). */
import { settle } from '../behaviour/driver';
import { TtDriver, useTtDriverLifecycle } from '../behaviour/tt-driver';
import { SETTING_NAMES } from '../../utils/room/settings';

let d: TtDriver;

useTtDriverLifecycle(() => d);

const only = (on: string[]) => Object.fromEntries(SETTING_NAMES.map((k) => [k, on.includes(k)]));

test('before entering: from the base library; no levels, no messages, no snapshots; the speaking ring', () => {
  d = new TtDriver();
  d.mount();
  expect(d.m.inst.getCapabilities()).toEqual({
    platform: 'tt',
    sdkVersion: '3.20.0',
    clientVersion: '',
    os: 'android',
    rtc: true,
    scenes: ['rtc', 'live', 'audiocall', 'voicechatroom'],
    audioVolume: false,
    speaking: true,
    followSpeaker: true,
    sendMessage: false,
    snapshot: false,
    smallStream: false,
    bgm: false,
    settings: only(['soundMode', 'fps', 'orientation']),
  });
});

test('after entering: what the context really has', async () => {
  d = new TtDriver({ missing: ['setAudioPlaybackDevice'] });
  d.mount();
  const started = d.start();
  await settle();
  await started;
  expect(d.m.inst.getCapabilities().settings).toEqual(only(['fps', 'orientation']));
});

test('an old base library: no device control; no tt.createRtcRoomContext: no RTC at all', () => {
  d = new TtDriver({ SDKVersion: '2.50.0' });
  d.mount();
  expect(d.m.inst.getCapabilities()).toMatchObject({ rtc: true, settings: only([]) });
  d.m.host.detach();
  d.fake.uninstall();
  d = new TtDriver();
  (globalThis as any).tt.createRtcRoomContext = undefined;
  d.mount();
  expect(d.m.inst.getCapabilities()).toMatchObject({ rtc: false, scenes: [], speaking: false });
});

test('checkEnvironment: -2 without the capability, -7 for a refused microphone, from tt.getSetting', async () => {
  d = new TtDriver();
  (globalThis as any).tt.getSetting = (o: { success: (r: unknown) => void }) =>
    o.success({ authSetting: { 'scope.camera': true, 'scope.record': false } });
  (globalThis as any).tt.createRtcRoomContext = undefined;
  d.mount({ lang: 'en' });
  const env = await d.m.inst.checkEnvironment();
  expect(env).toEqual({
    ok: false,
    problems: [
      { code: -2, message: expect.stringContaining('createRtcRoomContext') },
      { code: -7, message: expect.stringContaining('microphone') },
    ],
  });
  await expect(d.start()).rejects.toMatchObject({ code: -2 });
});
