/**
 * Browser-side faults from the room emulator (`{t:'fault'}` on a room connection, emulator/faults.ts): a weak
 * network as the stand-ins' netstatus reports it, a failing player, a camera or microphone that cannot be opened,
 * the app going to the background.
 * Page-wide, as on a phone: one network, one app.
 */
import type { ClientFault } from '../../emulator/protocol';

interface Weak {
  quality: number;
  videoBitrate?: number;
}

/** per remote user ('' = the local pusher's own uplink; '*' = every stream) */
const weak = new Map<string, Weak>();
const playerFailures = new Set<(target: string | undefined) => void>();
/** black: remote user ('*' = anyone) → once (the next player started) or a switch (false) */
const black = new Map<string, boolean>();

/** Whether the player of `user` starting now stays black (sound, no frame, no 2003); a `once` is used up. */
export function takeBlack(user: string): boolean {
  const key = black.has(user) ? user : black.has('*') ? '*' : null;
  if (key === null) return false;
  if (black.get(key)) black.delete(key);
  return true;
}
/** devices the phone cannot open now (device_fail), and the pushers that follow them */
const failedDevices = new Set<'camera' | 'mic'>();
const deviceWatchers = new Set<(device: 'camera' | 'mic', failed: boolean) => void>();

function setDevice(device: 'camera' | 'mic', failed: boolean): void {
  if (failedDevices.has(device) === failed) return;
  if (failed) failedDevices.add(device);
  else failedDevices.delete(device);
  for (const fn of [...deviceWatchers]) fn(device, failed);
}

/** scopes the user turned off while in the room (permission_revoked), until the settings page turns them on */
const revoked = new Set<string>();
const permissionWatchers = new Set<() => void>();

/** Whether `scope.camera` / `scope.record` was taken back (an injected permission_revoked). */
export function scopeRevoked(scope: string): boolean {
  return revoked.has(scope);
}

/** The settings page turned every scope on again (`openSetting`), or the faults were cleared. */
export function grantRevoked(): void {
  if (!revoked.size) return;
  revoked.clear();
  for (const fn of [...permissionWatchers]) fn();
}

/** Called when a scope is taken back or granted again (returns the unsubscribe). */
export function onPermissionChange(fn: () => void): () => void {
  permissionWatchers.add(fn);
  return () => permissionWatchers.delete(fn);
}

/** WeChat on Android (the `android` switch): the page's platform, and players created while hidden fail */
let android = false;

export function isAndroid(): boolean {
  return android;
}

/** The phone's network (network_change), and the page's onNetworkStatusChange listeners */
let networkType: string = 'wifi';
const networkWatchers = new Set<(type: string) => void>();

export function currentNetworkType(): string {
  return networkType;
}

export function onNetworkType(fn: (type: string) => void): () => void {
  networkWatchers.add(fn);
  return () => networkWatchers.delete(fn);
}

/** Douyin (view_error): the binderror every `<rtc-room>` created now fails with, or null */
let viewError: { errNo: number; errMsg: string } | null = null;
const VIEW_ERRORS: Record<number, string> = {
  10101: 'platform auth deny',
  21200: 'rtc-room is not available',
  21301: 'rtcRoom creation failed',
};

export function viewErrorNow(): { errNo: number; errMsg: string } | null {
  return viewError;
}

/** Douyin (privacy): why the privacy layer refuses capture now, or null */
let privacy: 'refused' | 'undeclared' | null = null;

export function privacyRefusal(): 'refused' | 'undeclared' | null {
  return privacy;
}

/** The user agreed to the privacy agreement (`requirePrivacyAuthorize`): an undeclared scope stays refused. */
export function agreePrivacy(): void {
  if (privacy === 'refused') privacy = null;
}

/** Whether the camera / microphone cannot be opened now (an injected device_fail). */
export function deviceFailed(device: 'camera' | 'mic'): boolean {
  return failedDevices.has(device);
}

/** Called when a device fails or can be opened again (returns the unsubscribe). */
export function onDeviceFault(fn: (device: 'camera' | 'mic', failed: boolean) => void): () => void {
  deviceWatchers.add(fn);
  return () => deviceWatchers.delete(fn);
}

export function applyFault(f: ClientFault): void {
  const g = globalThis as { __PREVIEW_RUNTIME__?: { background(hidden: boolean): void } };
  switch (f.kind) {
    case 'weak':
      if (f.quality > 0) weak.set(f.target ?? '*', { quality: f.quality, videoBitrate: f.videoBitrate });
      else weak.delete(f.target ?? '*');
      return;
    case 'player_fail':
      for (const fn of [...playerFailures]) fn(f.target);
      return;
    case 'black':
      if (f.on) black.set(f.target ?? '*', f.once);
      else black.delete(f.target ?? '*');
      return;
    case 'device_fail':
      setDevice(f.device, f.on);
      return;
    case 'permission_revoked': {
      const scope = f.scope === 'camera' ? 'scope.camera' : 'scope.record';
      if (revoked.has(scope)) return;
      revoked.add(scope);
      for (const fn of [...permissionWatchers]) fn();
      return;
    }
    case 'hide':
      g.__PREVIEW_RUNTIME__?.background(true);
      return;
    case 'show':
      g.__PREVIEW_RUNTIME__?.background(false);
      return;
    case 'android':
      android = f.on;
      return;
    case 'network_type':
      if (f.networkType === networkType) return;
      networkType = f.networkType;
      for (const fn of [...networkWatchers]) fn(networkType);
      return;
    case 'view_error':
      viewError = f.on ? { errNo: f.code, errMsg: VIEW_ERRORS[f.code] } : null;
      return;
    case 'privacy':
      privacy = f.on ? f.reason : null;
      return;
    case 'engine_destroyed':
      return; // the RtcRoomContext whose connection it came on (tt.ts)
    case 'clear':
      weak.clear();
      black.clear();
      setDevice('camera', false);
      setDevice('mic', false);
      grantRevoked();
      android = false;
      viewError = null;
      privacy = null;
      return;
  }
}

/** A player that fails when asked (returns the unsubscribe). */
export function onPlayerFailure(fn: (target: string | undefined) => void): () => void {
  playerFailures.add(fn);
  return () => playerFailures.delete(fn);
}

/**
 * netstatus `info` as a weak network would make it: quality 4 poor / 5 bad (jitter), 6 down (nothing arrives);
 * `videoBitrate` caps the reported rate. `user` is the remote user ('' for the pusher's uplink).
 */
export function degrade(user: string, info: Record<string, number>): Record<string, number> {
  const w = weak.get(user) ?? weak.get('*');
  if (!w) return info;
  const out = { ...info };
  if (w.quality >= 6) {
    return { ...out, videoBitrate: 0, audioBitrate: 0, netSpeed: 0, videoFPS: 0 };
  }
  out.netJitter = w.quality >= 5 ? 260 : w.quality >= 4 ? 150 : w.quality >= 3 ? 80 : 40;
  if (w.videoBitrate !== undefined) {
    out.videoBitrate = Math.min(out.videoBitrate ?? w.videoBitrate, w.videoBitrate);
    out.netSpeed = out.videoBitrate + (out.audioBitrate ?? 0);
  }
  return out;
}

/** Quality (4 poor, 5 bad, 6 down) from which the real client warns besides the degraded netstatus. */
export const WEAK_WARNING_QUALITY = 4;

/**
 * The statechange a weak network makes the real client send with each report: the pusher's 1101
 * (PUSH_WARNING_NET_BUSY: uplink too small, upload blocked), a player's 2105 (PLAY_WARNING_VIDEO_PLAY_LAG:
 * the video stutters). `user` is the remote user, '' for the pusher; null when that stream is not weak.
 */
export function weakState(user: string): { code: number; message: string } | null {
  const w = weak.get(user) ?? weak.get('*');
  if (!w || w.quality < WEAK_WARNING_QUALITY) return null;
  return user === ''
    ? { code: 1101, message: 'network busy: upstream bandwidth too low, upload blocked' }
    : { code: 2105, message: 'video play lag' };
}
