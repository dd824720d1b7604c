/** @jest-environment node */
// fastify's inject() needs `cookie` 2.x (ESM only, see app.test.ts): only its Set-Cookie helper, unused here.
jest.mock('cookie', () => ({
  stringifySetCookie: () => {
    throw new Error('cookie is mocked');
  },
}));
/**
 * POST /api/login {platform, code}: the code goes to the platform's code-to-session API (here a local stand-in
 * over HTTP with the documented request, response and error shapes), the openid becomes the userID, and a
 * short-lived session token authenticates POST /api/credentials. The development stand-in cannot be turned on
 * in production.
 */
import { createServer, type SigningServer } from '../../server/app';
import { loadConfig, type ServerConfig, type ServerEnv } from '../../server/config';
import { defaultUserID } from '../../server/login';
import { createLoginStandIn, issueDevLoginCode, type LoginStandIn } from '../../server/login-standin';
import { verifyUserSig } from '../../server/trtc';
import { PROD_KEYS } from './helpers/env';

const WX = { appId: 'wx0123456789abcdef', secret: 'wx-app-secret-never-leaves-0123' };
const TT = { appId: 'tt0123456789abcdef01', secret: 'tt-app-secret-never-leaves-0123' };
const SESSION_SECRET = 'session-secret-for-login-tests-0123456789';
const PROD: ServerEnv = {
  ...PROD_KEYS,
  WX_APP_ID: WX.appId,
  WX_APP_SECRET: WX.secret,
  TT_APP_ID: TT.appId,
  TT_APP_SECRET: TT.secret,
  SESSION_SECRET,
  SESSION_TTL_SECONDS: '600',
};

let standIn: LoginStandIn;
let api: { url: string; close(): Promise<void> };
/** what reached the platform APIs, to check the request shapes */
const seen: Array<{ method: string; url: string; body: string; type?: string }> = [];

beforeAll(async () => {
  standIn = createLoginStandIn([
    { platform: 'wx', appId: WX.appId, appSecret: WX.secret },
    { platform: 'tt', appId: TT.appId, appSecret: TT.secret },
  ]);
  const inner = standIn.handle.bind(standIn);
  standIn.handle = (req) => {
    seen.push({
      method: req.method,
      url: req.url,
      body: req.body ?? '',
      type: req.headers?.['content-type'] as string | undefined,
    });
    return inner(req);
  };
  api = await standIn.listen();
});
afterAll(() => api.close());

const apps: SigningServer[] = [];
function make(env: ServerEnv = {}, logLines?: string[]): SigningServer {
  const config = loadConfig({
    ...PROD,
    WX_LOGIN_BASE_URL: api.url,
    TT_LOGIN_BASE_URL: api.url,
    ...(logLines ? { LOG_LEVEL: 'trace' } : {}),
    ...env,
  });
  const app = createServer(config, logLines ? { logStream: { write: (l) => logLines.push(l) } } : {});
  apps.push(app);
  return app;
}
afterEach(async () => {
  seen.length = 0;
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

const login = (app: SigningServer, platform: string, code: string) =>
  app.inject({ method: 'POST', url: '/api/login', payload: { platform, code } });

test('WeChat: jscode2session → openid → session token → credentials for that user only', async () => {
  const app = make();
  const res = await login(app, 'wx', issueDevLoginCode('oAbCdEfGhIjKlMnOpQrStUvWxYz0'));
  expect(res.statusCode).toBe(200);
  expect(res.headers['cache-control']).toBe('no-store');
  const s = res.json();
  expect(s).toMatchObject({ tokenType: 'Bearer', userID: 'oAbCdEfGhIjKlMnOpQrStUvWxYz0', platform: 'wx' });
  const now = Math.floor(Date.now() / 1000);
  expect(s.expireAt).toBeGreaterThanOrEqual(now + 590);
  expect(s.expireAt).toBeLessThanOrEqual(now + 601);
  // the documented request: GET with appid, secret, js_code, grant_type=authorization_code
  expect(seen).toHaveLength(1);
  expect(seen[0].method).toBe('GET');
  const q = new URL(seen[0].url, 'http://x').searchParams;
  expect(new URL(seen[0].url, 'http://x').pathname).toBe('/sns/jscode2session');
  expect(Object.fromEntries(q)).toMatchObject({
    appid: WX.appId,
    secret: WX.secret,
    grant_type: 'authorization_code',
  });
  // the session key and the app secret never reach the caller
  expect(res.body).not.toContain(WX.secret);
  expect(res.body).not.toMatch(/session_key|openid/);

  const creds = await app.inject({
    method: 'POST',
    url: '/api/credentials',
    payload: { platform: 'wx', roomID: 9 },
    headers: { authorization: `Bearer ${s.token}` },
  });
  expect(creds.statusCode).toBe(200);
  const c = creds.json();
  expect(c.userID).toBe(s.userID);
  expect(
    verifyUserSig({
      sdkAppID: 1400123456,
      secretKey: PROD.TRTC_SECRET_KEY!,
      userSig: c.userSig,
      userID: s.userID,
    }).ok,
  ).toBe(true);
  const other = await app.inject({
    method: 'POST',
    url: '/api/credentials',
    payload: { platform: 'wx', roomID: 9, userID: 'somebody_else' },
    headers: { authorization: `Bearer ${s.token}` },
  });
  expect(other.statusCode).toBe(403);
});

test('Douyin: code2session (POST JSON) → session token, usable on both platforms', async () => {
  const app = make();
  const res = await login(app, 'tt', issueDevLoginCode('_000QadFMhmU1jNCI3JdPlyp7Xn4f'));
  expect(res.statusCode).toBe(200);
  expect(seen[0]).toMatchObject({
    method: 'POST',
    url: '/api/apps/v2/jscode2session',
    type: 'application/json',
  });
  expect(JSON.parse(seen[0].body)).toMatchObject({ appid: TT.appId, secret: TT.secret, anonymous_code: '' });
  expect(res.json().userID).toBe('_000QadFMhmU1jNCI3JdPlyp7Xn4f');
  // a session from Douyin can also get the TRTC chat credential (the demo's Douyin chat)
  const token = res.json().token;
  for (const platform of ['tt', 'wx']) {
    const c = await app.inject({
      method: 'POST',
      url: '/api/credentials',
      payload: { platform, roomID: 3 },
      headers: { authorization: `Bearer ${token}` },
    });
    expect(c.statusCode).toBe(200);
  }
});

test('an openid that is not a valid userID on both platforms becomes a stable hash', () => {
  const long = { platform: 'tt' as const, openid: '36d4bd3c-2f47-4a5d-a5e1-0dd7c6c0fcf2-extra' };
  const id = defaultUserID(long);
  expect(id).toMatch(/^h_[0-9a-f]{30}$/);
  expect(defaultUserID(long)).toBe(id);
  expect(defaultUserID({ platform: 'wx', openid: long.openid })).not.toBe(id);
  expect(defaultUserID({ platform: 'wx', openid: 'oAbC_-12' })).toBe('oAbC_-12');
});

test('mapUser maps a platform user to your own userID', async () => {
  const config = loadConfig({ ...PROD, WX_LOGIN_BASE_URL: api.url, TT_LOGIN_BASE_URL: api.url });
  const app = createServer(config, { mapUser: (s) => `u_${s.platform}_${s.openid.slice(0, 6)}` });
  apps.push(app);
  const res = await login(app, 'tt', issueDevLoginCode('openid123456'));
  expect(res.json().userID).toBe('u_tt_openid');
});

test('bad, reused and expired codes: 401 login_failed, counted as failed authentications', async () => {
  const app = make({ AUTH_FAILURE_LIMIT_PER_MINUTE: '3' });
  const code = issueDevLoginCode('alice');
  expect((await login(app, 'wx', code)).statusCode).toBe(200);
  const reused = await login(app, 'wx', code); // WeChat 40163 code been used
  expect(reused.statusCode).toBe(401);
  expect(reused.json()).toMatchObject({ error: 'login_failed', field: 'code' });
  expect(reused.json().message).toMatch(/40163/);
  const expired = await login(app, 'tt', issueDevLoginCode('alice', Date.now() - 6 * 60_000)); // 40018
  expect(expired.statusCode).toBe(401);
  expect(expired.json().message).toMatch(/40018/);
  expect((await login(app, 'wx', 'made-up-code')).statusCode).toBe(401); // 40029
  // three failures: the fourth attempt is refused without asking the platform, even with a good code
  const before = standIn.calls.wx;
  const blocked = await login(app, 'wx', issueDevLoginCode('alice'));
  expect(blocked.statusCode).toBe(429);
  expect(blocked.json()).toMatchObject({ error: 'too_many_failures', field: 'authorization' });
  expect(standIn.calls.wx).toBe(before);
});

test('platform busy / rate-limited: 503; wrong app secret: 500 without the secret, in the body or the log', async () => {
  const lines: string[] = [];
  const app = make({}, lines);
  standIn.failNext('wx', 45011);
  const limited = await login(app, 'wx', issueDevLoginCode('bob'));
  expect(limited.statusCode).toBe(503);
  expect(limited.json()).toMatchObject({ error: 'login_unavailable' });
  standIn.failNext('tt', -1);
  expect((await login(app, 'tt', issueDevLoginCode('bob'))).statusCode).toBe(503);

  const wrong = make(
    { WX_APP_SECRET: 'a-wrong-app-secret-value-0123', TT_APP_SECRET: 'another-wrong-one-0123' },
    lines,
  );
  for (const platform of ['wx', 'tt']) {
    const res = await login(wrong, platform, issueDevLoginCode('bob'));
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      error: 'login_misconfigured',
      field: 'code',
      message: 'the login is misconfigured on this server',
    });
  }
  const log = lines.join('');
  expect(log).toMatch(/refused this server's AppID\/secret \(40125\)/);
  expect(log).toMatch(/\(40017\)/);
  for (const s of [
    WX.secret,
    TT.secret,
    'a-wrong-app-secret-value-0123',
    'another-wrong-one-0123',
    SESSION_SECRET,
  ])
    expect(log).not.toContain(s);
});

test('the platform API unreachable: 503 naming neither the URL nor the secret', async () => {
  const app = make({ WX_LOGIN_BASE_URL: 'http://127.0.0.1:9' });
  const res = await login(app, 'wx', issueDevLoginCode('bob'));
  expect(res.statusCode).toBe(503);
  expect(res.body).not.toContain(WX.secret);
  expect(res.body).not.toContain('127.0.0.1:9');
});

test('a session token expires; another server secret does not accept it', async () => {
  let now = Math.floor(Date.now() / 1000);
  const config = loadConfig({ ...PROD, WX_LOGIN_BASE_URL: api.url, SESSION_TTL_SECONDS: '60' });
  const app = createServer(config, { now: () => now });
  apps.push(app);
  const { token } = (await login(app, 'wx', issueDevLoginCode('carol'))).json();
  const creds = () =>
    app.inject({
      method: 'POST',
      url: '/api/credentials',
      payload: { platform: 'wx', roomID: 1 },
      headers: { authorization: `Bearer ${token}` },
    });
  expect((await creds()).statusCode).toBe(200);
  now += 66;
  expect((await creds()).statusCode).toBe(401);
  const elsewhere = make({ SESSION_SECRET: 'x'.repeat(40) });
  const r = await elsewhere.inject({
    method: 'POST',
    url: '/api/credentials',
    payload: { platform: 'wx', roomID: 1 },
    headers: { authorization: `Bearer ${token}` },
  });
  expect(r.statusCode).toBe(401);
});

test('login not configured for a platform: 503 naming the platform', async () => {
  const app = make({ TT_APP_ID: '', TT_APP_SECRET: '' });
  const res = await login(app, 'tt', issueDevLoginCode('dan'));
  expect(res.statusCode).toBe(503);
  expect(res.json()).toMatchObject({ error: 'login_unavailable', field: 'platform' });
  expect((await login(app, 'qq', 'x')).statusCode).toBe(400);
});

describe('the development stand-in', () => {
  test('development out of the box: the in-process stand-in answers, no network', async () => {
    const app = createServer(loadConfig({ WORKERS: '1' }));
    apps.push(app);
    expect(app.loginStandIn).not.toBeNull();
    const res = await login(app, 'tt', issueDevLoginCode('alice'));
    expect(res.json()).toMatchObject({ userID: 'alice', platform: 'tt' });
    expect(app.loginStandIn!.calls.tt).toBe(1);
  });

  test('cannot be enabled in production by accident', () => {
    // production never configures it ...
    const prod = loadConfig({ ...PROD, WX_APP_ID: '', WX_APP_SECRET: '', TT_APP_ID: '', TT_APP_SECRET: '' });
    expect(prod.auth.login).toEqual({ wx: null, tt: null });
    // ... development next to real signing keys does not either (it would sign real credentials for anyone)
    const devWithKeys = loadConfig({ ...PROD, NODE_ENV: 'development', WX_APP_ID: '', WX_APP_SECRET: '' });
    expect(devWithKeys.auth.login.wx).toBeNull();
    expect(devWithKeys.auth.login.tt).toMatchObject({ standIn: false });
    // ... a development config switched to production refuses to start
    const dev = loadConfig({});
    const forged: ServerConfig = {
      ...dev,
      mode: 'production',
      trtc: { sdkAppID: 1400123456, secretKey: 'k', generated: false },
      volc: { appId: 'abcdefghijklmnopqrstuvwx', appKey: 'k', generated: false },
    };
    expect(() => createServer(forged)).toThrow(/development login stand-in/);
    // ... and the stand-in itself refuses to exist under NODE_ENV=production
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(() => createLoginStandIn([])).toThrow(/development and tests only/);
    } finally {
      process.env.NODE_ENV = saved;
    }
  });
});
