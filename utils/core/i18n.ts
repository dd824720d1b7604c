/**
 * Every visible string and every RoomEvent `detail.message`, in zh-CN and en. The platform's own text (the
 * `text` parameter) is never part of a message: it travels as `detail.platformMessage`. Producers attach a message key
 * and parameters (`Msg`); the English text is rendered at once (so logs read well), and the controller renders
 * the key again in the component's `lang` when it emits. A test checks both catalogs have the same keys and
 * parameters. Only the overlay texts (`ui.*`) are here; the messages are ./lang-en and ./lang-zh, each its own
 * file in dist required on first use, so a room that has nothing to report parses neither.
 */

import type { en } from './lang-en';

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];

export type Params = Record<string, string | number>;

export interface Msg {
  key: MessageKey;
  params?: Params;
}

/** The room's own overlay texts in English (always in the bundle: every room shows some). */
const UI_EN = {
  // ---- visible states (the room's own UI)
  'ui.entering': 'Joining…',
  'ui.waiting': 'Waiting for others to join',
  'ui.reconnecting': 'Connection lost, reconnecting…',
  'ui.kicked': 'You were removed from the room',
  'ui.left': 'You left the room',
  'ui.lost': 'Connection lost',
  'ui.weak': 'Weak network',
  'ui.muted': 'Muted',
  'ui.cameraOff': 'Camera off',
  'ui.preview': 'Preview',
  'ui.permission.title': 'Camera and microphone needed',
  'ui.permission.body': 'The call needs your camera and microphone. Allow them in settings, then come back.',
  'ui.permission.privacy': 'Please accept the privacy agreement to use the camera and microphone.',
  'ui.permission.open': 'Open settings',
  'ui.permission.agree': 'Review the agreement',
  'ui.permission.dismiss': 'Not now',
};

/** Every message key: ./lang-en's and the overlay texts. */
export type MessageKey = keyof typeof en | keyof typeof UI_EN;

type Catalog = Readonly<Record<MessageKey, string>>;

/** The zh-CN catalog is its own module (dist: lang-zh.js), required the first time a room speaks Chinese. */
let zh: Catalog | null = null;
/** The English messages (dist: lang-en.js), required the first time a message is made (logs read English). */
let english: Catalog | null = null;

/** One language's texts, each catalog loaded on first use. */
export function catalog(lang: Lang): Catalog {
  if (lang === 'en') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (!english) english = { ...(require('./lang-en') as { en: typeof en }).en, ...UI_EN };
    return english;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!zh) zh = (require('./lang-zh') as { zh: Catalog }).zh;
  return zh;
}

const isUiKey = (key: string): key is keyof typeof UI_EN => Object.prototype.hasOwnProperty.call(UI_EN, key);

/** 'zh', 'zh_CN', 'zh-Hans', 'zh-TW' … → 'zh-CN'; everything else → 'en'. */
export function normalizeLang(v: unknown): Lang {
  return typeof v === 'string' && /^zh/i.test(v.trim()) ? 'zh-CN' : 'en';
}

export function t(lang: Lang, key: MessageKey, params: Params = {}): string {
  // the overlay texts in English need no catalog file
  const template =
    (lang === 'en' && isUiKey(key) ? UI_EN[key] : catalog(lang)[key]) ?? catalog('en')[key] ?? key;
  return template
    .replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m))
    .trim();
}

export function msg(key: MessageKey, params?: Params): Msg {
  return params ? { key, params } : { key };
}

/** The overlay texts' keys, in UI_EN's order. */
export const UI_KEYS = /* @__PURE__ */ Object.keys(UI_EN) as ReadonlyArray<keyof typeof UI_EN>;

/** The strings the room's own overlays show, keyed without the `ui.` prefix (`texts.entering` …). */
export function uiTexts(lang: Lang): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of UI_KEYS)
    out[k.slice(3).replace(/\.(\w)/g, (_m, c: string) => c.toUpperCase())] = t(lang, k);
  return out;
}

/** The platform's own text a message was made from (its `text` parameter), if any. */
export function platformText(m: Msg | undefined): string | undefined {
  const v = m?.params?.text;
  return typeof v === 'string' && v !== '' ? v : undefined;
}
