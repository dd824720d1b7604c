/** Douyin: the same page code for the audio scenes: video capture off, no video views, audience invisible. */
import { nativeAttrs } from '../helpers/mp';
import { settle } from '../behaviour/driver';
import { TtDriver, useTtDriverLifecycle } from '../behaviour/tt-driver';

let d: TtDriver;

useTtDriverLifecycle(() => d);

async function enter(props: Record<string, unknown>) {
  d = new TtDriver();
  await d.enter(props);
}

const rtcRooms = () =>
  (JSON.stringify((d.m.room as any).toJSON()).match(/"tagName":"(?:wx-)?rtc-room"/g) ?? []).length;

test('audiocall: capture video off and audio on before the join; no local or remote video view', async () => {
  await enter({ scene: 'audiocall' });
  const ctx = d.fake.ctx;
  expect(ctx.calls.map(([m, a]) => [m, a.state])).toEqual([
    ['changeVideoCapture', 0],
    ['changeAudioCapture', 1],
    ['joinRtcRoom', undefined],
  ]);
  expect(() => nativeAttrs(d.m.room, 'local-view')).toThrow(/no native view/);
  d.remoteJoin('bob', { video: true, audio: true });
  await settle();
  expect(d.tiles()).toBe(1);
  expect(d.m.inst.data.streams[0]).toMatchObject({ userID: 'bob', muteVideo: true, player: false });
  expect(rtcRooms()).toBe(0);
  d.setProps({ enableCamera: true });
  await settle();
  expect(ctx.callsOf('changeVideoCapture')).toEqual([{ state: 0 }]);
});

test('voicechatroom: audience invisible; becoming an anchor publishes the microphone only', async () => {
  await enter({ scene: 'voicechatroom', role: 'audience' });
  const ctx = d.fake.ctx;
  expect(ctx.callsOf('changeUserVisibility')).toEqual([{ visible: false }]);
  expect(ctx.callsOf('joinRtcRoom')[0].roomConfig).toEqual({ autoPublish: false, autoSubscribe: true });
  ctx.calls.length = 0;
  d.setProps({ role: 'anchor' });
  await settle();
  const names = ctx.calls.map(([m, a]) => `${m}:${String(a.visible ?? a.state)}`);
  expect(names).toContain('changeUserVisibility:true');
  expect(names).toContain('changeAudioCapture:1');
  expect(names).not.toContain('changeVideoCapture:1');
  expect(d.local()).toEqual({ camera: false, mic: true, publishing: true });
});
