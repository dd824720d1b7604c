/** @jest-environment node */
// fastify's inject() needs `cookie` 2.x (ESM only, see app.test.ts): only its Set-Cookie helper, unused here.
jest.mock('cookie', () => ({
  stringifySetCookie: () => {
    throw new Error('cookie is mocked');
  },
}));
/**
 * Who gets which credential: identity from the caller's token (app session JWTs with HS256, RS256, ES256 via
 * JWKS), never from the body; role and rooms from the server-side policy and the integrator's hooks; fail closed.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { createServer, type CreateServerOptions, type SigningServer } from '../../server/app';
import { ConfigError, loadConfig, type ServerEnv } from '../../server/config';
import { verifyUserSig } from '../../server/trtc';
import { PROD_KEYS } from './helpers/env';
import { verifyVolcToken } from '../../server/volc';

const NOW = 1750000000;
const SECRET = 'hs256-secret-for-auth-tests-0123456789';
const OLD_SECRET = 'hs256-old-secret-still-accepted-012345';
const PROD: ServerEnv = PROD_KEYS;

const apps: SigningServer[] = [];
function make(env: ServerEnv, options: CreateServerOptions = {}): SigningServer {
  const app = createServer(loadConfig({ ...PROD, ...env }), { now: () => NOW, ...options });
  apps.push(app);
  return app;
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

interface Sign {
  sub?: string;
  claims?: Record<string, unknown>;
  exp?: number;
  key?: Uint8Array | KeyLike;
  alg?: string;
  kid?: string;
  iss?: string;
  aud?: string;
}
function jwt(o: Sign = {}): Promise<string> {
  let j = new SignJWT(o.claims ?? {})
    .setProtectedHeader({ alg: o.alg ?? 'HS256', ...(o.kid ? { kid: o.kid } : {}) })
    .setIssuedAt(NOW)
    .setExpirationTime(o.exp ?? NOW + 600);
  if (o.sub !== '') j = j.setSubject(o.sub ?? 'alice');
  if (o.iss) j = j.setIssuer(o.iss);
  if (o.aud) j = j.setAudience(o.aud);
  return j.sign(o.key ?? new TextEncoder().encode(SECRET));
}

const post = (app: SigningServer, body: object, token?: string) =>
  app.inject({
    method: 'POST',
    url: '/api/credentials',
    payload: body,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

describe('HS256 app session tokens', () => {
  const env = { JWT_SECRET: `${SECRET},${OLD_SECRET}` };

  test('the credential is for the token subject; the body may name the same user only', async () => {
    const app = make(env);
    const token = await jwt({ sub: 'alice' });
    const res = await post(app, { platform: 'wx', roomID: 7 }, token);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ userID: 'alice', roomID: 7, role: 'anchor' });
    const v = verifyUserSig({
      sdkAppID: 1400123456,
      secretKey: PROD.TRTC_SECRET_KEY!,
      userSig: body.userSig,
      now: NOW,
      userID: 'alice',
    });
    expect(v.ok).toBe(true);
    expect((await post(app, { platform: 'wx', userID: 'alice', roomID: 7 }, token)).statusCode).toBe(200);
    // the reported hole: any userID in the body. Now: 403, nothing signed
    const other = await post(app, { platform: 'wx', userID: 'mallory', roomID: 7 }, token);
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ error: 'user_mismatch', field: 'userID' });
    expect(other.body).not.toContain('userSig');
  });

  test('no token, a wrong signature, expiry beyond the skew, missing sub/exp, alg none: 401', async () => {
    const app = make({ ...env, JWT_CLOCK_SKEW_SECONDS: '30' });
    const room = { platform: 'tt', roomID: 1 };
    expect((await post(app, room)).statusCode).toBe(401);
    const bad = [
      await jwt({ key: new TextEncoder().encode('a-different-secret-0123456789-abcdef') }),
      await jwt({ exp: NOW - 31 }),
      await jwt({ sub: '' }),
      // unsigned ("alg":"none")
      `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(
        JSON.stringify({ sub: 'alice', exp: NOW + 60 }),
      ).toString('base64url')}.`,
      'not-a-jwt',
    ];
    for (const t of bad) {
      const res = await post(app, room, t);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: 'unauthorized', field: 'authorization' });
    }
    // within the skew still fine; a rotated (old) secret is still accepted
    expect((await post(app, room, await jwt({ exp: NOW - 29 }))).statusCode).toBe(200);
    expect((await post(app, room, await jwt({ key: new TextEncoder().encode(OLD_SECRET) }))).statusCode).toBe(
      200,
    );
  });

  test('issuer and audience are checked when configured', async () => {
    const app = make({ ...env, JWT_ISSUER: 'https://auth.example', JWT_AUDIENCE: 'rtc' });
    const room = { platform: 'wx', roomID: 1 };
    expect((await post(app, room, await jwt())).statusCode).toBe(401);
    expect((await post(app, room, await jwt({ iss: 'https://auth.example', aud: 'other' }))).statusCode).toBe(
      401,
    );
    expect((await post(app, room, await jwt({ iss: 'https://auth.example', aud: 'rtc' }))).statusCode).toBe(
      200,
    );
  });

  test('a sub that is not a valid ID on the platform: 403, nothing signed', async () => {
    const app = make(env);
    const res = await post(app, { platform: 'wx', roomID: 1 }, await jwt({ sub: 'user.1@x' }));
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'user_not_usable', field: 'userID' });
    // the same identity is fine on Douyin, where @ and . are allowed
    expect((await post(app, { platform: 'tt', roomID: 1 }, await jwt({ sub: 'user.1@x' }))).statusCode).toBe(
      200,
    );
  });
});

describe('RS256 public key and ES256 JWKS', () => {
  test('RS256 with JWT_PUBLIC_KEY (PEM)', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const app = make({ JWT_PUBLIC_KEY: await exportSPKI(publicKey) });
    const ok = await post(app, { platform: 'wx', roomID: 1 }, await jwt({ alg: 'RS256', key: privateKey }));
    expect(ok.statusCode).toBe(200);
    const other = await generateKeyPair('RS256');
    expect(
      (await post(app, { platform: 'wx', roomID: 1 }, await jwt({ alg: 'RS256', key: other.privateKey })))
        .statusCode,
    ).toBe(401);
    // an HS256 token "signed" with the public key text (algorithm confusion) is refused
    const confused = await jwt({ alg: 'HS256', key: new TextEncoder().encode(await exportSPKI(publicKey)) });
    expect((await post(app, { platform: 'wx', roomID: 1 }, confused)).statusCode).toBe(401);
  });

  test('ES256 keys from a JWKS URL served on loopback; two keys during a rotation, chosen by kid', async () => {
    const k1 = await generateKeyPair('ES256');
    const k2 = await generateKeyPair('ES256');
    // mid-rotation: the integrator publishes the next key (k2) next to the current one (k1)
    const keys = [
      { ...(await exportJWK(k1.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' },
      { ...(await exportJWK(k2.publicKey)), kid: 'k2', alg: 'ES256', use: 'sig' },
    ];
    let fetches = 0;
    const jwks = http.createServer((_req, res) => {
      fetches++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
    });
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
    try {
      const app = make({ JWT_JWKS_URL: url });
      const room = { platform: 'tt', strRoomID: 'r1' };
      const t1 = await jwt({ alg: 'ES256', key: k1.privateKey, kid: 'k1', sub: 'bob' });
      const res = await post(app, room, t1);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ userID: 'bob', strRoomID: 'r1' });
      expect(fetches).toBe(1);
      const t2 = await jwt({ alg: 'ES256', key: k2.privateKey, kid: 'k2', sub: 'bob' });
      expect((await post(app, room, t2)).statusCode).toBe(200);
      expect(fetches).toBe(1); // cached
      // a key that is in no JWKS
      const k3 = await generateKeyPair('ES256');
      expect(
        (await post(app, room, await jwt({ alg: 'ES256', key: k3.privateKey, kid: 'k3' }))).statusCode,
      ).toBe(401);
    } finally {
      jwks.closeAllConnections();
      await new Promise((r) => jwks.close(r));
    }
  });
});

test('a JWKS that cannot be fetched is 503 auth_unavailable, not a bad token: nothing signed, no failure counted', async () => {
  const k1 = await generateKeyPair('ES256');
  const keys = [{ ...(await exportJWK(k1.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }];
  let up = false;
  const jwks = http.createServer((_req, res) => {
    if (up) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
    else res.writeHead(502).end('bad gateway');
  });
  await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
  try {
    const app = make({ JWT_JWKS_URL: url, AUTH_FAILURE_LIMIT_PER_MINUTE: '3' });
    const room = { platform: 'wx', roomID: 5 };
    const t1 = await jwt({ alg: 'ES256', key: k1.privateKey, kid: 'k1', sub: 'bob' });
    // more requests than the failure limit: a JWKS outage is the server's, never counted against the caller
    for (let i = 0; i < 5; i++) {
      const res = await post(app, room, t1);
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({
        error: 'auth_unavailable',
        field: 'authorization',
        message: expect.stringMatching(/JWKS/),
      });
      expect(res.body).not.toContain('userSig');
    }
    up = true;
    expect((await post(app, room, t1)).statusCode).toBe(200);
    // a token whose key is in no JWKS is still the caller's fault: 401
    const k2 = await generateKeyPair('ES256');
    expect(
      (await post(app, room, await jwt({ alg: 'ES256', key: k2.privateKey, kid: 'k9' }))).statusCode,
    ).toBe(401);
  } finally {
    jwks.closeAllConnections();
    await new Promise((r) => jwks.close(r));
  }
});

describe('policy: roles and rooms from the server, never from the caller', () => {
  const env = { JWT_SECRET: SECRET };

  test('rtc scene (default): anchors; the caller may ask for audience but the server grants', async () => {
    const app = make(env);
    const t = await jwt();
    const a = (await post(app, { platform: 'wx', roomID: 1 }, t)).json();
    const pmk = verifyUserSig({
      sdkAppID: 1400123456,
      secretKey: PROD.TRTC_SECRET_KEY!,
      userSig: a.privateMapKey,
      now: NOW,
    });
    expect(pmk.privateMap?.privileges).toBe(255);
    const aud = (await post(app, { platform: 'wx', roomID: 1, role: 'audience' }, t)).json();
    expect(aud.role).toBe('audience');
    // a role claim 'audience' keeps the user from publishing even in rtc
    const listener = await jwt({ claims: { role: 'audience' } });
    const denied = await post(app, { platform: 'wx', roomID: 1, role: 'anchor' }, listener);
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ error: 'role_not_allowed', field: 'role' });
  });

  test('live scene: audience unless the identity carries role anchor; on Douyin no publish privilege', async () => {
    const app = make({ ...env, ROOM_SCENE: 'live' });
    const viewer = await jwt({ sub: 'viewer' });
    const v = (await post(app, { platform: 'tt', roomID: 5 }, viewer)).json();
    expect(v.role).toBe('audience');
    expect(
      verifyVolcToken({ appKey: PROD.VOLC_APP_KEY!, token: v.userSig, now: NOW }).privileges?.publish,
    ).toBeUndefined();
    // asking for anchor does not make one
    const asked = await post(app, { platform: 'tt', roomID: 5, role: 'anchor' }, viewer);
    expect(asked.statusCode).toBe(403);
    expect(asked.json().error).toBe('role_not_allowed');
    const host = await jwt({ sub: 'host', claims: { role: 'anchor' } });
    const h = (await post(app, { platform: 'tt', roomID: 5 }, host)).json();
    expect(h.role).toBe('anchor');
    expect(
      verifyVolcToken({ appKey: PROD.VOLC_APP_KEY!, token: h.userSig, now: NOW }).privileges?.publish,
    ).toBe(NOW + 86400);
    // a malformed role claim is an invalid token
    expect(
      (await post(app, { platform: 'tt', roomID: 5 }, await jwt({ claims: { role: 'admin' } }))).statusCode,
    ).toBe(401);
  });

  test('rooms claim limits the rooms', async () => {
    const app = make(env);
    const t = await jwt({ claims: { rooms: [12, 'lobby'] } });
    expect((await post(app, { platform: 'wx', roomID: 12 }, t)).statusCode).toBe(200);
    expect((await post(app, { platform: 'wx', strRoomID: 'lobby' }, t)).statusCode).toBe(200);
    const res = await post(app, { platform: 'wx', roomID: 13 }, t);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'room_not_allowed', field: 'roomID' });
  });

  test('rooms claim on WeChat: numeric room 1234 is not string room "1234" (two TRTC rooms); on Douyin it is', async () => {
    const app = make(env);
    const numeric = await jwt({ claims: { rooms: [1234, '5678'] } });
    expect((await post(app, { platform: 'wx', roomID: 1234 }, numeric)).statusCode).toBe(200);
    expect((await post(app, { platform: 'wx', roomID: '5678' }, numeric)).statusCode).toBe(200);
    for (const strRoomID of ['1234', '5678']) {
      const res = await post(app, { platform: 'wx', strRoomID }, numeric);
      expect([strRoomID, res.statusCode, res.json()]).toEqual([
        strRoomID,
        403,
        expect.objectContaining({ error: 'room_not_allowed', field: 'strRoomID' }),
      ]);
    }
    // not the decimal form of a numeric room: only a string room can be meant
    const padded = await jwt({ claims: { rooms: ['01234', '99999999999'] } });
    expect((await post(app, { platform: 'wx', strRoomID: '01234' }, padded)).statusCode).toBe(200);
    expect((await post(app, { platform: 'wx', strRoomID: '99999999999' }, padded)).statusCode).toBe(200);
    expect((await post(app, { platform: 'wx', roomID: 1234 }, padded)).statusCode).toBe(403);
    // Douyin has one room namespace (roomID 1234 is the Volcengine room "1234")
    expect((await post(app, { platform: 'tt', strRoomID: '1234' }, numeric)).statusCode).toBe(200);
    expect((await post(app, { platform: 'tt', roomID: 1234 }, numeric)).statusCode).toBe(200);
  });

  test('authorize hook: the integrator decides rooms, roles and privileges', async () => {
    const calls: unknown[] = [];
    const app = make(env, {
      authorize: (input, def) => {
        calls.push({ user: input.identity.userID, room: input.roomKey, def });
        if (input.roomKey === '666') return { deny: 'room_closed', message: 'room 666 is closed' };
        if (input.roomKey === '777') return false;
        if (input.identity.userID === 'mod') return { role: 'anchor', privileges: 0xff };
        return { role: 'audience', privileges: 0b10101010 };
      },
    });
    const t = await jwt({ sub: 'alice' });
    const closed = await post(app, { platform: 'wx', roomID: 666 }, t);
    expect(closed.statusCode).toBe(403);
    expect(closed.json()).toEqual({ error: 'room_closed', field: 'roomID', message: 'room 666 is closed' });
    expect((await post(app, { platform: 'wx', roomID: 777 }, t)).json().error).toBe('not_allowed');
    const a = (await post(app, { platform: 'wx', roomID: 1 }, t)).json();
    expect(a.role).toBe('audience');
    expect(
      verifyUserSig({
        sdkAppID: 1400123456,
        secretKey: PROD.TRTC_SECRET_KEY!,
        userSig: a.privateMapKey,
        now: NOW,
      }).privateMap?.privileges,
    ).toBe(170);
    expect(calls[0]).toEqual({ user: 'alice', room: '666', def: { role: 'anchor' } });
  });
});

test('authorize: a decision that is neither a grant nor a denial signs nothing (deny: true, {}, true, a bad role)', async () => {
  const decisions: Record<string, unknown> = {
    'deny-true': { deny: true },
    'deny-code': { deny: 403, message: 42 },
    empty: {},
    yes: true,
    'role-admin': { role: 'admin' },
    nothing: undefined,
  };
  const app = make(
    { JWT_SECRET: SECRET },
    { authorize: (input) => decisions[input.identity.userID.replace(/_/g, '-')] as never },
  );
  for (const who of Object.keys(decisions)) {
    const res = await post(app, { platform: 'wx', roomID: 1 }, await jwt({ sub: who.replace(/-/g, '_') }));
    const body = res.json();
    expect([who, res.statusCode >= 403, body.userSig, body.privateMapKey]).toEqual([
      who,
      true,
      undefined,
      undefined,
    ]);
  }
  const denied = await post(app, { platform: 'wx', roomID: 1 }, await jwt({ sub: 'deny_true' }));
  expect([denied.statusCode, denied.json().error]).toEqual([403, 'not_allowed']);
});

describe('authenticate hook, AUTH=none, fail closed', () => {
  test('authenticate(request): the integrator identity; null falls through to the bearer token', async () => {
    const app = make(
      { JWT_SECRET: SECRET },
      {
        authenticate: (req) =>
          req.headers['x-session'] === 'cookie-of-carol' ? { userID: 'carol', method: 'custom' } : null,
      },
    );
    const viaHook = await app.inject({
      method: 'POST',
      url: '/api/credentials',
      payload: { platform: 'wx', roomID: 1 },
      headers: { 'x-session': 'cookie-of-carol' },
    });
    expect(viaHook.json().userID).toBe('carol');
    expect((await post(app, { platform: 'wx', roomID: 1 }, await jwt({ sub: 'dave' }))).json().userID).toBe(
      'dave',
    );
    expect((await post(app, { platform: 'wx', roomID: 1 })).statusCode).toBe(401);
  });

  test('an identity from the hook is checked like token claims: a rooms string is no substring wildcard', async () => {
    const identities: Record<string, unknown> = {
      'rooms-string': { userID: 'dave', rooms: '1234' },
      'rooms-object': { userID: 'dave', rooms: { includes: () => true } },
      'role-admin': { userID: 'dave', role: 'admin' },
    };
    const app = make(
      { JWT_SECRET: SECRET },
      { authenticate: (req) => (identities[String(req.headers['x-who'])] as never) ?? null },
    );
    const as = (who: string, roomID: number) =>
      app.inject({
        method: 'POST',
        url: '/api/credentials',
        payload: { platform: 'wx', roomID },
        headers: { 'x-who': who },
      });
    for (const [who, roomID] of [
      ['rooms-string', 12],
      ['rooms-string', 1234],
      ['rooms-object', 1],
      ['role-admin', 1],
    ] as const) {
      const res = await as(who, roomID);
      expect([who, roomID, res.statusCode, res.json().userSig]).toEqual([who, roomID, 500, undefined]);
    }
  });

  test('production without an authentication method does not start; the hook alone is enough', () => {
    const config = loadConfig(PROD);
    expect(config.auth.methods).toEqual([]);
    expect(() => createServer(config)).toThrow(ConfigError);
    expect(() => createServer(config)).toThrow(/refusing to start without authentication/);
    const hooked = createServer(config, { authenticate: () => null });
    apps.push(hooked);
  });

  test('AUTH=none is the explicit opt-out: warned about, the body names the user', async () => {
    const config = loadConfig({ ...PROD, AUTH: 'none' });
    expect(config.warnings.join('\n')).toMatch(/AUTH=none: authentication is OFF/);
    const app = createServer(config, { now: () => NOW });
    apps.push(app);
    const res = await post(app, { platform: 'wx', userID: 'anyone', roomID: 1 });
    expect(res.json().userID).toBe('anyone');
    expect((await post(app, { platform: 'wx', roomID: 1 })).statusCode).toBe(400);
  });
});
