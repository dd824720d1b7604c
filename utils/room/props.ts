/**
 * The component properties the room reads, validated once: the last good media values (a bad one is error -1
 * and changes nothing native), the one rule for what camera, microphone and role mean, and the `pusher` view
 * data every native local attribute is bound from.
 */
import { orEmpty } from '../core/values';
import type { LocalMedia } from '../platform/adapter';
import {
  checkMediaProps,
  EnterInput,
  FieldError,
  fieldError,
  isAudioScene,
  ROLES,
  Role,
  Scene,
} from '../core/validate';
import { MediaSettings, pickSettings, SettingName, SETTINGS_DEFAULTS, validateSettings } from './settings';

/** The component properties the controller reads (identity ones as validation sees them). */
export interface RoomProps extends EnterInput, Partial<Record<SettingName, unknown>> {
  template?: unknown;
  enableCamera?: boolean;
  muted?: boolean;
  beauty?: unknown;
  whiteness?: unknown;
  frontCamera?: boolean;
  aspect?: unknown;
  minBitrate?: unknown;
  maxBitrate?: unknown;
  autoSubscribe?: boolean;
  customRects?: Record<string, unknown> | null;
  /** 'zh-CN' | 'en' | '' (the system language) */
  lang?: unknown;
  /** show the permission guide on error -7 (default true) */
  permissionGuide?: boolean;
  /** which room states the component shows (validated only; the template reads it) */
  states?: unknown;
  /** bigsmall: the big view follows the active speaker */
  followSpeaker?: boolean;
  /** publish a small stream too; thumbnails play the small stream */
  enableSmallStream?: boolean;
  debug?: unknown;
  waitingImage?: unknown;
  /** bigsmall: the local view's place and size (CSS lengths, validated before the layout gets them) */
  smallViewLeft?: unknown;
  smallViewTop?: unknown;
  smallViewWidth?: unknown;
  smallViewHeight?: unknown;
}

/** Whether a property holds the value it had: setData hands an object over as a copy, equal but not the same one. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  try {
    return (
      !!a && !!b && typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b)
    );
  } catch {
    // not data (a cycle, a throwing getter): a change
    return false;
  }
}

/** Media properties after validation: what the native views may be given. */
export interface MediaProps extends MediaSettings {
  role: Role;
  scene: Scene;
  enableCamera: boolean;
  muted: boolean;
  beauty: number;
  whiteness: number;
  aspect: string;
  minBitrate: number;
  maxBitrate: number;
  waitingImage: string;
  debug: boolean;
}

export const MEDIA_DEFAULTS: Readonly<MediaProps> = {
  ...SETTINGS_DEFAULTS,
  role: 'anchor',
  scene: 'rtc',
  enableCamera: true,
  muted: false,
  beauty: 0,
  whiteness: 0,
  aspect: '9:16',
  minBitrate: 200,
  maxBitrate: 1000,
  waitingImage: '',
  debug: false,
};

/** The attributes of the local native view (`live-pusher`; Douyin's local `rtc-room` reads `enableCamera`). */
export type PusherView = Omit<MediaProps, 'role' | 'scene'> & { url: string; enableMic: boolean };

/**
 * Validates every media property on its own against `last`: a bad field keeps its last good value and is
 * reported; min/max bitrate are checked as a pair.
 */
export function validateMedia(p: RoomProps, last: MediaProps): { value: MediaProps; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const value: MediaProps = { ...last };
  const take = <K extends keyof MediaProps>(keys: K[], input: Partial<Record<K, unknown>>) => {
    const bad = checkMediaProps(input);
    if (bad) return errors.push(bad);
    for (const k of keys) value[k] = (input[k] ?? MEDIA_DEFAULTS[k]) as MediaProps[K];
  };
  take(['beauty'], { beauty: p.beauty });
  take(['whiteness'], { whiteness: p.whiteness });
  take(['aspect'], { aspect: p.aspect });
  take(['minBitrate', 'maxBitrate'], { minBitrate: p.minBitrate, maxBitrate: p.maxBitrate });
  take(['role'], { role: p.role });
  take(['scene'], { scene: p.scene });
  Object.assign(value, validateSettings(p, value, errors));
  if (!(ROLES as readonly unknown[]).includes(value.role)) value.role = last.role;
  value.enableCamera = p.enableCamera !== false;
  value.muted = p.muted === true;
  value.debug = p.debug === true;
  if (p.waitingImage === undefined || p.waitingImage === null || typeof p.waitingImage === 'string') {
    value.waitingImage = orEmpty(p.waitingImage as string | undefined);
  } else {
    errors.push(fieldError('waitingImage', 'param.string', { field: 'waitingImage' }));
  }
  return { value, errors };
}

/** The one rule for camera, microphone and role: an audience member publishes nothing; audio scenes no video. */
export function localMedia(m: MediaProps, front: boolean): LocalMedia {
  const anchor = m.role === 'anchor';
  const camera = anchor && m.enableCamera && !isAudioScene(m.scene);
  return { publish: anchor, camera, mic: anchor && !m.muted, front };
}

/**
 * The local view's attributes. The camera is on while a session or the lobby preview runs (`live`), the
 * microphone only while a session runs (`pushing`): live-pusher opens it whenever `enable-mic` is true, pushing
 * or not, and the lobby asked for the camera only. After any end of a session both are released.
 */
export function pusherView(
  m: MediaProps,
  local: LocalMedia,
  live: boolean,
  pushing: boolean,
  url: string,
): PusherView {
  return {
    ...pickSettings(m),
    url,
    enableCamera: live && local.camera,
    enableMic: pushing && local.publish,
    muted: !local.mic,
    beauty: m.beauty,
    whiteness: m.whiteness,
    aspect: m.aspect,
    minBitrate: m.minBitrate,
    maxBitrate: m.maxBitrate,
    waitingImage: m.waitingImage,
    debug: m.debug,
  };
}

/** `pusher.<key>` paths for what changed (the whole object the first time). */
export function pusherPatch(prev: PusherView | null, next: PusherView): Record<string, unknown> {
  if (!prev) return { pusher: next };
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(next) as Array<keyof PusherView>) {
    if (prev[k] !== next[k]) out[`pusher.${k}`] = next[k];
  }
  return out;
}
