/**
 * A local stand-in of the two platforms' code-to-session APIs, with their documented request, response and
 * error shapes:
 *   WeChat  GET  /sns/jscode2session?appid&secret&js_code&grant_type=authorization_code
 *           → {openid, session_key, unionid?} | {errcode, errmsg}   (40029 invalid code, 40163 code been used,
 *             40013 invalid appid, 40125 invalid appsecret, 40002 invalid grant_type, 45011 rate limit, -1 busy)
 *   Douyin  POST /api/apps/v2/jscode2session  JSON {appid, secret, code, anonymous_code}
 *           → {err_no: 0, err_tips: 'success', log_id, data: {session_key, openid, anonymous_openid, unionid}}
 *             | {err_no, err_tips, log_id, data}   (40015 bad appid, 40017 bad secret, 40018 bad code,
 *             40019 bad anonymous_code, -1 system error)
 *
 * It accepts the codes `issueCode()` makes (what the preview's `wx.login` / `tt.login` return): single use and
 * valid for 5 minutes, like the real ones. Development and tests only: it refuses to exist under
 * NODE_ENV=production, and the signing service wires it in only in development mode without platform keys.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Platform } from '../utils/validate';
import { DEV_CODE_PATTERN, formatDevLoginCode } from './dev-login-code';

export interface StandInApp {
  platform: Platform;
  appId: string;
  appSecret: string;
}

export interface StandInRequest {
  method: string;
  /** path and query */
  url: string;
  headers?: Record<string, string | string[] | undefined>;
  body?: string;
}

export interface StandInResponse {
  status: number;
  body: Record<string, unknown>;
}

export interface LoginStandIn {
  /** answers one request to either API */
  handle(req: StandInRequest): StandInResponse;
  /** serves `handle` on 127.0.0.1 (tests, or as WX_LOGIN_BASE_URL / TT_LOGIN_BASE_URL of another process) */
  listen(port?: number): Promise<{ url: string; close(): Promise<void> }>;
  /** the next response for this platform is this platform error (e.g. 45011, -1), once */
  failNext(platform: Platform, code: number): void;
  /** how many calls each API got (tests) */
  readonly calls: Record<Platform, number>;
}

export const CODE_TTL_MS = 5 * 60_000;

/** A code the stand-in accepts, for the simulated account `account` (it becomes the openid). */
export function issueDevLoginCode(account: string, now = Date.now()): string {
  return formatDevLoginCode(account, now, randomBytes(8).toString('hex'));
}

const WX_ERR: Record<number, string> = {
  [-1]: 'system error',
  40002: 'invalid grant_type',
  40013: 'invalid appid',
  40029: 'invalid code',
  40125: 'invalid appsecret',
  40163: 'code been used',
  45011: 'api minute-quota reach limit  mustslower  retry next minute',
};
const TT_ERR: Record<number, string> = {
  [-1]: 'system error',
  40014: 'bad params',
  40015: 'bad appid',
  40017: 'bad secret',
  40018: 'bad code',
  40019: 'bad anonymous_code',
};

export function createLoginStandIn(apps: StandInApp[], clock: () => number = Date.now): LoginStandIn {
  if (process.env.NODE_ENV === 'production') {
    throw new Error('the login stand-in is for development and tests only (NODE_ENV=production)');
  }
  const used = new Map<string, number>(); // code → expiry (ms)
  const pendingFailure = new Map<Platform, number>();
  const calls: Record<Platform, number> = { wx: 0, tt: 0 };
  const rid = (): string => randomBytes(6).toString('hex');
  const app = (platform: Platform, appId: unknown): StandInApp | undefined =>
    apps.find((a) => a.platform === platform && a.appId === appId);
  const sessionKey = (openid: string): string =>
    createHash('sha256').update(`session:${openid}`).digest('base64').slice(0, 24);

  /** null = good code; otherwise why not */
  function checkCode(code: unknown): { openid: string } | 'invalid' | 'used' {
    if (typeof code !== 'string') return 'invalid';
    const m = DEV_CODE_PATTERN.exec(code);
    if (!m) return 'invalid';
    const now = clock();
    const issued = Number(m[2]);
    if (issued > now + 60_000 || now - issued > CODE_TTL_MS) return 'invalid';
    for (const [c, exp] of used) if (exp < now) used.delete(c);
    if (used.has(code)) return 'used';
    used.set(code, issued + CODE_TTL_MS);
    return { openid: m[1] };
  }

  function wx(req: StandInRequest, url: URL): StandInResponse {
    const err = (errcode: number): StandInResponse => ({
      status: 200,
      body: { errcode, errmsg: `${WX_ERR[errcode]}, rid: ${rid()}` },
    });
    if (req.method !== 'GET') return err(40002);
    const q = url.searchParams;
    const a = app('wx', q.get('appid'));
    if (!a) return err(40013);
    if (q.get('secret') !== a.appSecret) return err(40125);
    if (q.get('grant_type') !== 'authorization_code') return err(40002);
    const forced = pendingFailure.get('wx');
    if (forced !== undefined) {
      pendingFailure.delete('wx');
      return err(forced);
    }
    const c = checkCode(q.get('js_code'));
    if (c === 'invalid') return err(40029);
    if (c === 'used') return err(40163);
    return { status: 200, body: { session_key: sessionKey(c.openid), openid: c.openid } };
  }

  function tt(req: StandInRequest): StandInResponse {
    const err = (errNo: number): StandInResponse => ({
      status: 200,
      body: {
        err_no: errNo,
        err_tips: TT_ERR[errNo],
        log_id: rid(),
        data: { session_key: '', openid: '', anonymous_openid: '', unionid: '' },
      },
    });
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(req.body ?? '');
      if (typeof parsed !== 'object' || parsed === null) return err(40014);
      body = parsed as Record<string, unknown>;
    } catch {
      return err(40014);
    }
    if (req.method !== 'POST') return err(40014);
    const a = app('tt', body.appid);
    if (!a) return err(40015);
    if (body.secret !== a.appSecret) return err(40017);
    const forced = pendingFailure.get('tt');
    if (forced !== undefined) {
      pendingFailure.delete('tt');
      return err(forced);
    }
    if ((body.code === undefined || body.code === '') && body.anonymous_code) return err(40019);
    const c = checkCode(body.code);
    if (c !== 'invalid' && c !== 'used') {
      return {
        status: 200,
        body: {
          err_no: 0,
          err_tips: 'success',
          log_id: rid(),
          data: {
            session_key: sessionKey(c.openid),
            openid: c.openid,
            anonymous_openid: '',
            unionid: '',
          },
        },
      };
    }
    return err(40018);
  }

  function handle(req: StandInRequest): StandInResponse {
    const url = new URL(req.url, 'http://stand-in');
    if (url.pathname === '/sns/jscode2session') {
      calls.wx++;
      return wx(req, url);
    }
    if (url.pathname === '/api/apps/v2/jscode2session') {
      calls.tt++;
      return tt(req);
    }
    return { status: 404, body: { errcode: 404, errmsg: 'not found' } };
  }

  const self: LoginStandIn = {
    handle,
    calls,
    failNext(platform, code) {
      pendingFailure.set(platform, code);
    },
    async listen(port = 0) {
      const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const r = self.handle({
            method: req.method ?? 'GET',
            url: req.url ?? '/',
            headers: req.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
          res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(r.body));
        });
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
      });
      const { port: p } = server.address() as AddressInfo;
      return {
        url: `http://127.0.0.1:${p}`,
        close: () =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      };
    },
  };
  return self;
}
