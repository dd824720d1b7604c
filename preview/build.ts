/**
 * Preview build: turns a built mini-program tree (`dist/wx`, or `dist/tt`) into a browser bundle.
 *   wcc over the whole root → `$gwx`; usingComponents walk (children first); WXSS through
 *   miniprogram-simulate's compiler (class prefix) + built-in tag rewrite; generated entry; esbuild iife.
 * The component and page JS are bundled as they are: nothing is re-implemented for the preview.
 */
import * as fs from 'fs';
import { createRequire } from 'module';
import * as os from 'os';
import * as path from 'path';
import { build as esbuild } from 'esbuild';

export interface PreviewBuildOptions {
  /** the mini-program root, e.g. dist/wx */
  root: string;
  /** output directory (index.html, app.js, app.js.map) */
  out: string;
  platform?: 'wx' | 'tt';
  minify?: boolean;
  /** a directory copied over the root first (e.g. a test harness page and its app.json) */
  overlay?: string;
}

export interface PreviewBuildResult {
  ms: number;
  bundleBytes: number;
  components: string[];
  pages: string[];
}

const REPO = path.resolve(__dirname, '..');

/** Built-in tags whose selectors must become `wx-<tag>` (j-component renders them with that prefix). */
const BUILTIN_TAGS = [
  'cover-image',
  'cover-view',
  'grid-view',
  'list-view',
  'movable-area',
  'movable-view',
  'page-container',
  'root-portal',
  'scroll-view',
  'swiper',
  'swiper-item',
  'view',
  'icon',
  'progress',
  'rich-text',
  'text',
  'button',
  'checkbox',
  'checkbox-group',
  'editor',
  'form',
  'input',
  'label',
  'picker',
  'picker-view',
  'picker-view-column',
  'radio',
  'radio-group',
  'slider',
  'switch',
  'textarea',
  'navigator',
  'audio',
  'camera',
  'image',
  'live-player',
  'live-pusher',
  'video',
  'map',
  'canvas',
  'web-view',
  'ad',
  'open-data',
  'rtc-room',
];

function wccBinary(name: 'wcc' | 'wcsc'): void {
  const bin = path.join(
    path.dirname(createRequire(__filename).resolve('miniprogram-compiler/package.json')),
    'bin/linux',
    name,
  );
  try {
    fs.chmodSync(bin, 0o755); // the npm tarball ships it as 0644
  } catch {
    /* not ours to change: wcc will say so */
  }
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

const safeId = (p: string): string =>
  'mp-' +
  p
    .replace(/[^a-zA-Z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();

/** Rewrites bare built-in tag selectors (`live-player`, `view .x`) to `wx-…`, and `page` to `.mp-page`. */
export function rewriteTagSelectors(css: string): string {
  const postcss = require('postcss') as typeof import('postcss');
  const tagRe = new RegExp(
    `(^|[\\s,>+~(])(${BUILTIN_TAGS.map((t) => t.replace('-', '\\-')).join('|')}|page)(?=$|[\\s,>+~.:#\\[)])`,
    'g',
  );
  const root = postcss.parse(css);
  root.walkRules((rule) => {
    if (
      rule.parent &&
      rule.parent.type === 'atrule' &&
      /keyframes/i.test((rule.parent as { name: string }).name)
    )
      return;
    rule.selectors = rule.selectors.map((sel) =>
      sel.replace(
        tagRe,
        (_m, pre: string, tag: string) => `${pre}${tag === 'page' ? '.mp-page' : 'wx-' + tag}`,
      ),
    );
  });
  return root.toString();
}

/** For dist/tt: a temporary copy in the WeChat dialect so the official wcc can compile it. */
function ttToWxTree(root: string): string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-tt-'));
  const ext: Record<string, string> = { '.ttml': '.wxml', '.ttss': '.wxss', '.sjs': '.wxs' };
  for (const rel of fs.readdirSync(root, { recursive: true }) as string[]) {
    const from = path.join(root, rel);
    if (!fs.statSync(from).isFile()) continue;
    const e = path.extname(rel);
    const to = path.join(tmp, ext[e] ? rel.slice(0, -e.length) + ext[e] : rel);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    let text = fs.readFileSync(from, 'utf8');
    if (e === '.ttml') {
      text = text
        .replace(/(\s)tt:(if|elif|else|for|for-item|for-items|for-index|key)(?=[\s=/>])/g, '$1wx:$2')
        .replace(/(<(?:import|include)\b[^>]*\bsrc\s*=\s*["'][^"']*?)\.ttml(["'])/g, '$1.wxml$2')
        .replace(/<sjs\b([^>]*?)\bsrc\s*=\s*(["'])([^"']*?)\.sjs\2/g, '<wxs$1src=$2$3.wxs$2')
        .replace(/<sjs\b/g, '<wxs')
        .replace(/<\/sjs>/g, '</wxs>');
    } else if (e === '.ttss') {
      text = text.replace(/(@import\s+["'][^"']*?)\.ttss(["'])/g, '$1.wxss$2');
    } else if (e === '.sjs') {
      text = text.replace(/(require\(\s*["'][^"']*?)\.sjs(["']\s*\))/g, '$1.wxs$2');
    }
    fs.writeFileSync(to, text);
  }
  return tmp;
}

interface Node {
  path: string;
  id: string;
  tagName: string;
  isPage: boolean;
  using: Record<string, string>;
}

export async function buildPreview(opts: PreviewBuildOptions): Promise<PreviewBuildResult> {
  const t0 = Date.now();
  const platform = opts.platform ?? 'wx';
  let srcRoot = path.resolve(opts.root);
  let overlaid: string | null = null;
  if (opts.overlay) {
    if (!fs.existsSync(path.join(srcRoot, 'app.json')) && !fs.existsSync(srcRoot)) {
      throw new Error(`preview: ${srcRoot} not found (run \`npm run build\` first)`);
    }
    overlaid = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-overlay-'));
    fs.cpSync(srcRoot, overlaid, { recursive: true });
    fs.cpSync(path.resolve(opts.overlay), overlaid, { recursive: true });
    srcRoot = overlaid;
  }
  const appJson = readJson(path.join(srcRoot, 'app.json'));
  if (!appJson) throw new Error(`preview: ${srcRoot}/app.json not found (run \`npm run build\` first)`);
  // JS is bundled from the real tree; markup and styles from a WeChat-dialect view of it
  const root = platform === 'tt' ? ttToWxTree(srcRoot) : srcRoot;
  try {
    wccBinary('wcc');
    const compiler = require('miniprogram-compiler') as { wxmlToJs(root: string): string };
    const gwx = compiler.wxmlToJs(root);

    const nodes = new Map<string, Node>();
    const order: Node[] = [];
    const appUsing = (appJson.usingComponents ?? {}) as Record<string, string>;
    const resolveComp = (from: string, spec: string): string => {
      const rel = spec.startsWith('/') ? spec.slice(1) : path.posix.join(path.posix.dirname(from), spec);
      const norm = path.posix.normalize(rel);
      if (fs.existsSync(path.join(root, norm + '.json'))) return norm;
      if (fs.existsSync(path.join(root, norm, 'index.json'))) return norm + '/index';
      throw new Error(`preview: component "${spec}" used by ${from} not found (${norm}.json)`);
    };
    const visit = (p: string, tagName: string, isPage: boolean): Node => {
      const known = nodes.get(p);
      if (known) return known;
      const json = readJson(path.join(root, p + '.json')) ?? {};
      const using: Record<string, string> = {};
      const node: Node = { path: p, id: safeId(p), tagName, isPage, using };
      nodes.set(p, node);
      const spec = {
        ...(isPage ? appUsing : {}),
        ...((json.usingComponents ?? {}) as Record<string, string>),
      };
      for (const [key, value] of Object.entries(spec)) {
        if (/^plugin:|^plugin-private:/.test(value)) continue;
        using[key] = visit(resolveComp(p, value), key, false).id;
      }
      order.push(node); // children first
      return node;
    };
    const pages = (appJson.pages ?? []) as string[];
    for (const p of pages) visit(p, 'page-' + p.replace(/[^a-zA-Z0-9]+/g, '-').toLowerCase(), true);

    // WXSS: simulate's compiler adds the `<tagName>--` class prefix, like j-component does at render time
    const wxss = require('miniprogram-simulate/src/wxss') as {
      getContent(file: string): string;
      compile(css: string, o: { prefix: string }): string;
    };
    const appWxss = fs.existsSync(path.join(root, 'app.wxss'))
      ? wxss.getContent(path.join(root, 'app.wxss'))
      : '';
    const css: string[] = [];
    for (const n of order) {
      const file = path.join(root, n.path + '.wxss');
      const own = fs.existsSync(file) ? wxss.getContent(file) : '';
      const src = (n.isPage ? appWxss + '\n' : '') + own;
      if (!src.trim()) continue;
      css.push(rewriteTagSelectors(wxss.compile(src, { prefix: n.tagName })));
    }

    fs.mkdirSync(opts.out, { recursive: true });
    const gen = path.join(opts.out, '.gen');
    fs.mkdirSync(gen, { recursive: true });
    fs.writeFileSync(path.join(gen, 'gwx.js'), `module.exports = function () {\n${gwx}\n};\n`);
    const rel = (f: string): string => JSON.stringify(f);
    const lines = [
      `var rt = require(${rel(path.join(REPO, 'preview/runtime/index.ts'))});`,
      `globalThis.__webview_engine_version__ = 0.02;`,
      `var $gwx = require('./gwx.js')();`,
      `rt.setCss(${JSON.stringify(css.join('\n'))});`,
    ];
    for (const n of order) {
      const js = path.join(srcRoot, n.path + '.js');
      if (!fs.existsSync(js)) throw new Error(`preview: ${n.path}.js missing in ${srcRoot}`);
      lines.push(
        `rt.define(${JSON.stringify({ id: n.id, path: n.path, tagName: n.tagName, usingComponents: n.using, isPage: n.isPage }).replace(/}$/, '')}, "template": $gwx(${JSON.stringify(n.path + '.wxml')}) }, function () { return require(${rel(js)}); });`,
      );
    }
    const appJs = path.join(srcRoot, 'app.js');
    lines.push(
      `rt.boot({ platform: ${JSON.stringify(platform)}, appJson: ${JSON.stringify(appJson)}, loadApp: function () { ${fs.existsSync(appJs) ? `require(${rel(appJs)});` : ''} } });`,
    );
    fs.writeFileSync(path.join(gen, 'entry.js'), lines.join('\n') + '\n');

    const outfile = path.join(opts.out, 'app.js');
    await esbuild({
      entryPoints: [path.join(gen, 'entry.js')],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'chrome100',
      define: { global: 'globalThis', 'process.env.NODE_ENV': '"development"' },
      sourcemap: true,
      minify: !!opts.minify,
      outfile,
      logLevel: 'silent',
      // no tsconfig lookup: the repo's `strict` would make esbuild emit "use strict", and wcc output
      // assigns implicit globals ($gwx, __WXML_GLOBAL__) that break in strict mode
      tsconfigRaw: '{}',
      plugins: [
        {
          // j-component's keyed diff can orphan vnodes (crash on the next setData): use the patched copy
          name: 'j-component-diff-patch',
          setup(b) {
            b.onResolve({ filter: /^\.\/render\/diff$/ }, (a) =>
              /j-component[\\/]src$/.test(path.dirname(a.importer))
                ? { path: path.join(REPO, 'preview/vendor/j-component-diff.js') }
                : undefined,
            );
          },
        },
      ],
    });
    fs.writeFileSync(
      path.join(opts.out, 'index.html'),
      indexHtml(
        String(
          appJson.window
            ? ((appJson.window as { navigationBarTitleText?: string }).navigationBarTitleText ?? '')
            : '',
        ),
      ),
    );
    return {
      ms: Date.now() - t0,
      bundleBytes: fs.statSync(outfile).size,
      components: order.filter((n) => !n.isPage).map((n) => n.path),
      pages,
    };
  } finally {
    if (root !== srcRoot) fs.rmSync(root, { recursive: true, force: true });
    if (overlaid) fs.rmSync(overlaid, { recursive: true, force: true });
  }
}

function indexHtml(title: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1,maximum-scale=1,user-scalable=no">
<title>${title.replace(/</g, '&lt;') || 'webrtc-room preview'}</title>
<style>
html,body{margin:0;padding:0;height:100%;background:#f7f7f7;font-family:-apple-system,BlinkMacSystemFont,"Helvetica Neue","PingFang SC",sans-serif;font-size:16px;color:#111}
#mp-root{position:absolute;left:0;top:0;width:100%;height:100%;overflow:hidden;transform-origin:0 0;background:#f7f7f7}
#mp-root.mp-framed{border-radius:18px;box-shadow:0 0 0 10px #222,0 8px 30px rgba(0,0,0,.35)}
body:has(#mp-root.mp-framed){background:#3a3f47}
.mp-page{position:absolute;inset:0;overflow-y:auto}
.mp-toast{position:fixed;left:50%;top:40%;transform:translate(-50%,-50%);background:rgba(17,17,17,.75);color:#fff;padding:12px 18px;border-radius:8px;z-index:10000;max-width:70vw;text-align:center;pointer-events:none}
.mp-modal{position:fixed;inset:0;background:rgba(0,0,0,.5);z-index:10001;display:flex;align-items:center;justify-content:center}
.mp-modal-box{background:#fff;border-radius:12px;width:80vw;max-width:340px;overflow:hidden;text-align:center}
.mp-modal-title{font-weight:600;padding:20px 20px 8px}
.mp-modal-content{padding:0 20px 20px;color:#555;white-space:pre-wrap}
.mp-modal-buttons{display:flex;border-top:1px solid #eee}
.mp-modal-buttons button{flex:1;border:0;background:none;padding:14px;font-size:16px;cursor:pointer}
.mp-modal-confirm{color:#576b95;font-weight:600}
</style></head>
<body><div id="mp-root"></div><script src="app.js"></script></body></html>
`;
}
