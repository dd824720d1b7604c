/**
 * Identity and parameter rules shared by the component, the demo pages and the signing service,
 * so client and server never disagree. Pure TypeScript: no wx/tt.
 */

import { orEmpty } from './values';
import { msg, MessageKey, Msg, Params, t } from './i18n';

export type Platform = 'wx' | 'tt';

export interface FieldError {
  field: string;
  /** English text; `i18n` renders it in another language */
  message: string;
  i18n: Msg;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: FieldError };

/** WeChat/TRTC userID: letters, digits, `_` and `-`, at most 32 bytes (all allowed chars are 1 byte). */
export const WX_USER_ID_PATTERN = '^[A-Za-z0-9_-]{1,32}$';
/** Douyin/Volcengine userId and roomId. */
export const TT_ID_PATTERN = '^[A-Za-z0-9@._-]{1,128}$';
/** TRTC string room: 1-64 bytes of letters, digits, space and !#$%&()+-:;<=.>?@[]^_{}|~, */
export const WX_STR_ROOM_ID_PATTERN = '^[A-Za-z0-9 !#$%&()+\\-:;<=.>?@\\[\\]^_{}|~,]{1,64}$';
/** Volcengine AppId: 24 letters/digits. */
export const TT_APP_ID_PATTERN = '^[A-Za-z0-9]{24}$';
export const ROOM_ID_MIN = 1;
export const ROOM_ID_MAX = 4294967294;

const WX_USER_ID_RE = /* @__PURE__ */ new RegExp(WX_USER_ID_PATTERN);
const TT_ID_RE = /* @__PURE__ */ new RegExp(TT_ID_PATTERN);
const WX_STR_ROOM_ID_RE = /* @__PURE__ */ new RegExp(WX_STR_ROOM_ID_PATTERN);
const TT_APP_ID_RE = /* @__PURE__ */ new RegExp(TT_APP_ID_PATTERN);
/**
 * A position or size the layout puts into a style: a number (px), or a length string with its unit ('30%',
 * '12px', '120rpx', '4vw', '-2.5em'; only '0' goes without) or a `calc()` of them. No `;`, `:` or quotes: a
 * value can never add a declaration to the style.
 */
export const CSS_LENGTH_PATTERN =
  '^(0|-?(\\d+(\\.\\d+)?|\\.\\d+)(px|rpx|%|vw|vh|vmin|vmax|em|rem)|calc\\([-+*/%.() 0-9a-z]+\\))$';
const CSS_LENGTH_RE = /* @__PURE__ */ new RegExp(CSS_LENGTH_PATTERN);

/** The error of one bad field: its English text and the message it renders in another language. */
export function fieldError(field: string, key: MessageKey, params: Params = {}): FieldError {
  return { field, message: t('en', key, params), i18n: msg(key, params) };
}

function fail<T>(field: string, key: MessageKey, params: Params = {}): Checked<T> {
  return { ok: false, error: fieldError(field, key, params) };
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  return String(v);
}

export function checkUserID(v: unknown, platform: Platform): Checked<string> {
  if (typeof v !== 'string' || v === '') return fail('userID', 'param.required', { field: 'userID' });
  if (platform === 'wx' && !WX_USER_ID_RE.test(v)) {
    return fail('userID', 'param.userID.wx', { value: describe(v) });
  }
  if (platform === 'tt' && !TT_ID_RE.test(v)) {
    return fail('userID', 'param.userID.tt', { value: describe(v), pattern: TT_ID_PATTERN });
  }
  return { ok: true, value: v };
}

/** Numeric room: an integer in [1, 4294967294]; a numeric string is accepted and converted. */
export function checkRoomID(v: unknown): Checked<number> {
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && /^\d{1,10}$/.test(v.trim())) n = Number(v.trim());
  else return fail('roomID', 'param.roomID', { value: describe(v), min: ROOM_ID_MIN, max: ROOM_ID_MAX });
  if (!Number.isInteger(n) || n < ROOM_ID_MIN || n > ROOM_ID_MAX) {
    return fail('roomID', 'param.roomID', { value: describe(v), min: ROOM_ID_MIN, max: ROOM_ID_MAX });
  }
  return { ok: true, value: n };
}

export function checkStrRoomID(v: unknown, platform: Platform): Checked<string> {
  if (typeof v !== 'string' || v === '') return fail('strRoomID', 'param.strRoomID');
  const re = platform === 'wx' ? WX_STR_ROOM_ID_RE : TT_ID_RE;
  if (!re.test(v)) {
    return platform === 'wx'
      ? fail('strRoomID', 'param.strRoomID.wx', { value: describe(v) })
      : fail('strRoomID', 'param.strRoomID.tt', { value: describe(v), pattern: TT_ID_PATTERN });
  }
  return { ok: true, value: v };
}

/** WeChat: a positive integer SDKAppID (numeric strings accepted). Douyin: the 24-character Volcengine AppId. */
export function checkSdkAppID(v: unknown, platform: Platform): Checked<number | string> {
  if (platform === 'tt') {
    if (typeof v === 'string' && TT_APP_ID_RE.test(v)) return { ok: true, value: v };
    return fail('sdkAppID', 'param.sdkAppID.tt', { value: describe(v) });
  }
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n === 'number' && Number.isInteger(n) && n > 0 && n <= 0xffffffff) return { ok: true, value: n };
  return fail('sdkAppID', 'param.sdkAppID.wx', { value: describe(v) });
}

export function checkUserSig(v: unknown): Checked<string> {
  if (typeof v !== 'string' || v.trim() === '')
    return fail('userSig', 'param.required', { field: 'userSig' });
  if (v.length > 4096) return fail('userSig', 'param.userSig.long');
  return { ok: true, value: v };
}

export interface RoomRef {
  /** numeric room (WeChat) */
  roomID?: number;
  /** string room */
  strRoomID?: string;
}

/** Exactly one of roomID / strRoomID; `roomID` of 0, '' or undefined counts as unset. */
export function checkRoom(roomID: unknown, strRoomID: unknown, platform: Platform): Checked<RoomRef> {
  const hasNum = roomID !== undefined && roomID !== null && roomID !== 0 && roomID !== '';
  const hasStr =
    typeof strRoomID === 'string' ? strRoomID !== '' : strRoomID !== undefined && strRoomID !== null;
  if (hasNum && hasStr) return fail('strRoomID', 'param.roomBoth');
  if (!hasNum && !hasStr) return fail('roomID', 'param.roomMissing');
  if (hasNum) {
    const r = checkRoomID(roomID);
    return r.ok ? { ok: true, value: { roomID: r.value } } : r;
  }
  const s = checkStrRoomID(strRoomID, platform);
  return s.ok ? { ok: true, value: { strRoomID: s.value } } : s;
}

/** One of `allowed`; unset (undefined/null) is `fallback`, the first of them unless given. */
function checkEnum<T extends string>(
  field: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T = allowed[0],
): Checked<T> {
  const v = value ?? fallback;
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return { ok: true, value: v as T };
  return fail(field, 'param.enum', {
    field,
    value: describe(v),
    allowed: allowed.map((a) => `'${a}'`).join(', '),
  });
}

/** A finite number in [min, max]; unset (undefined/null) is `fallback`. */
function checkRange(
  field: string,
  value: unknown,
  min: number,
  max: number,
  fallback: number,
): Checked<number> {
  const v = value ?? fallback;
  if (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max) return { ok: true, value: v };
  return fail(field, 'param.range', { field, value: describe(v), min, max });
}

/** The four TRTC scenes: rtc (VideoCall), live, audiocall, voicechatroom (roles as in live). */
export const SCENES = ['rtc', 'live', 'audiocall', 'voicechatroom'] as const;
export const ROLES = ['anchor', 'audience'] as const;
export const ASPECTS = ['3:4', '9:16'] as const;
export type Scene = (typeof SCENES)[number];
export type Role = (typeof ROLES)[number];
export type Aspect = (typeof ASPECTS)[number];

/** Audio-only scenes: no camera capture, no remote video. */
export function isAudioScene(scene: unknown): boolean {
  return scene === 'audiocall' || scene === 'voicechatroom';
}

/** What the room needs to enter, after validation and conversion. */
export interface EnterParams extends RoomRef {
  sdkAppID: number | string;
  userID: string;
  userSig: string;
  privateMapKey: string;
  scene: Scene;
  role: Role;
}

export interface EnterInput {
  sdkAppID?: unknown;
  userID?: unknown;
  userSig?: unknown;
  roomID?: unknown;
  strRoomID?: unknown;
  privateMapKey?: unknown;
  scene?: unknown;
  role?: unknown;
}

/** Validates identity fields in the order a developer fills them in; the first bad field wins. */
export function checkEnterParams(p: EnterInput, platform: Platform): Checked<EnterParams> {
  const app = checkSdkAppID(p.sdkAppID, platform);
  if (!app.ok) return app;
  const user = checkUserID(p.userID, platform);
  if (!user.ok) return user;
  const sig = checkUserSig(p.userSig);
  if (!sig.ok) return sig;
  const room = checkRoom(p.roomID, p.strRoomID, platform);
  if (!room.ok) return room;
  const pmk = orEmpty(p.privateMapKey);
  if (typeof pmk !== 'string') return fail('privateMapKey', 'param.string', { field: 'privateMapKey' });
  const scene = checkEnum('scene', p.scene, SCENES);
  if (!scene.ok) return scene;
  const role = checkEnum('role', p.role, ROLES);
  if (!role.ok) return role;
  return {
    ok: true,
    value: {
      sdkAppID: app.value,
      userID: user.value,
      userSig: sig.value,
      ...room.value,
      privateMapKey: pmk,
      scene: scene.value,
      role: role.value,
    },
  };
}

export interface MediaInput {
  beauty?: unknown;
  whiteness?: unknown;
  aspect?: unknown;
  minBitrate?: unknown;
  maxBitrate?: unknown;
  scene?: unknown;
  role?: unknown;
}

/** Checks the properties that can change in a live room. Returns the first bad field, if any. */
export function checkMediaProps(p: MediaInput): FieldError | null {
  const min = checkRange('minBitrate', p.minBitrate, 1, 100000, 200);
  const max = checkRange('maxBitrate', p.maxBitrate, 1, 100000, 1000);
  const checks: Array<Checked<unknown>> = [
    checkRange('beauty', p.beauty, 0, 9, 0),
    checkRange('whiteness', p.whiteness, 0, 9, 0),
    checkEnum('aspect', p.aspect, ASPECTS, '9:16'),
    min,
    max,
    checkEnum('scene', p.scene, SCENES),
    checkEnum('role', p.role, ROLES),
  ];
  for (const c of checks) if (!c.ok) return c.error;
  if (min.ok && max.ok && min.value > max.value) {
    return fieldError('minBitrate', 'param.bitrate');
  }
  return null;
}

/** The room as one string, as Douyin and the chat group ID want it. */
export function roomKey(room: RoomRef): string {
  return room.strRoomID !== undefined ? room.strRoomID : String(room.roomID);
}

/** Room states the component can show itself (the `states` property). */
export const ROOM_STATES = [
  'entering',
  'waiting',
  'reconnecting',
  'ended',
  'cameraOff',
  'muted',
  'weak',
  'speaking',
] as const;

/** `states` (comma list of ROOM_STATES, '' for none) and `lang` ('', 'zh-CN', 'en'). */
export function checkDisplayProps(p: { states?: unknown; lang?: unknown }): FieldError | null {
  if (p.states !== undefined && p.states !== null) {
    if (typeof p.states !== 'string') return fieldError('states', 'param.string', { field: 'states' });
    const unknown = p.states
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x !== '' && !(ROOM_STATES as readonly string[]).includes(x));
    if (unknown.length) {
      return fieldError('states', 'param.enum', {
        field: 'states',
        value: describe(unknown[0]),
        allowed: ROOM_STATES.map((a) => `'${a}'`).join(', '),
      });
    }
  }
  if (p.lang !== undefined && p.lang !== null && p.lang !== '' && p.lang !== 'zh-CN' && p.lang !== 'en') {
    return fieldError('lang', 'param.enum', {
      field: 'lang',
      value: describe(p.lang),
      allowed: "'', 'zh-CN', 'en'",
    });
  }
  return null;
}

/** A finite number (px) or a string matching CSS_LENGTH_PATTERN. */
export function isCssLength(v: unknown): boolean {
  return (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && CSS_LENGTH_RE.test(v));
}

/** `bigsmall`'s local view: where it sits and how large it is (the smallView* properties), with their defaults. */
export const SMALL_VIEW_DEFAULTS = {
  smallViewLeft: '66%',
  smallViewTop: '4%',
  smallViewWidth: '30%',
  smallViewHeight: '30%',
} as const;
export type SmallViewName = keyof typeof SMALL_VIEW_DEFAULTS;

/** One smallView* property: unset is its default; anything but a CSS length is error -1 naming it. */
export function checkSmallView(field: SmallViewName, v: unknown): Checked<string> {
  if (v === undefined || v === null || v === '') return { ok: true, value: SMALL_VIEW_DEFAULTS[field] };
  if (isCssLength(v)) return { ok: true, value: typeof v === 'number' ? `${v}px` : (v as string) };
  return fail(field, 'param.length', { field });
}

/** `customRects`: null, or `{key: {left, top, width, height, zIndex?}}` with numbers (px) or CSS length strings. */
export function checkCustomRects(v: unknown): FieldError | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'object' || Array.isArray(v))
    return fieldError('customRects', 'param.object', { field: 'customRects' });
  for (const [key, rect] of Object.entries(v as Record<string, unknown>)) {
    const r = rect as Record<string, unknown> | null;
    const field = `customRects.${key}`;
    if (!r || typeof r !== 'object') return fieldError(field, 'param.object', { field });
    for (const k of ['left', 'top', 'width', 'height']) {
      if (!isCssLength(r[k])) return fieldError(`${field}.${k}`, 'param.length', { field: `${field}.${k}` });
    }
    const z = r.zIndex;
    if (z !== undefined && !(typeof z === 'number' && Number.isInteger(z) && z >= -999 && z <= 999)) {
      return fieldError(`${field}.zIndex`, 'param.range', {
        field: `${field}.zIndex`,
        value: describe(r.zIndex),
        min: -999,
        max: 999,
      });
    }
  }
  return null;
}
