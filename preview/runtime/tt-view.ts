/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Douyin stand-in: the `<rtc-room user-id mode>` view (one user's stream: `camera` = own preview,
 * `video`/`screen` = a remote's video; the room plays the sound, tt-audio.ts).
 */
import { viewErrorNow } from './faults';
import { labelCameraEnabled, relabel } from './media';
import { playWithAutoplayFallback } from './native-util';
import { RemoteFeed } from './rtc';
import { local } from './tt-local';

const jComponent = require('j-component');

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
      // an injected view_error: this view cannot be created; it shows nothing and says so (binderror)
      const err = viewErrorNow();
      if (err) {
        this.__failed = true;
        host.dataset.previewViewError = String(err.errNo);
        setTimeout(() => this.triggerEvent('error', { ...err }));
        return;
      }
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
      if (!v || this.__failed) return;
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
