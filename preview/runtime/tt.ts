/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Douyin stand-ins: `tt.createRtcRoomContext({appId})` (RtcRoomContext on the room emulator's Volc model:
 * joining, capture, publish/subscribe, token, audio route, who is speaking); the room's sound in tt-audio.ts,
 * the `<rtc-room>` view in tt-view.ts, the page's capture in tt-local.ts.
 */
import { Meter, type SoundMode } from './audio';
import { relabel } from './media';
import { fail, ok } from './native-util';
import { Session } from './rtc';
import { SPEAKING_SAMPLE_MS, SpeakingList } from './speaking';
import { RoomAudio, rooms } from './tt-audio';
import { privacyRefusal } from './faults';
import { local, refused } from './tt-local';
import './tt-view';

type Cb = {
  success?: (r: any) => void;
  fail?: (r: any) => void;
  complete?: (r: any) => void;
  [k: string]: any;
};

const EVENTS = [
  'onRtcChatMembersChanged',
  'onRtcVideoMembersChanged',
  'onRtcChatSpeakersChanged',
  'onRtcPublishScreenMembersChanged',
  'onRtcChatInterrupted',
  'onRtcStateChange',
  'onRtcStateChanged',
  'onRoomTokenWillExpire',
];

/** The privacy layer's refusal of a capture call (douyin-rtc.md §2.3, base library 3.19.0+), or null. */
function privacyFailure(): { why: string; errNo: number } | null {
  const r = privacyRefusal();
  if (r === 'refused') return { why: 'privacy permission is not authorized', errNo: 10201 };
  if (r === 'undeclared') return { why: 'api scope is not declared in the privacy agreement', errNo: 10202 };
  return null;
}

/** What every call on a destroyed engine answers (douyin-rtc.md §2.3, errorCode 115910). */
const ENGINE_GONE = 'engine has been destroyed,please invoke tt.createRtcRoomContext create new engine';

export function createRtcRoomContext(o: { appId?: string } | string): any {
  const appId = typeof o === 'string' ? o : String(o?.appId ?? '');
  const listeners = new Map<string, Set<(e: any) => void>>();
  let session: Session | null = null;
  /** the host destroyed this engine (the emulator's engine_destroyed): no event, every call fails 115910 */
  let destroyed = false;
  let roomId = '';
  let audio: RoomAudio | null = null;
  let autoSubscribe = true;
  /** per remote user: audio subscribed or not (`changeStreamSubscribeState`); absent = autoSubscribe */
  const audioSub = new Map<string, boolean>();
  const wantsAudio = (u: string): boolean => audioSub.get(u) ?? autoSubscribe;
  /** setAudioPlaybackDevice: kept across rooms, as the engine keeps its audio route */
  let soundMode: SoundMode = 'speaker';
  /** changeUserVisibility: the engine's, kept across rooms; false = in no member list, publishes nothing */
  let visible = true;
  /** who is speaking now, from what this page hears (the host computes the list, the cloud does not send it) */
  let speaking: { list: SpeakingList; timer: ReturnType<typeof setInterval>; meter: Meter | null } | null =
    null;
  const stopSpeaking = (): void => {
    if (!speaking) return;
    clearInterval(speaking.timer);
    speaking.meter?.close();
    speaking = null;
  };
  const startSpeaking = (s: Session, ra: RoomAudio): void => {
    stopSpeaking();
    const list = new SpeakingList();
    const state = {
      list,
      meter: local.stream ? new Meter(local.stream) : null,
      timer: setInterval(() => {
        if (session !== s || !s.joined) return;
        const levels = ra.levels();
        if (local.audio && state.meter) levels.set(s.userID, state.meter.peak());
        const changed = list.update(levels, Date.now());
        if (changed) fire('onRtcChatSpeakersChanged', { userIdList: changed });
      }, SPEAKING_SAMPLE_MS),
    };
    speaking = state;
  };
  const stopAudio = (): void => {
    stopSpeaking();
    if (!audio) return;
    audio.close();
    rooms.delete(audio);
    audio = null;
  };
  const fire = (name: string, data: unknown): void => {
    for (const fn of listeners.get(name) ?? []) {
      try {
        fn(data);
      } catch (e) {
        setTimeout(() => {
          throw e;
        });
      }
    }
  };
  const ctx: Record<string, any> = {
    joinRtcRoom(p: Cb) {
      if (session)
        return fail('joinRtcRoom', p, `user ${p.userId} is already in the room ${roomId}`, { errNo: 21100 });
      if (!p?.roomId || !p?.userId || !p?.token)
        return fail('joinRtcRoom', p, 'param error', { errNo: 20000 });
      roomId = String(p.roomId);
      autoSubscribe = p.roomConfig?.autoSubscribe !== false;
      audioSub.clear();
      void local.get().then((stream) => {
        relabel(stream, String(p.userId));
        const s = new Session(stream);
        session = s;
        stopAudio();
        const ra = new RoomAudio(s, wantsAudio);
        ra.setMode(soundMode);
        audio = ra;
        rooms.add(ra);
        let joined = false;
        s.on((msg) => {
          if (msg.t === 'fault' && msg.fault.kind === 'engine_destroyed') {
            // out of the room with its capture: the page hears of it on its next call
            destroyed = true;
            if (session === s) session = null;
            if (audio === ra) stopAudio();
            audioSub.clear();
            local.video = false;
            local.audio = false;
            local.apply();
          }
          if (destroyed) return;
          if (msg.t === 'tt' && msg.name === 'onRtcChatMembersChanged' && audio === ra) {
            ra.setMembers((msg.data as { userIdList: string[] }).userIdList);
          }
          // autoSubscribe: the engine subscribes when a user starts publishing
          if (msg.t === 'stream' && msg.audio && audio === ra) ra.published(msg.userId);
          if (msg.t === 'error' && msg.message.startsWith('closed:') && audio === ra) stopAudio();
          if (msg.t === 'joined') {
            joined = true;
            if (audio === ra) startSpeaking(s, ra);
            ok('joinRtcRoom', p);
          } else if (msg.t === 'join_failed') {
            session = null;
            if (audio === ra) stopAudio();
            fail('joinRtcRoom', p, msg.message.replace(/^joinRtcRoom:fail /, ''), { errNo: msg.code });
          } else if (msg.t === 'tt') {
            if (msg.name === 'onRtcStateChanged') {
              fire('onRtcStateChanged', msg.data);
              fire('onRtcStateChange', msg.data);
            } else fire(msg.name, msg.data);
            if (msg.name === 'onRtcChatInterrupted') session = null;
          } else if (msg.t === 'error' && msg.message.startsWith('closed:')) {
            const byUs = s.closedByUs;
            if (session === s) session = null;
            if (joined && !byUs && !msg.message.startsWith('closed:4001')) {
              fire('onRtcChatInterrupted', { errNo: -1, errMsg: 'network disconnected' });
            } else if (!joined && !byUs && msg.message.startsWith('closed:4007')) {
              // no network: the join cannot reach the server
              if (audio === ra) stopAudio();
              fail('joinRtcRoom', p, 'network error', { errNo: 21102 });
            }
          }
        });
        s.open({
          t: 'join',
          model: 'volc',
          appID: appId,
          roomId,
          userId: String(p.userId),
          token: String(p.token),
          audio: local.audio,
          video: local.video,
          visible,
        }).catch((e: Error) => {
          session = null;
          if (audio === ra) stopAudio();
          fail('joinRtcRoom', p, e.message, { errNo: 21102 });
        });
      });
    },
    exitRtcRoom(p: Cb) {
      session?.leave();
      session = null;
      stopAudio();
      audioSub.clear();
      ok('exitRtcRoom', p);
    },
    changeVideoCapture(p: Cb) {
      const privacy = Number(p?.state) === 1 ? privacyFailure() : null;
      if (privacy) return fail('changeVideoCapture', p, privacy.why, { errNo: privacy.errNo });
      if (Number(p?.state) === 1 && refused('scope.camera'))
        return fail('changeVideoCapture', p, 'auth deny', { errNo: 10200 });
      local.video = Number(p?.state) === 1;
      void local.get().then(() => {
        local.apply();
        session?.update({ video: local.video });
        ok('changeVideoCapture', p);
      });
    },
    changeAudioCapture(p: Cb) {
      const privacy = Number(p?.state) === 1 ? privacyFailure() : null;
      if (privacy) return fail('changeAudioCapture', p, privacy.why, { errNo: privacy.errNo });
      if (Number(p?.state) === 1 && refused('scope.record'))
        return fail('changeAudioCapture', p, 'auth deny', { errNo: 10200, errorCode: 115990 });
      local.audio = Number(p?.state) === 1;
      void local.get().then(() => {
        local.apply();
        session?.update({ audio: local.audio });
        ok('changeAudioCapture', p);
      });
    },
    changeStreamPublishState(p: Cb) {
      const on = Number(p?.state) === 1;
      const t = p?.streamType ?? 'both';
      if (t !== 'audio') session?.update({ video: on && local.video });
      if (t !== 'video') session?.update({ audio: on && local.audio });
      ok('changeStreamPublishState', p);
    },
    switchCamera(p: Cb) {
      if (p?.camera !== 'front' && p?.camera !== 'back') {
        return fail(
          'switchCamera',
          p,
          `expect params.camera to be one of "back", "front", but got ${p?.camera}`,
          { errNo: 20000 },
        );
      }
      ok('switchCamera', p);
    },
    changeStreamSubscribeState(p: Cb) {
      const t = p?.streamType ?? 'both';
      if (p?.userId !== undefined && t !== 'video') {
        audioSub.set(String(p.userId), Number(p?.state) === 1);
        audio?.sync();
      }
      ok('changeStreamSubscribeState', p);
    },
  };
  /** The new token goes to the emulator, which checks it as the cloud would (21101 when refused). */
  ctx.updateToken = (p: Cb) => {
    const s = session;
    if (!s || !s.joined) return fail('updateToken', p, 'not in a room', { errNo: 20000 });
    if (typeof p?.token !== 'string' || !p.token)
      return fail('updateToken', p, 'param error', { errNo: 20000 });
    const off = s.on((msg) => {
      if (msg.t === 'token') {
        off();
        if (msg.ok) ok('updateToken', p);
        else fail('updateToken', p, 'invalid token', { errNo: msg.code ?? 21101 });
      } else if (msg.t === 'error' && msg.message.startsWith('closed:')) {
        off();
        fail('updateToken', p, 'not in a room', { errNo: 20000 });
      }
    });
    s.send({ t: 'token', token: p.token });
  };
  /** The audio route: `earpiece` plays every remote far quieter and in mono (AudioOut), `speakerphone` at full. */
  ctx.setAudioPlaybackDevice = (p: Cb) => {
    const device = p?.device;
    if (device !== 'earpiece' && device !== 'speakerphone') {
      return fail(
        'setAudioPlaybackDevice',
        p,
        `expect params.device to be one of "speakerphone", "earpiece", but got ${device}`,
        { errNo: 20000 },
      );
    }
    soundMode = device === 'earpiece' ? 'ear' : 'speaker';
    audio?.setMode(soundMode);
    ok('setAudioPlaybackDevice', p);
  };
  /** The room (the emulator) takes the member out of its lists, or back in (douyin-rtc.md §2.3). */
  ctx.changeUserVisibility = (p: Cb) => {
    if (typeof p?.visible !== 'boolean') {
      return fail(
        'changeUserVisibility',
        p,
        `expect params.visible to be boolean, but got ${String(p?.visible)}`,
        { errNo: 20000 },
      );
    }
    visible = p.visible;
    session?.update({ visible });
    ok('changeUserVisibility', p);
  };
  for (const name of ['changeScreenSubscribeState', 'setVideoEncoderConfig']) {
    ctx[name] = (p: Cb) => ok(name, p);
  }
  for (const [name, call] of Object.entries(ctx)) {
    ctx[name] = (p: Cb) => (destroyed ? fail(name, p, ENGINE_GONE, { errorCode: 115910 }) : call(p));
  }
  for (const name of EVENTS) {
    ctx[name] = (fn: (e: any) => void) => {
      if (!listeners.has(name)) listeners.set(name, new Set());
      listeners.get(name)!.add(fn);
    };
    ctx['off' + name.slice(2)] = (fn?: (e: any) => void) => {
      if (fn) listeners.get(name)?.delete(fn);
      else listeners.delete(name);
    };
  }
  return ctx;
}
