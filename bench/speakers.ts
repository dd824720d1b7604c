/**
 * Audio levels in a room of talking users: volume notifications every 100 ms from the pusher and every player,
 * speech in bursts with pauses (seeded), for a minute of manual-clock time. Shows that the setData calls are
 * bounded by the speaking flags that flip (volumes themselves cost none) and how many audio_volume events the
 * page gets per second.
 */
import type { RoomEvent } from '../utils/core/events';
import { roomOf } from './setdata';

export interface SpeakerRow {
  users: number;
  seconds: number;
  notificationsPerSecond: number;
  audioVolumeEventsPerSecond: number;
  flipsPerSecond: number;
  setDataPerSecond: number;
  bytesPerSecond: number;
}

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function runSpeakerBench(users = 16, seconds = 60): Promise<SpeakerRow> {
  const events: RoomEvent[] = [];
  const room = await roomOf(users, (ev) => events.push(ev));
  const rnd = prng(users);
  // each user talks in bursts of 0.5-3 s with pauses of 0.2-4 s; levels jitter while talking
  const until = Array.from({ length: users + 1 }, () => 0);
  const talking = Array.from({ length: users + 1 }, () => false);
  let notifications = 0;
  for (let t = 0; t < seconds * 1000; t += 100) {
    for (let u = 0; u <= users; u++) {
      if (t >= until[u]) {
        talking[u] = !talking[u];
        until[u] = t + (talking[u] ? 500 + rnd() * 2500 : 200 + rnd() * 3800);
      }
      const volume = talking[u] ? 25 + Math.round(rnd() * 60) : Math.round(rnd() * 6);
      room.ctl.onAdapterEvent({ type: 'audio_volume', userID: u === users ? '' : `user${u}`, volume });
      notifications++;
    }
    room.timers.advance(100);
  }
  const flips = room.calls.reduce(
    (n, c) => n + Object.keys(c).filter((k) => k.endsWith('.speaking') || k === 'localSpeaking').length,
    0,
  );
  const bytes = room.calls.reduce((n, c) => n + JSON.stringify(c).length, 0);
  const per = (n: number) => Math.round((n / seconds) * 10) / 10;
  return {
    users,
    seconds,
    notificationsPerSecond: per(notifications),
    audioVolumeEventsPerSecond: per(events.filter((e) => e.tag === 'audio_volume').length),
    flipsPerSecond: per(flips),
    setDataPerSecond: per(room.calls.length),
    bytesPerSecond: per(bytes),
  };
}
