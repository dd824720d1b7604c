/** @jest-environment node */
/**
 * The signing service's own workspace package, `webrtc-room-server` (server/package.json): what `npm pack` ships,
 * the built library and CLI in server/dist, and every package the bundles require is one of its dependencies.
 */
import { execFileSync } from 'child_process';
import { builtinModules } from 'module';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');
const SERVER = path.join(ROOT, 'server');
const DIST = path.join(SERVER, 'dist');
const pkg = JSON.parse(fs.readFileSync(path.join(SERVER, 'package.json'), 'utf8'));

test('npm pack ships the built library, CLI and declarations, no sources', () => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: SERVER,
    encoding: 'utf8',
  });
  const [info] = JSON.parse(out);
  expect(info.name).toBe('webrtc-room-server');
  const files: string[] = info.files.map((f: { path: string }) => f.path);
  for (const must of [
    'dist/index.js',
    'dist/cli.js',
    'dist/types/server/index.d.ts',
    'dist/types/utils/core/validate.d.ts',
    'package.json',
  ]) {
    expect(files).toContain(must);
  }
  expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  expect(pkg.bin['webrtc-room-server']).toBe('dist/cli.js');
  expect(pkg.main).toBe('dist/index.js');
  expect(fs.readFileSync(path.join(DIST, 'cli.js'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
});

test('the bundles inline utils/ (one source) and require only declared dependencies', () => {
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  for (const file of ['index.js', 'cli.js']) {
    const code = fs.readFileSync(path.join(DIST, file), 'utf8');
    const required = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    const packages = required
      .filter((r) => !builtins.has(r))
      .map((r) => (r.startsWith('@') ? r.split('/').slice(0, 2).join('/') : r.split('/')[0]));
    expect(packages.filter((p) => p.startsWith('.'))).toEqual([]); // ../utils is bundled in
    for (const p of new Set(packages)) expect(Object.keys(pkg.dependencies)).toContain(p);
    // the component's validation rules are in the bundle, not a copy in server/
    expect(code).toContain('WX_USER_ID_PATTERN');
  }
});

test('the built library signs and verifies, and resolves by package name from the root', () => {
  // the root's node_modules links the workspace: the package name resolves to the built bundle
  expect(fs.realpathSync(path.join(ROOT, 'node_modules/webrtc-room-server'))).toBe(SERVER);
  const lib = require('webrtc-room-server');
  const userSig = lib.createUserSig({
    sdkAppID: 1400000001,
    secretKey: 'k',
    userID: 'alice',
    expireSeconds: 60,
    now: 1700000000,
  });
  expect(lib.verifyUserSig({ sdkAppID: 1400000001, secretKey: 'k', userSig, now: 1700000010 })).toMatchObject(
    { ok: true, userID: 'alice', expireAt: 1700000060 },
  );
  const token = lib.createVolcToken({
    appId: '123456781234567812345678',
    appKey: 'app_key_for_test',
    roomId: 'room1',
    userId: 'user1',
    expireAt: 0,
    privileges: {},
    nonce: 12345678,
    issuedAt: 1700000000,
  });
  expect(token).toBe(
    '001123456781234567812345678HABOYbwAAPFTZQAAAAAFAHJvb20xBQB1c2VyMQAAIABnjxzyL3FsR0zPV0nNmN8GGprf3DPlcOESdEUxVn833Q==',
  );
  expect(typeof lib.createServer).toBe('function');
});

test('the built CLI signs, also started through a symlink as npm installs a bin', () => {
  const bin = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wrs-bin-')), 'webrtc-room-server');
  fs.symlinkSync(path.join(DIST, 'cli.js'), bin);
  try {
    const out = execFileSync(bin, ['sign', '--platform', 'tt', '--user', 'u1', '--room', '42'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(JSON.parse(out)).toMatchObject({ platform: 'tt', userID: 'u1', roomID: 42 });
  } finally {
    fs.rmSync(path.dirname(bin), { recursive: true, force: true });
  }
});
