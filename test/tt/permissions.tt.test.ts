/**
 * Camera and microphone refusals in the room on Douyin (the capture calls prompt; a refusal is -7 and the
 * permission guide): one refusal does not hold back the other device, and the guide's grant (settings page or
 * privacy agreement) turns on what the page asks for, without a re-entry.
 */
import { settle } from '../behaviour/driver';
import { TtDriver, useTtDriverLifecycle } from '../behaviour/tt-driver';

let d: TtDriver;

useTtDriverLifecycle(() => d);

async function enter(props: Record<string, unknown> = {}) {
  d = new TtDriver();
  await d.enter(props);
  d.clearEvents();
}

const errors = () => d.events().filter((e) => e.tag === 'error');

test('audience → anchor with the camera refused: -7 for the camera, the microphone still goes on', async () => {
  await enter({ role: 'audience' });
  d.fake.deny.add('camera');
  d.setProps({ role: 'anchor' });
  await settle();
  expect(errors()).toEqual([
    expect.objectContaining({
      code: -7,
      detail: expect.objectContaining({ rawCode: 10200, reason: 'permission' }),
    }),
  ]);
  expect(d.fake.ctx.callsOf('changeAudioCapture').pop()).toEqual({ state: 1 });
  expect(d.local()).toEqual({ camera: false, mic: true, publishing: true });
});

test('camera and microphone both refused: a -7 for each, in call order', async () => {
  await enter({ enableCamera: false, muted: true });
  d.fake.deny.add('camera');
  d.fake.deny.add('mic');
  d.setProps({ enableCamera: true, muted: false });
  await settle();
  expect(errors().map((e) => [e.code, e.detail.rawCode])).toEqual([
    [-7, 10200],
    [-7, 115990],
  ]);
});

test('the guide after a refusal in the room: granted in the settings page, the camera goes on (no re-entry)', async () => {
  await enter({ enableCamera: false });
  d.fake.deny.add('camera');
  d.setProps({ enableCamera: true });
  await settle();
  expect(d.m.inst.data.guide).toBe('permission');
  expect(d.local().camera).toBe(false);
  d.m.room.querySelector('.wr-guide__open').dispatchEvent('tap');
  await settle();
  await settle();
  expect(d.fake.openSetting).toHaveBeenCalledTimes(1);
  expect(d.m.inst.data.guide).toBe('');
  expect(d.local()).toEqual({ camera: true, mic: true, publishing: true });
  expect(d.fake.ctx.callsOf('joinRtcRoom')).toHaveLength(1);
  expect(errors()).toHaveLength(1);
  expect(d.events().filter((e) => e.tag === 'permission_granted')).toEqual([
    { tag: 'permission_granted', code: 0, detail: {} },
  ]);
});

test('the guide after a privacy refusal in the room: agreeing turns the camera on', async () => {
  await enter({ enableCamera: false });
  d.fake.privacy = 'not_agreed';
  d.setProps({ enableCamera: true });
  await settle();
  expect(d.m.inst.data.guide).toBe('privacy');
  d.m.room.querySelector('.wr-guide__open').dispatchEvent('tap');
  await settle();
  await settle();
  expect(d.fake.requirePrivacyAuthorize).toHaveBeenCalledTimes(1);
  expect(d.local().camera).toBe(true);
  expect(d.fake.ctx.callsOf('joinRtcRoom')).toHaveLength(1);
});

test('the guide in the room while paused: the grant waits for resume()', async () => {
  await enter({ enableCamera: false });
  d.fake.deny.add('camera');
  d.setProps({ enableCamera: true });
  await settle();
  d.m.inst.pause();
  await settle();
  d.m.room.querySelector('.wr-guide__open').dispatchEvent('tap');
  await settle();
  await settle();
  expect(d.local().camera).toBe(false);
  d.m.inst.resume();
  await settle();
  expect(d.local()).toEqual({ camera: true, mic: true, publishing: true });
});

test('a grant that comes back after the session ended (kicked meanwhile) enters nothing and turns nothing on', async () => {
  await enter({ enableCamera: false });
  d.fake.deny.add('camera');
  d.setProps({ enableCamera: true });
  await settle();
  let answer: (() => void) | null = null;
  d.fake.openSetting.mockImplementationOnce((o: { success?: (r: unknown) => void }) => {
    answer = () =>
      o.success?.({ errMsg: 'openSetting:ok', authSetting: { 'scope.camera': true, 'scope.record': true } });
  });
  d.m.room.querySelector('.wr-guide__open').dispatchEvent('tap');
  await settle();
  // while the settings page is open the user is removed from the room
  d.fake.interrupt(-1006, 'kicked by the server');
  await settle();
  expect(d.events().map((e) => e.tag)).toContain('exit_room');
  const ctx = d.fake.ctx;
  ctx.calls.length = 0;
  d.fake.deny.clear();
  answer!();
  await settle();
  await d.advance(1000);
  expect(ctx.calls.filter(([m, a]) => m === 'joinRtcRoom' || a.state === 1)).toEqual([]);
  expect(d.fake.contexts).toHaveLength(1);
  expect(d.m.inst.data.phase).toBe('idle');
});

test('the guide after a camera refused in the lobby preview: the grant turns the preview on, it does not enter', async () => {
  d = new TtDriver();
  d.fake.deny.add('camera');
  d.mount();
  await d.m.inst.startPreview();
  await settle();
  expect(d.m.inst.data.phase).toBe('preview');
  expect(d.m.inst.data.guide).toBe('permission');
  d.m.room.querySelector('.wr-guide__open').dispatchEvent('tap');
  await settle();
  await settle();
  expect(d.local().camera).toBe(true);
  expect(d.m.inst.data.phase).toBe('preview');
  expect(d.fake.ctx.callsOf('joinRtcRoom')).toEqual([]);
});

test('camera and microphone not declared in the privacy agreement (10202): -7, and no guide the user could not follow', async () => {
  d = new TtDriver();
  d.fake.joinFailures.push({
    errMsg: 'joinRtcRoom:fail api scope is not declared in the privacy agreement',
    errNo: 10202,
  });
  d.mount();
  await expect(d.start()).rejects.toMatchObject({ code: -7, detail: { reason: 'privacy_undeclared' } });
  await settle();
  expect(d.events().map((e) => [e.tag, e.code])).toEqual([['error', -7]]);
  expect(d.m.inst.data.guide).toBe('');
});
