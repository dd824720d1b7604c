/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Douyin stand-ins: `tt.createRtcRoomContext({appId})` (RtcRoomContext on the room emulator's Volc model)
 * and the `<rtc-room user-id mode>` view (one user's stream: `camera` = own preview, `video`/`screen` = remote).
 */
import { AudioOut, Meter, type SoundMode } from './audio';
import { fail, ok, playWithAutoplayFallback } from './natives';
import { getLocalMedia, labelCameraEnabled, relabel } from './media';
import { RemoteFeed, Session, type Subscription } from './rtc';
import { SPEAKING_SAMPLE_MS, SpeakingList } from './speaking';

const jComponent = require('j-component');

type Cb = {
  success?: (r: any) => void;
  fail?: (r: any) => void;
  complete?: (r: any) => void;
  [k: string]: any;
};

/**
 * `?deny=camera|mic` on Douyin: the capture call itself fails as after the user's refusal (Douyin prompts on the
 * RTC call, douyin-rtc.md §2.5), until `tt.openSetting` turned the scope on; the page's own `tt.getSetting`
 * (the shared wx/tt shim) is the one record of what is refused.
 */
function refused(scope: string): boolean {
  let setting: Record<string, boolean> = {};
  (globalThis as any).tt?.getSetting?.({ success: (r: any) => (setting = r.authSetting ?? {}) });
  return setting[scope] === false;
}

/** The page's local capture, shared by every context and every `<rtc-room mode="camera">`. */
const local = {
  stream: null as MediaStream | null,
  pending: null as Promise<MediaStream> | null,
  video: false,
  audio: false,
  watchers: new Set<() => void>(),
  get(): Promise<MediaStream> {
    if (this.stream) return Promise.resolve(this.stream);
    if (!this.pending) {
      this.pending = getLocalMedia('me').then((m) => {
        this.stream = m.stream;
        this.apply();
        return m.stream;
      });
    }
    return this.pending;
  },
  apply(): void {
    this.stream?.getVideoTracks().forEach((t) => (t.enabled = this.video));
    this.stream?.getAudioTracks().forEach((t) => (t.enabled = this.audio));
    for (const w of this.watchers) w();
  },
};

/**
 * Remote audio the way the engine plays it: one hidden `<audio>` per remote chat member whose audio is
 * subscribed (`roomConfig.autoSubscribe`, then `changeStreamSubscribeState`), whether or not a `<rtc-room>` view
 * of that user is mounted (a user with the camera off is still heard). The views take only the video.
 */
interface RemotePlayer {
  el: HTMLAudioElement;
  /** plays the stream; its input level (before the sound mode's gain) is what the host's speaker detection hears */
  out: AudioOut;
  sub: Subscription | null;
}

class RoomAudio {
  private readonly players = new Map<string, RemotePlayer>();
  private members: string[] = [];
  private mode: SoundMode = 'speaker';

  constructor(
    private readonly session: Session,
    private readonly wanted: (userId: string) => boolean,
  ) {}

  /** `setAudioPlaybackDevice`: every remote's sound through the loudspeaker or the earpiece. */
  setMode(mode: SoundMode): void {
    this.mode = mode;
    for (const p of this.players.values()) p.out.setMode(mode);
  }

  /** The peak of every remote heard now (subscribed, with an audio track). */
  levels(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [u, p] of this.players) if (p.el.srcObject) out.set(u, p.out.inputLevel());
    return out;
  }

  setMembers(list: string[]): void {
    this.members = list.filter((u) => u !== this.session.userID);
    this.sync();
  }

  /** (Un)subscribes to match the members and the subscription state; re-subscribes a broken connection. */
  sync(): void {
    for (const [u, p] of this.players) {
      if (!this.members.includes(u) || !this.wanted(u)) {
        p.sub?.close();
        p.el.srcObject = null;
        p.el.remove();
        p.out.close();
        this.players.delete(u);
      }
    }
    for (const u of this.members) {
      if (!this.wanted(u)) continue;
      const cur = this.players.get(u);
      const st = cur?.sub?.pc?.connectionState;
      if (cur?.sub && st !== 'failed' && st !== 'closed' && st !== 'disconnected') continue;
      cur?.sub?.close();
      const el = cur?.el ?? this.element(u);
      const out = cur?.out ?? new AudioOut(el, u);
      out.setMode(this.mode);
      const entry: RemotePlayer = { el, out, sub: null };
      this.players.set(u, entry);
      entry.sub = this.session.subscribe(
        u,
        (stream) => {
          if (el.srcObject !== stream) el.srcObject = stream;
          out.setStream(stream);
          playWithAutoplayFallback(el);
        },
        (st2) => {
          if (st2 === 'failed' && this.players.get(u) === entry) this.sync();
        },
        ['audio'],
      );
    }
  }

  private element(userId: string): HTMLAudioElement {
    let box = document.getElementById('mp-remote-audio');
    if (!box) {
      box = document.createElement('div');
      box.id = 'mp-remote-audio';
      box.style.display = 'none';
      document.body.appendChild(box);
    }
    const el = document.createElement('audio');
    el.autoplay = true;
    el.dataset.userId = userId;
    box.appendChild(el);
    return el;
  }

  /** For tests: what each remote's audio element is doing. */
  async stats(): Promise<RemoteAudioStats[]> {
    const rows: RemoteAudioStats[] = [];
    for (const [userId, { el, sub, out }] of this.players) {
      let bytes = 0;
      (await sub?.pc?.getStats())?.forEach((r: { type: string; kind?: string; bytesReceived?: number }) => {
        if (r.type === 'inbound-rtp' && r.kind === 'audio') bytes += r.bytesReceived ?? 0;
      });
      const track = (el.srcObject as MediaStream | null)?.getAudioTracks()[0];
      rows.push({
        userId,
        bytes,
        playing: out.stats().playing,
        track: track ? { readyState: track.readyState, muted: track.muted, enabled: track.enabled } : null,
      });
    }
    return rows;
  }

  close(): void {
    this.members = [];
    this.sync();
  }
}

export interface RemoteAudioStats {
  userId: string;
  /** inbound audio bytes so far */
  bytes: number;
  /** its sound plays (unmuted, through the page's Web Audio output) */
  playing: boolean;
  track: { readyState: string; muted: boolean; enabled: boolean } | null;
}

const rooms = new Set<RoomAudio>();
(globalThis as { __PREVIEW_AUDIO__?: unknown }).__PREVIEW_AUDIO__ = async (): Promise<RemoteAudioStats[]> =>
  (await Promise.all([...rooms].map((r) => r.stats()))).flat();

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

export function createRtcRoomContext(o: { appId?: string } | string): any {
  const appId = typeof o === 'string' ? o : String(o?.appId ?? '');
  const listeners = new Map<string, Set<(e: any) => void>>();
  let session: Session | null = null;
  let roomId = '';
  let audio: RoomAudio | null = null;
  let autoSubscribe = true;
  /** per remote user: audio subscribed or not (`changeStreamSubscribeState`); absent = autoSubscribe */
  const audioSub = new Map<string, boolean>();
  const wantsAudio = (u: string): boolean => audioSub.get(u) ?? autoSubscribe;
  /** setAudioPlaybackDevice: kept across rooms, as the engine keeps its audio route */
  let soundMode: SoundMode = 'speaker';
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
          if (msg.t === 'tt' && msg.name === 'onRtcChatMembersChanged' && audio === ra) {
            ra.setMembers((msg.data as { userIdList: string[] }).userIdList);
          }
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
  for (const name of ['changeUserVisibility', 'changeScreenSubscribeState', 'setVideoEncoderConfig']) {
    ctx[name] = (p: Cb) => ok(name, p);
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

jComponent.register({
  id: 'rtc-room',
  tagName: 'wx-rtc-room',
  template: '<slot/>',
  properties: {
    userId: { type: String, value: '' },
    mode: { type: String, value: 'camera' },
    devicePosition: { type: String, value: 'front' },
  },
  observers: {
    'userId, mode': function (this: any) {
      const key = `${this.data.mode}|${this.data.userId}`;
      if (key === this.__key) return; // idempotent: j-component re-applies attributes on every render
      this.__key = key;
      this.__show();
    },
  },
  lifetimes: {
    attached(this: any) {
      const host: HTMLElement = this._exparserNode.$$;
      host.classList.add('mp-native');
      const v = document.createElement('video');
      v.autoplay = true;
      v.playsInline = true;
      v.muted = true;
      v.className = 'mp-native-video';
      host.appendChild(v);
      this.__video = v;
      v.addEventListener('resize', () => this.__frame());
      v.addEventListener('playing', () => this.__frame());
      if (this.__key) this.__show();
    },
    detached(this: any) {
      this.__stop();
    },
  },
  methods: {
    __frame(this: any) {
      if (this.__video?.videoWidth > 0) this._exparserNode.$$.dataset.previewPlaying = '1';
    },
    __stop(this: any) {
      const sub: RemoteFeed | null = this.__sub;
      this.__sub = null;
      sub?.close();
      if (this.__localWatch) local.watchers.delete(this.__localWatch);
    },
    __show(this: any) {
      const v: HTMLVideoElement | undefined = this.__video;
      if (!v) return;
      this.__stop();
      const host: HTMLElement = this._exparserNode.$$;
      host.dataset.previewUser = this.data.userId;
      host.dataset.previewPlaying = '0';
      if (this.data.mode === 'camera') {
        v.muted = true;
        // mirrored like a front camera; a labelled camera (`?camera=label`) stays readable
        v.style.transform = labelCameraEnabled() ? '' : 'scaleX(-1)';
        const me: string = this.data.userId;
        void local.get().then((s) => {
          relabel(s, me);
          v.srcObject = s;
          playWithAutoplayFallback(v);
        });
        return;
      }
      v.style.transform = '';
      v.muted = true; // the room plays the audio (RoomAudio), views show the video
      v.style.objectFit = this.data.mode === 'screen' ? 'contain' : 'cover';
      const userId: string = this.data.userId;
      this.__sub = new RemoteFeed(
        userId,
        {
          onStream: (stream) => {
            if (v.srcObject !== stream) v.srcObject = stream;
            playWithAutoplayFallback(v);
            this.__frame();
          },
          onState: () => undefined,
          onLost: () => {
            host.dataset.previewPlaying = '0';
          },
          healthy: () => host.dataset.previewPlaying === '1',
        },
        ['video'],
      );
    },
  },
});
