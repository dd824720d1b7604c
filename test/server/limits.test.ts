/** @jest-environment node */
// fastify's inject() needs `cookie` 2.x (ESM only, see app.test.ts): only its Set-Cookie helper, unused here.
jest.mock('cookie', () => ({
  stringifySetCookie: () => {
    throw new Error('cookie is mocked');
  },
}));
/**
 * Limits that hold: behind proxies (forged X-Forwarded-For), against token guessing, per user, against slow
 * bodies, and across processes (a real redis-server on a free loopback port; two `--workers`).
 */
import * as net from 'net';
import * as path from 'path';
import { SignJWT } from 'jose';
import { createServer, type SigningServer } from '../../server/app';
import { loadConfig, type ServerEnv } from '../../server/config';
import { startNode } from './helpers/process';
import { freePort, startRedis, type RedisHandle } from './helpers/redis';

const ROOT = path.resolve(__dirname, '../..');
const SECRET = 'hs256-secret-for-limit-tests-0123456789';
const BASE: ServerEnv = { JWT_SECRET: SECRET, WORKERS: '1' };
const token = (sub: string): Promise<string> =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(SECRET));

const apps: SigningServer[] = [];
function make(env: ServerEnv): SigningServer {
  const app = createServer(loadConfig({ ...BASE, ...env }));
  apps.push(app);
  return app;
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

const credentials = (app: SigningServer, o: { auth?: string; ip?: string; xff?: string } = {}) =>
  app.inject({
    method: 'POST',
    url: '/api/credentials',
    payload: { platform: 'wx', roomID: 1 },
    remoteAddress: o.ip ?? '127.0.0.1',
    headers: {
      ...(o.auth !== undefined ? { authorization: o.auth } : {}),
      ...(o.xff !== undefined ? { 'x-forwarded-for': o.xff } : {}),
    },
  });

describe('behind a reverse proxy', () => {
  test('TRUST_PROXY=1: rotating forged X-Forwarded-For entries do not bypass the limit', async () => {
    const app = make({ TRUST_PROXY: '1', RATE_LIMIT_PER_MINUTE: '60', USER_RATE_LIMIT_PER_MINUTE: '1000' });
    const auth = `Bearer ${await token('alice')}`;
    let ok = 0;
    let limited = 0;
    for (let i = 0; i < 200; i++) {
      // the client writes the left part; the proxy (127.0.0.1) appends the address it saw: 203.0.113.7
      const res = await credentials(app, { auth, xff: `10.${i}.0.1, 198.51.100.${i % 250}, 203.0.113.7` });
      if (res.statusCode === 200) ok++;
      else if (res.statusCode === 429) limited++;
    }
    expect(ok).toBe(60);
    expect(limited).toBe(140);
    // another real client (another address appended by the proxy) has its own budget
    expect((await credentials(app, { auth, xff: '203.0.113.8' })).statusCode).toBe(200);
  });

  test('TRUST_PROXY as addresses/CIDRs: only those proxies are believed', async () => {
    const app = make({
      TRUST_PROXY: '10.0.0.0/8',
      RATE_LIMIT_PER_MINUTE: '2',
      USER_RATE_LIMIT_PER_MINUTE: '1000',
    });
    const auth = `Bearer ${await token('alice')}`;
    // through the trusted proxy 10.1.2.3: the client address is what it appended
    for (let i = 0; i < 2; i++)
      expect((await credentials(app, { auth, ip: '10.1.2.3', xff: '203.0.113.1' })).statusCode).toBe(200);
    expect((await credentials(app, { auth, ip: '10.1.2.3', xff: '203.0.113.1' })).statusCode).toBe(429);
    expect((await credentials(app, { auth, ip: '10.1.2.3', xff: '203.0.113.2' })).statusCode).toBe(200);
    // a direct client (not a trusted proxy) cannot claim another address
    for (let i = 0; i < 2; i++)
      expect(
        (await credentials(app, { auth, ip: '198.51.100.9', xff: `203.0.113.${50 + i}` })).statusCode,
      ).toBe(200);
    expect((await credentials(app, { auth, ip: '198.51.100.9', xff: '203.0.113.99' })).statusCode).toBe(429);
  });

  test('without TRUST_PROXY the header is ignored', async () => {
    const app = make({ RATE_LIMIT_PER_MINUTE: '3', USER_RATE_LIMIT_PER_MINUTE: '1000' });
    const auth = `Bearer ${await token('alice')}`;
    const codes: number[] = [];
    for (let i = 0; i < 6; i++)
      codes.push((await credentials(app, { auth, xff: `198.51.100.${i}` })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429, 429, 429]);
  });
});

describe('authentication failures and users', () => {
  test('token guessing: after AUTH_FAILURE_LIMIT_PER_MINUTE failures the address gets 429, even with a good token', async () => {
    const app = make({ AUTH_FAILURE_LIMIT_PER_MINUTE: '10', RATE_LIMIT_PER_MINUTE: '1000' });
    const codes: number[] = [];
    for (let i = 0; i < 100; i++)
      codes.push((await credentials(app, { auth: `Bearer guess.${i}.x` })).statusCode);
    expect(codes.filter((c) => c === 401)).toHaveLength(10);
    expect(codes.filter((c) => c === 429)).toHaveLength(90);
    const good = await credentials(app, { auth: `Bearer ${await token('alice')}` });
    expect(good.statusCode).toBe(429);
    expect(good.json()).toMatchObject({ error: 'too_many_failures', field: 'authorization' });
    // another address is not affected
    expect(
      (await credentials(app, { auth: `Bearer ${await token('alice')}`, ip: '10.9.9.9' })).statusCode,
    ).toBe(200);
  });

  test('per user: one user from many addresses is limited', async () => {
    const app = make({ USER_RATE_LIMIT_PER_MINUTE: '5', RATE_LIMIT_PER_MINUTE: '1000' });
    const auth = `Bearer ${await token('bob')}`;
    const codes: number[] = [];
    for (let i = 0; i < 8; i++)
      codes.push((await credentials(app, { auth, ip: `10.0.0.${i + 1}` })).statusCode);
    expect(codes).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    const last = await credentials(app, { auth, ip: '10.0.1.1' });
    expect(last.json()).toMatchObject({ error: 'rate_limited', field: 'user' });
    expect(
      (await credentials(app, { auth: `Bearer ${await token('carol')}`, ip: '10.0.1.1' })).statusCode,
    ).toBe(200);
  });
});

describe('timeouts', () => {
  test('a slow body is cut after REQUEST_TIMEOUT_MS; slow headers after HEADERS_TIMEOUT_MS; real requests still work', async () => {
    const app = make({ REQUEST_TIMEOUT_MS: '600', HEADERS_TIMEOUT_MS: '400', IDLE_TIMEOUT_MS: '5000' });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const port = Number(new URL(address).port);
    const slow = (payload: string): Promise<{ ms: number; answer: string }> =>
      new Promise((resolve) => {
        const t0 = Date.now();
        let answer = '';
        const s = net.connect(port, '127.0.0.1', () => s.write(payload));
        // keep trickling so the idle timeout is not what ends it
        const drip = setInterval(() => s.writable && s.write('x'), 100);
        s.on('data', (d) => (answer += d.toString()));
        s.on('error', () => undefined);
        s.on('close', () => {
          clearInterval(drip);
          resolve({ ms: Date.now() - t0, answer });
        });
      });
    const [body, headers] = await Promise.all([
      slow(
        'POST /api/credentials HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{',
      ),
      slow('POST /api/credentials HTTP/1.1\r\nHost: x\r\nX-Slow: '),
    ]);
    expect(body.ms).toBeGreaterThanOrEqual(550); // the request timeout, not something else
    expect(body.ms).toBeLessThan(3000);
    expect(body.answer === '' || body.answer.startsWith('HTTP/1.1 408')).toBe(true);
    expect(headers.ms).toBeGreaterThanOrEqual(350);
    expect(headers.ms).toBeLessThan(3000);
    const ok = await fetch(`${address}/healthz`);
    expect(ok.status).toBe(200);
  });
});

describe('shared limits in Redis', () => {
  let redis: RedisHandle;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  test('Redis unreachable: credential requests fail closed with 503; /healthz still answers', async () => {
    const port = await freePort(); // nothing listens there
    const app = make({ REDIS_URL: `redis://127.0.0.1:${port}` });
    const res = await credentials(app, { auth: `Bearer ${await token('alice')}` });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: 'limiter_unavailable' });
    expect(res.body).not.toContain('userSig');
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  test('two service instances (two processes or machines) share one budget', async () => {
    const env = { REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: '10', USER_RATE_LIMIT_PER_MINUTE: '1000' };
    const a = make(env);
    const b = make(env);
    const auth = `Bearer ${await token('alice')}`;
    let ok = 0;
    for (let i = 0; i < 30; i++) {
      const res = await credentials(i % 2 ? a : b, { auth, ip: '192.0.2.1' });
      if (res.statusCode === 200) ok++;
      else expect(res.statusCode).toBe(429);
    }
    expect(ok).toBe(10);
  });

  test('`--workers 2` with REDIS_URL: the limit holds across both workers', async () => {
    const port = await freePort();
    const server = await startNode([path.join(ROOT, 'server/cli.ts'), '--workers', '2'], {
      env: {
        NODE_ENV: 'production',
        TRTC_SDK_APP_ID: '1400123456',
        TRTC_SECRET_KEY: 'trtc-secret-0123456789abcdef0123456789abcdef',
        JWT_SECRET: SECRET,
        REDIS_URL: redis.url,
        PORT: String(port),
        RATE_LIMIT_PER_MINUTE: '10',
      },
      ready: /with 2 workers/,
    });
    try {
      expect(server.output()).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+ with 2 workers/);
      const url = `http://127.0.0.1:${port}`;
      const workers = new Set<number>();
      for (let i = 0; i < 6; i++) {
        const h = await fetch(`${url}/healthz`, { headers: { connection: 'close' } });
        workers.add(((await h.json()) as { worker: number }).worker);
      }
      expect(workers.size).toBe(2); // both answer
      const auth = `Bearer ${await token('alice')}`;
      const codes: number[] = [];
      for (let i = 0; i < 24; i++) {
        const r = await fetch(`${url}/api/credentials`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: auth, connection: 'close' },
          body: JSON.stringify({ platform: 'wx', roomID: 1 }),
        });
        codes.push(r.status);
      }
      expect(codes.filter((c) => c === 200)).toHaveLength(10);
      expect(codes.filter((c) => c === 429)).toHaveLength(14);
    } finally {
      await server.stop();
    }
  }, 30_000);
});
