/** Douyin: soundMode → setAudioPlaybackDevice, fps/orientation → setVideoEncoderConfig, the rest a warning. */
import { settle } from '../behaviour/driver';
import { TtDriver, useTtDriverLifecycle } from '../behaviour/tt-driver';
import { settingsSteps } from '../../utils/platform/tt/plan';
import { SETTINGS_DEFAULTS } from '../../utils/room/settings';

let d: TtDriver;

useTtDriverLifecycle(() => d);

async function enter(props: Record<string, unknown>, opts: ConstructorParameters<typeof TtDriver>[0] = {}) {
  d = new TtDriver(opts);
  await d.enter(props);
}

test('settingsSteps: nothing for the defaults; what differs on entry, what changed later', () => {
  expect(settingsSteps(SETTINGS_DEFAULTS, null)).toEqual([]);
  const ear = { ...SETTINGS_DEFAULTS, soundMode: 'ear' as const, fps: 24 };
  expect(settingsSteps(ear, null)).toEqual([
    ['setAudioPlaybackDevice', { device: 'earpiece' }],
    ['setVideoEncoderConfig', { maxSolution: { width: 360, height: 640, frameRate: 24 } }],
  ]);
  expect(settingsSteps({ ...ear, orientation: 'horizontal' }, ear)).toEqual([
    ['setVideoEncoderConfig', { maxSolution: { width: 640, height: 360, frameRate: 24 } }],
  ]);
});

test('after the join: earpiece and the encoder config; a change in the room calls again, nothing re-enters', async () => {
  await enter({ soundMode: 'ear', fps: 24 });
  const ctx = d.fake.ctx;
  const order = ctx.calls.map(([m]) => m);
  expect(order.indexOf('setAudioPlaybackDevice')).toBeGreaterThan(order.indexOf('joinRtcRoom'));
  expect(ctx.callsOf('setAudioPlaybackDevice')).toEqual([{ device: 'earpiece' }]);
  expect(ctx.callsOf('setVideoEncoderConfig')).toEqual([
    { maxSolution: { width: 360, height: 640, frameRate: 24 } },
  ]);
  d.setProps({ soundMode: 'speaker' });
  await settle();
  expect(ctx.callsOf('setAudioPlaybackDevice')).toEqual([{ device: 'earpiece' }, { device: 'speakerphone' }]);
  expect(ctx.callsOf('setVideoEncoderConfig')).toHaveLength(1);
  expect(ctx.callsOf('joinRtcRoom')).toHaveLength(1);
  expect(d.events().filter((e) => e.tag === 'warning' || e.tag === 'error')).toEqual([]);
});

test('settings Douyin lacks are one warning each naming the field; a bad value is still -1', async () => {
  await enter({ filter: 'pink', localMirror: 'enable', fps: 15 });
  expect(
    d
      .events()
      .filter((e) => e.tag === 'warning')
      .map((e) => e.detail.message),
  ).toEqual([expect.stringContaining('localMirror'), expect.stringContaining('filter')]);
  d.clearEvents();
  d.setProps({ filter: 'blues' });
  await settle();
  d.setProps({ fps: 0 });
  await settle();
  expect(d.events().map((e) => [e.tag, e.detail.field ?? String(e.detail.message).split(' ')[0]])).toEqual([
    ['warning', 'filter'],
    ['error', 'fps'],
  ]);
});

test('a base library without setAudioPlaybackDevice: a warning, the room carries on', async () => {
  await enter({ soundMode: 'ear' }, { missing: ['setAudioPlaybackDevice'] });
  expect(d.events().filter((e) => e.tag === 'warning')).toEqual([
    { tag: 'warning', code: 0, detail: { message: expect.stringContaining('setAudioPlaybackDevice') } },
  ]);
  expect(d.inRoom()).toBe(true);
});

test('enableSmallStream on Douyin: one warning naming it, the join is unchanged', async () => {
  await enter({ enableSmallStream: true });
  expect(d.events().filter((e) => e.tag === 'warning')).toEqual([
    { tag: 'warning', code: 0, detail: { message: expect.stringContaining('enableSmallStream') } },
  ]);
  expect(d.fake.ctx.callsOf('joinRtcRoom')[0].roomConfig).toEqual({ autoPublish: true, autoSubscribe: true });
});

test('pictureInPictureMode on Douyin: one warning naming it', async () => {
  await enter({ pictureInPictureMode: 'pop' });
  expect(d.events().filter((e) => e.tag === 'warning')).toEqual([
    { tag: 'warning', code: 0, detail: { message: expect.stringContaining('pictureInPictureMode') } },
  ]);
});
