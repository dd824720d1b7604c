/** Douyin: onRtcChatSpeakersChanged is who talks now → the speaking ring and followSpeaker; audio_available stays. */
import { settle } from '../behaviour/driver';
import { TtDriver, useTtDriverLifecycle } from '../behaviour/tt-driver';
import { FOLLOW_DWELL_MS, VOLUME_INTERVAL_MS } from '../../utils/room/speakers';

let d: TtDriver;

useTtDriverLifecycle(() => d);

async function enterWith(users: string[], props: Record<string, unknown> = {}) {
  d = new TtDriver();
  d.mount(props);
  const started = d.start();
  await settle();
  await started;
  for (const id of users) d.remoteJoin(id, { video: true, audio: true });
  await settle();
  d.clearEvents();
}

const speakers = (...ids: string[]) => d.fake.ctx.emit('onRtcChatSpeakersChanged', { userIdList: ids });
const playerOf = (userID: string) =>
  (d.m.inst.data.streams as Array<{ id: string; userID: string }>).find((t) => t.userID === userID)!.id;

test('the speakers list flips the speaking flags only; audio_available and the muted badge do not flap', async () => {
  await enterWith(['bob', 'carol'], { lang: 'en' });
  const setData = jest.spyOn(d.m.inst, 'setData');
  for (let i = 0; i < 6; i++) {
    // bob talks with pauses between sentences, alice (local) now and then
    speakers('bob', ...(i % 2 ? ['alice'] : []));
    jest.advanceTimersByTime(VOLUME_INTERVAL_MS);
    speakers();
    jest.advanceTimersByTime(VOLUME_INTERVAL_MS);
  }
  await settle();
  expect(d.events()).toEqual([]);
  expect(d.m.inst.getRemoteUsers()).toEqual([
    { userID: 'bob', hasVideo: true, hasAudio: true, hasAuxVideo: false },
    { userID: 'carol', hasVideo: true, hasAudio: true, hasAuxVideo: false },
  ]);
  const patches = setData.mock.calls.map((c) => c[0] as Record<string, unknown>);
  expect(patches.length).toBeGreaterThan(0);
  for (const p of patches) {
    expect(Object.keys(p).every((k) => k === 'localSpeaking' || /^streams\[0\]\.speaking$/.test(k))).toBe(
      true,
    );
  }
  speakers('bob', 'alice');
  jest.advanceTimersByTime(VOLUME_INTERVAL_MS);
  await settle();
  expect(d.m.inst.data.localSpeaking).toBe(true);
  expect(d.m.room.querySelectorAll('.wr-tile--remote .wr-speaking')).toHaveLength(1);
  expect(d.m.room.querySelectorAll('.wr-tile--local .wr-speaking')).toHaveLength(1);
  expect(d.m.room.querySelectorAll('.wr-badge--muted')).toHaveLength(0);
  // Douyin reports no levels: no audio_volume at all
  expect(d.events().filter((e) => e.tag === 'audio_volume')).toEqual([]);
});

test('followSpeaker on Douyin: the listed speaker takes the big view, the next one only after the dwell', async () => {
  await enterWith(['bob', 'carol'], { followSpeaker: true });
  expect(d.m.inst.data.mainKey).toBe(playerOf('bob'));
  speakers('carol');
  jest.advanceTimersByTime(VOLUME_INTERVAL_MS);
  await settle();
  expect(d.m.inst.data.mainKey).toBe(playerOf('carol'));
  speakers('bob');
  jest.advanceTimersByTime(VOLUME_INTERVAL_MS * 2);
  await settle();
  expect(d.m.inst.data.mainKey).toBe(playerOf('carol'));
  jest.advanceTimersByTime(FOLLOW_DWELL_MS);
  await settle();
  expect(d.m.inst.data.mainKey).toBe(playerOf('bob'));
  expect(d.m.inst.pin('carol')).toBe(true);
  jest.advanceTimersByTime(FOLLOW_DWELL_MS * 2);
  await settle();
  expect(d.m.inst.data.mainKey).toBe(playerOf('carol'));
});

test('a speaker who leaves loses the ring with the tile; after stop() nothing is scheduled', async () => {
  await enterWith(['bob']);
  speakers('bob');
  jest.advanceTimersByTime(VOLUME_INTERVAL_MS);
  await settle();
  expect(d.m.inst.data.streams[0].speaking).toBe(true);
  d.remoteLeave('bob');
  await settle();
  expect(d.m.room.querySelectorAll('.wr-speaking')).toHaveLength(0);
  await d.m.inst.stop();
  await settle();
  expect(d.m.inst.data.localSpeaking).toBe(false);
  expect(jest.getTimerCount()).toBe(0);
});
