/** @jest-environment node */
/** The build's markup check: the official wcc/wcsc reject broken files and name file:line. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { validateMarkupFiles } from '../build/validate';

let dir: string;

function write(files: Record<string, string>): string[] {
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return Object.keys(files);
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-markup-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('valid WXML (with a WXS module) and WXSS pass', () => {
  const files = write({
    'a/ok.wxml':
      '<wxs src="../m.wxs" module="m" />\n<view wx:for="{{list}}" wx:key="id">{{m.f(item)}}</view>\n',
    'm.wxs': 'function f(x) { return x.id; }\nmodule.exports = { f: f };\n',
    'a/ok.wxss': '.a { color: red; }\n',
  });
  expect(validateMarkupFiles(dir, files)).toEqual([]);
});

test('a WXML syntax error fails with file:line', () => {
  const files = write({ 'bad/expr.wxml': '<view wx:for="{{list}}">{{item.name}</view>\n' });
  expect(validateMarkupFiles(dir, files)).toEqual([expect.stringMatching(/^bad\/expr\.wxml:\d+:\d+: /)]);
});

test('an unclosed tag and a broken WXS module are reported, one line each', () => {
  const files = write({
    'x/unclosed.wxml': '<view>\n  <live-pusher url="{{u}}">\n</view>\n',
    'x/uses.wxml': '<wxs src="./broken.wxs" module="b" />\n<view>{{b.x}}</view>\n',
    'x/broken.wxs': 'var a = ;\nmodule.exports = {};\n',
  });
  const problems = validateMarkupFiles(dir, files);
  expect(problems).toHaveLength(2);
  expect(problems.join('\n')).toMatch(/x\/unclosed\.wxml:\d+:\d+/);
  expect(problems.join('\n')).toMatch(/x\/broken\.wxs:1:\d+/);
});

test('a WXSS syntax error fails with the file', () => {
  const files = write({ 's/junk.wxss': '.a {\n  color: red;\n  { }\n' });
  expect(validateMarkupFiles(dir, files)).toEqual([expect.stringContaining('s/junk.wxss')]);
});

test("the project's own markup passes", () => {
  const root = path.resolve(__dirname, '..');
  const files = ['components', 'templates', 'pages'].flatMap((d) =>
    (fs.readdirSync(path.join(root, d), { recursive: true }) as string[])
      .map((f) => path.join(d, f))
      .filter((f) => /\.(wxml|wxss|wxs)$/.test(f)),
  );
  expect(files.length).toBeGreaterThan(10);
  expect(validateMarkupFiles(root, files)).toEqual([]);
});

test('a WXS module wcc accepts but translates into JavaScript that does not parse is reported', () => {
  // wcc exits 0 on this and prints `for(var nv_a = 0;var nv_b = 0;…)`
  const files = write({
    'w/uses.wxml': '<wxs src="./loop.wxs" module="l" />\n<view>{{l.sum(3)}}</view>\n',
    'w/loop.wxs':
      'function sum(n) {\n  for (var a = 0, b = 0; a < n; a++) b += a;\n  return b;\n}\nmodule.exports = { sum: sum };\n',
    'w/ok.wxs':
      'function sum(n) {\n  var b = 0;\n  for (var a = 0; a < n; a++) b += a;\n  return b;\n}\nmodule.exports = { sum: sum };\n',
  });
  expect(validateMarkupFiles(dir, files)).toEqual([
    expect.stringMatching(/^w\/loop\.wxs: wcc translates it into JavaScript that does not parse/),
  ]);
});
