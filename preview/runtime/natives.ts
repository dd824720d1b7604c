/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * `<live-pusher>` / `<live-player>` stand-ins (WeChat TRTC room mode) on WebRTC + the room emulator.
 * Same attributes, same events (`statechange {code, message}`, `netstatus {info}`, `error`) as the client.
 * j-component re-applies every attribute on each parent re-render, so every observer is idempotent.
 */
import { AudioOut } from './audio';
import { Bgm } from './bgm';
import { degrade, onPlayerFailure } from './faults';
import { log } from './log';
import { getLocalMedia, labelCameraEnabled, relabel } from './media';
import { RemoteFeed, Session } from './rtc';

const jComponent = require('j-component');

type Cb = { success?: (r: any) => void; fail?: (r: any) => void; complete?: (r: any) => void } | undefined;

export function ok(name: string, cb: Cb, extra: Record<string, unknown> = {}): void {
  const r = { errMsg: `${name}:ok`, ...extra };
  cb?.success?.(r);
  cb?.complete?.(r);
}

/** Context methods the stand-ins accept and answer with `<name>:ok` without doing anything. */
function acknowledged(names: string[]): Record<string, (cb: Cb) => void> {
  return Object.fromEntries(names.map((name) => [name, (cb: Cb) => ok(name, cb)]));
}

export function fail(name: string, cb: Cb, why: string, extra: Record<string, unknown> = {}): void {
  const r = { errMsg: `${name}:fail ${why}`, ...extra };
  cb?.fail?.(r);
  cb?.complete?.(r);
}

/** `room://cloud.tencent.com/rtc?a=b` → {a: 'b'} (keys lower-cased, values decoded). */
export function roomParams(url: string): Record<string, string> {
  const out: Record<string, string> = {};
  const q = url.indexOf('?');
  if (q < 0) return out;
  for (const part of url.slice(q + 1).split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = (eq < 0 ? part : part.slice(0, eq)).toLowerCase();
    const v = eq < 0 ? '' : part.slice(eq + 1);
    try {
      out[k] = decodeURIComponent(v.replace(/\+/g, '%20'));
    } catch {
      out[k] = v;
    }
  }
  return out;
}

function makeVideo(host: HTMLElement, muted: boolean): HTMLVideoElement {
  const v = document.createElement('video');
  v.autoplay = true;
  v.playsInline = true;
  v.muted = muted;
  v.setAttribute('playsinline', '');
  v.className = 'mp-native-video';
  host.appendChild(v);
  return v;
}

/** Plays with sound when the browser allows it, muted (and unmuted on the next user gesture) otherwise. */
export function playWithAutoplayFallback(v: HTMLMediaElement): void {
  const p = v.play();
  if (!p) return;
  p.catch(() => {
    if (v.muted) return;
    v.muted = true;
    void v.play().catch(() => undefined);
    const unmute = (): void => {
      if (v.dataset.wantMuted !== '1') v.muted = false;
      void v.play().catch(() => undefined);
    };
    document.addEventListener('pointerdown', unmute, { once: true, capture: true });
  });
}

/** Timestamps for tests and the bench: `globalThis.__previewMarks`. */
export function mark(what: string, user: string): void {
  const g = globalThis as { __previewMarks?: Array<{ what: string; user: string; t: number }> };
  (g.__previewMarks ??= []).push({ what, user, t: Date.now() });
}

const fit = (f: string | undefined): string =>
  f === 'contain' ? 'contain' : f === 'fill' ? 'fill' : 'cover';

/** WebRTC audioLevel (linear 0..1) → the 0-100 of bindaudiovolumenotify (square root: speech lands at 10-60). */
export function volumeOf(level: number): number {
  return Math.round(Math.min(1, Math.sqrt(Math.max(0, level))) * 100);
}

/** The video's current frame as a JPEG data URL: the preview's `tempImagePath`. */
function frameOf(v: HTMLVideoElement | undefined): { tempImagePath: string; width: number; height: number } {
  const width = v?.videoWidth ?? 0;
  const height = v?.videoHeight ?? 0;
  let tempImagePath = '';
  if (v && width && height) {
    const c = document.createElement('canvas');
    c.width = width;
    c.height = height;
    c.getContext('2d')?.drawImage(v, 0, 0, width, height);
    tempImagePath = c.toDataURL('image/jpeg', 0.8);
  }
  return { tempImagePath, width, height };
}

/** bindaudiovolumenotify every 300 ms, as the client does a few times a second. */
const VOLUME_MS = 300;

function strictDevices(): boolean {
  return !!(globalThis as { __PREVIEW__?: { strictDevices?: boolean } }).__PREVIEW__?.strictDevices;
}

jComponent.register({
  id: 'live-pusher',
  tagName: 'wx-live-pusher',
  template: '<slot/>',
  options: { multipleSlots: true },
  properties: {
    url: { type: String, value: '' },
    mode: { type: String, value: 'RTC' },
    autopush: { type: Boolean, value: false },
    muted: { type: Boolean, value: false },
    enableCamera: { type: Boolean, value: true },
    enableMic: { type: Boolean, value: true },
    autoFocus: { type: Boolean, value: true },
    orientation: { type: String, value: 'vertical' },
    beauty: { type: Number, value: 0 },
    whiteness: { type: Number, value: 0 },
    aspect: { type: String, value: '9:16' },
    minBitrate: { type: Number, value: 200 },
    maxBitrate: { type: Number, value: 1000 },
    audioQuality: { type: String, value: 'high' },
    waitingImage: { type: String, value: '' },
    backgroundMute: { type: Boolean, value: false },
    zoom: { type: Boolean, value: false },
    devicePosition: { type: String, value: 'front' },
    localMirror: { type: String, value: 'auto' },
    remoteMirror: { type: Boolean, value: false },
    audioVolumeType: { type: String, value: 'auto' },
    objectFit: { type: String, value: 'fillCrop' },
    debug: { type: Boolean, value: false },
  },
  observers: {
    'url, autopush': function (this: any) {
      if (this.data.autopush && this.data.url) this.__start(undefined);
    },
    'muted, enableMic, enableCamera': function (this: any) {
      this.__applyTracks();
    },
    objectFit: function (this: any, f: string) {
      if (this.__video) this.__video.style.objectFit = fit(f);
    },
  },
  lifetimes: {
    attached(this: any) {
      const host: HTMLElement = this._exparserNode.$$;
      host.classList.add('mp-native');
      this.__video = makeVideo(host, true);
      // mirrored like a front camera; a labelled camera (`?camera=label`) stays readable
      if (!labelCameraEnabled()) this.__video.style.transform = 'scaleX(-1)';
      this.__state = 'idle';
      this.__net = setInterval(() => void this.__netstatus(), 1000);
      this.__vol = setInterval(() => void this.__volume(), VOLUME_MS);
    },
    detached(this: any) {
      clearInterval(this.__net);
      clearInterval(this.__vol);
      this.__teardown(false);
      this.__bgm?.close();
      this.__bgm = null;
      this.__media?.getTracks().forEach((t: MediaStreamTrack) => t.stop());
      this.__media = null;
    },
  },
  methods: {
    __emit(this: any, code: number, message: string) {
      this._exparserNode.$$.dataset.previewCode = String(code);
      this.triggerEvent('statechange', { code, message });
    },
    async __ensureMedia(this: any): Promise<MediaStream> {
      if (this.__media) return this.__media;
      if (!this.__mediaP) {
        this.__mediaP = getLocalMedia(
          this.__label || 'me',
          this.data.devicePosition === 'back' ? 'environment' : 'user',
        ).then((m) => {
          if (m.error && strictDevices()) {
            if (m.error !== 'mic') this.__emit(-1301, 'open camera failed');
            if (m.error !== 'camera') this.__emit(-1302, 'open microphone failed');
          } else if (m.error) {
            log.warn(`no ${m.error === 'both' ? 'camera or microphone' : m.error}: using a stand-in`);
          }
          this.__media = m.stream;
          this.__video.srcObject = m.stream;
          playWithAutoplayFallback(this.__video);
          this.__applyTracks();
          return m.stream;
        });
      }
      return this.__mediaP;
    },
    __applyTracks(this: any) {
      const m: MediaStream | null = this.__media;
      const audioOn = !!this.data.enableMic && !this.data.muted;
      const videoOn = !!this.data.enableCamera;
      if (m) {
        m.getAudioTracks().forEach((t) => (t.enabled = audioOn));
        m.getVideoTracks().forEach((t) => (t.enabled = videoOn));
      }
      // the published mix of microphone and background music goes quiet with the microphone
      (this.__outStream as MediaStream | null)?.getAudioTracks().forEach((t) => (t.enabled = audioOn));
      if (this.__video) this.__video.style.visibility = videoOn ? 'visible' : 'hidden';
      const host: HTMLElement = this._exparserNode.$$;
      host.dataset.previewAudio = audioOn ? '1' : '0';
      host.dataset.previewVideo = videoOn ? '1' : '0';
      if (this.__session && this.__session.joined) {
        if (this.__sentAudio !== audioOn || this.__sentVideo !== videoOn) {
          this.__sentAudio = audioOn;
          this.__sentVideo = videoOn;
          this.__session.update({ audio: audioOn, video: videoOn });
        }
      }
    },
    async __start(this: any, cb: Cb) {
      const url: string = this.data.url;
      if (!url) return fail('start', cb, 'url is empty');
      if (this.__session && this.__sessionUrl === url) return ok('start', cb); // idempotent
      this.__teardown(false);
      const p = roomParams(url);
      if (!/^room:\/\/(cloud\.tencent\.com\/rtc|rtc\.tencent\.com)/.test(url)) {
        return fail('start', cb, 'preview only supports TRTC room:// URLs');
      }
      this.__label = p.userid;
      this.__sessionUrl = url;
      const media = await this.__ensureMedia();
      relabel(media, p.userid ?? '');
      if (this.__sessionUrl !== url) return fail('start', cb, 'superseded'); // stopped meanwhile
      const audio = !!this.data.enableMic && !this.data.muted;
      const video = !!this.data.enableCamera;
      this.__sentAudio = audio;
      this.__sentVideo = video;
      if (video) this.__emit(1003, 'open camera success');
      const session = new Session(this.__outStream ?? media);
      session.encSmall = p.encsmall === '1';
      this.__session = session;
      this.__kicked = false;
      this.__startedAt = performance.now();
      session.on((msg) => {
        if (this.__session !== session) return;
        if (msg.t === 'event') {
          if (msg.code === 1019 && !/reason\[0\]/.test(msg.message)) this.__kicked = true;
          this.__emit(msg.code, msg.message);
          if (msg.code === 1018) this.__applyTracks();
        } else if (msg.t === 'error' && msg.message.startsWith('closed:')) {
          const [, code, wasJoined] = msg.message.split(':');
          this.__session = null;
          this.__sessionUrl = '';
          // lost after entering, or no network to enter at all (an injected outage): the client's -1307
          if (
            !session.closedByUs &&
            !this.__kicked &&
            code !== '4002' &&
            (wasJoined === '1' || code === '4007')
          ) {
            this.__emit(-1307, 'network disconnected, tried reconnecting several times');
          }
        }
      });
      const roomID = p.roomid !== undefined && /^\d+$/.test(p.roomid) ? Number(p.roomid) : undefined;
      try {
        await session.open({
          t: 'join',
          model: 'trtc',
          sdkAppID: Number(p.sdkappid),
          roomID: p.strroomid ? undefined : roomID,
          strRoomID: p.strroomid || undefined,
          userID: p.userid ?? '',
          userSig: p.usersig ?? '',
          privateMapKey: p.privatemapkey,
          audio,
          video,
        });
        ok('start', cb);
      } catch (e) {
        if (this.__session !== session) return fail('start', cb, 'superseded'); // stopped meanwhile
        this.__session = null;
        this.__sessionUrl = '';
        fail('start', cb, String((e as Error).message));
        this.__emit(-1307, 'network disconnected, tried reconnecting several times');
      }
    },
    __teardown(this: any, polite: boolean) {
      const s: Session | null = this.__session;
      this.__session = null;
      this.__sessionUrl = '';
      if (s) {
        if (polite) {
          // the emulator's 1019 reason[0] still reaches us
          s.on((msg) => msg.t === 'event' && msg.code === 1019 && this.__emit(msg.code, msg.message));
        }
        s.leave();
      }
    },
    async __volume(this: any) {
      const s: Session | null = this.__session;
      if (!s || !s.joined) return;
      const level = await s.audioLevel();
      if (level === null) return;
      const on = !!this.data.enableMic && !this.data.muted;
      this.triggerEvent('audiovolumenotify', { volume: on ? volumeOf(level) : 0 });
    },
    async __netstatus(this: any) {
      const s: Session | null = this.__session;
      if (!s || !s.joined || !this.__video) return;
      const { bytes, audioBytes, connections } = await s.outboundStats();
      const now = performance.now();
      const last = this.__lastNet;
      this.__lastNet = { t: now, b: bytes, a: audioBytes, s, n: connections };
      const track: MediaStreamTrack | undefined = this.__media?.getVideoTracks()[0];
      const settings = track?.getSettings() ?? {};
      const info: Record<string, number> = {
        videoFPS: Math.round(settings.frameRate ?? 0),
        videoGOP: 3,
        videoWidth: this.__video.videoWidth,
        videoHeight: this.__video.videoHeight,
      };
      // rates need two samples of the same connections; nobody subscribed: the real client still uploads
      // to the server, so say nothing about the network rather than "down"
      if (connections && last && last.s === s && last.n === connections && bytes >= last.b) {
        const dt = (now - last.t) / 1000;
        const vb = Math.round(((bytes - last.b) * 8) / 1000 / dt);
        const ab = Math.max(0, Math.round(((audioBytes - last.a) * 8) / 1000 / dt));
        Object.assign(info, { videoBitrate: vb, audioBitrate: ab, netSpeed: vb + ab, netJitter: 0 });
      } else if (connections) return;
      this.triggerEvent('netstatus', { info: degrade('', info) });
    },
    start(this: any, cb: Cb) {
      void this.__start(cb);
    },
    stop(this: any, cb: Cb) {
      this.__teardown(true);
      this.__bgm?.stop(); // the music stops with the push
      ok('stop', cb);
    },
    pause(this: any, cb: Cb) {
      this.__media?.getVideoTracks().forEach((t: MediaStreamTrack) => (t.enabled = false));
      this.__session?.update({ video: false });
      this.__sentVideo = false;
      ok('pause', cb);
    },
    resume(this: any, cb: Cb) {
      this.__applyTracks();
      ok('resume', cb);
    },
    switchCamera(this: any, cb: Cb) {
      ok('switchCamera', cb);
    },
    startPreview(this: any, cb: Cb) {
      void this.__ensureMedia().then(() => ok('startPreview', cb));
    },
    stopPreview(this: any, cb: Cb) {
      ok('stopPreview', cb);
    },
    snapshot(this: any, cb: Cb) {
      ok('snapshot', cb, frameOf(this.__video));
    },
    // accepted and acknowledged; the preview has no torch or microphone gain
    ...acknowledged(['toggleTorch', 'setMICVolume']),
    /**
     * Background music mixed into what this pusher publishes (bgm.ts): from the first playBGM on, the
     * published audio is the mix of microphone and music.
     */
    __bgmMixer(this: any, media: MediaStream): Bgm | null {
      if (!this.__bgm) {
        this.__bgm = new Bgm({
          start: () => this.triggerEvent('bgmstart', {}),
          progress: (progress, duration) => this.triggerEvent('bgmprogress', { progress, duration }),
          complete: () => this.triggerEvent('bgmcomplete', {}),
        });
        if (typeof this.__bgmVolume === 'number') this.__bgm.setVolume(this.__bgmVolume);
      }
      const track = (this.__bgm as Bgm).mixed(media);
      if (!track) return null;
      if (this.__outStream?.getAudioTracks()[0] !== track) {
        this.__outStream = new MediaStream([...media.getVideoTracks(), track]);
        this.__applyTracks();
        this.__session?.setLocal(this.__outStream);
      }
      return this.__bgm;
    },
    playBGM(this: any, cb: Cb & { url?: unknown }) {
      const url = typeof cb?.url === 'string' ? cb.url : '';
      if (!url) return fail('playBGM', cb, 'url is empty');
      void this.__ensureMedia().then(async (media: MediaStream) => {
        const bgm: Bgm | null = this.__bgmMixer(media);
        if (!bgm) return fail('playBGM', cb, 'no Web Audio in this browser');
        try {
          await bgm.play(url);
          ok('playBGM', cb);
        } catch (e) {
          fail('playBGM', cb, (e as Error).message);
        }
      });
    },
    stopBGM(this: any, cb: Cb) {
      this.__bgm?.stop();
      ok('stopBGM', cb);
    },
    pauseBGM(this: any, cb: Cb) {
      this.__bgm?.pause();
      ok('pauseBGM', cb);
    },
    resumeBGM(this: any, cb: Cb) {
      this.__bgm?.resume();
      ok('resumeBGM', cb);
    },
    setBGMVolume(this: any, cb: Cb & { volume?: unknown }) {
      const v = Number(cb?.volume);
      if (!Number.isFinite(v) || v < 0 || v > 1) return fail('setBGMVolume', cb, 'volume must be in 0..1');
      this.__bgmVolume = v;
      this.__bgm?.setVolume(v);
      ok('setBGMVolume', cb);
    },
    /** SEI through the emulator: players of this user get statechange 2012 */
    sendMessage(this: any, cb: Cb & { msg?: unknown }) {
      const s: Session | null = this.__session;
      if (!s || !s.joined) return fail('sendMessage', cb, 'not pushing');
      s.send({ t: 'sei', payload: String(cb?.msg ?? '') });
      ok('sendMessage', cb);
    },
  },
});

jComponent.register({
  id: 'live-player',
  tagName: 'wx-live-player',
  template: '<slot/>',
  options: { multipleSlots: true },
  properties: {
    src: { type: String, value: '' },
    mode: { type: String, value: 'live' },
    autoplay: { type: Boolean, value: false },
    muted: { type: Boolean, value: false },
    muteAudio: { type: Boolean, value: false },
    muteVideo: { type: Boolean, value: false },
    orientation: { type: String, value: 'vertical' },
    objectFit: { type: String, value: 'contain' },
    backgroundMute: { type: Boolean, value: false },
    minCache: { type: Number, value: 1 },
    maxCache: { type: Number, value: 3 },
    soundMode: { type: String, value: 'speaker' },
    autoPauseIfNavigate: { type: Boolean, value: true },
    autoPauseIfOpenNative: { type: Boolean, value: true },
    pictureInPictureMode: { type: null, value: [] },
    debug: { type: Boolean, value: false },
  },
  observers: {
    'src, autoplay': function (this: any) {
      if (this.data.autoplay && this.data.src && this.__wantSrc !== this.data.src) this.__play(undefined);
    },
    'muted, muteAudio': function (this: any) {
      this.__out?.setMuted(!!(this.data.muted || this.data.muteAudio));
    },
    soundMode: function (this: any, m: string) {
      this.__out?.setMode(m === 'ear' ? 'ear' : 'speaker');
      if (this._exparserNode)
        this._exparserNode.$$.dataset.previewSoundMode = m === 'ear' ? 'ear' : 'speaker';
    },
    muteVideo: function (this: any, mv: boolean) {
      // a muted video is not pulled at all (as TRTC's player stops the video), not merely hidden
      (this.__sub as RemoteFeed | null)?.setVideo(!mv);
      if (this.__video) this.__video.style.visibility = mv ? 'hidden' : 'visible';
      this._exparserNode.$$.dataset.previewMuteVideo = mv ? '1' : '0';
    },
    objectFit: function (this: any, f: string) {
      if (this.__video) this.__video.style.objectFit = fit(f);
    },
  },
  lifetimes: {
    attached(this: any) {
      const host: HTMLElement = this._exparserNode.$$;
      host.classList.add('mp-native');
      this.__video = makeVideo(host, true);
      this.__video.style.objectFit = fit(this.data.objectFit);
      // the sound leaves through Web Audio, at the sound mode's gain (loudspeaker or earpiece)
      this.__out = new AudioOut(this.__video, host.dataset.previewUser ?? '');
      this.__out.setMuted(!!(this.data.muted || this.data.muteAudio));
      this.__out.setMode(this.data.soundMode === 'ear' ? 'ear' : 'speaker');
      this.__net = setInterval(() => void this.__netstatus(), 1000);
      this.__vol = setInterval(() => this.__volume(), VOLUME_MS);
      this.__video.addEventListener('resize', () => this.__firstFrame());
      this.__video.addEventListener('playing', () => this.__firstFrame());
      // an injected player failure: this view stops and reports -2301, as a failed native player does
      this.__offFail = onPlayerFailure((target) => {
        const host: HTMLElement = this._exparserNode.$$;
        if (target !== undefined && target !== host.dataset.previewUser) return;
        if (!this.__wantSrc) return;
        this.__stopSub();
        this.__video.srcObject = null;
        this.__out?.setStream(null);
        host.dataset.previewPlaying = '0';
        this.__gotFrame = false;
        this.__emit(-2301, 'network disconnected, tried reconnecting several times');
      });
    },
    detached(this: any) {
      clearInterval(this.__net);
      clearInterval(this.__vol);
      this.__offFail?.();
      this.__stopSub();
      this.__out?.close();
    },
  },
  methods: {
    __emit(this: any, code: number, message: string) {
      this._exparserNode.$$.dataset.previewCode = String(code);
      this.triggerEvent('statechange', { code, message });
    },
    __firstFrame(this: any) {
      if (this.__gotFrame || !this.__video || this.__video.videoWidth === 0) return;
      this.__gotFrame = true;
      this._exparserNode.$$.dataset.previewPlaying = '1';
      mark('first-frame', this._exparserNode.$$.dataset.previewUser ?? '');
      this.__emit(2003, 'first video frame received');
      this.__emit(2004, 'video play started');
    },
    __stopSub(this: any) {
      const sub: RemoteFeed | null = this.__sub;
      this.__sub = null;
      sub?.close();
    },
    __play(this: any, cb: Cb) {
      const src: string = this.data.src;
      if (!src) return fail('play', cb, 'src is empty');
      this.__stopSub();
      this.__wantSrc = src;
      this.__gotFrame = false;
      const host: HTMLElement = this._exparserNode.$$;
      host.dataset.previewPlaying = '0';
      const p = roomParams(src);
      const userID = p.userid ?? '';
      host.dataset.previewUser = userID;
      if (this.__out) this.__out.userId = userID; // else attached() names it (observers run first)
      this.__emit(2007, 'video play loading');
      ok('play', cb);
      const lost = (): void => {
        host.dataset.previewPlaying = '0';
        this.__gotFrame = false;
      };
      // `streamtype=small`: the publisher's small stream when it encodes one (encsmall), else its main one
      const streamType = p.streamtype === 'small' ? 'small' : 'main';
      host.dataset.previewStream = streamType;
      this.__sub = new RemoteFeed(
        userID,
        {
          onStream: (stream) => {
            if (this.__wantSrc !== src) return;
            if (this.__video.srcObject !== stream) this.__video.srcObject = stream;
            this.__out?.setStream(stream);
            playWithAutoplayFallback(this.__video);
            this.__firstFrame();
          },
          onState: (st) => {
            if (st === 'failed' && this.__wantSrc === src) {
              lost();
              this.__emit(-2301, 'network disconnected, tried reconnecting several times');
            }
          },
          onLost: lost,
          // without video (mute-video) no frame tells: the connection's state does
          healthy: () => !!this.__gotFrame || !!this.data.muteVideo,
          onSei: (payload) => {
            if (this.__wantSrc === src) this.__emit(2012, payload);
          },
        },
        undefined,
        streamType,
      );
      if (this.data.muteVideo) this.__sub.setVideo(false);
    },
    __volume(this: any) {
      const pc = (this.__sub as RemoteFeed | null)?.pc;
      const out: AudioOut | undefined = this.__out;
      const stream = this.__video?.srcObject as MediaStream | null;
      if (!pc || !out || !stream?.getAudioTracks().length) return;
      // the received stream's peak (Web Audio), as the client measures what it receives
      this.triggerEvent('audiovolumenotify', { volume: volumeOf(out.inputLevel()) });
    },
    async __netstatus(this: any) {
      const feed: RemoteFeed | null = this.__sub;
      const pc = feed?.pc;
      if (!pc || !this.__video) return;
      let bytes = 0;
      let abytes = 0;
      let fps = 0;
      (await pc.getStats()).forEach((s: any) => {
        if (s.type !== 'inbound-rtp') return;
        if (s.kind === 'video') {
          bytes += s.bytesReceived ?? 0;
          fps = s.framesPerSecond ?? fps;
        } else abytes += s.bytesReceived ?? 0;
      });
      const now = performance.now();
      const last = this.__lastNet;
      this.__lastNet = { t: now, b: bytes, a: abytes, pc };
      // a rate needs two samples of the same connection (the first one is not "0 kbps, network down")
      if (!last || last.pc !== pc || bytes < last.b || abytes < last.a) return;
      const dt = (now - last.t) / 1000;
      const vb = Math.round(((bytes - last.b) * 8) / 1000 / dt);
      const ab = Math.round(((abytes - last.a) * 8) / 1000 / dt);
      const user: string = this._exparserNode.$$.dataset.previewUser ?? '';
      this.triggerEvent('netstatus', {
        info: degrade(user, {
          videoBitrate: vb,
          audioBitrate: ab,
          videoFPS: Math.round(fps),
          netSpeed: vb + ab,
          netJitter: 0,
          videoWidth: this.__video.videoWidth,
          videoHeight: this.__video.videoHeight,
        }),
      });
    },
    play(this: any, cb: Cb) {
      this.__wantSrc = '';
      this.__play(cb);
    },
    stop(this: any, cb: Cb) {
      this.__wantSrc = '';
      this.__stopSub();
      if (this.__video) this.__video.srcObject = null;
      this.__out?.setStream(null);
      ok('stop', cb);
    },
    pause(this: any, cb: Cb) {
      this.__video?.pause();
      ok('pause', cb);
    },
    resume(this: any, cb: Cb) {
      if (this.__video) playWithAutoplayFallback(this.__video);
      ok('resume', cb);
    },
    mute(this: any, cb: Cb) {
      this.__out?.setMuted(true);
      ok('mute', cb);
    },
    requestFullScreen(this: any, cb: Cb) {
      ok('requestFullScreen', cb);
    },
    exitFullScreen(this: any, cb: Cb) {
      ok('exitFullScreen', cb);
    },
    snapshot(this: any, cb: Cb) {
      ok('snapshot', cb, frameOf(this.__video));
    },
    exitPictureInPicture(this: any, cb: Cb) {
      ok('exitPictureInPicture', cb);
    },
  },
});

/** The method a context call lands on: the stand-in's own method of that name. */
function contextFor(resolve: () => any, names: string[]): Record<string, (o?: any) => void> {
  const ctx: Record<string, (o?: any) => void> = {};
  for (const n of names) {
    ctx[n] = (o?: any) => {
      const inst = resolve();
      if (!inst) return fail(n, o, 'context not found (element not rendered)');
      inst[n](o);
    };
  }
  return ctx;
}

export const PUSHER_METHODS = [
  'start',
  'stop',
  'pause',
  'resume',
  'switchCamera',
  'startPreview',
  'stopPreview',
  'snapshot',
  'toggleTorch',
  'setMICVolume',
  'playBGM',
  'stopBGM',
  'pauseBGM',
  'resumeBGM',
  'setBGMVolume',
  'sendMessage',
];
export const PLAYER_METHODS = [
  'play',
  'stop',
  'pause',
  'resume',
  'mute',
  'requestFullScreen',
  'exitFullScreen',
  'snapshot',
  'exitPictureInPicture',
];

export function createNativeContext(
  resolve: () => any,
  kind: 'pusher' | 'player',
): Record<string, (o?: any) => void> {
  return contextFor(resolve, kind === 'pusher' ? PUSHER_METHODS : PLAYER_METHODS);
}
