/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * `<live-player>` stand-in (WeChat TRTC room mode): one remote user's stream (main, small or aux) from the room
 * emulator, its sound through Web Audio at the sound mode's gain (audio.ts), state, net and volume events, SEI.
 * j-component re-applies every attribute on each parent re-render, so every observer is idempotent.
 */
import { navigation, pageHidden, pipWindow } from './nav';
import { AudioOut } from './audio';
import { degrade, isAndroid, onPlayerFailure, takeBlack, weakState } from './faults';
import {
  fail,
  fit,
  frameOf,
  makeVideo,
  mark,
  ok,
  playWithAutoplayFallback,
  roomParams,
  volumeOf,
  VOLUME_MS,
  type Cb,
} from './native-util';
import { RemoteFeed } from './rtc';

const jComponent = require('j-component');

/** `picture-in-picture-mode` takes 'push', 'pop', an array of them, or '' / [] (off). */
function pipModes(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' && v !== '' ? [v] : [];
}

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
      if (this.__video) this.__video.style.visibility = mv || this.__black ? 'hidden' : 'visible';
      // video on again: its first frame is reported again (2003), once one is presented
      if (this.__mutedVideo && !mv && this.__video) {
        this.__gotFrame = false;
        this._exparserNode.$$.dataset.previewPlaying = '0';
        this.__video.requestVideoFrameCallback?.(() => this.__firstFrame());
      }
      this.__mutedVideo = mv;
      this._exparserNode.$$.dataset.previewMuteVideo = mv ? '1' : '0';
    },
    pictureInPictureMode: function (this: any, v: unknown) {
      if (this._exparserNode) this._exparserNode.$$.dataset.previewPipMode = pipModes(v).join(',');
    },
    objectFit: function (this: any, f: string) {
      if (this.__video) this.__video.style.objectFit = fit(f);
    },
  },
  // picture-in-picture-mode 'push': the view plays on in a floating window while navigateTo hides its page
  pageLifetimes: {
    hide(this: any) {
      if (navigation() === 'push' && pipModes(this.data.pictureInPictureMode).includes('push'))
        this.__enterPip();
    },
    show(this: any) {
      this.__leavePip();
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
      if (this.__pip) this.__video?.remove();
      this.__pip = false;
      clearInterval(this.__net);
      clearInterval(this.__vol);
      this.__offFail?.();
      this.__stopSub();
      this.__out?.close();
    },
  },
  methods: {
    __enterPip(this: any) {
      if (this.__pip || !this.__video || !this.__wantSrc) return;
      this.__pip = true;
      // moved within one task, the element keeps playing
      pipWindow().appendChild(this.__video);
      this._exparserNode.$$.dataset.previewPip = '1';
      this.triggerEvent('enterpictureinpicture', {});
    },
    __leavePip(this: any) {
      if (!this.__pip) return;
      this.__pip = false;
      const host: HTMLElement = this._exparserNode.$$;
      host.insertBefore(this.__video, host.firstChild);
      host.dataset.previewPip = '0';
      this.triggerEvent('leavepictureinpicture', {});
    },
    __emit(this: any, code: number, message: string) {
      this._exparserNode.$$.dataset.previewCode = String(code);
      this.triggerEvent('statechange', { code, message });
    },
    __firstFrame(this: any) {
      if (this.__gotFrame || this.__black || !this.__video || this.__video.videoWidth === 0) return;
      this.__gotFrame = true;
      this._exparserNode.$$.dataset.previewPlaying = '1';
      mark('first-frame', this._exparserNode.$$.dataset.previewUser ?? '');
      this.__emit(2003, 'first video frame received');
      this.__emit(2004, 'video play started');
    },
    /**
     * Back to playing on the same `src` (the remote's video on again, the end of a stall): the WeChat Android
     * client reports 2003 and 2004 again (platform-facts.md (a)), here once the next frame is presented.
     * A player that has not rendered yet reports its first frame the usual way.
     */
    __playingAgain(this: any, src: string) {
      if (!this.__gotFrame || !this.__video) return;
      this.__gotFrame = false;
      this._exparserNode.$$.dataset.previewPlaying = '0';
      this.__video.requestVideoFrameCallback?.(() => {
        if (this.__wantSrc === src) this.__firstFrame();
      });
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
      this.__remoteVideoOff = false;
      const host: HTMLElement = this._exparserNode.$$;
      host.dataset.previewPlaying = '0';
      const p = roomParams(src);
      const userID = p.userid ?? '';
      host.dataset.previewUser = userID;
      if (this.__out) this.__out.userId = userID; // else attached() names it (observers run first)
      // Android WeChat: a player created while its page is hidden never plays, no event says so (wechat-trtc.md
      // §2.4, trtc-room 9cda2650); only a new one, created when the page is shown, does
      this.__broken ??= isAndroid() && pageHidden(host);
      if (this.__broken) {
        host.dataset.previewBroken = '1';
        return ok('play', cb);
      }
      // an injected black screen: the sound plays, no frame is ever shown, no 2003 (wechat-trtc.md §4 row 1)
      this.__black = takeBlack(userID);
      host.dataset.previewBlack = this.__black ? '1' : '0';
      if (this.__video)
        this.__video.style.visibility = this.data.muteVideo || this.__black ? 'hidden' : 'visible';
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
            if (this.__wantSrc !== src) return;
            if (st === 'failed') {
              lost();
              this.__emit(-2301, 'network disconnected, tried reconnecting several times');
            } else if (st === 'disconnected' && this.__gotFrame) {
              // a stall: loading, then playing again with the next frame
              this.__emit(2007, 'video play loading');
              this.__playingAgain(src);
            }
          },
          onLost: lost,
          // without video (mute-video) no frame tells: the connection's state does
          healthy: () => !!this.__gotFrame || !!this.data.muteVideo,
          onSei: (payload) => {
            if (this.__wantSrc === src) this.__emit(2012, payload);
          },
          // the remote's video (of this view's kind) off, then on again: playing again
          onVideo: (on, type) => {
            if (this.__wantSrc !== src || type !== (p.streamtype === 'aux' ? 'aux' : 'main')) return;
            if (on && this.__remoteVideoOff) this.__playingAgain(src);
            this.__remoteVideoOff = !on;
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
      // a weak downlink: the video stutters (2105) with each report, if the player pulls video
      const lag = weakState(user);
      if (lag && !this.data.muteVideo) this.__emit(lag.code, lag.message);
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
      this.__leavePip();
      ok('exitPictureInPicture', cb);
    },
  },
});
