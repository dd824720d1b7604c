/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * What the WeChat native stand-ins (pusher.ts, player.ts) share: the callback answers, room:// URL parameters,
 * the video element, autoplay, marks for tests, volumes and snapshots.
 */
import { TRTC_SCENES, type TrtcScene } from '../../emulator/protocol';

export type Cb =
  { success?: (r: any) => void; fail?: (r: any) => void; complete?: (r: any) => void } | undefined;

export function ok(name: string, cb: Cb, extra: Record<string, unknown> = {}): void {
  const r = { errMsg: `${name}:ok`, ...extra };
  cb?.success?.(r);
  cb?.complete?.(r);
}

/** Context methods the stand-ins accept and answer with `<name>:ok` without doing anything. */
export function acknowledged(names: string[]): Record<string, (cb: Cb) => void> {
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

/**
 * The client's TRTC role as the room sees it (wechat-trtc.md §2.4 "Roles and scenes"): the push URL's `appscene`,
 * and anchor while enable-camera or enable-mic is on (in live / voicechatroom the client enters as audience
 * without them and switches role when they change; in the other scenes everyone is an anchor).
 */
export function trtcRole(
  url: string,
  data: { enableCamera?: unknown; enableMic?: unknown },
): { appscene?: TrtcScene; anchor: boolean } {
  const scene = roomParams(url).appscene as TrtcScene | undefined;
  const anchor = !!data.enableCamera || !!data.enableMic;
  return scene !== undefined && TRTC_SCENES.includes(scene) ? { appscene: scene, anchor } : { anchor };
}

export function makeVideo(host: HTMLElement, muted: boolean): HTMLVideoElement {
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

export const fit = (f: string | undefined): string =>
  f === 'contain' ? 'contain' : f === 'fill' ? 'fill' : 'cover';

/** WebRTC audioLevel (linear 0..1) → the 0-100 of bindaudiovolumenotify (square root: speech lands at 10-60). */
export function volumeOf(level: number): number {
  return Math.round(Math.min(1, Math.sqrt(Math.max(0, level))) * 100);
}

/** The video's current frame as a JPEG data URL: the preview's `tempImagePath`. */
export function frameOf(v: HTMLVideoElement | undefined): {
  tempImagePath: string;
  width: number;
  height: number;
} {
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
export const VOLUME_MS = 300;

export function strictDevices(): boolean {
  return !!(globalThis as { __PREVIEW__?: { strictDevices?: boolean } }).__PREVIEW__?.strictDevices;
}
