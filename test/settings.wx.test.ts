/** WeChat: soundMode and the local media settings as validated native attributes, applied in the room. */
import { settle } from './behaviour/driver';
import type { WxFake } from './helpers/wx-fake';
import { enterWx, useWxRoomLifecycle, WX_IDENTITY as BASE } from './helpers/wx-room';
import { fire, mountRoom, Mounted, nativeAttrs } from './helpers/mp';
import { SETTINGS_DEFAULTS, validateSettings, wxSchema } from '../utils/room/settings';

const SET = {
  soundMode: 'ear',
  localMirror: 'enable',
  remoteMirror: true,
  orientation: 'horizontal',
  fps: 24,
  beautyStyle: 'nature',
  filter: 'pink',
  voiceChangerType: 3,
  enableAgc: true,
  enableAns: true,
  audioVolumeType: 'voicecall',
  audioQuality: 'low',
};

let wxf: WxFake;
let m: Mounted;

useWxRoomLifecycle(
  (f) => (wxf = f),
  () => m,
);

async function enter(props: Record<string, unknown>) {
  m = await enterWx(props, { bob: { audio: true } }, { keepEvents: true });
}

test('validateSettings: defaults for unset, each bad one reported with its field, the last good kept', () => {
  const errors: Array<{ field: string }> = [];
  const v = validateSettings(
    { fps: 2.5, filter: 'sepia', enableAgc: 'yes', soundMode: 'ear' },
    SETTINGS_DEFAULTS,
    errors as never,
  );
  expect(errors.map((e) => e.field)).toEqual(['fps', 'filter', 'enableAgc']);
  expect(v).toEqual({ ...SETTINGS_DEFAULTS, soundMode: 'ear' });
  expect(wxSchema('voiceChangerType')).toBe('live-pusher.voice-changer-type');
  expect(wxSchema('soundMode')).toBe('live-player.sound-mode');
});

test('every setting reaches the live-pusher, soundMode every live-player; changes apply in the room', async () => {
  await enter(SET);
  const { soundMode, ...pusherOnes } = SET;
  expect(nativeAttrs(m.room, 'pusher')).toMatchObject(pusherOnes);
  const player = m.inst.data.streams[0].id;
  expect(nativeAttrs(m.room, player)).toMatchObject({ soundMode });
  const setData = jest.spyOn(m.inst, 'setData');
  m.setProps({ soundMode: 'speaker', fps: 30 });
  await settle();
  expect(setData.mock.calls.map((c) => c[0])).toEqual([{ 'pusher.soundMode': 'speaker', 'pusher.fps': 30 }]);
  expect(nativeAttrs(m.room, player)).toMatchObject({ soundMode: 'speaker' });
  expect(nativeAttrs(m.room, 'pusher').fps).toBe(30);
  expect(wxf.pusher.start).toHaveBeenCalledTimes(1);
  expect(wxf.pusher.stop).not.toHaveBeenCalled();
  expect(m.events.filter((e) => e.tag === 'error' || e.tag === 'warning')).toEqual([]);
});

test('a bad value is -1 naming the field and the native attribute keeps its last good value', async () => {
  await enter({ fps: 20, filter: 'standard' });
  m.events.length = 0;
  m.setProps({ fps: 31 });
  await settle();
  expect(m.events.map((e) => [e.tag, e.code, e.detail.field])).toEqual([['error', -1, 'fps']]);
  expect(String(m.events[0].detail.message)).toContain('[1, 30]');
  expect(nativeAttrs(m.room, 'pusher').fps).toBe(20);
  m.events.length = 0;
  m.setProps({ fps: 20, filter: 'sepia' });
  await settle();
  expect(m.events.map((e) => [e.tag, e.code, e.detail.field])).toEqual([['error', -1, 'filter']]);
  expect(nativeAttrs(m.room, 'pusher')).toMatchObject({ fps: 20, filter: 'standard' });
});

test('start() with a bad setting rejects with -1 and enters nothing', async () => {
  m = mountRoom({ ...BASE, voiceChangerType: 12 });
  await expect(m.inst.start()).rejects.toMatchObject({ code: -1, detail: { field: 'voiceChangerType' } });
  expect(wxf.pusher.start).not.toHaveBeenCalled();
});

test('an attribute this base library lacks (canIUse false) is one warning, never an error', async () => {
  (globalThis as any).wx.canIUse = (s: string) => s !== 'live-pusher.voice-changer-type';
  await enter({ voiceChangerType: 5, fps: 20 });
  const warnings = m.events.filter((e) => e.tag === 'warning');
  expect(warnings).toEqual([
    { tag: 'warning', code: 0, detail: { message: expect.stringContaining('voiceChangerType') } },
  ]);
  m.setProps({ fps: 25 });
  await settle();
  expect(m.events.filter((e) => e.tag === 'warning')).toHaveLength(1);
  expect(m.events.filter((e) => e.tag === 'error')).toEqual([]);
});

test('picture-in-picture: the mode on every live-player; enter/leave become pip_enter / pip_leave', async () => {
  await enter({ pictureInPictureMode: 'push' });
  const id = m.inst.data.streams[0].id;
  expect(nativeAttrs(m.room, id)).toMatchObject({ pictureInPictureMode: 'push' });
  m.events.length = 0;
  fire(m.room, `#${id}`, 'enterpictureinpicture', {});
  fire(m.room, `#${id}`, 'leavepictureinpicture', {});
  expect(m.events).toEqual([
    { tag: 'pip_enter', code: 0, detail: { userID: 'bob', streamType: 'main' } },
    { tag: 'pip_leave', code: 0, detail: { userID: 'bob', streamType: 'main' } },
  ]);
  m.setProps({ pictureInPictureMode: 'float' });
  await settle();
  expect(m.events.slice(2).map((e) => [e.tag, e.code, e.detail.field])).toEqual([
    ['error', -1, 'pictureInPictureMode'],
  ]);
  expect(nativeAttrs(m.room, id).pictureInPictureMode).toBe('push');
});
