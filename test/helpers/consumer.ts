/**
 * A mini-program developer's first use, scripted: the packed tarball (what `npm publish` would upload),
 * installed into a scratch project in a temp dir, built the way the platform's tools build it.
 */
import { execFileSync, spawnSync } from 'child_process';
import { generateKeyPairSync } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '../..');

const made: string[] = [];

export function tmpDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `webrtc-room-${prefix}-`));
  made.push(dir);
  return dir;
}

/** Removes every temp dir this test file made (afterAll). */
export function removeTmpDirs(): void {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/**
 * `npm pack` of the package as built (`npm test` builds first; `prepack` builds on a real pack, skipped here so
 * a test never rebuilds dist/ under the other test files). Returns the tarball path.
 */
export function packTarball(into = tmpDir('pack')): string {
  if (!fs.existsSync(path.join(ROOT, 'dist/wx/components/webrtc-room/index.js')))
    throw new Error('dist/ is missing: run `npm run build` first');
  const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', into], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return path.join(into, JSON.parse(out)[0].filename);
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
}

/**
 * `npm install` of the tarball into a project (from the local cache when it can; the tarball is a file).
 * Returns what npm printed (warnings such as EBADENGINE among it).
 */
export function installTarball(dir: string, tarball: string): string {
  const pkg = { name: path.basename(dir).toLowerCase(), version: '1.0.0', private: true };
  writeFiles(dir, {
    'package.json': JSON.stringify({ ...pkg, dependencies: { 'webrtc-room': `file:${tarball}` } }, null, 2),
  });
  const r = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`npm install failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout + r.stderr;
}

/** Every package folder under node_modules (scoped ones as @scope/name). */
export function installedPackages(dir: string): string[] {
  const nm = path.join(dir, 'node_modules');
  const names: string[] = [];
  for (const d of fs.readdirSync(nm)) {
    if (d.startsWith('.')) continue;
    if (d.startsWith('@')) for (const s of fs.readdirSync(path.join(nm, d))) names.push(`${d}/${s}`);
    else names.push(d);
  }
  return names.sort();
}

export interface PackNpmResult {
  ok: boolean;
  warnings?: unknown[];
  error?: string;
}

/** miniprogram-ci packNpm on the project, with a throwaway RSA key made here. */
export function runPackNpm(dir: string): PackNpmResult {
  const key = path.join(tmpDir('key'), 'private.key');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  fs.writeFileSync(key, privateKey.export({ type: 'pkcs1', format: 'pem' }));
  const r = spawnSync(
    process.execPath,
    ['-r', 'esbuild-register', path.join(__dirname, 'pack-npm.ts'), dir, key],
    { cwd: ROOT, encoding: 'utf8', timeout: 120000 },
  );
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as PackNpmResult;
  } catch {
    throw new Error(`packNpm did not answer (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
}

/** Files under dir, relative, with forward slashes. */
export function listFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => f.replace(/\\/g, '/'))
    .sort();
}
