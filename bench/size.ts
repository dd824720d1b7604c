/**
 * Size of what a mini-program ships: the component package (components/webrtc-room + templates) per platform,
 * as the build emits it (one minified esbuild bundle, minified markup). `chat off` is everything an app without
 * `registerChat` can load (chat.js is never required); `chat on` adds chat.js; `en only` leaves out lang-zh.js,
 * which is required only the first time a room speaks Chinese; `room` is what an English room loads that never
 * calls BGM, sendMessage, snapshot, getCapabilities or checkEnvironment (extras.js is required by the first such
 * call); `nothing to report` leaves out lang-en.js too (the English messages, required by the first error or
 * warning). All gzip -9 over the concatenated files.
 *
 * `SIZE_BUDGETS` are ceilings a change may not cross (test/size.test.ts): the figures as they stand plus about
 * 4 %, so a later feature either keeps within them or moves behind a lazily required entry. `measureModules`
 * says what the component script (`index.js`) is made of, module by module, with the build's own options.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { build } from 'esbuild';
import { bundleOptions } from '../build/bundle';
import type { Platform } from '../build/platforms';

export interface SizeRow {
  platform: string;
  kind: string;
  files: number;
  raw: number;
  gzip: number;
}

const PACKAGE_DIRS = ['components/webrtc-room', 'templates'];
const CHAT = 'components/webrtc-room/chat.js';
const LANG_ZH = 'components/webrtc-room/lang-zh.js';
const EXTRAS = 'components/webrtc-room/extras.js';
const LANG_EN = 'components/webrtc-room/lang-en.js';
const KINDS: Record<string, string> = {
  '.js': 'JS',
  '.wxml': 'WXML',
  '.ttml': 'WXML',
  '.wxss': 'WXSS',
  '.ttss': 'WXSS',
  '.wxs': 'WXS',
  '.sjs': 'WXS',
  '.json': 'JSON',
};

function row(platform: string, kind: string, files: Buffer[]): SizeRow {
  const buf = Buffer.concat(files);
  return {
    platform,
    kind,
    files: files.length,
    raw: buf.length,
    gzip: zlib.gzipSync(buf, { level: 9 }).length,
  };
}

/** Ceilings in gzip -9 bytes per row kind, for both platforms (measured: see README "Numbers"). */
export const SIZE_BUDGETS: Readonly<Record<string, number>> = {
  'chat off (total)': 31.1 * 1024,
  'room, nothing to report': 26.0 * 1024,
  'chat on (total)': 37.5 * 1024,
};

/** The rows that are over their budget, as `platform kind: gzip > budget` lines (empty when within). */
export function overBudget(rows: readonly SizeRow[]): string[] {
  return rows
    .filter((r) => SIZE_BUDGETS[r.kind] !== undefined && r.gzip > SIZE_BUDGETS[r.kind])
    .map((r) => `${r.platform} ${r.kind}: ${r.gzip} > ${SIZE_BUDGETS[r.kind]} bytes gzip`);
}

export interface ModuleRow {
  /** source module, relative to the repository, without extension (`utils/room/controller`) */
  module: string;
  /** its bytes in esbuild's minified index.js (before the terser pass) */
  bytes: number;
}

const COMPONENT_ENTRY = 'components/webrtc-room/index';

/**
 * Each source module's bytes in the platform's component script (esbuild's metafile), largest first, and the
 * script esbuild writes. That is the accounting before the build's terser pass (build/bundle.ts `compress`),
 * which shrinks the whole script by a few per cent and has no per-module figures of its own.
 */
export async function measureComposition(
  root: string,
  platform: Platform,
): Promise<{ modules: ModuleRow[]; bytes: number }> {
  const r = await build({
    ...bundleOptions(root, COMPONENT_ENTRY, `${COMPONENT_ENTRY}.js`, platform),
    absWorkingDir: root,
    metafile: true,
  });
  const out = Object.values(r.metafile.outputs)[0];
  const modules = Object.entries(out?.inputs ?? {})
    .map(([file, v]) => ({
      module: path
        .relative(root, path.resolve(root, file))
        .replace(/\\/g, '/')
        .replace(/(\.(wx|tt))?\.(ts|js)$/, ''),
      bytes: v.bytesInOutput,
    }))
    .filter((m) => m.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes || a.module.localeCompare(b.module));
  return { modules, bytes: out?.bytes ?? 0 };
}

/** The modules of `measureComposition`. */
export async function measureModules(root: string, platform: Platform): Promise<ModuleRow[]> {
  return (await measureComposition(root, platform)).modules;
}

/** The part of the product a module belongs to, for the composition table. */
export const MODULE_AREAS = ['room', 'view', 'adapter', 'component', 'core', 'chat hooks'] as const;
export type ModuleArea = (typeof MODULE_AREAS)[number];

export function moduleArea(module: string): ModuleArea {
  if (module.startsWith('utils/room/')) return 'room';
  if (module.startsWith('utils/view/')) return 'view';
  if (module.startsWith('utils/platform/')) return 'adapter';
  if (module.startsWith('utils/chat/')) return 'chat hooks';
  if (module.startsWith('utils/core/')) return 'core';
  if (/^components\/webrtc-room\/(index|props|chat-hooks)$/.test(module)) return 'component';
  if (module.startsWith('components/webrtc-room/')) return 'adapter';
  throw new Error(`measureModules: no area for ${module}`);
}

/** Bytes per area, in MODULE_AREAS order. */
export function byArea(rows: readonly ModuleRow[]): Array<{ area: ModuleArea; bytes: number }> {
  return MODULE_AREAS.map((area) => ({
    area,
    bytes: rows.filter((r) => moduleArea(r.module) === area).reduce((n, r) => n + r.bytes, 0),
  }));
}

export function measureSize(root: string): SizeRow[] {
  const rows: SizeRow[] = [];
  for (const platform of ['wx', 'tt']) {
    const base = path.join(root, 'dist', platform);
    if (!fs.existsSync(base)) continue;
    const files: string[] = [];
    for (const dir of PACKAGE_DIRS) {
      const abs = path.join(base, dir);
      if (!fs.existsSync(abs)) continue;
      for (const f of fs.readdirSync(abs, { recursive: true }) as string[]) {
        if (fs.statSync(path.join(abs, f)).isFile()) files.push(path.join(dir, f).replace(/\\/g, '/'));
      }
    }
    files.sort();
    const read = (fs_: string[]) => fs_.map((f) => fs.readFileSync(path.join(base, f)));
    const chatOff = files.filter((f) => f !== CHAT);
    const byKind = new Map<string, string[]>();
    for (const f of chatOff) {
      const kind = KINDS[path.extname(f)] ?? 'other';
      byKind.set(kind, [...(byKind.get(kind) ?? []), f]);
    }
    for (const [kind, list] of [...byKind.entries()].sort()) rows.push(row(platform, kind, read(list)));
    rows.push(row(platform, 'chat off (total)', read(chatOff)));
    rows.push(row(platform, 'chat off, en only', read(chatOff.filter((f) => f !== LANG_ZH))));
    const room = chatOff.filter((f) => f !== LANG_ZH && f !== EXTRAS);
    rows.push(row(platform, 'room, en only, no extras', read(room)));
    rows.push(row(platform, 'room, nothing to report', read(room.filter((f) => f !== LANG_EN))));
    rows.push(row(platform, 'chat on (total)', read(files)));
  }
  return rows;
}
