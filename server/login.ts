/**
 * Mini-program login: a `wx.login()` / `tt.login()` code → the platform's code-to-session API → openid →
 * userID. The app secret goes only to the platform API; it is never logged and never part of an error.
 */
import { createHash } from 'node:crypto';
import type { Platform } from '../utils/validate';
import { checkUserID } from '../utils/validate';
import type { LoginPlatformConfig } from './config';
import type { LoginStandIn } from './login-standin';

/** What the platform says about the user who made the code. */
export interface PlatformSession {
  platform: Platform;
  openid: string;
  unionid?: string;
}

export type LoginFailureKind =
  /** the code is wrong, used or expired: the caller's fault (401, counted as a failed authentication) */
  | 'invalid_code'
  /** the platform refused our AppID/secret: the operator's fault (500, logged) */
  | 'misconfigured'
  /** the platform is busy, rate-limited us or did not answer (503) */
  | 'unavailable';

export class LoginError extends Error {
  constructor(
    readonly kind: LoginFailureKind,
    message: string,
    /** the platform's errcode / err_no, when it answered with one */
    readonly platformCode?: number,
  ) {
    super(message);
    this.name = 'LoginError';
  }
}

export interface LoginTransport {
  /** defaults to global fetch */
  fetch?: typeof fetch;
  /** development: answers in-process instead of over the network */
  standIn?: LoginStandIn | null;
  timeoutMs?: number;
}

interface RawResponse {
  status: number;
  json: unknown;
}

async function call(
  cfg: LoginPlatformConfig,
  t: LoginTransport,
  req: { method: 'GET' | 'POST'; path: string; body?: string },
): Promise<RawResponse> {
  if (cfg.standIn) {
    if (!t.standIn) throw new LoginError('misconfigured', 'the development login stand-in is not running');
    const r = t.standIn.handle({ method: req.method, url: req.path, body: req.body });
    return { status: r.status, json: r.body };
  }
  const f = t.fetch ?? fetch;
  let res: Response;
  try {
    res = await f(cfg.baseUrl + req.path, {
      method: req.method,
      headers: req.body !== undefined ? { 'content-type': 'application/json' } : undefined,
      body: req.body,
      signal: AbortSignal.timeout(t.timeoutMs ?? 5000),
      redirect: 'error',
    });
  } catch (e) {
    // the URL may hold the secret (WeChat takes it in the query): never in a message
    const why = (e as Error).name === 'TimeoutError' ? 'timed out' : 'could not be reached';
    throw new LoginError('unavailable', `the ${platformName(cfg)} login API ${why}`);
  }
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    json = null;
  }
  return { status: res.status, json };
}

function platformName(cfg: LoginPlatformConfig): string {
  return cfg.appId.startsWith('tt') ? 'Douyin' : 'WeChat';
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** WeChat `auth.code2Session` (GET /sns/jscode2session). */
export async function wxCodeToSession(
  cfg: LoginPlatformConfig,
  code: string,
  t: LoginTransport = {},
): Promise<PlatformSession> {
  const q = new URLSearchParams({
    appid: cfg.appId,
    secret: cfg.appSecret,
    js_code: code,
    grant_type: 'authorization_code',
  });
  const r = await call(cfg, t, { method: 'GET', path: `/sns/jscode2session?${q}` });
  const o = (typeof r.json === 'object' && r.json !== null ? r.json : {}) as Record<string, unknown>;
  const errcode = num(o.errcode) ?? 0;
  const openid = str(o.openid);
  if (r.status === 200 && errcode === 0 && openid) {
    const unionid = str(o.unionid);
    return { platform: 'wx', openid, ...(unionid ? { unionid } : {}) };
  }
  if (r.status !== 200) throw new LoginError('unavailable', `the WeChat login API answered HTTP ${r.status}`);
  switch (errcode) {
    case 40029:
    case 40163:
    case 40226:
      throw new LoginError('invalid_code', `WeChat refused the login code (${errcode})`, errcode);
    case 40013:
    case 40125:
    case 40002:
      throw new LoginError(
        'misconfigured',
        `WeChat refused this server's AppID/secret (${errcode}): check WX_APP_ID and WX_APP_SECRET`,
        errcode,
      );
    case 45011:
      throw new LoginError(
        'unavailable',
        'WeChat rate-limited the login (45011): retry in a minute',
        errcode,
      );
    default:
      throw new LoginError('unavailable', `the WeChat login API failed (${errcode})`, errcode || undefined);
  }
}

/** Douyin `code2Session` (POST /api/apps/v2/jscode2session). */
export async function ttCodeToSession(
  cfg: LoginPlatformConfig,
  code: string,
  t: LoginTransport = {},
): Promise<PlatformSession> {
  const body = JSON.stringify({ appid: cfg.appId, secret: cfg.appSecret, code, anonymous_code: '' });
  const r = await call(cfg, t, { method: 'POST', path: '/api/apps/v2/jscode2session', body });
  const o = (typeof r.json === 'object' && r.json !== null ? r.json : {}) as Record<string, unknown>;
  const errNo = num(o.err_no);
  const data = (typeof o.data === 'object' && o.data !== null ? o.data : {}) as Record<string, unknown>;
  const openid = str(data.openid);
  if (r.status === 200 && errNo === 0 && openid) {
    const unionid = str(data.unionid);
    return { platform: 'tt', openid, ...(unionid ? { unionid } : {}) };
  }
  if (r.status !== 200 || errNo === undefined)
    throw new LoginError('unavailable', `the Douyin login API answered HTTP ${r.status}`);
  switch (errNo) {
    case 40018:
    case 40019:
    case 40014:
      throw new LoginError('invalid_code', `Douyin refused the login code (${errNo})`, errNo);
    case 40015:
    case 40017:
      throw new LoginError(
        'misconfigured',
        `Douyin refused this server's AppID/secret (${errNo}): check TT_APP_ID and TT_APP_SECRET`,
        errNo,
      );
    default:
      throw new LoginError('unavailable', `the Douyin login API failed (${errNo})`, errNo);
  }
}

export function codeToSession(
  platform: Platform,
  cfg: LoginPlatformConfig,
  code: string,
  t: LoginTransport = {},
): Promise<PlatformSession> {
  return platform === 'wx' ? wxCodeToSession(cfg, code, t) : ttCodeToSession(cfg, code, t);
}

/**
 * The default userID for a platform user: the openid itself when it is a valid ID on both platforms
 * (WeChat openids are 28 characters of A-Z a-z 0-9 _ -), otherwise `h_` + 30 hex digits of its SHA-256.
 */
export function defaultUserID(session: PlatformSession): string {
  if (checkUserID(session.openid, 'wx').ok) return session.openid;
  return (
    'h_' + createHash('sha256').update(`${session.platform}:${session.openid}`).digest('hex').slice(0, 30)
  );
}
