/**
 * WXS/SJS modules run in Node, two ways: as the plain ES5 they are (a `require` that resolves relative paths,
 * one instance per module as in the WXS runtime), and as WeChat runs them: the JavaScript the official wcc
 * translates them into (every name prefixed `nv_`, its own built-ins), evaluated in a context of its own.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import { compilerBinary } from '../../build/validate';

export type WxsModule = Record<string, (...args: unknown[]) => unknown>;

/** `file` (absolute) with what it requires; `cache` holds the instances (pass one per run). */
export function loadWxs(file: string, cache = new Map<string, WxsModule>()): WxsModule {
  const hit = cache.get(file);
  if (hit) return hit;
  const module = { exports: {} as WxsModule };
  const req = (p: string) => loadWxs(path.resolve(path.dirname(file), p), cache);
  // the WXS globals that stand in for `new RegExp` and `new Date`
  const getRegExp = (source: string, flags?: string) => new RegExp(source, flags);
  const getDate = (...a: ConstructorParameters<typeof Date>) => new Date(...a);
  new Function('module', 'require', 'getRegExp', 'getDate', fs.readFileSync(file, 'utf8'))(
    module,
    req,
    getRegExp,
    getDate,
  );
  cache.set(file, module.exports);
  return module.exports;
}

/**
 * `files` (relative to `root`) compiled together by wcc and evaluated; each module's exports as functions that
 * take and return plain values (the arguments go in with wcc's `nv_` keys, as a WXML expression hands them over,
 * and the results come out without them).
 */
export function loadWccModules(root: string, files: readonly string[]): Record<string, WxsModule> {
  const r = spawnSync(compilerBinary('wcc'), ['-d', ...files], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`wcc exited ${r.status}: ${r.stderr}`);
  const ctx = vm.createContext({ window: {}, console });
  vm.runInContext(r.stdout, ctx, { filename: 'wcc output' });
  // running the compiled tree once registers every module in `global.modules`
  const global: { modules?: Record<string, () => Record<string, (...a: unknown[]) => unknown>> } = {};
  (ctx as unknown as { $gwx: (p: string, g: object) => unknown }).$gwx('', global);
  // the conversions run in the context, so arrays and objects are its own (wcc's built-ins are on its prototypes)
  const [toNv, fromNv] = vm.runInContext(
    `[function toNv(v) {
        var o, k, i;
        if (Object.prototype.toString.call(v) === '[object Array]') { o = []; for (i = 0; i < v.length; i++) o.push(toNv(v[i])); return o; }
        if (v !== null && typeof v === 'object') { o = {}; for (k in v) o['nv_' + k] = toNv(v[k]); return o; }
        return v;
      },
      function fromNv(v) {
        var o, k, i;
        if (Object.prototype.toString.call(v) === '[object Array]') { o = []; for (i = 0; i < v.length; i++) o.push(fromNv(v[i])); return o; }
        if (v !== null && typeof v === 'object') {
          o = {};
          for (k in v) { if (k.slice(0, 3) !== 'nv_') throw new Error('wcc result key without nv_: ' + k); o[k.slice(3)] = fromNv(v[k]); }
          return o;
        }
        return v;
      }]`,
    ctx,
  ) as Array<(v: unknown) => unknown>;
  const out: Record<string, WxsModule> = {};
  for (const f of files) {
    const load = global.modules?.[f];
    if (!load) throw new Error(`wcc output has no module ${f}`);
    const nv = load();
    const mod: WxsModule = {};
    for (const key of Object.keys(nv)) {
      if (!key.startsWith('nv_')) throw new Error(`${f}: export ${key} without nv_`);
      mod[key.slice(3)] = (...args) => fromNv(nv[key].apply(null, toNv(args) as unknown[]));
    }
    out[f] = mod;
  }
  return out;
}
