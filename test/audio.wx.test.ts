/** WeChat: bindaudiovolumenotify → audio_volume, the speaking ring, followSpeaker, pin() over it. */
import { settle } from './behaviour/driver';
import type { WxFake } from './helpers/wx-fake';
import { enterWx, useWxRoomLifecycle, WX_IDENTITY as BASE } from './helpers/wx-room';
import { fire, mountRoom, Mounted } from './helpers/mp';
import { FOLLOW_DWELL_MS, VOLUME_INTERVAL_MS } from '../utils/room/speakers';

let wxf: WxFake;
let m: Mounted;

useWxRoomLifecycle(
  (f) => (wxf = f),
  () => m,
);

async function enterWith(users: string[], props: Record<string, unknown> = {}) {
  const media = Object.fromEntries(users.map((id) => [id, { video: true, audio: true }]));
  m = await enterWx({ template: 'bigsmall', ...props }, media);
  expect(wxf.pusher.start).toHaveBeenCalledTimes(1);
  // the players play: their first frames (2003), so no black-screen rebuild
  for (const id of users) {
    const player = (m.inst.data.streams as Array<{ id: string; userID: string; player: boolean }>).find(
      (t) => t.userID === id && t.player,
    );
    if (player)
      fire(m.room, `#${player.id}`, 'statechange', { code: 2003, message: 'first video frame received' });
  }
}

const playerOf = (userID: string) =>
  (m.inst.data.streams as Array<{ id: string; userID: string }>).find((t) => t.userID === userID)!.id;

/** `volumes` (userID → level, '' = local) every 100 ms for `ms`, like the native notifications. */
async function talk(volumes: Record<string, number>, ms: number) {
  for (let t = 0; t < ms; t += 100) {
    for (const [id, volume] of Object.entries(volumes)) {
      fire(m.room, id === '' ? '#pusher' : `#${playerOf(id)}`, 'audiovolumenotify', { volume });
    }
    jest.advanceTimersByTime(100);
  }
  await settle(1);
}

const volumeEvents = () => m.events.filter((e) => e.tag === 'audio_volume');

test('pusher and player notifications become coalesced audio_volume events; only the flag flips cost a setData', async () => {
  await enterWith(['bob', 'carol']);
  const setData = jest.spyOn(m.inst, 'setData');
  await talk({ '': 35, bob: 60, carol: 0 }, 3000);
  const events = volumeEvents();
  // ~3 a second, never one per notification (90 were fired)
  expect(events.length).toBeGreaterThanOrEqual(Math.floor(3000 / VOLUME_INTERVAL_MS) - 1);
  expect(events.length).toBeLessThanOrEqual(Math.ceil(3000 / VOLUME_INTERVAL_MS));
  expect(events[0]).toEqual({
    tag: 'audio_volume',
    code: 0,
    detail: {
      volumes: [
        { userID: '', volume: 35 },
        { userID: 'bob', volume: 60 },
        { userID: 'carol', volume: 0 },
      ],
    },
  });
  // the local and bob's speaking flags, once
  expect(setData.mock.calls.map((c) => c[0])).toEqual([{ localSpeaking: true, 'streams[0].speaking': true }]);
  expect(m.room.querySelectorAll('.wr-tile--remote .wr-speaking')).toHaveLength(1);
  expect(m.room.querySelectorAll('.wr-tile--local .wr-speaking')).toHaveLength(1);
  // bob stops: one more setData when the hold ends
  await talk({ '': 35, bob: 0, carol: 0 }, 2000);
  expect(setData.mock.calls.map((c) => c[0])).toEqual([
    { localSpeaking: true, 'streams[0].speaking': true },
    { 'streams[0].speaking': false },
  ]);
  expect(m.room.querySelectorAll('.wr-tile--remote .wr-speaking')).toHaveLength(0);
});

test("the ring is a room state: states without 'speaking' show none", async () => {
  await enterWith(['bob'], { states: 'muted' });
  await talk({ bob: 80 }, 600);
  expect(m.inst.data.streams[0].speaking).toBe(true);
  expect(m.room.querySelectorAll('.wr-speaking')).toHaveLength(0);
});

test('malformed volumes are ignored; nothing before entering or after stop()', async () => {
  m = mountRoom({ ...BASE });
  fire(m.room, '#pusher', 'audiovolumenotify', { volume: 90 });
  jest.advanceTimersByTime(1000);
  m.host.detach();
  await enterWith(['bob']);
  fire(m.room, '#pusher', 'audiovolumenotify', { volume: 'loud' });
  fire(m.room, '#pusher', 'audiovolumenotify', {});
  await settle();
  jest.advanceTimersByTime(1000);
  expect(volumeEvents()).toEqual([]);
  await talk({ bob: 50 }, 300);
  expect(volumeEvents()).toHaveLength(1);
  await m.inst.stop();
  await settle();
  m.events.length = 0;
  const setData = jest.spyOn(m.inst, 'setData');
  fire(m.room, '#pusher', 'audiovolumenotify', { volume: 90 });
  jest.advanceTimersByTime(3000);
  await settle();
  expect(m.events).toEqual([]);
  expect(setData).not.toHaveBeenCalled();
  expect(jest.getTimerCount()).toBe(0);
});

test('followSpeaker: the big view follows the active speaker with hysteresis; pin() wins until pin("")', async () => {
  await enterWith(['bob', 'carol'], { followSpeaker: true });
  const bob = playerOf('bob');
  const carol = playerOf('carol');
  expect(m.inst.data.mainKey).toBe(bob);
  await talk({ carol: 70 }, 300);
  expect(m.inst.data.mainKey).toBe(carol);
  // bob louder for a moment: the big view stays
  await talk({ bob: 90, carol: 60 }, 400);
  expect(m.inst.data.mainKey).toBe(carol);
  await talk({ bob: 90, carol: 20 }, FOLLOW_DWELL_MS);
  expect(m.inst.data.mainKey).toBe(bob);
  // the user taps carol: pinned, even while bob talks on
  expect(m.inst.pin('carol')).toBe(true);
  await talk({ bob: 90 }, 3000);
  expect(m.inst.data.mainKey).toBe(carol);
  expect(m.inst.pin('')).toBe(true);
  await talk({ bob: 90 }, 300);
  expect(m.inst.data.mainKey).toBe(bob);
});

test('a muted microphone is silent: level 0, no ring, whatever the pusher reports', async () => {
  await enterWith(['bob'], { muted: true });
  await talk({ '': 80 }, 900);
  expect(volumeEvents()).toEqual([]);
  expect(m.inst.data.localSpeaking).toBe(false);
  m.setProps({ muted: false });
  await talk({ '': 80 }, 300);
  expect(volumeEvents()[0].detail).toEqual({ volumes: [{ userID: '', volume: 80 }] });
  expect(m.inst.data.localSpeaking).toBe(true);
});

test('without followSpeaker the big view does not move with the speaker', async () => {
  await enterWith(['bob', 'carol']);
  await talk({ carol: 70 }, 3000);
  expect(m.inst.data.mainKey).toBe(playerOf('bob'));
});
