/**
 * The layouts are WXS (ES5) modules. They run here in plain Node through a tiny `require` that resolves
 * relative .wxs paths, so their placement math is unit-tested; the registries must agree with the folders.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TEMPLATE_NAMES } from '../utils/view/templates';

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
    expect(layout.local('bigsmall', [], 'anchor', '', 0, null, SMALL)).toBe(
      'left:0;top:0;width:100%;height:100%;z-index:1;',
    );
  });
  test('main remote full, local small at smallView*, others as thumbnails skipping the main one', () => {
    const streams = [tile('player-0', 'a'), tile('player-1', 'b'), free(2), tile('player-3', 'c')];
    expect(layout.local('bigsmall', streams, 'anchor', 'player-1', 0, null, SMALL)).toBe(
      'left:66%;top:4%;width:30%;height:30%;z-index:3;',
    );
    expect(layout.tile('bigsmall', streams, 1, 'anchor', 'player-1', 0, null, SMALL)).toBe(
      'left:0;top:0;width:100%;height:100%;z-index:1;',
    );
    expect(layout.tile('bigsmall', streams, 0, 'anchor', 'player-1', 0, null, SMALL)).toBe(
      'left:2%;top:78%;width:23%;height:20%;z-index:2;',
    );
    expect(layout.tile('bigsmall', streams, 3, 'anchor', 'player-1', 0, null, SMALL)).toBe(
      'left:26.5%;top:78%;width:23%;height:20%;z-index:2;',
    );
  });
  test('audience: the local view is parked at 1px, never display:none', () => {
    expect(layout.local('bigsmall', [tile('player-0')], 'audience', 'player-0', 0, null, SMALL)).toContain(
      'width:1px;height:1px',
    );
  });
});

describe('float', () => {
  test('local full screen, remotes stacked on the right from the bottom', () => {
    const streams = [tile('player-0'), tile('player-1')];
    expect(layout.local('float', streams, 'anchor', '', 0, null, SMALL)).toBe(
      'left:0;top:0;width:100%;height:100%;z-index:1;',
    );
    expect(layout.tile('float', streams, 0, 'anchor', '', 0, null, SMALL)).toBe(
      'left:67%;top:74%;width:30%;height:22%;z-index:2;',
    );
    expect(layout.tile('float', streams, 1, 'anchor', '', 0, null, SMALL)).toBe(
      'left:67%;top:50%;width:30%;height:22%;z-index:2;',
    );
  });
  test('audience: the first remote takes the room', () => {
    const streams = [tile('player-0'), tile('player-1')];
    expect(layout.tile('float', streams, 0, 'audience', '', 0, null, SMALL)).toBe(
      'left:0;top:0;width:100%;height:100%;z-index:1;',
    );
    expect(layout.tile('float', streams, 1, 'audience', '', 0, null, SMALL)).toBe(
      'left:67%;top:74%;width:30%;height:22%;z-index:2;',
    );
  });
});

describe('grid', () => {
  const streams = [tile('player-0'), free(1), tile('player-2'), tile('player-3'), tile('player-4')];
  test('2x2 cells, local first; the fourth remote opens page 2', () => {
    expect(layout.local('grid', streams, 'anchor', '', 0, null, SMALL)).toBe(
      'left:0%;top:0%;width:50%;height:50%;z-index:1;',
    );
    expect(layout.tile('grid', streams, 0, 'anchor', '', 0, null, SMALL)).toBe(
      'left:50%;top:0%;width:50%;height:50%;z-index:1;',
    );
    expect(layout.tile('grid', streams, 2, 'anchor', '', 0, null, SMALL)).toBe(
      'left:0%;top:50%;width:50%;height:50%;z-index:1;',
    );
    expect(layout.tile('grid', streams, 4, 'anchor', '', 0, null, SMALL)).toBe(
      'left:100%;top:0%;width:50%;height:50%;z-index:1;',
    );
  });
  test('on page 2 the first page slides out to the left', () => {
    expect(layout.local('grid', streams, 'anchor', '', 1, null, SMALL)).toBe(
      'left:-100%;top:0%;width:50%;height:50%;z-index:1;',
    );
    expect(layout.tile('grid', streams, 4, 'anchor', '', 1, null, SMALL)).toBe(
      'left:0%;top:0%;width:50%;height:50%;z-index:1;',
    );
  });
});

describe('custom', () => {
  const custom = { local: { left: 0, top: 0, width: 100, height: 120 }, fallback: false };
  const placed = (id: string, userID: string, rect: unknown, streamType = 'main') => ({
    ...tile(id, userID, streamType),
    rect,
  });
  test('rectangles the controller looked up (item.rect), numbers in px; a tile without one is parked', () => {
    const streams = [
      placed('player-0', 'a', { left: '50%', top: '10vw', width: '50%', height: 200, zIndex: 3 }),
      tile('player-1', 'b'),
    ];
    expect(layout.local('custom', streams, 'anchor', '', 0, custom, SMALL)).toBe(
      'left:0px;top:0px;width:100px;height:120px;z-index:1;',
    );
    expect(layout.tile('custom', streams, 0, 'anchor', '', 0, custom, SMALL)).toBe(
      'left:50%;top:10vw;width:50%;height:200px;z-index:3;',
    );
    expect(layout.tile('custom', streams, 1, 'anchor', '', 0, custom, SMALL)).toContain(
      'width:1px;height:1px',
    );
  });
  test('a screen share is placed by its own rectangle', () => {
    const streams = [placed('player-0', 'a', { left: 1, top: 2, width: 3, height: 4 }, 'aux')];
    expect(layout.tile('custom', streams, 0, 'anchor', '', 0, custom, SMALL)).toBe(
      'left:1px;top:2px;width:3px;height:4px;z-index:1;',
    );
  });
  test('without customRects: an even grid that fits every view (local first)', () => {
    const fallback = { local: null, fallback: true };
    const streams = [tile('player-0', 'a'), tile('player-1', 'constructor'), tile('player-2', '__proto__')];
    expect(layout.local('custom', streams, 'anchor', '', 0, fallback, SMALL)).toBe(
      'left:0%;top:0%;width:50%;height:50%;z-index:1;',
    );
    expect(layout.tile('custom', streams, 2, 'anchor', '', 0, fallback, SMALL)).toBe(
      'left:50%;top:50%;width:50%;height:50%;z-index:1;',
    );
  });
});

test('an unknown template falls back to bigsmall placement instead of breaking the view', () => {
  expect(layout.local('mosaic', [], 'anchor', '', 0, null, SMALL)).toBe(
    'left:0;top:0;width:100%;height:100%;z-index:1;',
  );
});
