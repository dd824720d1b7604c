/** @jest-environment node */
/**
 * Imports that work in TypeScript and at run time: a consumer project with the packed tarball installed
 * type-checks the documented imports under each `moduleResolution` a mini-program project uses (node16 with
 * CommonJS and ESM files, bundler, node10), then runs what it compiled, so a value the types offer is a value
 * at run time. An undocumented deep path is refused by both, the same way.
 */
import { spawnSync } from 'child_process';
import { buildSync } from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import { removeTmpDirs, installTarball, packTarball, ROOT, tmpDir, writeFiles } from '../helpers/consumer';

jest.setTimeout(120000);

const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');

/** The page code the README documents, plus a run-time probe of every value it imports. */
const CONSUMER = `import type { WebrtcRoom, RoomEvent, IMEvent } from 'webrtc-room';
import { ErrorCode, IMErrorCode } from 'webrtc-room';
import { registerChat, IMErrorCode as ChatCodes } from 'webrtc-room/components/webrtc-room/chat';

export function describeEvent(e: RoomEvent): string {
  if (e.tag === 'video_available') return e.detail.userID + ' ' + e.detail.streamType;
  if (e.tag === 'error' && e.code === ErrorCode.PERMISSION_DENIED) return 'permission';
  return e.tag;
}
export function onIM(e: IMEvent): string {
  return e.tag;
}
export async function enter(room: WebrtcRoom): Promise<number> {
  return (await room.start()).elapsed;
}

let refused = '';
try {
  registerChat({});
} catch (e) {
  refused = (e as Error).name;
}
export const result = {
  permission: ErrorCode.PERMISSION_DENIED,
  notRegistered: IMErrorCode.NOT_REGISTERED,
  sameTable: ChatCodes.NOT_REGISTERED === IMErrorCode.NOT_REGISTERED,
  refused,
  described: describeEvent({ tag: 'video_available', code: 1, detail: { userID: 'bob', streamType: 'aux' } }),
};
`;

const EXPECTED = {
  permission: -7,
  notRegistered: -20,
  sameTable: true,
  refused: 'TypeError',
  described: 'bob aux',
};

const STRICT = {
  rootDir: 'src',
  strict: true,
  skipLibCheck: false,
  types: [] as string[],
  lib: ['ES2020'],
  target: 'ES2020',
};

let project = '';

afterAll(removeTmpDirs);

beforeAll(() => {
  project = tmpDir('imports');
  installTarball(project, packTarball());
});

function tsc(
  name: string,
  compilerOptions: Record<string, unknown>,
  files: string[],
): { status: number | null; out: string } {
  writeFiles(project, {
    [`${name}.tsconfig.json`]: JSON.stringify(
      { compilerOptions: { ...STRICT, ...compilerOptions }, files },
      null,
      2,
    ),
  });
  const r = spawnSync(process.execPath, [TSC, '-p', `${name}.tsconfig.json`], {
    cwd: project,
    encoding: 'utf8',
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

function node(args: string[]): unknown {
  const r = spawnSync(process.execPath, args, { cwd: project, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

const PROBE_CJS = (file: string) => ['-e', `console.log(JSON.stringify(require('./${file}').result))`];
const PROBE_ESM = (file: string) => [
  '--input-type=module',
  '-e',
  `import('./${file}').then((m) => console.log(JSON.stringify(m.result)))`,
];

test('node16 (and nodenext): a CommonJS file and an ES module file type-check, compile and run', () => {
  writeFiles(project, { 'src/page.ts': CONSUMER, 'src/page-esm.mts': CONSUMER });
  const r = tsc('node16', { module: 'node16', moduleResolution: 'node16', outDir: 'out16' }, [
    'src/page.ts',
    'src/page-esm.mts',
  ]);
  expect(r.out).toBe('');
  expect(r.status).toBe(0);
  expect(node(PROBE_CJS('out16/page.js'))).toEqual(EXPECTED);
  expect(node(PROBE_ESM('out16/page-esm.mjs'))).toEqual(EXPECTED);
  const next = tsc('nodenext', { module: 'nodenext', moduleResolution: 'nodenext', noEmit: true }, [
    'src/page.ts',
    'src/page-esm.mts',
  ]);
  expect(next.out).toBe('');
});

test('bundler: type-checks, and a bundler (esbuild) resolves the same imports into code that runs', () => {
  writeFiles(project, { 'src/page.ts': CONSUMER });
  const r = tsc('bundler', { module: 'esnext', moduleResolution: 'bundler', noEmit: true }, ['src/page.ts']);
  expect(r.out).toBe('');
  expect(r.status).toBe(0);
  const b = buildSync({
    absWorkingDir: project,
    entryPoints: ['src/page.ts'],
    bundle: true,
    platform: 'neutral',
    format: 'esm',
    outfile: 'outb/page.mjs',
    logLevel: 'silent',
  });
  expect(b.errors).toEqual([]);
  expect(node(PROBE_ESM('outb/page.mjs'))).toEqual(EXPECTED);
});

test('node10: type-checks through typesVersions, compiles to CommonJS and runs', () => {
  writeFiles(project, { 'src/page.ts': CONSUMER });
  const r = tsc(
    'node10',
    { module: 'commonjs', moduleResolution: 'node10', ignoreDeprecations: '6.0', outDir: 'out10' },
    ['src/page.ts'],
  );
  expect(r.out).toBe('');
  expect(r.status).toBe(0);
  expect(node(PROBE_CJS('out10/page.js'))).toEqual(EXPECTED);
});

test('an undocumented deep import is refused by the types and at run time alike', () => {
  writeFiles(project, { 'src/deep.ts': `export { ErrorCode } from 'webrtc-room/utils/events';\n` });
  for (const [name, opts] of [
    ['deep16', { module: 'node16', moduleResolution: 'node16', noEmit: true }],
    ['deepb', { module: 'esnext', moduleResolution: 'bundler', noEmit: true }],
  ] as const) {
    const r = tsc(name, opts, ['src/deep.ts']);
    expect(r.out).toMatch(/TS2307/);
  }
  const run = spawnSync(process.execPath, ['-e', "require('webrtc-room/utils/events')"], {
    cwd: project,
    encoding: 'utf8',
  });
  expect(run.stderr).toMatch(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
});

test('the consumer project is a real install of the tarball, not the repository', () => {
  const pkgDir = path.join(project, 'node_modules/webrtc-room');
  expect(fs.lstatSync(pkgDir).isSymbolicLink()).toBe(false);
  expect(fs.existsSync(path.join(pkgDir, 'utils'))).toBe(false);
  expect(path.relative(ROOT, pkgDir).startsWith('..')).toBe(true);
});
