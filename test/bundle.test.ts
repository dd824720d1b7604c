/** @jest-environment node */
/**
 * What the build ships (build/bundle.ts): per platform one minified component bundle plus the few modules
 * that must stay separate (chat, its hook slot, the zh-CN catalog, the rarely used commands); nothing of the other platform; chat only
 * through registerChat; WXS with its local names shortened and nothing else changed (it computes the same,
 * also as wcc translates it). Runs on dist/ (`npm test` builds first).
 */
import * as fs from 'fs';
import * as path from 'path';
import { build } from 'esbuild';
import * as os from 'os';
import {
  bundleOptions,
  compress,
  esmEntries,
  internalNames,
  minifyWxml,
  minifyWxs,
  SHARED_MODULES,
} from '../build/bundle';
import { measureModules } from '../bench/size';
import { distRoot } from './helpers/dist';
import { loadWccModules, loadWxs } from './helpers/wxs';

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

/** Every WXS module under templates/, relative to it. */
const wxsSources = () =>
  (fs.readdirSync(path.join(ROOT, 'templates'), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.wxs'))
    .map((f) => f.replace(/\\/g, '/'))
    .sort();

/** Representative calls of every WXS export: [module (templates/, no extension), export, arguments]. */
function wxsCalls(): Array<[string, string, unknown[]]> {
  const calls: Array<[string, string, unknown[]]> = [];
  const rect = { left: 10, top: '5%', width: 100, height: '30vw', zIndex: 4 };
  const customs = [
    null,
    { local: null, fallback: true },
    { local: rect, fallback: false },
    { local: null, fallback: false },
  ];
  for (const template of ['bigsmall', 'float', 'grid', 'custom', 'nope'])
    for (const count of [0, 1, 5, 9])
      for (const holes of [[], [1, 4]])
        for (const mainRank of [-1, 0, 2])
          for (const role of ['anchor', 'audience'])
            for (const gridPage of [0, 1])
              for (const custom of customs) {
                calls.push([
                  'registry',
                  'styles',
                  [template, count, holes, mainRank, role, gridPage, custom],
                ]);
                calls.push(['registry', 'local', [template, count, mainRank, role, gridPage, custom, '']]);
              }
  calls.push(['registry', 'local', ['bigsmall', 2, 0, 'anchor', 0, null, '10%,20%,30%,40%']]);
  const ctxs = [
    {
      count: 0,
      audience: false,
      mainRank: -1,
      gridPage: 0,
      custom: customs[1],
      small: { left: '1%', top: '2%', width: '3%', height: '4%' },
    },
    {
      count: 3,
      audience: false,
      mainRank: 1,
      gridPage: 1,
      custom: customs[2],
      small: { left: '66%', top: '4%', width: '30%', height: '30%' },
    },
    {
      count: 6,
      audience: true,
      mainRank: 0,
      gridPage: 0,
      custom: customs[3],
      small: { left: '66%', top: '4%', width: '30%', height: '30%' },
    },
  ];
  for (const layout of ['bigsmall', 'float', 'grid', 'custom'])
    for (const ctx of ctxs) {
      calls.push([`${layout}/${layout}`, 'local', [ctx]]);
      for (const rank of [0, 1, 2, 5]) calls.push([`${layout}/${layout}`, 'tile', [ctx, rank]]);
    }
  calls.push(['style', 'box', ['1px', '2%', 3, '4vw', 5]], ['style', 'parked', []], ['style', 'full', [7]]);
  for (const v of [12, 0, '30%', '']) calls.push(['style', 'unit', [v]]);
  const states = ['entering,waiting,reconnecting,ended,speaking,muted', 'waiting', '', 'cameraOff,weak'];
  for (const st of states) {
    calls.push(['state', 'flags', [st]]);
    for (const name of ['entering', 'waiting', 'muted', 'x']) calls.push(['state', 'on', [st, name]]);
    for (const phase of ['entering', 'reconnecting', 'in_room', 'idle', 'left'])
      for (const tiles of [0, 2])
        for (const reason of ['kicked', '']) calls.push(['state', 'banner', [st, phase, tiles, reason]]);
  }
  for (const id of ['alice_w', 'bob', '张三', '', 'x-y-z', '__', 'a', '9lives', undefined])
    calls.push(['state', 'initials', [id]]);
  for (const name of ['entering', 'reconnecting', 'waiting', '']) calls.push(['state', 'spinning', [name]]);
  return calls;
}

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
    // nor the room's wiring of it (utils/room/media.ts, a `wechat:` block): the adapter seam and its FrameRoom
    const wiring = /\.firstFrames\b|restarted:/.test(index);
    const modules = (await measureModules(ROOT, platform)).map((m) => m.module);
    expect({ defined, glue, wiring, bundled: modules.includes('utils/room/first-frame') }).toEqual({
      defined: platform === 'wx',
      glue: platform === 'wx',
      wiring: platform === 'wx',
      bundled: platform === 'wx',
    });
  });

  test(`the live-player state handling (media.ts onPlayerState, a \`wechat:\` block) ${platform === 'wx' ? 'ships' : 'does not ship'}`, () => {
    const index = read(platform, 'components/webrtc-room/index.js');
    // its test of the two codes it handles (2003 first frame, -2301 player failed)
    expect(/2003!==[\w$]+&&-2301!==/.test(index)).toBe(platform === 'wx');
  });

  test(`the retry of an entry refused for an old UserSig (utils/room/wx-room) ${platform === 'wx' ? 'ships' : 'does not ship'}`, async () => {
    const index = read(platform, 'components/webrtc-room/index.js');
    // its test of a failure's rawCode against TRTC's UserSig refusal (-100018), which the WeChat parser (a
    // statechange code) names too; Douyin's code never meets it
    const retry = /-100018[!=]==[\w$]+\.detail\.rawCode|\.detail\.rawCode[!=]==-100018/.test(index);
    const named = /-100018\b/.test(index);
    const modules = (await measureModules(ROOT, platform)).map((m) => m.module);
    expect({ retry, named, bundled: modules.includes('utils/room/wx-room') }).toEqual({
      retry: platform === 'wx',
      named: platform === 'wx',
      bundled: platform === 'wx',
    });
  });

  test(`the WeChat-only adapter events (controller.ts, a \`wechat:\` switch; recovery.ts onSuspended) ${platform === 'wx' ? 'ship' : 'do not ship'}`, () => {
    const index = read(platform, 'components/webrtc-room/index.js');
    const names = internalNames(ROOT);
    const shipped = {
      // 5001: its warning's message key (the catalogs are lang-*.js)
      floating: index.includes('"warn.floating"'),
      bgm: index.includes('"bgm_progress"'),
      pip: index.includes('"pip_enter"'),
      playerState: /case"player_state":/.test(index),
      // 5000 in the room: the re-entry it announces (the session's own checks of that reason stay)
      suspended: index.includes(`.${names.announceReentry}("suspended"`),
      // the failed native leave (not the adapter's own report of it, {type:"release_failed",…})
      releaseFailed: /"release_failed"[!=]==[\w$]+\.type/.test(index),
      // SEI messages and audio levels, and the check that their user is still in the room
      message: /case"message":/.test(index),
      audioVolume: /case"audio_volume":/.test(index),
      userReports: /"audio_volume"(?:[!=]==[\w$]+\.type|,"message")/.test(index),
      // session.ts: TRTC's removal codes (onExitRoom 1, 2)
      kickCodes: /\bwx1\b/.test(index),
      // the pusher's and players' netstatus (controller.ts, media.ts onNetStatus) and the rebuild of a player
      // that stays down (media.ts countDown)
      netStatus: index.includes('"net_status"'),
      downRebuild: index.includes('"warn.player.rebuild"'),
      // recovery.ts onReleaseFailed: the failed leave told to a visible page
      releaseFailedBody: index.includes(`this.hidden||this.${names.raise}(`),
    };
    const all = platform === 'wx';
    expect(shipped).toEqual({
      floating: all,
      bgm: all,
      pip: all,
      playerState: all,
      suspended: all,
      releaseFailed: all,
      message: all,
      audioVolume: all,
      userReports: all,
      kickCodes: all,
      netStatus: all,
      downRebuild: all,
      releaseFailedBody: all,
    });
    // reported by neither adapter: on neither platform
    expect(index).not.toContain('connection_recovered');
  });

  test(`the watchdog's field and calls and the failed-away rebuilds in media.ts (\`wechat:\` blocks) ${platform === 'wx' ? 'ship' : 'do not ship'}`, () => {
    const index = read(platform, 'components/webrtc-room/index.js');
    const names = internalNames(ROOT);
    const shipped = {
      // RoomMedia.frames (FrameWatch): set in the constructor, read by watchFrames and teardown
      field: index.includes(`this.${names.frames}`),
      watch: index.includes('.watch()'),
      // on show and on entry: the players that failed while the room was away (onPlayerState) are rebuilt
      failedAway: index.includes('.rebuildFailedAway()'),
    };
    const all = platform === 'wx';
    expect(shipped).toEqual({ field: all, watch: all, failedAway: all });
    // a failed player takes the bounded rebuild of a stream that stays down (RoomView.streamDown)
    expect(index).not.toMatch(/[.}]playerFailed\(/);
  });

  test(`the Douyin-only adapter events, token renewal and speakers list (controller.ts, media.ts: \`douyin:\` statements) ${platform === 'tt' ? 'ship' : 'do not ship'}`, () => {
    const index = read(platform, 'components/webrtc-room/index.js');
    const names = internalNames(ROOT);
    const shipped = {
      // the capture calls' prompts, then the join: the enter timeout (onEnterProgress)
      enterProgress: /case"enter_sent":/.test(index) || /case"enter_asking":/.test(index),
      tokenWillExpire: /case"token_will_expire":/.test(index),
      credentialReentry: /case"credential_reentry":/.test(index),
      // updateUserSig() outside the room: the next join's token
      renewToken: /\.renewToken\b/.test(index),
      // media.ts: Douyin's speakers list is who speaks now
      speakers: /"speakers"[!=]==[\w$]+\.list/.test(index),
      // session.ts onEnterProgress: a prompt before the join holds the enter timeout
      enterProgressBody: new RegExp(
        `"entering"===this\\.phase&&this\\.${names.clearTimer.replace(/\$/g, '\\$')}\\("enterTimer"\\)`,
      ).test(index),
      // session.ts: Volcengine's removal codes (-1006, -1011, -1004)
      kickCodes: index.includes('"tt-1006"'),
      // updateUserSig(): a destroyed engine (-13) ends the session
      engineDestroyed: /\.code===[\w$]+&&"in_room"===this\.phase[)?]/.test(index),
      // any check of a destroyed engine's code (-13, inlined or bound to a name), e.g. session.ts onError and
      // endsSession: no WeChat failure maps to it
      engineDestroyedChecks: ((code) =>
        new RegExp(`\\.code[!=]==${code}(?![\\w$])|(?<![\\w$])${code}[!=]==[\\w$]+\\.code`).test(index))(
        `(?:-13|${(/[,\s]([\w$]+)=-13[,;]/.exec(index)?.[1] ?? '-13').replace(/\$/g, '\\$')})`,
      ),
    };
    const all = platform === 'tt';
    expect(shipped).toEqual({
      enterProgress: all,
      tokenWillExpire: all,
      credentialReentry: all,
      renewToken: all,
      speakers: all,
      enterProgressBody: all,
      kickCodes: all,
      engineDestroyed: all,
      engineDestroyedChecks: all,
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

  test('the separate files export plain values: one module.exports object, no ES-module wrapper', async () => {
    const esm = esmEntries(ROOT);
    // the documented imports (package.json `exports`) are the files Node's ES-module import can reach
    expect([...esm].sort()).toEqual(['components/webrtc-room/chat.js', 'index.js']);
    for (const [entry, shared] of Object.entries(SHARED_MODULES)) {
      const text = read(platform, shared);
      expect({ shared, wrapper: /__esModule|getOwnPropertyNames/.test(text) }).toEqual({
        shared,
        wrapper: false,
      });
      // what the source module exports, as an ES-module build of it lists the names
      const built = await build({
        ...bundleOptions(ROOT, entry, shared, platform),
        format: 'esm',
        metafile: true,
        outdir: path.join(os.tmpdir(), 'wr-exports'),
      });
      const names = Object.values(built.metafile.outputs).flatMap((o) => o.exports);
      expect(names.length).toBeGreaterThan(0);
      // the export annotation (names for Node's ES-module import) only where such an import is possible
      const annotated = /0&&\(module\.exports=\{([\w$,]+)\}\);\n$/.exec(text)?.[1].split(',').sort() ?? null;
      expect({ shared, annotated }).toEqual({
        shared,
        annotated: esm.has(shared) ? [...names].sort() : null,
      });
      const mod = { exports: {} as Record<string, unknown> };
      // a file may require another separate one (chat.js its hook slot), nothing else
      const siblings = Object.values(SHARED_MODULES).map((f) => `./${path.basename(f)}`);
      const req = (p: string) => {
        if (!siblings.includes(p)) throw new Error(`${shared} required ${p}`);
        return {};
      };
      new Function('module', 'exports', 'require', text)(mod, mod.exports, req);
      expect({ shared, exports: Object.keys(mod.exports).sort() }).toEqual({
        shared,
        exports: [...names].sort(),
      });
      for (const n of names) expect({ n, value: mod.exports[n] }).not.toEqual({ n, value: undefined });
    }
  });

  test('WXS: only local names change; every `var` statement, top-level name, property and free name stays', () => {
    const dist = distRoot(platform);
    const ext = platform === 'wx' ? '.wxs' : '.sjs';
    const sources = wxsSources();
    expect(sources.length).toBeGreaterThan(3);
    // string literals blanked (require paths differ per platform), comments gone
    const code = (s: string) => s.replace(/\/\/.*$/gm, '').replace(/'[^']*'|"[^"]*"/g, '""');
    const all = (s: string, re: RegExp) => [...code(s).matchAll(re)].map((m) => m[1]).sort();
    const props = /\.([A-Za-z_$][\w$]*)/g;
    const keys = /[{,]\s*([A-Za-z_$][\w$]*)\s*:/g;
    const free = /(?<![\w$.])(require|module|getRegExp|getDate|Math|Number|JSON|console)(?![\w$])/g;
    const vars = /\b(var)\s/g;
    const merged = /\b(var\s+[\w$]+\s*=[^;]*?,\s*[\w$]+\s*=)/g;
    let renamed = 0;
    for (const f of sources) {
      const src = fs.readFileSync(path.join(ROOT, 'templates', f), 'utf8');
      const out = fs.readFileSync(path.join(dist, 'templates', f.replace(/\.wxs$/, ext)), 'utf8');
      for (const re of [props, keys, free, vars, merged])
        expect({ f, re, got: all(out, re) }).toEqual({ f, re, got: all(src, re) });
      // the top level: the same names, functions of the same names and arities
      const [a, b] = [
        loadWxs(path.join(ROOT, 'templates', f)),
        loadWxs(path.join(dist, 'templates', f.replace(/\.wxs$/, ext))),
      ];
      const shape = (m: Record<string, unknown>) =>
        Object.entries(m).map(([k, v]) => [
          k,
          typeof v,
          (v as { name?: string }).name,
          (v as unknown[]).length,
        ]);
      expect({ f, exports: shape(b) }).toEqual({ f, exports: shape(a) });
      expect(out).not.toMatch(/\b(let|const)\s|=>|`/);
      expect(out.length).toBeLessThan(src.length);
      const params = (s: string) => all(s, /function\s*[\w$]*\s*\(([^)]*)\)/g).join('|');
      if (params(out) !== params(src)) renamed++;
    }
    // the layouts' parameters (ctx, rank, …) are shortened
    expect(renamed).toBeGreaterThan(3);
  });

  test('the minified WXS computes what its source computes (plain ES5, and on WeChat as wcc translates it)', () => {
    const dist = distRoot(platform);
    const ext = platform === 'wx' ? '.wxs' : '.sjs';
    const files = wxsSources();
    const calls = wxsCalls();
    // every export of every module is called
    const exported = files.flatMap((f) =>
      Object.keys(loadWxs(path.join(ROOT, 'templates', f))).map((n) => `${f.replace(/\.wxs$/, '')}.${n}`),
    );
    expect([...new Set(calls.map(([m, n]) => `${m}.${n}`))].sort()).toEqual(exported.sort());
    const run = (load: (stem: string) => Record<string, (...a: unknown[]) => unknown>) =>
      calls.map(([m, n, args]) => JSON.stringify(load(m)[n](...args)) ?? 'undefined');
    const fresh = (root: string, e: string) => {
      const cache = new Map();
      return (stem: string) => loadWxs(path.join(root, `${stem}${e}`), cache);
    };
    const expected = run(fresh(path.join(ROOT, 'templates'), '.wxs'));
    // the inputs tell the cases apart
    expect(new Set(expected).size).toBeGreaterThan(50);
    expect(run(fresh(path.join(dist, 'templates'), ext))).toEqual(expected);
    if (platform === 'wx') {
      const wcc = loadWccModules(
        dist,
        files.map((f) => `templates/${f}`),
      );
      expect(run((stem) => wcc[`templates/${stem}.wxs`])).toEqual(expected);
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

test('markup minifiers: comments and inter-tag whitespace go; WXS shortens local names only', () => {
  expect(minifyWxml('<!-- a -->\n<view>\n  <text>{{ a }}</text>\n</view>\n')).toBe(
    '<view><text>{{ a }}</text></view>',
  );
  const src = [
    '// c',
    "var s = require('./s.wxs');",
    "var shared = { key: '' };",
    'function f(n, opts) {',
    '  var total = 0;',
    '  var b = 1; /* x */',
    '  for (var i = 0; i < n; i++) total += i;',
    "  var re = getRegExp('x+');",
    '  function twice(v) { return v * 2; }',
    "  shared.key = 'k' + total;",
    "  return { count: total, b: twice(b), d: getDate(5).getTime(), m: Math.max(total, opts.limit), t: re.test('xx'), s: s.k(total) };",
    '}',
    'module.exports = { f: f, shared: shared };',
    '',
  ].join('\n');
  const wxs = minifyWxs(src);
  // parameters, `var`s and the inner function renamed; one `var` statement each as in the source, top-level
  // names (`s`, `shared`, `f`), properties and the free `require`/`getRegExp`/`getDate`/`Math` kept; ES5
  expect(wxs.trim()).toBe(
    'var s=require("./s.wxs");var shared={key:""};function f(r,a){var e=0;var n=1;for(var t=0;t<r;t++)e+=t;' +
      'var o=getRegExp("x+");function u(x){return x*2}shared.key="k"+e;return{count:e,b:u(n),' +
      'd:getDate(5).getTime(),m:Math.max(e,a.limit),t:o.test("xx"),s:s.k(e)}}module.exports={f:f,shared:shared};',
  );
  // and it computes the same
  const run = (code: string) => {
    const mod = { exports: {} as { f: (n: number, o: object) => unknown; shared: { key: string } } };
    new Function('module', 'require', 'getRegExp', 'getDate', code)(
      mod,
      () => ({ k: (x: number) => x + 1 }),
      (p: string) => new RegExp(p),
      (t: number) => new Date(t),
    );
    return [mod.exports.f(5, { limit: 20 }), mod.exports.f(8, { limit: 3 }), mod.exports.shared];
  };
  expect(run(wxs)).toEqual(run(src));
  expect(run(src)[0]).toEqual({ count: 10, b: 2, d: 5, m: 20, t: true, s: 11 });
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
