/**
 * Douyin RtcRoomContext failures → component error codes (douyin-rtc.md §2). Pure: no tt.
 * A failure carries `errNo` (the documented errMsg table), sometimes `errorCode` (the 115xxx table), and always
 * `errMsg`. 115901 and 115903 are on no Douyin page (docs/platform-facts.md (d)): their table rows are a guess from
 * the errNo neighbours (21100, 21102), so for them the platform's own errMsg decides when it names a failure.
 */
import { ErrorCode } from '../../core/events';

export type TtErrorReason = 'permission' | 'privacy' | 'privacy_undeclared';

export interface TtMapped {
  /** component error code, or null when the failure is not one the mapping knows */
  code: number | null;
  /** the platform code that decided (errNo, else errorCode), 0 when neither is present */
  rawCode: number;
  /** the platform's own errMsg, unchanged */
  message: string;
  reason?: TtErrorReason;
  /** -1 only: the component property the platform complained about */
  field?: string;
}

interface Rule {
  code: number;
  reason?: TtErrorReason;
}

/** errNo / errorCode → component code. */
export const TT_ERROR_CODES: Readonly<Record<number, Rule>> = {
  10200: { code: ErrorCode.PERMISSION_DENIED, reason: 'permission' },
  115990: { code: ErrorCode.PERMISSION_DENIED, reason: 'permission' },
  10201: { code: ErrorCode.PERMISSION_DENIED, reason: 'privacy' },
  10202: { code: ErrorCode.PERMISSION_DENIED, reason: 'privacy_undeclared' },
  20000: { code: ErrorCode.INVALID_PARAM },
  115999: { code: ErrorCode.INVALID_PARAM },
  21101: { code: ErrorCode.CREDENTIAL_REJECTED },
  115902: { code: ErrorCode.CREDENTIAL_REJECTED },
  21102: { code: ErrorCode.ENTER_FAILED },
  115903: { code: ErrorCode.ENTER_FAILED },
  21100: { code: ErrorCode.ALREADY_IN_ROOM },
  115901: { code: ErrorCode.ALREADY_IN_ROOM },
  115910: { code: ErrorCode.ENGINE_DESTROYED },
  116183: { code: ErrorCode.NOT_SUPPORTED },
  10101: { code: ErrorCode.NOT_SUPPORTED },
  21200: { code: ErrorCode.NOT_SUPPORTED },
  21301: { code: ErrorCode.NOT_SUPPORTED },
};

/** Numbers no Douyin page describes: their rule is a guess, the errMsg outranks it (undocumented, not unknown). */
const GUESSED = new Set([115901, 115903]);

/** Message patterns for failures without a (known) number; first match wins, most specific first. */
const TEXT_RULES: ReadonlyArray<[RegExp, Rule]> = [
  [/engine has been destroyed/i, { code: ErrorCode.ENGINE_DESTROYED }],
  [/platform auth deny|not available|creation failed/i, { code: ErrorCode.NOT_SUPPORTED }],
  [
    /not declared in the privacy agreement/i,
    { code: ErrorCode.PERMISSION_DENIED, reason: 'privacy_undeclared' },
  ],
  [/privacy permission is not authorized/i, { code: ErrorCode.PERMISSION_DENIED, reason: 'privacy' }],
  [/auth deny|authoriz/i, { code: ErrorCode.PERMISSION_DENIED, reason: 'permission' }],
  [/invalid token|token.*invalid/i, { code: ErrorCode.CREDENTIAL_REJECTED }],
  [/already in the room/i, { code: ErrorCode.ALREADY_IN_ROOM }],
  [/expect params|should be|param/i, { code: ErrorCode.INVALID_PARAM }],
];

/** Platform parameter names → component property names, for -1's `field`. */
const FIELD_NAMES: ReadonlyArray<[RegExp, string]> = [
  [/\btoken\b/i, 'userSig'],
  [/\buserId\b/i, 'userID'],
  [/\broomId\b/i, 'roomID'],
  [/\bappId\b/i, 'sdkAppID'],
  [/\bcamera\b/i, 'frontCamera'],
];

export interface TtFailure {
  errMsg?: unknown;
  errNo?: unknown;
  errorCode?: unknown;
}

/** A platform code: a finite number, or a string of digits (a host may send either); undefined otherwise. */
export function codeOf(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

/**
 * Maps one `fail` result (or a thrown error, or an `onRtcStateChange` payload).
 * `opts.api` is the called method (the default -1 field); `opts.roomField` is the room property in use.
 */
export function mapTtError(
  failure: TtFailure | null | undefined,
  opts: { api?: string; roomField?: 'roomID' | 'strRoomID' } = {},
): TtMapped {
  const f = failure ?? {};
  const message = typeof f.errMsg === 'string' && f.errMsg !== '' ? f.errMsg : `${opts.api ?? 'tt'}:fail`;
  const errNo = codeOf(f.errNo);
  const errorCode = codeOf(f.errorCode);
  let rawCode = errNo ?? errorCode ?? 0;
  let rule: Rule | undefined;
  if (errNo !== undefined && TT_ERROR_CODES[errNo]) rule = TT_ERROR_CODES[errNo];
  else if (errorCode !== undefined && TT_ERROR_CODES[errorCode]) {
    rule = TT_ERROR_CODES[errorCode];
    rawCode = errorCode;
  } else {
    rule = textRule(message);
  }
  if (GUESSED.has(rawCode)) rule = textRule(message) ?? rule;
  const out: TtMapped = { code: rule ? rule.code : null, rawCode, message };
  if (rule?.reason) out.reason = rule.reason;
  if (rule?.code === ErrorCode.INVALID_PARAM) out.field = fieldOf(message, opts);
  return out;
}

function textRule(message: string): Rule | undefined {
  return TEXT_RULES.find(([re]) => re.test(message))?.[1];
}

function fieldOf(message: string, opts: { api?: string; roomField?: 'roomID' | 'strRoomID' }): string {
  const hit = FIELD_NAMES.find(([re]) => re.test(message.replace(/^[^:]*:fail\s*/, '')));
  if (!hit) return opts.api ?? 'params';
  return hit[1] === 'roomID' ? (opts.roomField ?? 'roomID') : hit[1];
}

/** A thrown value from a synchronous tt call (e.g. createRtcRoomContext) as a failure object. */
export function thrownToFailure(e: unknown): TtFailure {
  if (e && typeof e === 'object') {
    const o = e as Record<string, unknown>;
    const errMsg = typeof o.errMsg === 'string' ? o.errMsg : typeof o.message === 'string' ? o.message : '';
    const fromText = /\b(1\d{4,5})\b/.exec(errMsg);
    return { errMsg, errNo: o.errNo ?? o.errCode ?? (fromText ? Number(fromText[1]) : undefined) };
  }
  return { errMsg: String(e) };
}
