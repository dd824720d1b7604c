/**
 * Local media settings (the WeChat `live-pusher` names and ranges) and the remote sound output, validated like
 * every other media property: a bad value is error -1 naming the field and keeps the last good one. They ride in
 * the validated `pusher` view data (soundMode goes to every `live-player`); Douyin maps what its host offers
 * (utils/platform/tt/plan.ts settingsSteps) and the room warns about the rest. Pure: no wx/tt.
 */
import { fieldError, type FieldError } from '../core/validate';

export const SOUND_MODES = ['speaker', 'ear'] as const;
export const LOCAL_MIRRORS = ['auto', 'enable', 'disable'] as const;
export const ORIENTATIONS = ['vertical', 'horizontal'] as const;
export const BEAUTY_STYLES = ['smooth', 'nature'] as const;
export const FILTERS = [
  'standard',
  'pink',
  'nostalgia',
  'blues',
  'romantic',
  'cool',
  'fresher',
  'solor',
  'aestheticism',
  'whitening',
  'cerisered',
] as const;
export const AUDIO_VOLUME_TYPES = ['auto', 'media', 'voicecall'] as const;
export const AUDIO_QUALITIES = ['high', 'low'] as const;
/** live-player picture-in-picture-mode (2.10.3): off, when navigating forward (push), or back (pop) */
export const PIP_MODES = ['', 'push', 'pop'] as const;

export interface MediaSettings {
  soundMode: (typeof SOUND_MODES)[number];
  localMirror: (typeof LOCAL_MIRRORS)[number];
  remoteMirror: boolean;
  orientation: (typeof ORIENTATIONS)[number];
  fps: number;
  beautyStyle: (typeof BEAUTY_STYLES)[number];
  filter: (typeof FILTERS)[number];
  voiceChangerType: number;
  enableAgc: boolean;
  enableAns: boolean;
  audioVolumeType: (typeof AUDIO_VOLUME_TYPES)[number];
  audioQuality: (typeof AUDIO_QUALITIES)[number];
  pictureInPictureMode: (typeof PIP_MODES)[number];
}

export type SettingName = keyof MediaSettings;

/** The native defaults (live-pusher / live-player docs). */
export const SETTINGS_DEFAULTS: Readonly<MediaSettings> = {
  soundMode: 'speaker',
  localMirror: 'auto',
  remoteMirror: false,
  orientation: 'vertical',
  fps: 15,
  beautyStyle: 'smooth',
  filter: 'standard',
  voiceChangerType: 0,
  enableAgc: false,
  enableAns: false,
  audioVolumeType: 'auto',
  audioQuality: 'high',
  pictureInPictureMode: '',
};

export const SETTING_NAMES = Object.keys(SETTINGS_DEFAULTS) as SettingName[];

type Rule = readonly string[] | 'boolean' | [min: number, max: number];

const RULES: Record<SettingName, Rule> = {
  soundMode: SOUND_MODES,
  localMirror: LOCAL_MIRRORS,
  remoteMirror: 'boolean',
  orientation: ORIENTATIONS,
  fps: [1, 30],
  beautyStyle: BEAUTY_STYLES,
  filter: FILTERS,
  voiceChangerType: [0, 11],
  enableAgc: 'boolean',
  enableAns: 'boolean',
  audioVolumeType: AUDIO_VOLUME_TYPES,
  audioQuality: AUDIO_QUALITIES,
  pictureInPictureMode: PIP_MODES,
};

function check(field: SettingName, v: unknown): FieldError | null {
  const rule = RULES[field];
  const value = typeof v === 'string' ? JSON.stringify(v) : String(v);
  if (rule === 'boolean')
    return typeof v === 'boolean' ? null : fieldError(field, 'param.boolean', { field });
  if (typeof rule[0] === 'number') {
    const [min, max] = rule as [number, number];
    return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
      ? null
      : fieldError(field, 'param.integer', { field, value, min, max });
  }
  return typeof v === 'string' && (rule as readonly string[]).includes(v)
    ? null
    : fieldError(field, 'param.enum', {
        field,
        value,
        allowed: (rule as readonly string[]).map((a) => `'${a}'`).join(', '),
      });
}

/** Each setting on its own: unset (undefined/null) is the default, a bad one keeps `last` and is reported. */
export function validateSettings(
  p: Partial<Record<SettingName, unknown>>,
  last: MediaSettings,
  errors: FieldError[],
): MediaSettings {
  const out = { ...last } as Record<SettingName, unknown>;
  for (const k of SETTING_NAMES) {
    const v = p[k] ?? SETTINGS_DEFAULTS[k];
    const e = check(k, v);
    if (e) errors.push(e);
    else out[k] = v;
  }
  return out as unknown as MediaSettings;
}

/** The `wx.canIUse` schema of a setting's native attribute (`live-pusher.voice-changer-type`). */
export function wxSchema(name: SettingName): string {
  const attr = name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
  const player = name === 'soundMode' || name === 'pictureInPictureMode';
  return (player ? 'live-player.' : 'live-pusher.') + attr;
}

/** Only the settings of a larger object (the `pusher` view data carries them). */
export function pickSettings(m: MediaSettings): MediaSettings {
  const out = {} as Record<SettingName, unknown>;
  for (const k of SETTING_NAMES) out[k] = m[k];
  return out as unknown as MediaSettings;
}

/** Settings that differ from the native default (a platform that lacks one must say so). */
export function nonDefault(s: MediaSettings): SettingName[] {
  return SETTING_NAMES.filter((k) => s[k] !== SETTINGS_DEFAULTS[k]);
}

/** Settings whose value changed. */
export function changedSettings(next: MediaSettings, prev: MediaSettings): SettingName[] {
  return SETTING_NAMES.filter((k) => next[k] !== prev[k]);
}
