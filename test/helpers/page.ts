/**
 * A page stand-in for miniprogram-simulate: runs a page's own files (index.js calling `Page({...})`,
 * index.wxml, index.json) as WeChat would: `data`, methods, onLoad(query) → onShow → onReady on attach,
 * onUnload on detach, and `this.setData(patch, callback)` calling back with `this` = the page after the
 * view updated (j-component's own callback has no `this`; WeChat's does, and pages rely on it).
 */
import * as fs from 'fs';
import * as path from 'path';
import simulate from 'miniprogram-simulate';

const LIFECYCLE = new Set(['onLoad', 'onShow', 'onReady', 'onHide', 'onUnload']);

type PageDef = Record<string, unknown> & { data?: Record<string, unknown> };

/** Evaluates a page's index.js with `Page` captured; `globals` (e.g. wx) are visible to it. */
export function readPage(file: string, globals: Record<string, unknown> = {}): PageDef {
  let def: PageDef | null = null;
  const names = Object.keys(globals);
  const fn = new Function('Page', ...names, fs.readFileSync(file, 'utf8'));
  fn((d: PageDef) => (def = d), ...names.map((n) => globals[n]));
  if (!def) throw new Error(`${file} did not call Page()`);
  return def;
}

export interface MountedPage {
  host: any;
  /** the page's `this` */
  page: Record<string, any>;
  unload(): void;
}

/**
 * Mounts the page at `<dir>/<page>.{js,wxml,json}`; `components` maps each usingComponents tag to a
 * simulate.load id (the test resolves the paths, as the builder would).
 */
export function mountPage(
  dir: string,
  page: string,
  components: Record<string, string>,
  opts: { query?: Record<string, string>; globals?: Record<string, unknown> } = {},
): MountedPage {
  const base = path.join(dir, page);
  const json = JSON.parse(fs.readFileSync(base + '.json', 'utf8')) as {
    usingComponents?: Record<string, string>;
  };
  const tags = Object.keys(json.usingComponents ?? {});
  const missing = tags.filter((t) => !components[t]);
  if (missing.length) throw new Error(`no component given for ${missing.join(', ')}`);
  const def = readPage(base + '.js', opts.globals);
  const methods: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(def)) if (typeof v === 'function' && !LIFECYCLE.has(k)) methods[k] = v;
  const call = (self: unknown, name: string, ...args: unknown[]) =>
    typeof def[name] === 'function'
      ? (def[name] as (...a: unknown[]) => unknown).apply(self, args)
      : undefined;
  const mounted: { page: Record<string, any> } = { page: {} };
  const id = simulate.load({
    usingComponents: Object.fromEntries(tags.map((t) => [t, components[t]])),
    template: fs.readFileSync(base + '.wxml', 'utf8'),
    data: JSON.parse(JSON.stringify(def.data ?? {})),
    methods,
    lifetimes: {
      attached(this: Record<string, any>) {
        mounted.page = this;
        const setData = this.setData.bind(this);
        this.setData = (patch: Record<string, unknown>, cb?: () => void) =>
          setData(patch, cb ? () => cb.call(this) : undefined);
        call(this, 'onLoad', opts.query ?? {});
        call(this, 'onShow');
      },
      ready(this: unknown) {
        call(this, 'onReady');
      },
      detached(this: unknown) {
        call(this, 'onUnload');
      },
    },
  } as never);
  const host = simulate.render(id);
  host.attach(document.createElement('parent-wrapper'));
  return { host, page: mounted.page, unload: () => host.detach() };
}

/**
 * What live-pusher reports once the component started pushing (waits for `pusherStart`): entered (1018), then
 * a remote user `bob` (1031). Resolves after the component's batch window.
 */
export async function pusherEntersWithBob(room: any, pusherStart: jest.Mock): Promise<void> {
  for (let i = 0; i < 10 && pusherStart.mock.calls.length === 0; i++)
    await new Promise((r) => setTimeout(r, 20));
  expect(pusherStart).toHaveBeenCalledTimes(1);
  const pusher = room.querySelector('#pusher')._exparserNode;
  pusher.triggerEvent('statechange', { code: 1018, message: 'onEnterRoom success, time cost[10]' }, {});
  pusher.triggerEvent(
    'statechange',
    { code: 1031, message: JSON.stringify({ userlist: [{ userid: 'bob' }] }) },
    {},
  );
  await new Promise((r) => setTimeout(r, 60));
}
