/** @jest-environment node */
// fastify's inject() (light-my-request) requires `cookie` 2.x, which is ESM only: Node 20 loads it, Jest (before
// Node 24.9) cannot. Only its Set-Cookie helper is used, and only for the `cookies` inject option (unused here).
jest.mock('cookie', () => ({
  stringifySetCookie: () => {
    throw new Error('cookie is mocked in test/server/app.test.ts');
  },
}));
import { SignJWT } from 'jose';
import { createServer, type SigningServer } from '../../server/app';
import { ConfigError, loadConfig, type ServerEnv } from '../../server/config';
import { verifyUserSig } from '../../server/trtc';
import { verifyVolcToken } from '../../server/volc';

const NOW = 1750000000;
const PROD_ENV: ServerEnv = {
  NODE_ENV: 'production',
  TRTC_SDK_APP_ID: '1400123456',
  TRTC_SECRET_KEY: 'trtc-secret-0123456789abcdef0123456789abcdef',
  VOLC_APP_ID: 'abcdefghijklmnopqrstuvwx',
  VOLC_APP_KEY: 'volc-app-key-0123456789abcdef',
};

/** These tests authenticate with app session JWTs (HS256); test/server/auth.test.ts covers every method. */
const JWT_SECRET = 'jwt-secret-for-the-app-tests-0123456789';
const jwtKey = new TextEncoder().encode(JWT_SECRET);
const jwtFor = (sub: string, claims: Record<string, unknown> = {}): Promise<string> =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt(NOW)
    .setExpirationTime(NOW + 3600)
    .sign(jwtKey);

const apps: SigningServer[] = [];
function make(env: ServerEnv = {}, logStream?: { write(line: string): void }): SigningServer {
  const app = createServer(loadConfig({ JWT_SECRET, ...env }), { now: () => NOW, logStream });
  apps.push(app);
  return app;
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

/** POST /api/credentials as the body's userID (or 'a'), unless an authorization header is given. */
const post = async (app: SigningServer, body: unknown, headers: Record<string, string> = {}) => {
  const named = (body as { userID?: unknown } | null)?.userID;
  const as = typeof named === 'string' && named !== '' ? named : 'a';
  const auth = headers.authorization === undefined ? { authorization: `Bearer ${await jwtFor(as)}` } : {};
  return app.inject({
    method: 'POST',
    url: '/api/credentials',
    payload: body as object,
    headers: { ...auth, ...headers },
  });
};

describe('POST /api/credentials: good requests', () => {
  test('wx, numeric room, anchor: UserSig + PrivateMapKey with all rights', async () => {
    const app = make();
    const res = await post(app, { platform: 'wx', userID: 'alice', roomID: 1234 });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    const { sdkAppID, secretKey } = app.credentials.trtc!;
    expect(body).toMatchObject({
      platform: 'wx',
      sdkAppID,
      userID: 'alice',
      roomID: 1234,
      expireAt: NOW + 86400,
    });
    expect(Object.keys(body).sort()).toEqual([
      'expireAt',
      'platform',
      'privateMapKey',
      'role',
      'roomID',
      'sdkAppID',
      'userID',
      'userSig',
    ]);
    expect(body.role).toBe('anchor');
    expect(verifyUserSig({ sdkAppID, secretKey, userSig: body.userSig, now: NOW, userID: 'alice' })).toEqual({
      ok: true,
      userID: 'alice',
      expireAt: NOW + 86400,
    });
    const pmk = verifyUserSig({ sdkAppID, secretKey, userSig: body.privateMapKey, now: NOW });
    expect(pmk.privateMap).toMatchObject({ version: 0, roomID: 1234, privileges: 255, userID: 'alice' });
  });

  test('wx, string room, audience: enter + receive only (170)', async () => {
    const app = make();
    const res = await post(app, { platform: 'wx', userID: 'bob', strRoomID: 'room 1!', role: 'audience' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.strRoomID).toBe('room 1!');
    expect(body.roomID).toBeUndefined();
    const { sdkAppID, secretKey } = app.credentials.trtc!;
    const pmk = verifyUserSig({ sdkAppID, secretKey, userSig: body.privateMapKey, now: NOW });
    expect(pmk.privateMap).toMatchObject({ version: 1, roomID: 0, strRoomID: 'room 1!', privileges: 170 });
  });

  test('a numeric string roomID, and roomID 0 / strRoomID "" count as unset (as in the component)', async () => {
    const app = make();
    expect((await post(app, { platform: 'wx', userID: 'a', roomID: '42' })).json().roomID).toBe(42);
    expect(
      (await post(app, { platform: 'wx', userID: 'a', roomID: 0, strRoomID: 'r' })).json().strRoomID,
    ).toBe('r');
    expect((await post(app, { platform: 'wx', userID: 'a', roomID: 7, strRoomID: '' })).json().roomID).toBe(
      7,
    );
  });

  test('tt, numeric and string rooms: Volcengine token in userSig, AppId in sdkAppID', async () => {
    const app = make();
    const { appId, appKey } = app.credentials.volc!;
    expect(appId).toMatch(/^[A-Za-z0-9]{24}$/);
    const anchor = (await post(app, { platform: 'tt', userID: 'user.1@x', roomID: 99 })).json();
    expect(anchor).toMatchObject({
      platform: 'tt',
      sdkAppID: appId,
      userID: 'user.1@x',
      roomID: 99,
      expireAt: NOW + 86400,
    });
    expect(anchor.privateMapKey).toBeUndefined();
    expect(
      verifyVolcToken({ appKey, token: anchor.userSig, now: NOW, appId, roomId: '99', userId: 'user.1@x' }),
    ).toMatchObject({
      ok: true,
      issuedAt: NOW,
      expireAt: NOW + 86400,
      privileges: { publish: NOW + 86400, subscribe: NOW + 86400 },
    });
    const audience = (
      await post(app, { platform: 'tt', userID: 'u2', strRoomID: 'room-a.b', role: 'audience' })
    ).json();
    expect(audience.strRoomID).toBe('room-a.b');
    expect(verifyVolcToken({ appKey, token: audience.userSig, now: NOW, roomId: 'room-a.b' })).toMatchObject({
      ok: true,
      privileges: { subscribe: NOW + 86400 },
    });
  });

  test('configured keys and TOKEN_TTL_SECONDS are used', async () => {
    const app = make({ ...PROD_ENV, TOKEN_TTL_SECONDS: '600' });
    const body = (await post(app, { platform: 'wx', userID: 'alice', roomID: 1 })).json();
    expect(body.sdkAppID).toBe(1400123456);
    expect(body.expireAt).toBe(NOW + 600);
    expect(
      verifyUserSig({
        sdkAppID: 1400123456,
        secretKey: PROD_ENV.TRTC_SECRET_KEY!,
        userSig: body.userSig,
        now: NOW,
      }).ok,
    ).toBe(true);
    const tt = (await post(app, { platform: 'tt', userID: 'alice', roomID: 1 })).json();
    expect(tt.sdkAppID).toBe(PROD_ENV.VOLC_APP_ID);
    expect(verifyVolcToken({ appKey: PROD_ENV.VOLC_APP_KEY!, token: tt.userSig, now: NOW }).ok).toBe(true);
  });
});

describe('POST /api/credentials: bad input -> 400 naming the field', () => {
  const cases: Array<[string, unknown, string]> = [
    ['no platform', { userID: 'a', roomID: 1 }, 'platform'],
    ['unknown platform', { platform: 'web', userID: 'a', roomID: 1 }, 'platform'],
    ['empty userID', { platform: 'wx', userID: '', roomID: 1 }, 'userID'],
    ['numeric userID', { platform: 'wx', userID: 12, roomID: 1 }, 'userID'],
    ['wx userID with a space', { platform: 'wx', userID: 'al ice', roomID: 1 }, 'userID'],
    ['wx userID of 33 chars', { platform: 'wx', userID: 'a'.repeat(33), roomID: 1 }, 'userID'],
    ['wx userID with @', { platform: 'wx', userID: 'a@b', roomID: 1 }, 'userID'],
    ['tt userID with a space', { platform: 'tt', userID: 'a b', roomID: 1 }, 'userID'],
    ['tt userID of 129 chars', { platform: 'tt', userID: 'a'.repeat(129), roomID: 1 }, 'userID'],
    ['no room', { platform: 'wx', userID: 'a' }, 'roomID'],
    ['roomID 0 alone', { platform: 'wx', userID: 'a', roomID: 0 }, 'roomID'],
    ['roomID text', { platform: 'wx', userID: 'a', roomID: 'abc' }, 'roomID'],
    ['roomID negative', { platform: 'wx', userID: 'a', roomID: -1 }, 'roomID'],
    ['roomID too big', { platform: 'wx', userID: 'a', roomID: 4294967295 }, 'roomID'],
    ['roomID string too big', { platform: 'wx', userID: 'a', roomID: '9999999999' }, 'roomID'],
    ['roomID float', { platform: 'wx', userID: 'a', roomID: 1.5 }, 'roomID'],
    ['roomID boolean', { platform: 'wx', userID: 'a', roomID: true }, 'roomID'],
    ['roomID null', { platform: 'wx', userID: 'a', roomID: null }, 'roomID'],
    ['both rooms', { platform: 'wx', userID: 'a', roomID: 1, strRoomID: 'r' }, 'strRoomID'],
    ['wx strRoomID with /', { platform: 'wx', userID: 'a', strRoomID: 'a/b' }, 'strRoomID'],
    ['wx strRoomID of 65 chars', { platform: 'wx', userID: 'a', strRoomID: 'r'.repeat(65) }, 'strRoomID'],
    ['tt strRoomID with a space', { platform: 'tt', userID: 'a', strRoomID: 'a b' }, 'strRoomID'],
    ['strRoomID number', { platform: 'tt', userID: 'a', strRoomID: 5 }, 'strRoomID'],
    ['bad role', { platform: 'wx', userID: 'a', roomID: 1, role: 'admin' }, 'role'],
    ['unknown field', { platform: 'wx', userID: 'a', roomId: 1 }, 'roomId'],
    ['array body', [1, 2], 'body'],
  ];
  test.each(cases)('%s', async (_name, body, field) => {
    const app = make();
    const res = await post(app, body);
    expect(res.statusCode).toBe(400);
    const json = res.json();
    expect(json).toEqual({ error: 'invalid_field', field, message: expect.any(String) });
    expect(json.message).toContain(field === 'body' ? 'body' : field);
  });

  test('messages are the component validator messages', async () => {
    const app = make();
    const res = await post(app, { platform: 'wx', userID: 'al ice', roomID: 1 });
    expect(res.json().message).toBe('userID "al ice" must be 1-32 letters, digits, "_" or "-"');
  });

  test('invalid JSON, empty body, wrong content type', async () => {
    const app = make();
    const inject = (payload: string, type: string) =>
      app.inject({ method: 'POST', url: '/api/credentials', payload, headers: { 'content-type': type } });
    let res = await inject('{"platform":', 'application/json');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_json', field: 'body' });
    res = await inject('', 'application/json');
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('body');
    res = await inject('platform=wx', 'text/plain');
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ error: 'unsupported_media_type', field: 'body' });
  });

  test('413 when the body is over the limit', async () => {
    const app = make();
    const res = await post(app, { platform: 'wx', userID: 'a', roomID: 1, pad: 'x'.repeat(5000) });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: 'payload_too_large', field: 'body' });
  });

  test('unknown route -> 404 JSON', async () => {
    const res = await make().inject({ method: 'GET', url: '/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'not_found', field: 'url' });
  });
});

describe('hardening', () => {
  test('429 after RATE_LIMIT_PER_MINUTE requests from one IP; other IPs and /healthz unaffected', async () => {
    const app = make({ RATE_LIMIT_PER_MINUTE: '3' });
    const ok = { platform: 'wx', userID: 'a', roomID: 1 };
    for (let i = 0; i < 3; i++) expect((await post(app, ok)).statusCode).toBe(200);
    const limited = await post(app, ok);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: 'rate_limited', field: 'ip' });
    expect(limited.headers['retry-after']).toBeDefined();
    // bad requests count too (no free guessing of the caller token)
    expect((await post(app, {})).statusCode).toBe(429);
    const other = await app.inject({
      method: 'POST',
      url: '/api/credentials',
      payload: ok,
      remoteAddress: '10.0.0.2',
      headers: { authorization: `Bearer ${await jwtFor('a')}` },
    });
    expect(other.statusCode).toBe(200);
    for (let i = 0; i < 5; i++)
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  describe('CORS allow-list', () => {
    const ok = { platform: 'wx', userID: 'a', roomID: 1 };
    test('allowed origin gets the CORS headers, also on preflight', async () => {
      const app = make({ ALLOWED_ORIGINS: 'https://a.example, https://b.example/' });
      const res = await post(app, ok, { origin: 'https://b.example' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe('https://b.example');
      const pre = await app.inject({
        method: 'OPTIONS',
        url: '/api/credentials',
        headers: {
          origin: 'https://a.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,authorization',
        },
      });
      expect(pre.statusCode).toBe(204);
      expect(pre.headers['access-control-allow-origin']).toBe('https://a.example');
      expect(String(pre.headers['access-control-allow-headers'])).toMatch(/Authorization/);
    });

    test('denied origin: 403, no CORS headers; preflight not answered', async () => {
      const app = make({ ALLOWED_ORIGINS: 'https://a.example' });
      const res = await post(app, ok, { origin: 'https://evil.example' });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: 'origin_not_allowed', field: 'origin' });
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const pre = await app.inject({
        method: 'OPTIONS',
        url: '/api/credentials',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(pre.headers['access-control-allow-origin']).toBeUndefined();
      expect(pre.statusCode).toBe(404);
    });

    test('no Origin header (mini-programs) is fine; defaults: localhost in development, none in production', async () => {
      const dev = make();
      expect((await post(dev, ok)).statusCode).toBe(200);
      expect(
        (await post(dev, ok, { origin: 'http://localhost:5173' })).headers['access-control-allow-origin'],
      ).toBe('http://localhost:5173');
      expect((await post(dev, ok, { origin: 'https://example.com' })).statusCode).toBe(403);
      const prod = make(PROD_ENV);
      expect((await post(prod, ok, { origin: 'http://localhost:5173' })).statusCode).toBe(403);
      expect((await post(prod, ok)).statusCode).toBe(200);
      const any = make({ ALLOWED_ORIGINS: '*' });
      expect((await post(any, ok, { origin: 'https://x.example' })).statusCode).toBe(200);
    });
  });

  describe('bearer token', () => {
    const ok = { platform: 'tt', userID: 'a', roomID: 1 };
    test('missing, malformed, wrong signature, expired, right', async () => {
      const app = make();
      const missing = await post(app, ok, { authorization: '' });
      expect(missing.statusCode).toBe(401);
      expect(missing.headers['www-authenticate']).toBe('Bearer');
      expect(missing.json()).toMatchObject({ error: 'unauthorized', field: 'authorization' });
      const good = await jwtFor('a');
      const forged = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('a')
        .setExpirationTime(NOW + 60)
        .sign(new TextEncoder().encode('another-secret-0123456789-0123456789'));
      const expired = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('a')
        .setExpirationTime(NOW - 3600)
        .sign(jwtKey);
      for (const auth of [
        `Bearer ${good}x`,
        `Basic ${good}`,
        good,
        'Bearer ',
        `Bearer ${forged}`,
        `Bearer ${expired}`,
      ]) {
        const res = await post(app, ok, { authorization: auth });
        expect(res.statusCode).toBe(401);
      }
      expect((await post(app, ok, { authorization: `Bearer ${good}` })).statusCode).toBe(200);
      expect((await post(app, ok, { authorization: `bearer ${good}` })).statusCode).toBe(200);
      // checked before the body: an unauthenticated caller learns nothing about validation
      expect((await post(app, { platform: 'nope' }, { authorization: '' })).statusCode).toBe(401);
      // health needs no token
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    });
  });

  test('secrets, tokens and bodies never reach the log', async () => {
    const lines: string[] = [];
    const app = make(
      { ...PROD_ENV, LOG_LEVEL: 'trace' },
      {
        write: (l: string) => lines.push(l),
      },
    );
    const token = await jwtFor('alice');
    const res = await post(
      app,
      { platform: 'wx', userID: 'alice', roomID: 1 },
      { authorization: `Bearer ${token}` },
    );
    expect(res.statusCode).toBe(200);
    await post(
      app,
      { platform: 'wx', userID: 'alice', roomID: 1 },
      { authorization: 'Bearer wrong-token-123' },
    );
    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(0);
    for (const s of [
      PROD_ENV.TRTC_SECRET_KEY!,
      PROD_ENV.VOLC_APP_KEY!,
      JWT_SECRET,
      token,
      'wrong-token-123',
      res.json().userSig,
      res.json().privateMapKey,
    ]) {
      expect(log).not.toContain(s);
    }
  });
});

describe('modes', () => {
  test('development: generated keys, labelled; /healthz says so', async () => {
    const app = make();
    expect(app.credentials).toMatchObject({ mode: 'development', devKeys: true });
    expect(app.credentials.trtc).toMatchObject({ sdkAppID: 1400000000, generated: true });
    expect(app.credentials.volc?.generated).toBe(true);
    expect(app.signingConfig.warnings.join('\n')).toMatch(/DEVELOPMENT MODE/);
    const h = await app.inject({ method: 'GET', url: '/healthz' });
    expect(h.json()).toEqual({
      ok: true,
      mode: 'development',
      devKeys: true,
      platforms: { wx: true, tt: true },
      auth: ['jwt', 'login'],
      login: { wx: true, tt: true },
      worker: 0,
    });
    // a second server gets different keys
    expect(make().credentials.trtc!.secretKey).not.toBe(app.credentials.trtc!.secretKey);
  });

  test('production without keys refuses to start', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/production.*no keys/);
    const dev = loadConfig({});
    expect(() => createServer({ ...dev, mode: 'production' })).toThrow(/development keys/);
  });

  test('production with only TRTC keys: tt requests get 503 naming platform', async () => {
    const app = make({
      NODE_ENV: 'production',
      TRTC_SDK_APP_ID: '1400123456',
      TRTC_SECRET_KEY: 'k'.repeat(32),
    });
    expect((await post(app, { platform: 'wx', userID: 'a', roomID: 1 })).statusCode).toBe(200);
    const res = await post(app, { platform: 'tt', userID: 'a', roomID: 1 });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: 'platform_unavailable', field: 'platform' });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toMatchObject({
      mode: 'production',
      devKeys: false,
      platforms: { wx: true, tt: false },
    });
  });
});

test('a real listening server on 127.0.0.1', async () => {
  const app = make({ PORT: '0' });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const authorization = `Bearer ${await jwtFor('alice')}`;
  const res = await fetch(`${address}/api/credentials`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ platform: 'wx', roomID: 1234 }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { userSig: string };
  const { sdkAppID, secretKey } = app.credentials.trtc!;
  expect(verifyUserSig({ sdkAppID, secretKey, userSig: body.userSig, now: NOW }).ok).toBe(true);
  const bad = await fetch(`${address}/api/credentials`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ platform: 'wx', strRoomID: 'a/b' }),
  });
  expect(bad.status).toBe(400);
  expect(await bad.json()).toMatchObject({ field: 'strRoomID' });
});
