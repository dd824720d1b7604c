/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * `<live-pusher>` stand-in (WeChat TRTC room mode) on WebRTC + the room emulator: the room session, local media,
 * state and net events, volume, background music (bgm.ts) and SEI. j-component re-applies every attribute on
 * each parent re-render, so every observer is idempotent.
 */
import { Bgm } from './bgm';
import { degrade, deviceFailed, onDeviceFault, onPermissionChange, scopeRevoked, weakState } from './faults';
import { log } from './log';
import { getLocalMedia, labelCameraEnabled, relabel } from './media';
import {
  acknowledged,
  fail,
  fit,
  frameOf,
  makeVideo,
  ok,
  playWithAutoplayFallback,
  roomParams,
  strictDevices,
  trtcRole,
  volumeOf,
  VOLUME_MS,
  type Cb,
} from './native-util';
import { Session } from './rtc';

const jComponent = require('j-component');

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
      // an injected device failure: the device stops (or comes back) and an open that fails is reported
      this.__offDevice = onDeviceFault(() => {
        this.__reportDevices();
        this.__applyTracks();
      });
      // a scope taken back in the room (binderror 10001 / 10002, the device stops) or granted again
      this.__offPermission = onPermissionChange(() => this.__applyTracks());
    },
    detached(this: any) {
      this.__offDevice?.();
      this.__offPermission?.();
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
    /**
     * A device the phone cannot open (device_fail): -1301 / -1302, or whose scope was taken back
     * (permission_revoked): binderror 10001 / 10002; once per session each time the pusher wants it (push start,
     * enable-camera / enable-mic turned on, or the device lost while in use).
     */
    __reportDevices(this: any) {
      if (!this.__session) return;
      const failing = {
        camera: !!this.data.enableCamera && deviceFailed('camera'),
        mic: !!this.data.enableMic && deviceFailed('mic'),
        cameraScope: !!this.data.enableCamera && scopeRevoked('scope.camera'),
        micScope: !!this.data.enableMic && scopeRevoked('scope.record'),
      };
      const reported = (this.__devReported ??= {});
      if (failing.camera && !reported.camera) this.__emit(-1301, 'open camera failed');
      if (failing.mic && !reported.mic) this.__emit(-1302, 'open microphone failed');
      // live-pusher binderror, the texts of WeChat's table
      if (failing.cameraScope && !reported.cameraScope)
        this.triggerEvent('error', { errCode: 10001, errMsg: '用户禁止使用摄像头' });
      if (failing.micScope && !reported.micScope)
        this.triggerEvent('error', { errCode: 10002, errMsg: '用户禁止使用录音' });
      this.__devReported = failing;
    },
    /** The device opens: it works (no device_fail) and its scope is not taken back. */
    __can(this: any, device: 'camera' | 'mic'): boolean {
      return !deviceFailed(device) && !scopeRevoked(device === 'camera' ? 'scope.camera' : 'scope.record');
    },
    /** What the pusher sends now: the attributes ask for it and the device opens. */
    __sends(this: any): { audio: boolean; video: boolean } {
      return {
        audio: !!this.data.enableMic && !this.data.muted && this.__can('mic'),
        video: !!this.data.enableCamera && this.__can('camera'),
      };
    },
    __applyTracks(this: any) {
      const m: MediaStream | null = this.__media;
      this.__reportDevices();
      const { audio: audioOn, video: videoOn } = this.__sends();
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
        // live / voicechatroom: the client switches role with enable-camera / enable-mic (sent when it changes)
        const anchor =
          this.__sentAnchor === undefined ? undefined : trtcRole(this.__sessionUrl ?? '', this.data).anchor;
        const role = anchor !== undefined && anchor !== this.__sentAnchor;
        if (this.__sentAudio !== audioOn || this.__sentVideo !== videoOn || role) {
          this.__sentAudio = audioOn;
          this.__sentVideo = videoOn;
          this.__sentAnchor = anchor;
          this.__session.update({ audio: audioOn, video: videoOn, ...(role ? { anchor } : {}) });
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
      const { audio, video } = this.__sends();
      const role = trtcRole(url, this.data);
      this.__sentAudio = audio;
      this.__sentVideo = video;
      this.__sentAnchor = role.anchor;
      if (video) this.__emit(1003, 'open camera success');
      const session = new Session(this.__outStream ?? media);
      session.encSmall = p.encsmall === '1';
      this.__session = session;
      this.__devReported = {};
      this.__reportDevices();
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
          ...role,
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
      // a weak uplink: the client's 1101 with each report while it sends anything
      const busy = weakState('');
      if (busy && (this.data.enableCamera || (this.data.enableMic && !this.data.muted)))
        this.__emit(busy.code, busy.message);
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
