/** @jest-environment node */
/**
 * The published package: what `npm pack` would ship, and the signing library as `require('webrtc-room/server')`
 * resolves it (the built dist/server, not the TypeScript sources).
 */
import { execFileSync } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

test('npm pack ships the built component for both platforms and the server library, nothing else', () => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const files: string[] = JSON.parse(out)[0].files.map((f: { path: string }) => f.path);
  for (const must of [
    'dist/wx/components/webrtc-room/index.js',
    'dist/wx/components/webrtc-room/index.wxml',
    'dist/wx/components/webrtc-room/chat.js',
    'dist/wx/templates/registry.wxs',
    'dist/wx/components/webrtc-room/chat-hooks.js',
    'dist/wx/components/webrtc-room/lang-zh.js',
    'dist/tt/components/webrtc-room/index.ttml',
    'dist/tt/components/webrtc-room/index.js',
    'dist/tt/templates/registry.sjs',
    'dist/server/server/index.js',
    'dist/types/types/index.d.ts',
    'package.json',
    'README.md',
  ]) {
    expect(files).toContain(must);
  }
  const stray = files.filter(
    (f) =>
      /^(pages|server|test|preview|emulator|components|utils)\//.test(f) ||
      f.includes('miniprogram_npm') ||
      (f.endsWith('.ts') && !f.endsWith('.d.ts')),
  );
  expect(stray).toEqual([]);
  const pkg = require(path.join(ROOT, 'package.json'));
  expect(pkg.miniprogram).toBe('dist/wx');
  expect(pkg.exports['./server']).toBe('./dist/server/server/index.js');
  expect(pkg.types).toBe('dist/types/types/index.d.ts');
});

test('the built server library signs and verifies', () => {
  const lib = require(path.join(ROOT, 'dist/server/server/index.js'));
  const userSig = lib.createUserSig({
    sdkAppID: 1400000001,
    secretKey: 'k',
    userID: 'alice',
    expireSeconds: 60,
    now: 1700000000,
  });
  expect(lib.verifyUserSig({ sdkAppID: 1400000001, secretKey: 'k', userSig, now: 1700000010 })).toMatchObject(
    {
      ok: true,
      userID: 'alice',
      expireAt: 1700000060,
    },
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
