/**
 * The README's figures come from the bench. Blocks in README.md between `<!-- bench:NAME -->` and
 * `<!-- /bench:NAME -->` are written from `npm run bench`'s measurements:
 *   setdata    setData calls and bytes per room event (bench/setdata.ts; deterministic)
 *   size       the shipped component package per platform, raw and gzip -9 (bench/size.ts; needs dist/)
 *   size-modules  what the component script is made of, per area and its largest modules (bench/size.ts)
 *   size-budgets  the ceilings test/size.test.ts enforces (bench/size.ts SIZE_BUDGETS)
 *   chat-glue  the optional chat glue inside it;  chat-sdk  the chat SDK it never ships
 *   preview    example timings in the browser preview (bench/preview.ts; needs Chromium, only with --preview)
 *   small-stream  bytes one page of a 6-party grid receives without / with enableSmallStream
 *              (bench/small-stream.ts; needs Chromium, only with --preview)
 *
 *   npm run readme:numbers              rewrite the blocks (setData and sizes; timings kept)
 *   npm run readme:numbers -- --preview also re-measure the example timings
 *   npm run readme:numbers -- --check   exit 1 when a figure drifted beyond noise (test/readme-numbers.test.ts)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { runSetDataBench, type SetDataRow } from '../bench/setdata';
import {
  byArea,
  measureModules,
  measureSize,
  SIZE_BUDGETS,
  type ModuleRow,
  type SizeRow,
} from '../bench/size';

const ROOT = path.resolve(__dirname, '..');
export const README = path.join(ROOT, 'README.md');

export const SIZES = [1, 4, 16, 50];

export interface Figures {
  setdata: SetDataRow[];
  size: SizeRow[];
  /** what each platform's component script is made of (bench/size.ts measureModules) */
  modules: { wx: ModuleRow[]; tt: ModuleRow[] };
  chatGlue: { raw: number; gzip: number };
  chatSDK: number;
}

const kb = (n: number, digits = 0): string => `${(n / 1024).toFixed(digits)} KB`;

/** The chat glue: the WeChat build's separately loaded `chat.js` (only `registerChat()` loads it). */
function chatGlue(root: string): { raw: number; gzip: number } {
  const buf = fs.readFileSync(path.join(root, 'dist/wx/components/webrtc-room/chat.js'));
  return { raw: buf.length, gzip: zlib.gzipSync(buf, { level: 9 }).length };
}

export async function measure(repeats = 1, root = ROOT): Promise<Figures> {
  if (!fs.existsSync(path.join(root, 'dist/wx')))
    throw new Error('dist/ is missing: run `npm run build` first');
  const sdk = path.join(root, 'node_modules/@tencentcloud/chat/index.js');
  return {
    setdata: await runSetDataBench(SIZES, repeats),
    size: measureSize(root),
    modules: { wx: await measureModules(root, 'wx'), tt: await measureModules(root, 'tt') },
    chatGlue: chatGlue(root),
    chatSDK: fs.existsSync(sdk) ? fs.statSync(sdk).size : 0,
  };
}

export function renderSetData(rows: SetDataRow[]): string {
  const events = [...new Set(rows.map((r) => r.event))];
  const sizes = [...new Set(rows.map((r) => r.size))];
  const cell = (ev: string, k: 'calls' | 'bytes') =>
    sizes.map((s) => rows.find((r) => r.event === ev && r.size === s)?.[k] ?? '–').join(' / ');
  const head = `| event | setData calls (${sizes.join(' / ')} users) | bytes (${sizes.join(' / ')} users) |`;
  return [
    head,
    '|---|---|---|',
    ...events.map((ev) => `| ${ev} | ${cell(ev, 'calls')} | ${cell(ev, 'bytes')} |`),
  ].join('\n');
}

/** The rows of bench/size.ts that the README's size table shows, with their labels there. */
export const SIZE_ROWS: Array<[kind: string, label: string]> = [
  ['chat off (total)', 'chat off (all an app without `registerChat` can load)'],
  ['chat off, en only', 'chat off, English only (`lang-zh.js` not required)'],
  [
    'room, en only, no extras',
    'an English room that calls no BGM / SEI / snapshot / capabilities / preflight',
  ],
  ['room, nothing to report', '… and has no error or warning to show (`lang-en.js` not required)'],
  ['chat on (total)', 'chat on (+ `chat.js`)'],
];

export function renderSize(f: Figures): string {
  const cell = (p: string, kind: string) => {
    const r = f.size.find((x) => x.platform === p && x.kind === kind);
    if (!r) throw new Error(`no size row "${kind}" for dist/${p}`);
    return `${kb(r.raw, 1)} / ${kb(r.gzip, 1)}`;
  };
  return [
    '| | WeChat raw / gzip | Douyin raw / gzip |',
    '|---|---|---|',
    ...SIZE_ROWS.map(([kind, label]) => `| ${label} | ${cell('wx', kind)} | ${cell('tt', kind)} |`),
  ].join('\n');
}

/** Area labels of the composition table (bench/size.ts moduleArea). */
const AREA_LABELS: Record<string, string> = {
  room: 'room (`utils/room`: controller, session, recovery, media, speakers, settings, reducer …)',
  view: 'view (`utils/view`: tiles, slots, room view)',
  adapter: 'platform adapter (`platform`, `wx-client` / `tt-engine`, `utils/platform`)',
  component: 'component (`index`, property table)',
  core: 'core (`utils/core`: validation, events, errors, UI texts, batching)',
  'chat hooks': 'chat errors without `registerChat` (`utils/chat/events`, `sdk`)',
};

/** The component script per area, and its largest modules (WeChat), in KB of minified output. */
export function renderModules(f: Figures): string {
  const wx = byArea(f.modules.wx);
  const tt = byArea(f.modules.tt);
  const total = (rows: readonly ModuleRow[]) => rows.reduce((n, r) => n + r.bytes, 0);
  const largest = f.modules.wx
    .slice(0, 8)
    .map((m) => `${m.module.split('/').pop()} ${kb(m.bytes, 1)}`)
    .join(', ');
  return [
    '| `index.js`, esbuild (before terser) | WeChat | Douyin |',
    '|---|---|---|',
    ...wx.map((a, i) => `| ${AREA_LABELS[a.area]} | ${kb(a.bytes, 1)} | ${kb(tt[i].bytes, 1)} |`),
    `| all | ${kb(total(f.modules.wx), 1)} | ${kb(total(f.modules.tt), 1)} |`,
    '',
    `Largest modules (WeChat): ${largest}.`,
  ].join('\n');
}

/** The ceilings of bench/size.ts SIZE_BUDGETS, as the README names them. */
export function renderBudgets(): string {
  const k = (kind: string) => kb(SIZE_BUDGETS[kind], 1);
  return (
    `chat off ${k('chat off (total)')}, a room with nothing to report ${k('room, nothing to report')}, ` +
    `chat on ${k('chat on (total)')}`
  );
}

export function renderChatGlue(f: Figures): string {
  return `${kb(f.chatGlue.raw)} raw / ${kb(f.chatGlue.gzip, 1)} gzip`;
}

export function renderChatSDK(f: Figures): string {
  return kb(f.chatSDK);
}

const BLOCK = (name: string) =>
  new RegExp(`(<!-- bench:${name} -->)([\\s\\S]*?)(<!-- /bench:${name} -->)`, 'g');

export function readBlocks(text: string, name: string): string[] {
  return [...text.matchAll(BLOCK(name))].map((m) => m[2]);
}

/** Replaces every block NAME; a block that spans lines keeps its newlines around the content. */
export function writeBlock(text: string, name: string, content: string): string {
  return text.replace(BLOCK(name), (_m, open: string, old: string, close: string) =>
    old.includes('\n') ? `${open}\n${content}\n${close}` : `${open}${content}${close}`,
  );
}

/** setData table → {event: {calls[], bytes[]}} */
export function parseSetData(block: string): Map<string, { calls: number[]; bytes: number[] }> {
  const out = new Map<string, { calls: number[]; bytes: number[] }>();
  for (const line of block.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 5 || !/^\d/.test(cells[2])) continue;
    const nums = (c: string) => c.split('/').map((x) => Number(x.trim()));
    out.set(cells[1], { calls: nums(cells[2]), bytes: nums(cells[3]) });
  }
  return out;
}

/** Beyond noise: bytes and sizes may move by 2 % or 2 units (rounding), call counts not at all. */
export function within(readme: number, now: number, exact = false): boolean {
  if (exact) return readme === now;
  return Math.abs(readme - now) <= Math.max(2, Math.abs(now) * 0.02);
}

/** Every figure in the README against a fresh measurement: the differences, empty when in step. */
export function drift(text: string, f: Figures): string[] {
  const problems: string[] = [];
  const setdata = readBlocks(text, 'setdata');
  if (setdata.length !== 1) problems.push(`README has ${setdata.length} setdata blocks, expected 1`);
  const readmeRows = parseSetData(setdata[0] ?? '');
  const fresh = parseSetData(renderSetData(f.setdata));
  for (const [event, now] of fresh) {
    const was = readmeRows.get(event);
    if (!was) {
      problems.push(`setdata: no row for "${event}"`);
      continue;
    }
    now.calls.forEach((n, i) => {
      if (!within(was.calls[i], n, true))
        problems.push(`setdata ${event} @${SIZES[i]}: ${was.calls[i]} calls, now ${n}`);
    });
    now.bytes.forEach((n, i) => {
      if (!within(was.bytes[i], n))
        problems.push(`setdata ${event} @${SIZES[i]}: ${was.bytes[i]} bytes, now ${n}`);
    });
  }
  const numbers = (s: string) => [...s.matchAll(/\d+(?:\.\d+)?/g)].map((m) => Number(m[0]));
  for (const [name, render] of [
    ['size', renderSize],
    ['size-modules', renderModules],
    ['size-budgets', renderBudgets],
    ['chat-glue', renderChatGlue],
    ['chat-sdk', renderChatSDK],
  ] as const) {
    const blocks = readBlocks(text, name);
    if (!blocks.length) problems.push(`README has no ${name} block`);
    const now = numbers(render(f));
    for (const b of blocks) {
      const was = numbers(b);
      if (was.length !== now.length || was.some((x, i) => !within(x, now[i])))
        problems.push(`${name}: README says "${b.trim()}", now "${render(f)}"`);
    }
  }
  return problems;
}

export function refresh(text: string, f: Figures, preview?: string, smallStream?: string): string {
  let out = writeBlock(text, 'setdata', renderSetData(f.setdata));
  out = writeBlock(out, 'size', renderSize(f));
  out = writeBlock(out, 'size-modules', renderModules(f));
  out = writeBlock(out, 'size-budgets', renderBudgets());
  out = writeBlock(out, 'chat-glue', renderChatGlue(f));
  out = writeBlock(out, 'chat-sdk', renderChatSDK(f));
  if (preview !== undefined) out = writeBlock(out, 'preview', preview);
  if (smallStream !== undefined) out = writeBlock(out, 'small-stream', smallStream);
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const text = fs.readFileSync(README, 'utf8');
  const f = await measure(1);
  if (args.includes('--check')) {
    const problems = drift(text, f);
    for (const p of problems) process.stderr.write(`readme-numbers: ${p}\n`);
    if (problems.length) {
      process.stderr.write('readme-numbers: run `npm run readme:numbers` and commit README.md\n');
      process.exit(1);
    }
    process.stdout.write('readme-numbers: README figures match the bench\n');
    return;
  }
  let preview: string | undefined;
  let smallStream: string | undefined;
  if (args.includes('--preview')) {
    // loaded by path so this script's type-check does not take in the Chromium bench
    const bench = path.join(ROOT, 'bench/preview');
    const { runPreviewBench } = require(bench) as { runPreviewBench(): Promise<{ table: string }> };
    const { table } = await runPreviewBench();
    preview = `Example timings from one run of \`npm run bench\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} cores, Chromium with fake devices; they vary by machine and load, and no test checks them):\n\n${table}`;
    const small = require(path.join(ROOT, 'bench/small-stream')) as {
      runSmallStreamBench(): Promise<unknown>;
      smallStreamFigure(r: unknown): string;
    };
    smallStream = small.smallStreamFigure(await small.runSmallStreamBench());
  }
  fs.writeFileSync(README, refresh(text, f, preview, smallStream));
  process.stdout.write('readme-numbers: README.md refreshed\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === __filename) void main();
