/**
 * What ships: per platform, one esbuild bundle per mini-program script (CommonJS, es2017, utf-8, minified).
 * A few modules stay separate files because their state or their cost must be shared or optional:
 *   - components/webrtc-room/chat.js   registerChat + the chat code (loaded only by an app that calls it)
 *   - components/webrtc-room/chat-hooks.js  the one slot chat.js installs itself into (shared by every bundle)
 *   - components/webrtc-room/lang-zh.js  the zh-CN catalog, required the first time a room speaks Chinese
 *   - components/webrtc-room/lang-en.js  the English messages (errors, warnings), required by the first one
 *   - components/webrtc-room/extras.js   BGM, SEI messages, snapshots, capabilities, preflight: required the
 *     first time a page calls one of them
 * Every import of one of these from another bundle stays a `require('./…')`; each of them ends in one plain
 * `module.exports = {…}` (`plainExports`). The files package.json exports (index.js, chat.js) end in an
 * annotation that lists their export names for Node's ES-module import (`esmEntries`); the others do not need
 * it. tsc only type-checks (gulpfile).
 * esbuild bundles and minifies; terser then compresses the result once more (three passes, only simple functions
 * inlined, top-level names renamed by use, function expressions without `this` as arrows), which esbuild's
 * single-pass minifier leaves on the table (about 5 % of the gzip size).
 * Class fields keep tsc's semantics for the ES2017 target (`useDefineForClassFields` off: an assignment in the
 * constructor, no `defineProperty` helper call per field), so the bundle runs the sources as the type checker
 * reads them.
 * Name overrides (`x.tt.ts` for `x.ts`) resolve per platform, so nothing of the other platform is bundled;
 * `wx.` page calls become `tt.` on Douyin through esbuild's `define` (free identifiers only); statements labelled
 * `wechat:` are dropped from the Douyin bundles and those labelled `douyin:` from the WeChat ones (esbuild
 * `dropLabels`, WECHAT_ONLY, DOUYIN_ONLY).
 * WXML/WXSS are minified; WXS loses whitespace and comments and its local names are shortened (parameters and
 * variables inside functions; no top-level or property name, no merged `var`s).
 */
import * as fs from 'fs';
import * as path from 'path';
import { build, transformSync, type BuildOptions, type Plugin } from 'esbuild';
import { minify } from 'terser';
import type { Platform } from './platforms';

/** Source module (no extension) → its file in dist, for the modules that stay separate. */
export const SHARED_MODULES: Readonly<Record<string, string>> = {
  'components/webrtc-room/chat': 'components/webrtc-room/chat.js',
  'components/webrtc-room/chat-hooks': 'components/webrtc-room/chat-hooks.js',
  'utils/core/lang-zh': 'components/webrtc-room/lang-zh.js',
  'utils/core/lang-en': 'components/webrtc-room/lang-en.js',
  'utils/room/extras': 'components/webrtc-room/extras.js',
};

/** The component entries (the rest of the mini-program's scripts are the demo's pages). */
export const COMPONENT_ENTRIES: readonly string[] = [
  'components/webrtc-room/index',
  ...Object.keys(SHARED_MODULES),
];

const EXTS = ['.ts', '.js'];

function resolveSource(root: string, absNoExt: string, platform: Platform): string | null {
  for (const ext of EXTS) {
    const specific = `${absNoExt}.${platform}${ext}`;
    if (fs.existsSync(specific)) return specific;
  }
  for (const ext of EXTS) {
    if (fs.existsSync(absNoExt + ext)) return absNoExt + ext;
  }
  const index = path.join(absNoExt, 'index');
  return absNoExt.startsWith(root) && fs.existsSync(index + '.ts') ? index + '.ts' : null;
}

function relModule(root: string, abs: string): string {
  return path
    .relative(root, abs)
    .replace(/\\/g, '/')
    .replace(/(\.(wx|tt))?\.(ts|js)$/, '');
}

/** Relative imports: platform overrides first; shared modules stay external `require`s. */
function resolverPlugin(root: string, platform: Platform, entryOut: string): Plugin {
  return {
    name: 'webrtc-room-resolve',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        const absNoExt = path.resolve(args.resolveDir, args.path.replace(/\.(ts|js)$/, ''));
        const file = resolveSource(root, absNoExt, platform);
        if (!file) return undefined;
        const mod = relModule(root, file);
        const shared = SHARED_MODULES[mod];
        if (shared && shared !== entryOut) {
          let rel = path.relative(path.dirname(entryOut), shared).replace(/\\/g, '/');
          if (!rel.startsWith('.')) rel = './' + rel;
          return { path: rel, external: true };
        }
        return { path: file };
      });
    },
  };
}

/** The shipped sources and everything that reads their objects by name (markup, the demo's pages). */
const NAME_SOURCES = ['utils', 'components', 'pages', 'templates'];
const DECLARED =
  /^\s*(?:private|protected)\s+(?:static\s+)?(?:readonly\s+)?(?:override\s+)?(?:abstract\s+)?(?:async\s+)?(?:get\s+|set\s+)?([A-Za-z_]\w*)/;
const STRINGS = /'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g;
const internalTables = new Map<string, Readonly<Record<string, string>>>();

/**
 * Internal member names, shortened in every bundle (esbuild `mangleProps`). A name qualifies when it is declared
 * `private` or `protected` in the shipped sources and every other mention of it, anywhere in them, their markup
 * and the pages (comments aside), is `this.name` or `super.name`: never a key, a string, a shorthand, a bare
 * identifier, another object's member or a markup binding, so no template, native API, SDK or page can read it;
 * constructor parameter properties keep their names (esbuild writes their assignment unmangled).
 * One table serves all bundles of a build (`$0`, `$1` …, the most used names first; no source property starts
 * with `$`).
 */
export function internalNames(root: string): Readonly<Record<string, string>> {
  const known = internalTables.get(root);
  if (known) return known;
  const lines: string[] = [];
  for (const dir of NAME_SOURCES) {
    const abs = path.join(root, dir);
    if (!fs.existsSync(abs)) continue;
    for (const f of fs.readdirSync(abs, { recursive: true }) as string[]) {
      if (!/\.(ts|js|wxml|wxs|json)$/.test(f)) continue;
      const text = fs
        .readFileSync(path.join(abs, f), 'utf8')
        .replace(/\/\*[\s\S]*?\*\/|(^|[^:'"`])\/\/[^\n]*/g, '$1');
      // a name inside a string (a setData path, a message key, a template literal) is a mention like any other
      lines.push(...text.replace(STRINGS, (q) => q.replace(/[A-Za-z_]\w*/g, (w) => ` ${w} `)).split('\n'));
    }
  }
  const declared = new Set(lines.map((l) => DECLARED.exec(l)?.[1]).filter((n): n is string => !!n));
  const unsafe = new Set<string>();
  // a constructor parameter property (`private readonly x: T,`): esbuild's own `this.x = x` keeps the name
  lines.forEach((l, i) => {
    const name = DECLARED.exec(l)?.[1];
    if (name && (/,\s*$/.test(l) || /^\s*\)/.test(lines[i + 1] ?? ''))) unsafe.add(name);
  });
  for (const line of lines) {
    let own = DECLARED.exec(line)?.[1];
    for (const m of line.matchAll(/(?<![\w$])[A-Za-z_]\w*/g)) {
      const name = m[0];
      if (!declared.has(name)) continue;
      const before = line.slice(0, m.index);
      if (before.endsWith('this.') || before.endsWith('super.')) continue;
      if (name === own)
        own = undefined; // the declaration itself (its first mention on its line)
      else unsafe.add(name);
    }
  }
  if (lines.some((l) => /\.\$\w/.test(l))) throw new Error('internalNames: a source property starts with $');
  // the most used names get the shortest replacements: `$` and one character, then `$` and two
  const uses = (n: string) => lines.reduce((k, l) => k + (l.split(`.${n}`).length - 1), 0);
  const table: Record<string, string> = {};
  [...declared]
    .filter((n) => !unsafe.has(n))
    .map((n) => ({ n, k: uses(n) }))
    .sort((a, b) => b.k - a.k || (a.n < b.n ? -1 : 1))
    .forEach(({ n }, i) => (table[n] = shortName(i)));
  internalTables.set(root, table);
  return table;
}

const NAME_CHARS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$';

/** The i-th replacement name: `$0` … `$$`, then `$00` … (no source property starts with `$`). */
function shortName(i: number): string {
  let out = '';
  let k = i;
  do {
    out = NAME_CHARS[k % NAME_CHARS.length] + out;
    k = Math.floor(k / NAME_CHARS.length) - 1;
  } while (k >= 0);
  return `$${out}`;
}

/** The names of `internalNames`, as esbuild's `mangleProps` pattern (one that matches nothing when there are none). */
function internalPattern(root: string): RegExp {
  const names = Object.keys(internalNames(root));
  return names.length ? new RegExp(`^(?:${names.join('|')})$`) : /^(?!)$/;
}

/**
 * The label of WeChat-only statements in the shared sources (`wechat: { … }`, e.g. the black-screen watchdog's
 * wiring in utils/room/media.ts, whose adapter seam is absent on Douyin): esbuild drops them from the Douyin
 * bundles; the sources (jest, tsc) run them on both platforms, where the adapter decides as before.
 */
export const WECHAT_ONLY = 'wechat';
/**
 * The label of Douyin-only statements in the shared sources (`douyin: { … }`, e.g. the controller's handling of
 * the events only the Douyin adapter reports): esbuild drops them from the WeChat bundles; the sources run them
 * on both platforms.
 */
export const DOUYIN_ONLY = 'douyin';

/** The esbuild options of one bundled, minified script (also what bench/size.ts measures modules with). */
export function bundleOptions(
  root: string,
  entry: string,
  outRel: string,
  platform: Platform,
): BuildOptions & { write: false } {
  const file = resolveSource(root, path.join(root, entry), platform);
  if (!file) throw new Error(`bundle: no source for ${entry}`);
  return {
    entryPoints: [file],
    bundle: true,
    write: false,
    format: 'cjs',
    target: 'es2017',
    charset: 'utf8',
    platform: 'neutral',
    minify: true,
    // internal member names: the same short name in every bundle (internalNames)
    mangleProps: internalPattern(root),
    mangleCache: { ...internalNames(root) },
    legalComments: 'none',
    logLevel: 'silent',
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
    define: platform === 'tt' ? { wx: 'tt' } : {},
    // one platform's code in the shared sources (a statement labelled `wechat:` or `douyin:`) is not in the other's
    dropLabels: [platform === 'tt' ? WECHAT_ONLY : DOUYIN_ONLY],
    plugins: [resolverPlugin(root, platform, outRel)],
  };
}

/** One bundled, minified script; `entry` is the source module path without extension. */
export async function bundleScript(
  root: string,
  entry: string,
  outRel: string,
  platform: Platform,
): Promise<string> {
  const options = bundleOptions(root, entry, outRel, platform);
  const page = outRel === 'app.js' || outRel.startsWith('pages/');
  // the entry's export names, as an ES-module build of the same entry lists them
  const names = page ? [] : await exportNames(root, options);
  const r = await build(SHARED_FILES.has(outRel) ? plainExports(options, names) : options);
  if (r.errors.length) throw new Error(`bundle ${entry}: ${r.errors.map((e) => e.text).join('; ')}`);
  const out = r.outputFiles?.[0];
  if (!out) throw new Error(`bundle ${entry}: no output`);
  const text = await compress(out.text, entry);
  // Node's ESM `import { x } from` a CommonJS file finds names only in a pattern it can read statically;
  // esbuild writes that annotation for platform 'node' alone, so it is added here (after terser, which would
  // drop it as dead code), with the entry's export names, to the files an ES module can import (esmEntries).
  // The others are only ever `require`d by another bundle (or a mini-program's own module loader).
  return names.length && esmEntries(root).has(outRel)
    ? `${text}0&&(module.exports={${names.join(',')}});\n`
    : text;
}

/**
 * The scripts an ES module can import: the `.js` targets of package.json `main` and `exports` (Node refuses
 * any other path of the package, ERR_PACKAGE_PATH_NOT_EXPORTED), as paths inside a platform's tree
 * (`./dist/wx/index.js` → `index.js`; the Douyin tree has the same ones).
 */
export function esmEntries(root: string): Set<string> {
  const file = path.join(root, 'package.json');
  if (!fs.existsSync(file)) return new Set();
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { main?: string; exports?: unknown };
  const targets: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') targets.push(v.startsWith('./') ? v : `./${v}`);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk([pkg.main, pkg.exports]);
  return new Set(targets.flatMap((t) => /^\.\/dist\/[^/]+\/(.+\.js)$/.exec(t)?.[1] ?? []));
}

/** The files of SHARED_MODULES: each is required by another bundle, and its exports are functions and constants. */
const SHARED_FILES = new Set(Object.values(SHARED_MODULES));

async function exportNames(root: string, options: BuildOptions): Promise<string[]> {
  const esm = await build({ ...options, format: 'esm', metafile: true, outdir: path.join(root, '.exports') });
  const names = Object.values(esm.metafile?.outputs ?? {}).flatMap((o) => o.exports ?? []);
  return names.filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== 'default');
}

/**
 * A shared module's bundle with its exports as one `module.exports = {…}` at its end, instead of esbuild's
 * CommonJS wrapper for an ES module (`__export` getters, `__copyProps`, an `__esModule` flag: about 0.4 KB per
 * file). The same values: every export of these modules is a function or a constant, none of them requires a
 * module that requires it back (no cycle sees the object before its end), and their importers read named
 * members only. The entry becomes a stub that imports the module's names and assigns them.
 */
function plainExports(
  options: BuildOptions & { write: false },
  names: readonly string[],
): BuildOptions & { write: false } {
  const [file] = options.entryPoints as string[];
  // a plain object holds values, not bindings: an exported variable that changes later would go stale
  if (/^export\s+(let|var)\s/m.test(fs.readFileSync(file, 'utf8')))
    throw new Error(`bundle: ${file} exports a variable; a shared module exports functions and constants`);
  const rel = `./${path.basename(file)}`;
  const list = names.join(', ');
  const { entryPoints: _entry, ...rest } = options;
  return {
    ...rest,
    stdin: {
      contents: `import { ${list} } from ${JSON.stringify(rel)};\nmodule.exports = { ${list} };\n`,
      resolveDir: path.dirname(file),
      sourcefile: `${path.basename(file)}.exports.ts`,
      loader: 'ts',
    },
  };
}

/**
 * terser over esbuild's output: ES2017 in and out, top-level names too (each file is a module function on
 * both platforms), property names untouched (esbuild's `mangleProps` already chose the internal ones), UTF-8
 * kept as is. `require('./…')` strings stay literal, so the platforms' dependency analysis still sees them.
 */
export async function compress(code: string, entry = 'script'): Promise<string> {
  const r = await minify(code, {
    ecma: 2017,
    module: false,
    toplevel: true,
    // inline: 1, simple functions only: inlining those with arguments and variables (3, the default) costs gzip bytes.
    // unsafe_arrows: a function expression that reads no `this`, `arguments` or `new.target` becomes an arrow.
    // terser calls it unsafe because an arrow cannot be `new`ed and has no `prototype`: the sources never do
    // either with a function expression (their constructors are classes, which stay classes)
    compress: { passes: 3, inline: 1, unsafe_arrows: true },
    mangle: true,
    // no parentheses around a function expression passed as an argument (an engine's preparse hint, not syntax)
    format: { comments: false, ascii_only: false, wrap_func_args: false },
  });
  if (r.code === undefined) throw new Error(`bundle ${entry}: terser wrote nothing`);
  // one statement per file ends with `;` and a newline, as esbuild's output did, so text appended after it
  // (the export annotation) starts a statement of its own
  return r.code.endsWith(';') ? `${r.code}\n` : `${r.code};\n`;
}

/** Every script of the mini-program: the component's entries and each page/component/app of the demo. */
export function scriptEntries(root: string, staticFiles: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of COMPONENT_ENTRIES) out.set(SHARED_MODULES[e] ?? `${e}.js`, e);
  if (fs.existsSync(path.join(root, 'app.ts'))) out.set('app.js', 'app');
  // the package's run-time entry (`require('webrtc-room')`), when the tree has one
  if (fs.existsSync(path.join(root, 'index.ts'))) out.set('index.js', 'index');
  // the demo's sign-in helpers, also required by pages the preview adds (the test harness page)
  if (fs.existsSync(path.join(root, 'pages/demo.ts'))) out.set('pages/demo.js', 'pages/demo');
  for (const f of staticFiles) {
    if (!f.endsWith('.json') || !f.startsWith('pages')) continue;
    const stem = f.slice(0, -'.json'.length);
    if (fs.existsSync(path.join(root, stem + '.ts'))) out.set(stem + '.js', stem);
  }
  return out;
}

/** WXML/TTML: comments and the whitespace between lines and between tags go. */
export function minifyWxml(src: string): string {
  return src
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/>\s+</g, '><')
    .trim();
}

/** WXSS/TTSS through esbuild's CSS minifier, for old webviews (no #rrggbbaa, no modern syntax). */
export function minifyWxss(src: string): string {
  return transformSync(src, {
    loader: 'css',
    minify: true,
    target: ['chrome53', 'safari10'],
    charset: 'utf8',
    logLevel: 'silent',
  }).code;
}

/**
 * WXS/SJS: whitespace, comments and local names. esbuild reprints the same statements (`minifyWhitespace`) and
 * renames what is local to a function, its parameters and `var`s (`minifyIdentifiers`; without an output
 * format the top level is a script's, whose names are never renamed, so every top-level function and `var`
 * and so every `module.exports` value keeps its name; free names such as `require`, `getRegExp`, `Math`
 * are never renamed, property names neither). Nothing else changes: `minifySyntax` would merge declarations
 * (`var a=0; var b=0;` into `var a=0,b=0`, which wcc turns into a `for` that does not parse) and rewrite
 * expressions, so it stays off.
 */
export function minifyWxs(src: string): string {
  return transformSync(src, {
    loader: 'js',
    minifyWhitespace: true,
    minifyIdentifiers: true,
    minifySyntax: false,
    // ES5 printing: no shorthand properties or other later syntax in what the WXS engine parses
    target: 'es5',
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
  }).code;
}

export function minifyStatic(ext: string, src: string): string {
  switch (ext) {
    case '.wxml':
    case '.ttml':
      return minifyWxml(src);
    case '.wxss':
    case '.ttss':
      return minifyWxss(src);
    case '.wxs':
    case '.sjs':
      return minifyWxs(src);
    default:
      return src;
  }
}
