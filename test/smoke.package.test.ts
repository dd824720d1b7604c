/** @jest-environment node */
/**
 * The published package: what `npm pack` would ship. The signing service is its own workspace package
 * (`webrtc-room-server`, test/server/package.test.ts); the component package has no runtime dependencies.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';

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
    'dist/wx/utils/room/controller.js',
    'dist/tt/components/webrtc-room/index.ttml',
    'dist/tt/components/webrtc-room/platform.js',
    'dist/tt/templates/registry.sjs',
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
  expect(pkg.types).toBe('dist/types/types/index.d.ts');
});
