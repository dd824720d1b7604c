/** @jest-environment node */
// fastify's inject() needs `cookie` 2.x (ESM only, see app.test.ts): only its Set-Cookie helper, unused here.
jest.mock('cookie', () => ({
  stringifySetCookie: () => {
    throw new Error('cookie is mocked');
  },
}));
/**
 * Development keys shared across processes: `npm run server` / `npm run sign` and the preview (`npm start`)
 * read or create one git-ignored file, so a credential from one is accepted by the other. Plus the CLI's
 * usage and its fail-closed start.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import type { SigningServer } from '../../server/app';
import { DEV_KEYS_FILENAME, loadOrCreateDevKeys } from '../../server/devkeys';
import { issueDevLoginCode } from '../../server/login-standin';
import { devSigning, verifiersFor } from '../../preview/server';
import { REGISTER, startNode } from './helpers/process';
import { freePort } from './helpers/redis';

const run = promisify(execFile);
// every test here starts Node processes (esbuild-register, key files, servers, a cluster): seconds each on a loaded
// machine, more than jest's default 5 s
jest.setTimeout(60_000);
const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'server/cli.ts');
const cleanEnv = (extra: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? '',
  WORKERS: '1',
  ...extra,
});
const cli = (args: string[], cwd: string, env: Record<string, string> = {}) =>
  run(process.execPath, ['-r', REGISTER, CLI, ...args], { cwd, env: cleanEnv(env) });

const dirs: string[] = [];
const tmp = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-devkeys-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

test('`npm run sign` creates the file; the preview emulator accepts what it signed', async () => {
  const dir = tmp();
  const wx = JSON.parse((await cli(['sign', '--user', 'alice', '--room', '1234'], dir)).stdout);
  const tt = JSON.parse(
    (await cli(['sign', '--platform', 'tt', '--user', 'bob', '--str-room', 'r1'], dir)).stdout,
  );
  const file = path.join(dir, DEV_KEYS_FILENAME);
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  const signing = devSigning(file);
  try {
    const v = verifiersFor(signing);
    expect(v.verifyUserSig!({ sdkAppID: wx.sdkAppID, userID: 'alice', userSig: wx.userSig })).toMatchObject({
      ok: true,
    });
    expect(
      v.verifyVolcToken!({ appID: tt.sdkAppID, roomId: 'r1', userId: 'bob', token: tt.userSig }),
    ).toMatchObject({ ok: true });
    // a process with its own random keys is not accepted (what users hit before: -9)
    const other = devSigning(path.join(tmp(), DEV_KEYS_FILENAME));
    expect(
      verifiersFor(other).verifyUserSig!({ sdkAppID: wx.sdkAppID, userID: 'alice', userSig: wx.userSig }).ok,
    ).toBe(false);
    await other.close();
  } finally {
    await signing.close();
  }
});

test('the preview creates the file; `npm run server` in another process issues credentials it accepts (login flow)', async () => {
  const dir = tmp();
  const file = path.join(dir, DEV_KEYS_FILENAME);
  const signing = devSigning(file);
  const port = await freePort();
  const server = await startNode([CLI], {
    cwd: dir,
    env: cleanEnv({ PORT: String(port) }),
    ready: /listening on/,
  });
  try {
    expect(server.output()).toMatch(/DEVELOPMENT MODE/);
    const url = `http://127.0.0.1:${port}`;
    const login = await fetch(`${url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ platform: 'wx', code: issueDevLoginCode('carol') }),
    });
    expect(login.status).toBe(200);
    const { token, userID } = (await login.json()) as { token: string; userID: string };
    expect(userID).toBe('carol');
    const res = await fetch(`${url}/api/credentials`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ platform: 'wx', roomID: 5 }),
    });
    const c = (await res.json()) as { sdkAppID: number; userSig: string };
    expect(
      verifiersFor(signing).verifyUserSig!({ sdkAppID: c.sdkAppID, userID: 'carol', userSig: c.userSig }).ok,
    ).toBe(true);
    // and the preview's own signing service accepts the session token the other process issued
    const r = await (signing as unknown as SigningServer).inject({
      method: 'POST',
      url: '/api/credentials',
      payload: { platform: 'tt', roomID: 5 },
      headers: { authorization: `Bearer ${token}` },
    });
    expect(r.statusCode).toBe(200);
  } finally {
    await server.stop();
    await signing.close();
  }
});

test('processes starting at once agree on one set of keys', async () => {
  const file = path.join(tmp(), DEV_KEYS_FILENAME);
  const script = `const { loadOrCreateDevKeys } = require(${JSON.stringify(
    path.join(ROOT, 'server/devkeys.ts'),
  )}); process.stdout.write(loadOrCreateDevKeys(${JSON.stringify(file)}).trtcSecretKey);`;
  const outs = await Promise.all(
    Array.from({ length: 4 }, () =>
      run(process.execPath, ['-r', REGISTER, '-e', script], { cwd: ROOT, env: cleanEnv() }),
    ),
  );
  const keys = new Set(outs.map((o) => o.stdout));
  expect(keys.size).toBe(1);
  expect(loadOrCreateDevKeys(file).trtcSecretKey).toBe([...keys][0]);
  // a damaged file is replaced, not trusted
  fs.writeFileSync(file, '{"trtcSecretKey":"x"}');
  expect(loadOrCreateDevKeys(file).trtcSecretKey).not.toBe('x');
});

test('--help and sign --help print usage', async () => {
  const dir = tmp();
  const a = await cli(['--help'], dir);
  expect(a.stdout).toMatch(/Usage:[\s\S]*--workers N[\s\S]*sign --user/);
  const b = await cli(['sign', '--help'], dir);
  expect(b.stdout).toMatch(/--platform wx\|tt[\s\S]*--str-room/);
  expect(fs.existsSync(path.join(dir, DEV_KEYS_FILENAME))).toBe(false);
});

test('production without authentication does not start, and prints no secret; AUTH=none starts with a warning', async () => {
  const dir = tmp();
  const keys = {
    NODE_ENV: 'production',
    TRTC_SDK_APP_ID: '1400123456',
    TRTC_SECRET_KEY: 'prod-trtc-secret-that-must-not-print-0123',
  };
  const err = await cli([], dir, keys).then(
    () => null,
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
  expect(err).not.toBeNull();
  expect(err!.code).toBe(1);
  expect(err!.stderr).toMatch(/refusing to start without authentication/);
  expect(err!.stdout + err!.stderr).not.toContain('prod-trtc-secret');
  const port = await freePort();
  const server = await startNode([CLI], {
    cwd: dir,
    env: cleanEnv({ ...keys, AUTH: 'none', PORT: String(port) }),
    ready: /listening on/,
  });
  try {
    expect(server.output()).toMatch(/warning: AUTH=none: authentication is OFF/);
    expect(server.output()).not.toContain('prod-trtc-secret');
  } finally {
    await server.stop();
  }
});

test('--workers 2 on a port in use: the cluster stops with exit code 1 instead of re-forking forever', async () => {
  const blocker = http.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const port = (blocker.address() as AddressInfo).port;
  try {
    const err = await cli(['--workers', '2'], tmp(), { PORT: String(port) }).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(err?.code).toBe(1);
    expect(err?.stderr).toMatch(/EADDRINUSE/);
    expect(err?.stderr).toMatch(/before listening; stopping/);
  } finally {
    await new Promise((r) => blocker.close(r));
  }
}, 60_000);
