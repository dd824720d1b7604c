/** @jest-environment node */
import * as server from '../../server';
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
      callerToken: null,
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
  });

  test('all variables', () => {
    const c = loadConfig({
      ...KEYS,
      NODE_ENV: 'production',
      PORT: '9000',
      HOST: '0.0.0.0',
      TOKEN_TTL_SECONDS: '3600',
      ALLOWED_ORIGINS: 'https://a.example, https://b.example:8443/',
      CALLER_TOKEN: 'x'.repeat(32),
      RATE_LIMIT_PER_MINUTE: '10',
      TRUST_PROXY: '1',
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
      trustProxy: true,
      logLevel: 'info',
      warnings: [],
    });
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
    ];
    for (const [env, re] of bad) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(re);
    }
  });

  test('production warnings: no caller token, one platform missing', () => {
    const c = loadConfig({
      NODE_ENV: 'production',
      VOLC_APP_ID: KEYS.VOLC_APP_ID,
      VOLC_APP_KEY: KEYS.VOLC_APP_KEY,
    });
    expect(c.trtc).toBeNull();
    expect(c.warnings.join('\n')).toMatch(/CALLER_TOKEN not set/);
    expect(c.warnings.join('\n')).toMatch(/"wx" are refused/);
  });

  test('describeConfig never contains a secret', () => {
    const c = loadConfig({ ...KEYS, CALLER_TOKEN: 'caller-token-secret-value' });
    const text = JSON.stringify(describeConfig(c));
    for (const s of [KEYS.TRTC_SECRET_KEY, KEYS.VOLC_APP_KEY, 'caller-token-secret-value'])
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
