/** @jest-environment node */
/**
 * What the build ships (build/bundle.ts): per platform one minified component bundle plus the few modules
 * that must stay separate (chat, its hook slot, the zh-CN catalog, the rarely used commands); nothing of the other platform; chat only
 * through registerChat; WXS reprinted without merged `var`s. Runs on dist/ (`npm test` builds first).
 */
import * as fs from 'fs';
import * as path from 'path';
import { build } from 'esbuild';
import * as os from 'os';
import { compress, internalNames, minifyWxml, minifyWxs, SHARED_MODULES } from '../build/bundle';
import { measureModules } from '../bench/size';
import { distRoot } from './helpers/dist';

const ROOT = path.resolve(__dirname, '..');

const COMPONENT_FILES = {
  wx: [
    'chat-hooks.js',
    'chat.js',
    'extras.js',
    'index.js',
    'index.json',
    'index.wxml',
    'index.wxss',
    'lang-en.js',
    'lang-zh.js',
  ],
  tt: [
    'chat-hooks.js',
    'chat.js',
    'extras.js',
    'index.js',
    'index.json',
    'index.ttml',
    'index.ttss',
    'lang-en.js',
    'lang-zh.js',
  ],
};

const read = (platform: 'wx' | 'tt', rel: string) =>
  fs.readFileSync(path.join(distRoot(platform), rel), 'utf8');

describe.each(['wx', 'tt'] as const)('dist/%s', (platform) => {
  const other = platform === 'wx' ? 'tt' : 'wx';

  test('the component is one bundle plus its separately loaded entries; no utils/ tree, no types-only module', () => {
    const dist = distRoot(platform);
    expect(fs.readdirSync(path.join(dist, 'components/webrtc-room')).sort()).toEqual(
      COMPONENT_FILES[platform],
    );
    expect(fs.existsSync(path.join(dist, 'utils'))).toBe(false);
    for (const shared of Object.values(SHARED_MODULES))
      expect(fs.existsSync(path.join(dist, shared))).toBe(true);
  });

  test('minified: no comments, no indentation, ES2017 at most (no ?. or ??), utf-8 text kept', () => {
    const index = read(platform, 'components/webrtc-room/index.js');
    expect(index.split('\n').length).toBeLessThan(5);
    expect(index).not.toMatch(/\/\*\*|^\s{2,}\S/m);
    expect(index).not.toMatch(/\?\.[A-Za-z_$[(]|\?\?/);
    expect(read(platform, 'components/webrtc-room/lang-zh.js')).toContain('正在进入房间');
  });

  test(`nothing of the ${other} platform ships`, () => {
    const index = read(platform, 'components/webrtc-room/index.js');
    // calls, not message texts (the shared English catalog names both platforms' APIs)
    const wxOnly = /wx\.createLivePusherContext\b/;
    const ttOnly = /typeof tt\.createRtcRoomContext\b|\.joinRtcRoom\(\{/;
    expect(index).toMatch(platform === 'wx' ? wxOnly : ttOnly);
    expect(wxOnly.test(index) && ttOnly.test(index)).toBe(false);
  });

  test(`the black-screen watchdog (utils/room/first-frame) ${platform === 'wx' ? 'ships' : 'does not ship'}`, async () => {
    const index = read(platform, 'components/webrtc-room/index.js');
    // FirstFrames.rendered(base, sig) as terser prints a method; media.ts only calls it
    const defined = /[};]rendered\([\w$]+,[\w$]+\)\{/.test(index);
    // nor its glue (utils/room/first-frame FrameWatch, reached through the adapter): its warnings' message keys
    // (the catalogs are lang-*.js) and the windows it syncs from the tiles
    const glue = /warn\.black\.|\.sync\([\w$]+,[\w$]+,/.test(index);
    const modules = (await measureModules(ROOT, platform)).map((m) => m.module);
    expect({ defined, glue, bundled: modules.includes('utils/room/first-frame') }).toEqual({
      defined: platform === 'wx',
      glue: platform === 'wx',
      bundled: platform === 'wx',
    });
  });

  test('chat code is only in chat.js; the zh-CN catalog only in lang-zh.js; both stay `require`s', () => {
    const index = read(platform, 'components/webrtc-room/index.js');
    const chat = read(platform, 'components/webrtc-room/chat.js');
    for (const marker of ['joinGroup', 'quitGroup', 'createTextMessage']) {
      expect(index).not.toContain(marker);
      expect(chat).toContain(marker);
    }
    expect(index).not.toContain('正在进入房间');
    // the English messages too (lang-en.js); the overlay texts stay
    expect(index).not.toContain('must be one of');
    expect(index).toContain('Waiting for others to join');
    expect(index).toContain('require("./lang-en.js")');
    expect(index).toContain('require("./lang-zh.js")');
    expect(index).toContain('require("./chat-hooks.js")');
    expect(chat).toContain('require("./chat-hooks.js")');
    expect(index).not.toContain('require("./chat.js")');
  });

  test('BGM, SEI, snapshot, capabilities and preflight are only in extras.js, which carries no texts or errors', () => {
    const index = read(platform, 'components/webrtc-room/index.js');
    const extras = read(platform, 'components/webrtc-room/extras.js');
    expect(index).toContain('require("./extras.js")');
    for (const marker of ['bgm_error', 'LivePusherContext.playBGM', 'LivePusherContext.sendMessage']) {
      expect(index).not.toContain(marker);
      expect(extras).toContain(marker);
    }
    // the catalog, the error class and validation stay once, in index.js
    for (const text of ['Joining', 'must be one of', 'toEvent', 'require("./', '"param.required":'])
      expect(extras).not.toContain(text);
    expect(extras.length).toBeLessThan(5000);
  });

  test('the separate files export plain values: one module.exports object, no ES-module wrapper', () => {
    for (const shared of Object.values(SHARED_MODULES)) {
      const text = read(platform, shared);
      expect({ shared, wrapper: /__esModule|getOwnPropertyNames/.test(text) }).toEqual({
        shared,
        wrapper: false,
      });
      const names = /0&&\(module\.exports=\{([\w$,]+)\}\);\n$/.exec(text)?.[1].split(',');
      expect(names?.length).toBeGreaterThan(0);
      const mod = { exports: {} as Record<string, unknown> };
      // a file may require another separate one (chat.js its hook slot), nothing else
      const siblings = Object.values(SHARED_MODULES).map((f) => `./${path.basename(f)}`);
      const req = (p: string) => {
        if (!siblings.includes(p)) throw new Error(`${shared} required ${p}`);
        return {};
      };
      new Function('module', 'exports', 'require', text)(mod, mod.exports, req);
      expect(Object.keys(mod.exports).sort()).toEqual([...(names ?? [])].sort());
      for (const n of names ?? []) expect({ n, value: mod.exports[n] }).not.toEqual({ n, value: undefined });
    }
  });

  test('WXS keeps every `var` statement of its source (no merged declarations) and is ES5', () => {
    const dist = distRoot(platform);
    const ext = platform === 'wx' ? '.wxs' : '.sjs';
    const sources = (fs.readdirSync(path.join(ROOT, 'templates'), { recursive: true }) as string[]).filter(
      (f) => f.endsWith('.wxs'),
    );
    expect(sources.length).toBeGreaterThan(3);
    for (const f of sources) {
      const src = fs.readFileSync(path.join(ROOT, 'templates', f), 'utf8').replace(/\/\/.*$/gm, '');
      const out = fs.readFileSync(path.join(dist, 'templates', f.replace(/\.wxs$/, ext)), 'utf8');
      const vars = (s: string) => (s.match(/\bvar\s/g) ?? []).length;
      const commas = (s: string) => (s.match(/\bvar\s+[\w$]+\s*=[^;]*?,\s*[\w$]+\s*=/g) ?? []).length;
      expect({ f, vars: vars(out), merged: commas(out) }).toEqual({
        f,
        vars: vars(src),
        merged: commas(src),
      });
      expect(out).not.toMatch(/\b(let|const)\s|=>|`/);
      expect(out.length).toBeLessThan(src.length);
    }
  });
});

test('the component sources never import the chat code (only registerChat loads it)', async () => {
  const r = await build({
    entryPoints: [path.join(ROOT, 'components/webrtc-room/index.ts')],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'neutral',
    logLevel: 'silent',
    plugins: [
      {
        name: 'shared-external',
        setup(b) {
          b.onResolve({ filter: /chat-hooks$|lang-zh$/ }, (a) => ({ path: a.path, external: true }));
        },
      },
    ],
  });
  const inputs = Object.keys(r.metafile.inputs).map((f) => f.replace(/\\/g, '/'));
  expect(inputs.some((f) => f.endsWith('components/webrtc-room/index.ts'))).toBe(true);
  const chatCode = inputs.filter((f) =>
    /components\/webrtc-room\/chat(-behavior)?\.ts$|utils\/chat\/(session|hub|credentials)\.ts$/.test(f),
  );
  expect(chatCode).toEqual([]);
});

test('markup minifiers: comments and inter-tag whitespace go; WXS statements are reprinted as they were', () => {
  expect(minifyWxml('<!-- a -->\n<view>\n  <text>{{ a }}</text>\n</view>\n')).toBe(
    '<view><text>{{ a }}</text></view>',
  );
  const wxs = minifyWxs(
    '// c\nfunction f(n) {\n  var a = 0;\n  var b = 1; /* x */\n  for (var i = 0, j = n; i < j; i++) a += i;\n  return { a: a, b: b };\n}\nmodule.exports = { f: f };\n',
  );
  expect(wxs.trim()).toBe(
    'function f(n){var a=0;var b=1;for(var i=0,j=n;i<j;i++)a+=i;return{a:a,b:b}}module.exports={f:f};',
  );
});

test('terser pass: top-level names shorten; properties, require strings, UTF-8 and ES2017 syntax stay', async () => {
  const src =
    '"use strict";var longHelperName=function(value){return value.playerContext+"…"};' +
    'var lang=function(){return require("./lang-en.js")};' +
    'class Room{constructor(){this.publicField=1}async run(x){return await x}}' +
    'module.exports={Room,longHelperName,lang};';
  const out = await compress(src);
  expect(out.endsWith(';\n')).toBe(true);
  expect(out).toContain('"use strict"');
  expect(out).not.toContain('longHelperName=');
  for (const kept of ['.playerContext', '"…"', 'require("./lang-en.js")', 'publicField', 'async ', 'await '])
    expect(out).toContain(kept);
  // the export names survive (they are properties) and the result still runs
  const mod: { exports: Record<string, unknown> } = { exports: {} };
  new Function('module', 'require', out)(mod, (p: string) => ({ p }));
  expect(Object.keys(mod.exports).sort()).toEqual(['Room', 'lang', 'longHelperName']);
  expect((mod.exports.longHelperName as (v: object) => string)({ playerContext: 'x' })).toBe('x…');
  expect((mod.exports.lang as () => unknown)()).toEqual({ p: './lang-en.js' });
});

test.each(['wx', 'tt'] as const)(
  'dist/%s: class fields are constructor assignments (tsc semantics for ES2017), not a helper call each',
  (platform) => {
    const index = read(platform, 'components/webrtc-room/index.js');
    // utils/core/events.ts: `readonly tag = 'error'` on the room's error class
    expect(index).toContain('this.tag="error"');
    expect(index).not.toMatch(/\(this,"tag","error"\)/);
  },
);

describe('internal member names (shortened in every bundle)', () => {
  function tree(files: Record<string, string>): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-names-'));
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    return root;
  }

  test('only private/protected members that every mention reaches as this.x or super.x', () => {
    const root = tree({
      'utils/a.ts': [
        'export class A {',
        '  constructor(',
        '    private readonly param: number,',
        '    protected lastParam: number',
        '  ) {}',
        '  private kept = 1;',
        '  protected alsoKept(): void {}',
        '  private asKey = 0;',
        '  private inString = 0;',
        '  private inMarkup = 0;',
        '  private bare = 0;',
        '  private other = 0;',
        '  protected shorthand = 0;',
        '  publicOne = 0;',
        '  run(o: { other: number }): unknown {',
        '    this.alsoKept();',
        '    const bare = this.bare;',
        '    const shorthand = 1;',
        '    // a comment naming kept: asKey is no mention',
        "    return [this.kept, { asKey: this.asKey }, 'streams[0].inString', o.other, { shorthand }, bare];",
        '  }',
        '}',
        'export class B extends A {',
        '  protected override alsoKept(): void {',
        '    super.alsoKept();',
        '  }',
        '}',
      ].join('\n'),
      'templates/t.wxml': '<view>{{item.inMarkup}}</view>',
    });
    const table = internalNames(root);
    fs.rmSync(root, { recursive: true, force: true });
    expect(Object.keys(table).sort()).toEqual(['alsoKept', 'kept']);
    // the most used first, each its own short name
    expect(table).toEqual({ alsoKept: '$0', kept: '$1' });
  });

  test.each(['wx', 'tt'] as const)(
    'dist/%s: no public, native, template or event name is shortened',
    (platform) => {
      const table = internalNames(path.resolve(__dirname, '..'));
      for (const name of [
        'start',
        'stop',
        'updateUserSig',
        'phase',
        'pusher',
        'streams',
        'devicePosition',
        'detail',
      ]) {
        expect({ name, shortened: name in table }).toEqual({ name, shortened: false });
      }
      expect(table.queueData).toMatch(/^\$/);
      const index = fs.readFileSync(path.join(distRoot(platform), 'components/webrtc-room/index.js'), 'utf8');
      expect(index).not.toContain('.queueData(');
      expect(index).toContain(`.${table.queueData}(`);
    },
  );
});
