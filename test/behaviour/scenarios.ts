/**
 * The shared behaviour suite: every scenario runs on WeChat and on Douyin (behaviour.wx.test.ts,
 * behaviour.tt.test.ts) and expects the same RoomEvents. Platform codes (`rawCode`) and messages differ by
 * design and are matched loosely; tags, codes and every other detail field must be identical.
 * One documented difference: Douyin cannot tell a muted microphone from silence (its speakers list is who
 * talks now), so there `audio_available` is 1 from a member's join to their leave.
 */
import { ErrorCode } from '../../utils/core/events';
import { RECONNECT_DELAYS } from '../../utils/room/controller';
import type { Driver } from './driver';
import { nativeViewScenarios } from './native-views';

export interface Scenario {
  name: string;
  run(d: Driver): Promise<void>;
}

const ev = (tag: string, code: number, detail: Record<string, unknown>) => ({ tag, code, detail });
const platformError = (code: number, extra: Record<string, unknown> = {}) =>
  ev('error', code, {
    message: expect.any(String),
    rawCode: expect.any(Number),
    platformMessage: expect.any(String),
    ...extra,
  });

async function enter(d: Driver, props: Record<string, unknown> = {}): Promise<{ elapsed: number }> {
  d.mount(props);
  const started = d.start();
  await d.flush();
  const res = await started;
  await d.flush();
  return res;
}

export const scenarios: Scenario[] = [
  {
    name: 'enter: start() resolves with the elapsed time and emits enter_room once',
    async run(d) {
      const res = await enter(d);
      expect(res.elapsed).toBeGreaterThan(0);
      expect(d.events()).toEqual([ev('enter_room', res.elapsed, { roomID: 1234, userID: 'alice' })]);
      expect(d.inRoom()).toBe(true);
      expect(d.local()).toEqual({ camera: true, mic: true, publishing: true });
      expect(d.entryCalls()).toBe(1);
    },
  },
  {
    name: 'enter with strRoomID reports strRoomID',
    async run(d) {
      const res = await enter(d, { roomID: 0, strRoomID: 'class-7' });
      expect(d.events()).toEqual([ev('enter_room', res.elapsed, { strRoomID: 'class-7', userID: 'alice' })]);
    },
  },
  {
    name: 'a remote user joining with video and audio: user_join, video_available, audio_available, one tile',
    async run(d) {
      await enter(d);
      d.clearEvents();
      d.remoteJoin('bob', { video: true, audio: true });
      await d.flush();
      const video = ev('video_available', 1, { userID: 'bob', streamType: 'main' });
      const audio = ev('audio_available', 1, { userID: 'bob' });
      expect(d.events()).toEqual([
        ev('user_join', 0, { userID: 'bob' }),
        // Douyin: heard from the join on
        ...(d.platform === 'tt' ? [audio, video] : [video, audio]),
      ]);
      expect(d.tiles()).toBe(1);
    },
  },
  {
    name: 'remote video and audio going off and on',
    async run(d) {
      await enter(d);
      d.remoteJoin('bob', { video: true, audio: true });
      await d.flush();
      d.clearEvents();
      d.remoteMedia('bob', { video: false });
      d.remoteMedia('bob', { audio: false });
      await d.flush();
      d.remoteMedia('bob', { video: true });
      await d.flush();
      expect(d.events()).toEqual([
        ev('video_available', 0, { userID: 'bob', streamType: 'main' }),
        // Douyin: a silent microphone is not an event
        ...(d.platform === 'tt' ? [] : [ev('audio_available', 0, { userID: 'bob' })]),
        ev('video_available', 1, { userID: 'bob', streamType: 'main' }),
      ]);
      expect(d.tiles()).toBe(1);
    },
  },
  {
    name: 'a screen share is video_available with streamType aux and its own tile',
    async run(d) {
      await enter(d);
      d.remoteJoin('carol', { audio: true });
      await d.flush();
      d.clearEvents();
      d.remoteMedia('carol', { screen: true });
      await d.flush();
      expect(d.events()).toEqual([ev('video_available', 1, { userID: 'carol', streamType: 'aux' })]);
      expect(d.tiles()).toBe(2);
      d.remoteMedia('carol', { screen: false });
      await d.flush();
      expect(d.events().slice(1)).toEqual([ev('video_available', 0, { userID: 'carol', streamType: 'aux' })]);
      expect(d.tiles()).toBe(1);
    },
  },
  {
    name: 'a remote user leaving: streams off, then user_leave, tile gone',
    async run(d) {
      await enter(d);
      d.remoteJoin('bob', { video: true, audio: true });
      d.remoteJoin('dave');
      await d.flush();
      d.clearEvents();
      d.remoteLeave('bob');
      await d.flush();
      expect(d.events()).toEqual([
        ev('video_available', 0, { userID: 'bob', streamType: 'main' }),
        ev('audio_available', 0, { userID: 'bob' }),
        ev('user_leave', 0, { userID: 'bob' }),
      ]);
      expect(d.tiles()).toBe(1);
      expect(d.m.inst.getRemoteUsers()).toEqual([
        { userID: 'dave', hasVideo: false, hasAudio: d.platform === 'tt', hasAuxVideo: false },
      ]);
    },
  },
  {
    name: 'mute and camera off change what is sent, without events or re-entry',
    async run(d) {
      await enter(d);
      d.clearEvents();
      d.setProps({ muted: true });
      await d.flush();
      expect(d.local()).toEqual({ camera: true, mic: false, publishing: true });
      d.setProps({ enableCamera: false });
      await d.flush();
      expect(d.local()).toEqual({ camera: false, mic: false, publishing: true });
      d.setProps({ muted: false, enableCamera: true });
      await d.flush();
      expect(d.local()).toEqual({ camera: true, mic: true, publishing: true });
      expect(d.events()).toEqual([]);
      expect(d.entryCalls()).toBe(1);
    },
  },
  {
    name: 'role switch in the room: audience sends nothing, anchor again sends both, no re-entry',
    async run(d) {
      await enter(d);
      d.clearEvents();
      d.setProps({ role: 'audience' });
      await d.flush();
      expect(d.local()).toEqual({ camera: false, mic: false, publishing: false });
      d.setProps({ role: 'anchor' });
      await d.flush();
      expect(d.local()).toEqual({ camera: true, mic: true, publishing: true });
      expect(d.events()).toEqual([]);
      expect(d.entryCalls()).toBe(1);
    },
  },
  {
    name: 'audience enters without camera or microphone',
    async run(d) {
      const res = await enter(d, { role: 'audience' });
      expect(d.events()).toEqual([ev('enter_room', res.elapsed, { roomID: 1234, userID: 'alice' })]);
      expect(d.local()).toEqual({ camera: false, mic: false, publishing: false });
    },
  },
  {
    name: 'invalid userID: error -1 with field, nothing sent to the platform',
    async run(d) {
      d.mount({ userID: 'bad id!' });
      const started = d.start();
      await d.flush();
      await expect(started).rejects.toMatchObject({
        code: ErrorCode.INVALID_PARAM,
        detail: { field: 'userID' },
      });
      expect(d.events()).toEqual([
        ev('error', ErrorCode.INVALID_PARAM, { message: expect.any(String), rawCode: 0, field: 'userID' }),
      ]);
      expect(d.entryCalls()).toBe(0);
    },
  },
  {
    name: 'credential rejected: error -9, start() rejects with the same detail, not in the room',
    async run(d) {
      d.mount();
      d.willAnswer('credential');
      const started = d.start();
      await d.flush();
      await expect(started).rejects.toMatchObject({ code: ErrorCode.CREDENTIAL_REJECTED });
      expect(d.events()).toEqual([platformError(ErrorCode.CREDENTIAL_REJECTED)]);
      expect(d.inRoom()).toBe(false);
      // what the entry captured is released (Douyin captures before joinRtcRoom)
      expect(d.local()).toEqual({ camera: false, mic: false, publishing: false });
    },
  },
  {
    name: 'entering fails: error -10',
    async run(d) {
      d.mount();
      d.willAnswer('failed');
      const started = d.start();
      await d.flush();
      await expect(started).rejects.toMatchObject({ code: ErrorCode.ENTER_FAILED });
      expect(d.events()).toEqual([platformError(ErrorCode.ENTER_FAILED)]);
      expect(d.inRoom()).toBe(false);
    },
  },
  {
    name: 'camera refused: error -7 reason permission, never in the room',
    async run(d) {
      d.mount();
      d.denyCamera();
      const started = d.start();
      await d.flush();
      await expect(started).rejects.toMatchObject({
        code: ErrorCode.PERMISSION_DENIED,
        detail: { reason: 'permission' },
      });
      expect(d.events()).toEqual([platformError(ErrorCode.PERMISSION_DENIED, { reason: 'permission' })]);
      expect(d.inRoom()).toBe(false);
    },
  },
  {
    name: 'connection lost: reconnecting, re-entry after the first backoff, reconnected; users kept',
    async run(d) {
      await enter(d);
      d.remoteJoin('bob', { video: true });
      await d.flush();
      d.clearEvents();
      d.loseConnection();
      await d.flush();
      expect(d.events()).toEqual([ev('reconnecting', 1, {})]);
      await d.advance(RECONNECT_DELAYS[0]);
      expect(d.events()).toEqual([ev('reconnecting', 1, {}), ev('reconnected', 1, {})]);
      d.firstFrames(); // the re-entered room plays bob again
      await d.advance(5000); // past the resync window: bob was confirmed again
      expect(d.events()).toHaveLength(2);
      expect(d.tiles()).toBe(1);
      expect(d.inRoom()).toBe(true);
      expect(d.entryCalls()).toBe(2);
    },
  },
  {
    name: 'connection lost for good: reconnecting 1-5, then error -6 and exit_room',
    async run(d) {
      await enter(d);
      d.clearEvents();
      d.willAnswer(...RECONNECT_DELAYS.map(() => 'failed' as const));
      d.loseConnection();
      await d.flush();
      for (const delay of RECONNECT_DELAYS) await d.advance(delay);
      expect(d.events()).toEqual([
        ...RECONNECT_DELAYS.map((_, i) => ev('reconnecting', i + 1, {})),
        platformError(ErrorCode.CONNECTION_LOST),
        ev('exit_room', expect.any(Number), { reason: 'lost' }),
      ]);
      expect(d.inRoom()).toBe(false);
    },
  },
  {
    name: 'stop(): exit_room exactly once, the room is left natively',
    async run(d) {
      await enter(d);
      d.remoteJoin('bob', { video: true });
      await d.flush();
      d.clearEvents();
      await d.m.inst.stop();
      await d.m.inst.stop();
      await d.flush();
      expect(d.events()).toEqual([ev('exit_room', 0, { reason: 'left' })]);
      expect(d.inRoom()).toBe(false);
      expect(d.tiles()).toBe(0);
      expect(d.local()).toMatchObject({ camera: false, mic: false });
    },
  },
  {
    name: 'stop() then start() again enters again',
    async run(d) {
      await enter(d);
      await d.m.inst.stop();
      await d.flush();
      d.clearEvents();
      const again = d.start();
      await d.flush();
      const res = await again;
      expect(d.events()).toEqual([ev('enter_room', res.elapsed, { roomID: 1234, userID: 'alice' })]);
      expect(d.entryCalls()).toBe(2);
    },
  },
  {
    name: 'detached: the room is left natively and exit_room is emitted once',
    async run(d) {
      await enter(d);
      d.clearEvents();
      d.detach();
      await d.flush();
      expect(d.events()).toEqual([ev('exit_room', 0, { reason: 'left' })]);
      expect(d.inRoom()).toBe(false);
      expect(jest.getTimerCount()).toBe(0);
    },
  },
  ...nativeViewScenarios,
];
