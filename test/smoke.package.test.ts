/** @jest-environment node */
/**
 * The published package: what `npm pack` would ship. The signing service is its own workspace package
 * (`webrtc-room-server`, test/server/package.test.ts); the component package has no runtime dependencies.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { copyRepo } from './helpers/repo-copy';

const ROOT = path.resolve(__dirname, '..');

test('npm pack ships the built component for both platforms, nothing else, and no runtime dependencies', () => {
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
    'dist/wx/components/webrtc-room/lang-en.js',
    'dist/wx/components/webrtc-room/extras.js',
    'dist/tt/components/webrtc-room/index.ttml',
    'dist/tt/components/webrtc-room/index.js',
    'dist/tt/templates/registry.sjs',
    'dist/types/index.d.ts',
    'dist/types/components/webrtc-room/chat.d.ts',
    'dist/wx/index.js',
    'dist/tt/index.js',
    'package.json',
    'README.md',
  ]) {
    expect(files).toContain(must);
  }
  const stray = files.filter(
    (f) =>
      /^(pages|server|test|preview|emulator|components|utils)\//.test(f) ||
      f.includes('miniprogram_npm') ||
      f.startsWith('dist/server') ||
      (f.endsWith('.ts') && !f.endsWith('.d.ts')),
  );
  expect(stray).toEqual([]);
  const pkg = require(path.join(ROOT, 'package.json'));
  expect(pkg.miniprogram).toBe('dist/wx');
  expect(pkg.exports['./server']).toBeUndefined();
  // WeChat's "Build npm" walks `dependencies`: the component package must have none
  expect(pkg.dependencies ?? {}).toEqual({});
  expect(pkg.workspaces).toContain('server');
  expect(pkg.types).toBe('dist/types/index.d.ts');
  expect(pkg.main).toBe('dist/wx/index.js');
  // `npm pack` / `npm publish` build first: a pack from a fresh clone is never an empty package
  expect(pkg.scripts.prepack).toBe('npm run build');
  // a git install runs only `prepare` in the clone: it builds there (scripts/prepare.mjs)
  expect(pkg.scripts.prepare).toBe('node scripts/prepare.mjs');
});

test('`npm pack` in a fresh clone without a build builds first (prepack), never a 3-file package', () => {
  const clone = copyRepo();
  try {
    expect(fs.existsSync(path.join(clone, 'dist'))).toBe(false);
    // `prepare` after `npm ci` in the repository itself builds nothing (it builds for a git install only)
    execFileSync('npm', ['run', 'prepare'], {
      cwd: clone,
      env: { ...process.env, INIT_CWD: clone },
      stdio: 'pipe',
    });
    expect(fs.existsSync(path.join(clone, 'dist'))).toBe(false);
    execFileSync('npm', ['pack', '--pack-destination', clone], {
      cwd: clone,
      encoding: 'utf8',
      stdio: 'pipe',
    });
    const pkg = require(path.join(ROOT, 'package.json'));
    const tgz = path.join(clone, `${pkg.name}-${pkg.version}.tgz`);
    const listed = execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ''));
    for (const must of [
      'dist/wx/components/webrtc-room/index.js',
      'dist/tt/components/webrtc-room/index.ttml',
      'dist/types/index.d.ts',
    ])
      expect(listed).toContain(must);
    expect(listed.length).toBeGreaterThan(50);
  } finally {
    fs.rmSync(clone, { recursive: true, force: true });
  }
}, 180000);
