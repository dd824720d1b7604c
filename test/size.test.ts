/** @jest-environment node */
/**
 * What ships may not grow past its budget (bench/size.ts SIZE_BUDGETS), and the composition table accounts for
 * the component script as built. Runs on dist/ (`npm test` builds first).
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  byArea,
  measureComposition,
  measureSize,
  moduleArea,
  overBudget,
  SIZE_BUDGETS,
  type ModuleRow,
  type SizeRow,
} from '../bench/size';
import { distRoot } from './helpers/dist';

const ROOT = path.resolve(__dirname, '..');

describe('size budgets', () => {
  const rows = measureSize(ROOT);

  test('every budgeted row is measured on both platforms and within its budget', () => {
    for (const platform of ['wx', 'tt']) {
      for (const kind of Object.keys(SIZE_BUDGETS)) {
        expect(rows.some((r) => r.platform === platform && r.kind === kind)).toBe(true);
      }
    }
    expect(overBudget(rows)).toEqual([]);
  });

  test('a row one byte over its budget is reported, naming platform, row and figures', () => {
    const kind = 'room, nothing to report';
    const over: SizeRow = { platform: 'wx', kind, files: 1, raw: 1, gzip: SIZE_BUDGETS[kind] + 1 };
    const at: SizeRow = { ...over, platform: 'tt', gzip: SIZE_BUDGETS[kind] };
    const unbudgeted: SizeRow = { ...over, kind: 'JS', gzip: 1e9 };
    expect(overBudget([over, at, unbudgeted])).toEqual([
      `wx ${kind}: ${SIZE_BUDGETS[kind] + 1} > ${SIZE_BUDGETS[kind]} bytes gzip`,
    ]);
  });
});

describe.each(['wx', 'tt'] as const)('composition of dist/%s index.js', (platform) => {
  let modules: ModuleRow[] = [];
  let esbuilt = 0;

  beforeAll(async () => {
    ({ modules, bytes: esbuilt } = await measureComposition(ROOT, platform));
  });

  test('the modules add up to esbuild’s script (within the wrapper), which terser then shrinks', () => {
    const shipped = fs.statSync(path.join(distRoot(platform), 'components/webrtc-room/index.js')).size;
    const sum = modules.reduce((n, m) => n + m.bytes, 0);
    expect(sum).toBeLessThanOrEqual(esbuilt);
    expect(sum).toBeGreaterThan(esbuilt * 0.97);
    expect(byArea(modules).reduce((n, a) => n + a.bytes, 0)).toBe(sum);
    // the shipped file is terser's output of that script plus the export annotation
    expect(shipped).toBeLessThan(esbuilt);
  });

  test('only this platform’s adapter, none of the separately loaded entries, largest first', () => {
    const names = modules.map((m) => m.module);
    expect(names).toContain('components/webrtc-room/index');
    expect(names).toContain(platform === 'wx' ? 'utils/platform/wx/state' : 'utils/platform/tt/plan');
    expect(
      names.some((n) => n.startsWith(platform === 'wx' ? 'utils/platform/tt/' : 'utils/platform/wx/')),
    ).toBe(false);
    for (const lazy of [
      'components/webrtc-room/chat',
      'utils/chat/session',
      'utils/core/lang-en',
      'utils/core/lang-zh',
      'utils/room/extras',
    ])
      expect(names).not.toContain(lazy);
    const sizes = modules.map((m) => m.bytes);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  });
});

test('every module has an area; an unknown one is an error, not a silent bucket', () => {
  expect(moduleArea('utils/room/controller')).toBe('room');
  expect(moduleArea('components/webrtc-room/props')).toBe('component');
  expect(moduleArea('components/webrtc-room/wx-client')).toBe('adapter');
  expect(moduleArea('utils/platform/tt/plan')).toBe('adapter');
  expect(() => moduleArea('node_modules/x/index')).toThrow(/no area for node_modules\/x\/index/);
});
