/**
 * The layouts are WXS (ES5) modules. They run here in plain Node through a tiny `require` that resolves
 * relative .wxs paths, so their placement math is unit-tested; the registries must agree with the folders.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TEMPLATE_NAMES } from '../utils/view/templates';
import { rectStyle, type Rect } from '../utils/view/slots';

const TPL = path.resolve(__dirname, '../templates');

function loadWxs(file: string): any {
  const module = { exports: {} as any };
  const req = (p: string) => loadWxs(path.resolve(path.dirname(file), p));
  new Function('module', 'require', fs.readFileSync(file, 'utf8'))(module, req);
  return module.exports;
}

const layout = loadWxs(path.join(TPL, 'registry.wxs'));

const tile = (id: string, userID = id, streamType = 'main') => ({
  key: `${userID}|${streamType}`,
  id,
  userID,
  streamType,
});
const free = (i: number) => ({ key: `~${i}`, free: true });
const SMALL = '66%,4%,30%,30%';

type Slot = { id?: string; free?: boolean } & Record<string, unknown>;

/** What utils/view/tiles.ts sends for a slot list: `tileCount`, `mainRank` and the free slots (`holes`). */
function viewOf(streams: Slot[], mainKey: string) {
  const tiles = streams.filter((s) => !s.free);
  const holes = streams.flatMap((s, i) => (s.free ? [i] : []));
  return { count: tiles.length, holes, mainRank: tiles.findIndex((t) => t.id === mainKey) };
}

/** What the markup shows for a slot (templates/tiles.wxml): its own style (custom rectangle) or its slot's. */
function tileAt(
  template: string,
  streams: Slot[],
  index: number,
  role: string,
  mainKey: string,
  gridPage: number,
  custom: unknown,
): string {
  const v = viewOf(streams, mainKey);
  const item = streams[index] as Slot & { rect?: string };
  return item.rect || layout.styles(template, v.count, v.holes, v.mainRank, role, gridPage, custom)[index];
}

function localOf(
  template: string,
  streams: Slot[],
  role: string,
  mainKey: string,
  gridPage: number,
  custom: unknown,
  small: string,
): string {
  const v = viewOf(streams, mainKey);
  return layout.local(template, v.count, v.mainRank, role, gridPage, custom, small);
}

test('folders, registry.wxs and registry.ts list the same layouts', () => {
  const folders = fs
    .readdirSync(TPL, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const wxsNames = [
    ...fs
      .readFileSync(path.join(TPL, 'registry.wxs'), 'utf8')
      .matchAll(/^\s+(\w+): require\('\.\/(\w+)\/\2\.wxs'\)/gm),
  ]
    .map((m) => m[1])
    .sort();
  expect(folders).toEqual([...TEMPLATE_NAMES].sort());
  expect(wxsNames).toEqual(folders);
  for (const name of folders) expect(fs.existsSync(path.join(TPL, name, `${name}.wxs`))).toBe(true);
});

describe('bigsmall', () => {
  test('alone: the local view fills the room', () => {
    expect(localOf('bigsmall', [], 'anchor', '', 0, null, SMALL)).toBe(
      'left:0;top:0;width:100%;height:100%;z-index:1;',
    );
  });
  test('main remote full, local small at smallView*, others as thumbnails skipping the main one', () => {
    const streams = [tile('player-0', 'a'), tile('player-1', 'b'), free(2), tile('player-3', 'c')];
    expect(localOf('bigsmall', streams, 'anchor', 'player-1', 0, null, SMALL)).toBe(
      'left:66%;top:4%;width:30%;height:30%;z-index:3;',
    );
    expect(tileAt('bigsmall', streams, 1, 'anchor', 'player-1', 0, null)).toBe(
      'left:0;top:0;width:100%;height:100%;z-index:1;',
    );
    expect(tileAt('bigsmall', streams, 0, 'anchor', 'player-1', 0, null)).toBe(
      'left:2%;top:78%;width:23%;height:20%;z-index:2;',
    );
    expect(tileAt('bigsmall', streams, 3, 'anchor', 'player-1', 0, null)).toBe(
      'left:26.5%;top:78%;width:23%;height:20%;z-index:2;',
    );
  });
  test('audience: the local view is parked at 1px, never display:none', () => {
    expect(localOf('bigsmall', [tile('player-0')], 'audience', 'player-0', 0, null, SMALL)).toContain(
      'width:1px;height:1px',
    );
  });
});

describe('float', () => {
  test('local full screen, remotes stacked on the right from the bottom', () => {
    const streams = [tile('player-0'), tile('player-1')];
    expect(localOf('float', streams, 'anchor', '', 0, null, SMALL)).toBe(
      'left:0;top:0;width:100%;height:100%;z-index:1;',
    );
    expect(tileAt('float', streams, 0, 'anchor', '', 0, null)).toBe(
      'left:67%;top:74%;width:30%;height:22%;z-index:2;',
    );
    expect(tileAt('float', streams, 1, 'anchor', '', 0, null)).toBe(
      'left:67%;top:50%;width:30%;height:22%;z-index:2;',
    );
  });
  test('audience: the first remote takes the room', () => {
    const streams = [tile('player-0'), tile('player-1')];
    expect(tileAt('float', streams, 0, 'audience', '', 0, null)).toBe(
      'left:0;top:0;width:100%;height:100%;z-index:1;',
    );
    expect(tileAt('float', streams, 1, 'audience', '', 0, null)).toBe(
      'left:67%;top:74%;width:30%;height:22%;z-index:2;',
    );
  });
});

describe('grid', () => {
  const streams = [tile('player-0'), free(1), tile('player-2'), tile('player-3'), tile('player-4')];
  test('2x2 cells, local first; the fourth remote opens page 2', () => {
    expect(localOf('grid', streams, 'anchor', '', 0, null, SMALL)).toBe(
      'left:0%;top:0%;width:50%;height:50%;z-index:1;',
    );
    expect(tileAt('grid', streams, 0, 'anchor', '', 0, null)).toBe(
      'left:50%;top:0%;width:50%;height:50%;z-index:1;',
    );
    expect(tileAt('grid', streams, 2, 'anchor', '', 0, null)).toBe(
      'left:0%;top:50%;width:50%;height:50%;z-index:1;',
    );
    expect(tileAt('grid', streams, 4, 'anchor', '', 0, null)).toBe(
      'left:100%;top:0%;width:50%;height:50%;z-index:1;',
    );
  });
  test('on page 2 the first page slides out to the left', () => {
    expect(localOf('grid', streams, 'anchor', '', 1, null, SMALL)).toBe(
      'left:-100%;top:0%;width:50%;height:50%;z-index:1;',
    );
    expect(tileAt('grid', streams, 4, 'anchor', '', 1, null)).toBe(
      'left:0%;top:0%;width:50%;height:50%;z-index:1;',
    );
  });
});

describe('custom', () => {
  const custom = { local: { left: 0, top: 0, width: 100, height: 120 }, fallback: false };
  // what utils/view/tiles.ts sends for a tile with a rectangle: its style
  const placed = (id: string, userID: string, rect: Rect, streamType = 'main') => ({
    ...tile(id, userID, streamType),
    rect: rectStyle(rect),
  });
  test('rectangles the view looked up (item.rect), numbers in px; a tile without one is parked', () => {
    const streams = [
      placed('player-0', 'a', { left: '50%', top: '10vw', width: '50%', height: 200, zIndex: 3 }),
      tile('player-1', 'b'),
    ];
    expect(localOf('custom', streams, 'anchor', '', 0, custom, SMALL)).toBe(
      'left:0px;top:0px;width:100px;height:120px;z-index:1;',
    );
    expect(tileAt('custom', streams, 0, 'anchor', '', 0, custom)).toBe(
      'left:50%;top:10vw;width:50%;height:200px;z-index:3;',
    );
    expect(tileAt('custom', streams, 1, 'anchor', '', 0, custom)).toContain('width:1px;height:1px');
  });
  test('a screen share is placed by its own rectangle', () => {
    const streams = [placed('player-0', 'a', { left: 1, top: 2, width: 3, height: 4 }, 'aux')];
    expect(tileAt('custom', streams, 0, 'anchor', '', 0, custom)).toBe(
      'left:1px;top:2px;width:3px;height:4px;z-index:1;',
    );
  });
  test('without customRects: an even grid that fits every view (local first)', () => {
    const fallback = { local: null, fallback: true };
    const streams = [tile('player-0', 'a'), tile('player-1', 'constructor'), tile('player-2', '__proto__')];
    expect(localOf('custom', streams, 'anchor', '', 0, fallback, SMALL)).toBe(
      'left:0%;top:0%;width:50%;height:50%;z-index:1;',
    );
    expect(tileAt('custom', streams, 2, 'anchor', '', 0, fallback)).toBe(
      'left:50%;top:50%;width:50%;height:50%;z-index:1;',
    );
  });
});

test('a tile rectangle (utils/view rectStyle) and the local one (custom.wxs place) are styled alike', () => {
  const rects: Rect[] = [
    { left: 0, top: 0, width: 100, height: 120 },
    { left: '50%', top: '10vw', width: '50%', height: 200, zIndex: 3 },
    { left: 1, top: '2rpx', width: 0, height: '100%', zIndex: 0 },
  ];
  for (const r of rects)
    expect(localOf('custom', [], 'anchor', '', 0, { local: r, fallback: false }, SMALL)).toBe(rectStyle(r));
});

test('a rectangle keeps a zIndex of 0 (and negative ones); only a missing zIndex is 1', () => {
  for (const [zIndex, z] of [
    [0, 0],
    [-2, -2],
    [undefined, 1],
  ] as const) {
    const r: Rect = { left: 0, top: 0, width: 10, height: 10, zIndex };
    expect(rectStyle(r)).toContain(`;z-index:${z};`);
    expect(localOf('custom', [], 'anchor', '', 0, { local: r, fallback: false }, SMALL)).toBe(rectStyle(r));
  }
});

test('an unknown template falls back to bigsmall placement instead of breaking the view', () => {
  expect(localOf('mosaic', [], 'anchor', '', 0, null, SMALL)).toBe(
    'left:0;top:0;width:100%;height:100%;z-index:1;',
  );
});

test("a template named like an Object.prototype member ('constructor', 'toString' …) falls back to bigsmall too", () => {
  const streams = [tile('player-0', 'a'), tile('player-1', 'b')];
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
    expect(localOf(name, streams, 'anchor', 'player-0', 0, null, SMALL)).toBe(
      localOf('bigsmall', streams, 'anchor', 'player-0', 0, null, SMALL),
    );
    expect(tileAt(name, streams, 1, 'anchor', 'player-0', 0, null)).toBe(
      tileAt('bigsmall', streams, 1, 'anchor', 'player-0', 0, null),
    );
  }
});

/** registry.wxs with every style the layouts build counted (style.wxs box(), full() and parked()). */
function countingLayout(): { layout: any; built: () => number } {
  let n = 0;
  const load = (file: string): any => {
    const module = { exports: {} as any };
    const req = (p: string) => load(path.resolve(path.dirname(file), p));
    new Function('module', 'require', fs.readFileSync(file, 'utf8'))(module, req);
    if (path.basename(file) !== 'style.wxs') return module.exports;
    const { box, parked, full } = module.exports;
    return {
      ...module.exports,
      box: (...a: unknown[]) => (n++, box(...a)),
      parked: () => (n++, parked()),
      full: (z: number) => (n++, full(z)),
    };
  };
  return { layout: load(path.join(TPL, 'registry.wxs')), built: () => n };
}

test('tile styles: one call per render for every slot, rebuilt only when the room scalars change', () => {
  const { layout: counted, built } = countingLayout();
  const fallback = { local: null, fallback: true };
  for (const name of TEMPLATE_NAMES) {
    const before = built();
    const styles = counted.styles(name, 40, [], 3, 'anchor', 0, fallback);
    expect(styles).toHaveLength(40);
    expect(built() - before).toBe(40);
    // the next render of the same room (one tile's own fields changed): nothing is re-styled
    expect(counted.styles(name, 40, [], 3, 'anchor', 0, { local: null, fallback: true })).toEqual(styles);
    expect(built() - before).toBe(40);
  }
  // a scalar a layout reads changes: every tile again
  for (const args of [
    ['grid', 40, [], 3, 'anchor', 1, fallback],
    ['grid', 39, [7], 3, 'anchor', 1, fallback],
    ['bigsmall', 39, [7], 5, 'anchor', 1, fallback],
    ['float', 39, [7], 5, 'audience', 1, fallback],
    ['custom', 41, [7], 5, 'audience', 1, fallback],
    ['custom', 41, [7], 5, 'audience', 1, { local: null, fallback: false }],
  ] as const) {
    const before = built();
    counted.styles(...args);
    expect(built() - before).toBe(args[1]);
  }
});

test('a free slot shifts the ranks after it: the same places as the list without it', () => {
  const fallback = { local: null, fallback: true };
  for (const name of TEMPLATE_NAMES) {
    const dense = layout.styles(name, 5, [], 2, 'anchor', 0, fallback);
    // slots 1 and 4 free: tiles sit in slots 0, 2, 3, 5, 6
    const sparse = layout.styles(name, 5, [1, 4], 2, 'anchor', 0, fallback);
    expect(sparse).toEqual([dense[0], '', dense[1], dense[2], '', dense[3], dense[4]]);
  }
});

test('the markup hands the layouts scalars, never the tile list; a tile only looks its style up', () => {
  const wxml = fs.readFileSync(path.resolve(__dirname, '../components/webrtc-room/index.wxml'), 'utf8');
  const calls = [...wxml.matchAll(/(?:layout\.\w+|st\.\w+)\(([^)]*)\)/g)].map((m) => m[1]);
  expect(calls.length).toBeGreaterThan(1);
  for (const args of calls) expect(args.split(/\s*,\s*/)).not.toContain('streams');
  const tiles = fs.readFileSync(path.join(TPL, 'tiles.wxml'), 'utf8');
  expect(tiles).toContain('style="{{item.rect || styles[index]}}"');
  expect(tiles).not.toMatch(/\{\{[^}]*layout\./);
  const states = fs.readFileSync(path.join(TPL, 'room-states.wxml'), 'utf8');
  expect(states).not.toMatch(/st\.banner\([^)]*streams/);
});
