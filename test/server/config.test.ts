/** @jest-environment node */
import * as server from '../../server/index';
import {
  ConfigError,
  DEV_MARKERS,
  DEV_SDK_APP_ID,
  describeConfig,
  loadConfig,
  parseDotenv,
  usesDevKeys,
} from '../../server/config';
import { envWithDotenv, runSign } from '../../server/cli';
import { verifyUserSig } from '../../server/trtc';
import { verifyVolcToken } from '../../server/volc';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type ServerEnvLike = Record<string, string>;

const KEYS = {
  TRTC_SDK_APP_ID: '1400123456',
  TRTC_SECRET_KEY: 'trtc-secret-0123456789abcdef',
  VOLC_APP_ID: 'abcdefghijklmnopqrstuvwx',
  VOLC_APP_KEY: 'volc-key-0123456789abcdef',
};

test('server/index exports the documented API', () => {
  for (const name of [
    'createUserSig',
    'createPrivateMapKey',
    'verifyUserSig',
    'createVolcToken',
    'verifyVolcToken',
    'createServer',
    'loadConfig',
  ]) {
    expect(typeof (server as Record<string, unknown>)[name]).toBe('function');
  }
});

describe('loadConfig', () => {
  test('defaults (development, generated keys)', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      mode: 'development',
      host: '127.0.0.1',
      port: 8787,
      tokenTtlSeconds: 86400,
      allowedOrigins: [],
      rateLimitPerMinute: 60,
      bodyLimitBytes: 4096,
      trustProxy: false,
      logLevel: null,
    });
    expect(c.trtc).toMatchObject({ sdkAppID: DEV_SDK_APP_ID, generated: true });
    expect(c.trtc!.secretKey.startsWith(DEV_MARKERS[0])).toBe(true);
    expect(c.volc!.appId).toMatch(/^devwebrtcroom[A-Za-z0-9]{11}$/);
    expect(usesDevKeys(c)).toBe(true);
    expect(c.warnings.join('\n')).toMatch(/DEVELOPMENT MODE.*1400000000/);
    // development out of the box: the mini-program login against the local stand-in, nothing else
    expect(c.auth.methods).toEqual(['login']);
    expect(c.auth.login.wx).toMatchObject({ standIn: true });
    expect(c.auth.login.tt).toMatchObject({ standIn: true });
    expect(c.auth.sessionSecrets).toHaveLength(1);
    expect(c.limits).toEqual({
      perIpPerMinute: 60,
      perUserPerMinute: 30,
      authFailuresPerMinute: 10,
      redisUrl: null,
    });
    expect(c.timeouts).toEqual({ headersMs: 5000, requestMs: 10000, idleMs: 10000, keepAliveMs: 5000 });
  });

  test('all variables', () => {
    const c = loadConfig({
      ...KEYS,
      NODE_ENV: 'production',
      PORT: '9000',
      HOST: '0.0.0.0',
      TOKEN_TTL_SECONDS: '3600',
      ALLOWED_ORIGINS: 'https://a.example, https://b.example:8443/',
      JWT_SECRET: 'j'.repeat(32),
      JWT_ISSUER: 'https://auth.example',
      JWT_AUDIENCE: 'rtc',
      JWT_CLOCK_SKEW_SECONDS: '10',
      WX_APP_ID: 'wx0123456789abcdef',
      WX_APP_SECRET: 'wx-app-secret-value',
      TT_APP_ID: 'tt0123456789abcdef',
      TT_APP_SECRET: 'tt-app-secret-value',
      SESSION_SECRET: 's'.repeat(32) + ',' + 'o'.repeat(32),
      SESSION_TTL_SECONDS: '600',
      ROOM_SCENE: 'live',
      RATE_LIMIT_PER_MINUTE: '10',
      USER_RATE_LIMIT_PER_MINUTE: '5',
      AUTH_FAILURE_LIMIT_PER_MINUTE: '3',
      REDIS_URL: 'redis://127.0.0.1:6379/0',
      TRUST_PROXY: '1',
      WORKERS: '4',
      HEADERS_TIMEOUT_MS: '2000',
      REQUEST_TIMEOUT_MS: '3000',
      IDLE_TIMEOUT_MS: '4000',
      LOG_LEVEL: 'info',
    });
    expect(c).toMatchObject({
      mode: 'production',
      trtc: { sdkAppID: 1400123456, secretKey: KEYS.TRTC_SECRET_KEY, generated: false },
      volc: { appId: KEYS.VOLC_APP_ID, appKey: KEYS.VOLC_APP_KEY, generated: false },
      host: '0.0.0.0',
      port: 9000,
      tokenTtlSeconds: 3600,
      allowedOrigins: ['https://a.example', 'https://b.example:8443'],
      rateLimitPerMinute: 10,
      trustProxy: 1,
      workers: 4,
      logLevel: 'info',
      warnings: [],
    });
    expect(c.auth).toMatchObject({
      methods: ['jwt', 'login'],
      jwt: {
        secrets: ['j'.repeat(32)],
        issuer: 'https://auth.example',
        audience: 'rtc',
        clockSkewSeconds: 10,
      },
      login: {
        wx: { appId: 'wx0123456789abcdef', baseUrl: 'https://api.weixin.qq.com', standIn: false },
        tt: { appId: 'tt0123456789abcdef', baseUrl: 'https://developer.toutiao.com', standIn: false },
      },
      sessionSecrets: ['s'.repeat(32), 'o'.repeat(32)],
      sessionTtlSeconds: 600,
      scene: 'live',
    });
    expect(c.limits).toEqual({
      perIpPerMinute: 10,
      perUserPerMinute: 5,
      authFailuresPerMinute: 3,
      redisUrl: 'redis://127.0.0.1:6379/0',
    });
    expect(c.timeouts).toMatchObject({ headersMs: 2000, requestMs: 3000, idleMs: 4000 });
    expect(usesDevKeys(c)).toBe(false);
  });

  test('clear errors', () => {
    const bad: Array<[Record<string, string>, RegExp]> = [
      [{ NODE_ENV: 'production' }, /NODE_ENV=production but no keys/],
      [{ TRTC_SDK_APP_ID: '1400000001' }, /TRTC_SECRET_KEY is missing/],
      [{ VOLC_APP_KEY: 'k' }, /VOLC_APP_ID is missing/],
      [{ TRTC_SDK_APP_ID: 'abc', TRTC_SECRET_KEY: 'k' }, /TRTC_SDK_APP_ID/],
      [{ VOLC_APP_ID: 'short', VOLC_APP_KEY: 'k' }, /VOLC_APP_ID.*24-character/],
      [{ PORT: '70000' }, /PORT/],
      [{ TOKEN_TTL_SECONDS: '10' }, /TOKEN_TTL_SECONDS/],
      [{ TOKEN_TTL_SECONDS: '1e5' }, /TOKEN_TTL_SECONDS/],
      [{ ALLOWED_ORIGINS: 'example.com' }, /ALLOWED_ORIGINS/],
      [{ CALLER_TOKEN: 'x'.repeat(32) }, /CALLER_TOKEN is no longer supported/],
      [{ AUTH: 'jwt' }, /AUTH=jwt needs/],
      [{ AUTH: 'none,jwt', JWT_SECRET: 'j'.repeat(32) }, /cannot be combined/],
      [{ AUTH: 'basic' }, /AUTH/],
      [{ JWT_SECRET: 'short' }, /JWT_SECRET.*32/],
      [{ JWT_PUBLIC_KEY: 'not a key' }, /JWT_PUBLIC_KEY/],
      [{ JWT_JWKS_URL: 'http://keys.example/jwks.json' }, /JWT_JWKS_URL must be an https/],
      [{ JWT_SECRET: 'j'.repeat(32), JWT_ALGORITHMS: 'none' }, /JWT_ALGORITHMS/],
      [{ WX_APP_ID: 'wx0123456789abcdef' }, /WX_APP_SECRET is missing/],
      [{ WX_APP_ID: 'bad', WX_APP_SECRET: 's' }, /WX_APP_ID/],
      [
        { NODE_ENV: 'production', ...KEYS, TT_APP_ID: 'tt0123456789abcdef', TT_APP_SECRET: 's' },
        /SESSION_SECRET/,
      ],
      [{ NODE_ENV: 'production', ...KEYS, WX_LOGIN_BASE_URL: 'http://api.example' }, /WX_LOGIN_BASE_URL/],
      [{ ROOM_SCENE: 'party' }, /ROOM_SCENE/],
      [{ TRUST_PROXY: 'yes' }, /TRUST_PROXY/],
      [{ TRUST_PROXY: '10.0.0.0/33' }, /TRUST_PROXY/],
      [{ TRUST_PROXY: '99' }, /TRUST_PROXY/],
      [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL/],
      [{ WORKERS: '0' }, /WORKERS/],
    ];
    for (const [env, re] of bad) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(re);
    }
  });

  test('production warnings: one platform missing, AUTH=none, TRUST_PROXY=true, workers without Redis', () => {
    const c = loadConfig({
      NODE_ENV: 'production',
      VOLC_APP_ID: KEYS.VOLC_APP_ID,
      VOLC_APP_KEY: KEYS.VOLC_APP_KEY,
      AUTH: 'none',
      TRUST_PROXY: 'true',
      WORKERS: '3',
    });
    expect(c.trtc).toBeNull();
    const w = c.warnings.join('\n');
    expect(w).toMatch(/"wx" are refused/);
    expect(w).toMatch(/AUTH=none: authentication is OFF/);
    expect(w).toMatch(/TRUST_PROXY=true trusts every/);
    expect(w).toMatch(/3 workers without REDIS_URL/);
    expect(c.auth.methods).toEqual(['none']);
    // production never gets the login stand-in
    expect(c.auth.login).toEqual({ wx: null, tt: null });
  });

  test('TRUST_PROXY: false, hop counts, addresses and CIDRs', () => {
    const tp = (v: string | undefined) => loadConfig({ TRUST_PROXY: v }).trustProxy;
    expect(tp(undefined)).toBe(false);
    expect(tp('false')).toBe(false);
    expect(tp('0')).toBe(false);
    expect(tp('2')).toBe(2);
    expect(tp('true')).toBe(true);
    expect(tp('127.0.0.1, 10.0.0.0/8,::1,fd00::/8,loopback')).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
  });

  test('the login stand-in only in development with development signing keys', () => {
    // real signing keys in development: a made-up login would get real credentials, so no stand-in
    const withKeys = loadConfig({ ...KEYS });
    expect(withKeys.auth.login).toEqual({ wx: null, tt: null });
    expect(withKeys.auth.methods).toEqual([]);
    expect(loadConfig({ NODE_ENV: 'production', ...KEYS }).auth.login).toEqual({ wx: null, tt: null });
  });

  test('configuration errors never print a secret or a part of one', () => {
    const TRTC = 'S3cr3tTrtcKey0fForty8CharsXXXXXXXXXXXXXXXXXXXXXX';
    const VOLC = 'V0lcAppKeyNotAnAppId0123';
    const cases: ServerEnvLike[] = [
      // swapped pairs (the reported leak: the AppKey, or the first 40 characters of the SecretKey)
      { TRTC_SDK_APP_ID: TRTC, TRTC_SECRET_KEY: '1400000001' },
      { VOLC_APP_ID: VOLC + 'x', VOLC_APP_KEY: 'abcdefghijklmnopqrstuvwx' },
      { WX_APP_ID: TRTC, WX_APP_SECRET: 'wx0123456789abcdef' },
      { JWT_SECRET: TRTC.slice(0, 20) },
      { SESSION_SECRET: TRTC.slice(0, 20) },
      { REDIS_URL: `redis:/:${TRTC}@host` },
      { JWT_PUBLIC_KEY: TRTC },
    ];
    for (const env of cases) {
      let message = '';
      try {
        loadConfig(env);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).not.toBe('');
      for (const secret of [TRTC, VOLC])
        for (let i = 0; i + 6 <= secret.length; i++) expect(message).not.toContain(secret.slice(i, i + 6));
    }
  });

  test('describeConfig never contains a secret', () => {
    const secrets = {
      JWT_SECRET: 'jwt-secret-value-0123456789abcdef0123',
      SESSION_SECRET: 'session-secret-value-0123456789abcdef',
      WX_APP_ID: 'wx0123456789abcdef',
      WX_APP_SECRET: 'wx-app-secret-value-0123',
      REDIS_URL: 'redis://:redis-password-value@127.0.0.1:6379',
    };
    const c = loadConfig({ ...KEYS, ...secrets });
    const text = JSON.stringify(describeConfig(c));
    for (const s of [
      KEYS.TRTC_SECRET_KEY,
      KEYS.VOLC_APP_KEY,
      secrets.JWT_SECRET,
      secrets.SESSION_SECRET,
      secrets.WX_APP_SECRET,
      'redis-password-value',
    ])
      expect(text).not.toContain(s);
    expect(text).toContain('1400123456');
    const dev = loadConfig({});
    expect(JSON.stringify(describeConfig(dev))).not.toContain(dev.trtc!.secretKey);
  });
});

test('parseDotenv', () => {
  expect(
    parseDotenv('# c\nA=1\n export B = "two words" \nC=\'q#x\'\nD=v # comment\nE=\n bad line\nF=a=b\r\n'),
  ).toEqual({ A: '1', B: 'two words', C: 'q#x', D: 'v', E: '', F: 'a=b' });
});

describe('cli', () => {
  test('envWithDotenv: .env fills names the environment does not set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'env-'));
    const file = join(dir, '.env');
    writeFileSync(file, 'PORT=1111\nHOST=0.0.0.0\n');
    expect(envWithDotenv({ PORT: '2222' }, file)).toMatchObject({ PORT: '2222', HOST: '0.0.0.0' });
    expect(envWithDotenv({ PORT: '2222' }, join(dir, 'missing'))).toEqual({ PORT: '2222' });
  });

  test('sign: wx and tt with configured keys', () => {
    const now = 1750000000;
    const wx = JSON.parse(runSign(['--platform', 'wx', '--user', 'alice', '--room', '1234'], KEYS, now));
    expect(wx).toMatchObject({
      platform: 'wx',
      sdkAppID: 1400123456,
      userID: 'alice',
      roomID: 1234,
      expireAt: now + 86400,
    });
    expect(wx.note).toBeUndefined();
    expect(
      verifyUserSig({ sdkAppID: 1400123456, secretKey: KEYS.TRTC_SECRET_KEY, userSig: wx.userSig, now }).ok,
    ).toBe(true);
    const tt = JSON.parse(
      runSign(['--platform', 'tt', '--user', 'bob', '--str-room', 'r1', '--role', 'audience'], KEYS, now),
    );
    expect(
      verifyVolcToken({ appKey: KEYS.VOLC_APP_KEY, token: tt.userSig, now, roomId: 'r1', userId: 'bob' }),
    ).toMatchObject({
      ok: true,
      privileges: { subscribe: now + 86400 },
    });
  });

  test('sign: dev keys are labelled; bad arguments are named', () => {
    expect(JSON.parse(runSign(['--user', 'a', '--room', '1'], {})).note).toMatch(/DEVELOPMENT MODE/);
    expect(() => runSign(['--platform', 'web', '--user', 'a', '--room', '1'], {})).toThrow(/--platform/);
    expect(() => runSign(['--room', '1'], {})).toThrow(/--user/);
    expect(() => runSign(['--user', 'a'], {})).toThrow(/--room/);
    expect(() => runSign(['--user', 'a', '--str-room', 'a/b'], {})).toThrow(/--str-room/);
    expect(() => runSign(['--user', 'a', '--room', '1', '--role', 'x'], {})).toThrow(/--role/);
  });
});
