/**
 * Build: one source tree (WeChat dialect) → dist/wx and dist/tt.
 *   build = clean → (validate WXML/WXSS with the official compilers ‖ tsc) → emit both platforms → secret check
 * `gulp dev` builds, watches and prints how to open the project; the preview (if present) adds its servers.
 */
import { series, parallel, watch } from 'gulp';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PLATFORMS, Platform, selectSources, transformForPlatform } from './build/platforms';
import { validateMarkupFiles } from './build/validate';
import { buildServerPackage } from './server/build';

const ROOT = __dirname;
const OUT = path.join(ROOT, 'dist');
const TS_OUT = path.join(ROOT, '.build/mp');
/** Folders that make up the mini-program (component package + demo). */
const SOURCE_DIRS = ['components', 'templates', 'utils', 'pages', 'assets'];
const ROOT_FILES = ['app.json', 'app.wxss', 'sitemap.json'];
const STATIC_EXT = new Set(['.wxml', '.wxss', '.wxs', '.json', '.png', '.jpg', '.jpeg', '.svg', '.gif']);
const TEXT_EXT = new Set(['.wxml', '.wxss', '.wxs', '.json', '.js', '.svg']);

function listFiles(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  return (fs.readdirSync(abs, { recursive: true }) as string[])
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(path.join(ROOT, f)).isFile());
}

function staticSources(): string[] {
  const files = SOURCE_DIRS.flatMap(listFiles).filter((f) => STATIC_EXT.has(path.extname(f)));
  return [...files, ...ROOT_FILES.filter((f) => fs.existsSync(path.join(ROOT, f)))];
}

function compiledSources(): string[] {
  if (!fs.existsSync(TS_OUT)) return [];
  return (fs.readdirSync(TS_OUT, { recursive: true }) as string[]).filter((f) => f.endsWith('.js'));
}

export async function clean(): Promise<void> {
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.rmSync(TS_OUT, { recursive: true, force: true });
}

/** Every WXML file through the official wcc, every WXSS file through wcsc; errors carry file:line. */
export async function validateMarkup(): Promise<void> {
  const problems = validateMarkupFiles(ROOT, staticSources());
  if (problems.length) throw new Error(`markup validation failed:\n${problems.join('\n')}`);
}

/** The real tsc: a type error fails the build. */
function runTsc(project: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const tsc = require.resolve('typescript/bin/tsc');
    const child = spawn(process.execPath, [tsc, '-p', project], { cwd: ROOT, stdio: 'inherit' });
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`tsc -p ${project} exited with ${code}`)),
    );
  });
}

export function scripts(): Promise<void> {
  return runTsc('tsconfig.json');
}

function projectConfig(platform: Platform): Record<string, unknown> {
  if (platform === 'tt') {
    return {
      appid: 'testappId',
      projectname: 'webrtc-room-demo',
      compileType: 'miniprogram',
      setting: { es6: true, urlCheck: false, minified: false },
    };
  }
  return {
    appid: 'touristappid',
    projectname: 'webrtc-room-demo',
    compileType: 'miniprogram',
    libVersion: '2.10.0',
    setting: { es6: true, enhance: true, urlCheck: false, minified: true },
  };
}

/** Writes one platform's tree: compiled JS + static files, with `.tt.` overrides and dialect conversion. */
export function emit(platform: Platform): void {
  const dest = path.join(OUT, platform);
  fs.rmSync(dest, { recursive: true, force: true });
  const jobs: Array<{ from: string; rel: string }> = [];
  const js = selectSources(compiledSources(), platform);
  for (const [outRel, src] of js) jobs.push({ from: path.join(TS_OUT, src), rel: outRel });
  for (const [outRel, src] of selectSources(staticSources(), platform))
    jobs.push({ from: path.join(ROOT, src), rel: outRel });
  for (const { from, rel } of jobs) {
    const to = path.join(dest, rel);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    if (TEXT_EXT.has(path.extname(from))) {
      fs.writeFileSync(to, transformForPlatform(rel, fs.readFileSync(from, 'utf8'), platform));
    } else {
      fs.copyFileSync(from, to);
    }
  }
  if (platform === 'tt') {
    fs.writeFileSync(
      path.join(dest, 'project.config.json'),
      JSON.stringify(projectConfig('tt'), null, 2) + '\n',
    );
  }
}

/**
 * Demo only: the chat SDK for the demo pages, where DevTools' "Build npm" would put it
 * (miniprogram_npm/@tencentcloud/chat). The component package never ships it (`files` excludes it).
 */
function vendorChatSDK(platform: Platform): void {
  let sdk: string;
  try {
    sdk = require.resolve('@tencentcloud/chat/index.js');
  } catch {
    return;
  }
  const to = path.join(OUT, platform, 'miniprogram_npm/@tencentcloud/chat/index.js');
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(sdk, to);
}

export async function emitAll(): Promise<void> {
  for (const p of PLATFORMS) {
    emit(p);
    vendorChatSDK(p);
  }
}

/** Nothing secret (and no signing-service code) may reach the mini-program output. */
export async function checkSecrets(): Promise<void> {
  const checker = path.join(ROOT, 'scripts/check-dist-secrets.ts');
  const r = spawnSync(process.execPath, ['-r', 'esbuild-register', checker], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('secret check failed: see above');
}

/** The signing service's own workspace package (`webrtc-room-server` → server/dist). */
export function serverLib(): Promise<void> {
  return buildServerPackage();
}

/** Declarations for TypeScript page code (`import type { WebrtcRoom, RoomEvent } from 'webrtc-room'`). */
export function typesLib(): Promise<void> {
  return runTsc('tsconfig.types.json');
}

export const build = series(
  clean,
  parallel(validateMarkup, scripts, serverLib, typesLib),
  emitAll,
  checkSecrets,
);

export function watchSources(): void {
  const globs = [...SOURCE_DIRS.map((d) => `${d}/**/*`), ...ROOT_FILES, 'app.ts'];
  watch(globs, { ignoreInitial: true }, series(parallel(validateMarkup, scripts), emitAll));
}

async function printHowToOpen(): Promise<void> {
  const lines = [
    '',
    'webrtc-room: dist/wx and dist/tt are built and watched.',
    '  WeChat DevTools: import this folder (project.config.json → miniprogramRoot dist/wx/).',
    '  Douyin IDE:      open dist/tt (it has its own project.config.json).',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

export const dev = series(build, printHowToOpen, watchSources);
export default build;
