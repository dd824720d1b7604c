/**
 * A fresh copy of the repository in a temp dir, as a clone would have it (tracked and new files, nothing
 * ignored), with node_modules linked; optionally with the built dist/. Tests that build, watch or pack work
 * there, so they never rewrite the dist/ the other test files read.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');

export function copyRepo(opts: { dist?: boolean } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'webrtc-room-start-'));
  const files = spawnSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .stdout.split('\0')
    .filter((f) => f && fs.existsSync(path.join(ROOT, f)) && fs.statSync(path.join(ROOT, f)).isFile());
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  }
  if (opts.dist) fs.cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}
