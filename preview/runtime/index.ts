/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Mini-program runtime for the browser preview: j-component + the official wcc output, with `Component`,
 * `Page`, `App`, `getApp`, `getCurrentPages`, `wx`/`tt` shims, a page stack, rpx and click→tap.
 * The generated entry (preview/build.ts) calls `define()` for every component and page, children first.
 */
import { during, setBackground } from './nav';
import { BUILTIN_CSS, registerBuiltins } from './builtins';
import './chat'; // the @tencentcloud/chat stand-in (and the global `require` that finds it)
import { log } from './log';
import './natives';
import { fitFrame, frameUnits } from './frame';
import { installFaultPanel } from './panel';
import { createWx, type Router } from './wx';

const jComponent = require('j-component');
const jUtils = require('j-component/src/tool/utils');
const exparser = require('miniprogram-exparser');

export interface DefineMeta {
  id: string;
  /** root-relative path without extension, e.g. `components/webrtc-room/index` */
  path: string;
  tagName: string;
  usingComponents: Record<string, string>;
  template: unknown;
  isPage: boolean;
}

const G = globalThis as any;
let platform: 'wx' | 'tt' = 'wx';
let current: DefineMeta | null = null;
const pageDefs = new Map<string, string>(); // route → component id
let appDef: any = {};
let appJson: any = {};

// ---- units: 750rpx = the frame's width (the window on a phone, a phone-shaped frame on a laptop; frame.ts);
// vw / vh are the frame's too. Inline styles through j-component, WXSS at insert time.
jUtils.transformRpx = (style: string) => frameUnits(style);

registerBuiltins();

let cssText = '';
function applyCss(): void {
  let el = document.getElementById('mp-wxss') as HTMLStyleElement | null;
  if (!el) {
    el = document.createElement('style');
    el.id = 'mp-wxss';
    document.head.appendChild(el);
  }
  el.textContent = frameUnits(BUILTIN_CSS + cssText);
}
addEventListener('resize', () => {
  fitFrame();
  applyCss();
});

export function setCss(css: string): void {
  cssText = css;
}

// ---- constructors
function register(meta: DefineMeta, def: any): void {
  const definition = {
    ...def,
    id: meta.id,
    path: meta.path,
    tagName: meta.tagName,
    template: meta.template,
    usingComponents: meta.usingComponents,
    options: {
      classPrefix: meta.tagName,
      multipleSlots: true,
      ...(def.options ?? {}),
      addGlobalClass: false,
    },
  };
  jComponent.register(definition);
}

const PAGE_HOOKS = [
  'onLoad',
  'onShow',
  'onReady',
  'onHide',
  'onUnload',
  'onPullDownRefresh',
  'onReachBottom',
  'onShareAppMessage',
  'onShareTimeline',
  'onPageScroll',
  'onResize',
  'onTabItemTap',
  'onSaveExitState',
];

/** A `Page({...})` object as a component definition: data, methods, and page hooks driven by the router. */
function pageToComponent(def: any, meta: DefineMeta): any {
  const methods: Record<string, any> = {};
  const fields: Record<string, any> = {};
  for (const [k, v] of Object.entries(def)) {
    if (k === 'data' || k === 'options' || k === 'behaviors') continue;
    if (typeof v === 'function') methods[k] = v;
    else fields[k] = v;
  }
  return {
    data: def.data ?? {},
    behaviors: def.behaviors,
    methods,
    lifetimes: {
      created(this: any) {
        for (const [k, v] of Object.entries(fields)) this[k] = jUtils.copy(v);
        this.route = meta.path;
        this.__route__ = meta.path;
      },
    },
  };
}

/** `Component({...})` used as a page constructor: page hooks live in `methods`. */
function componentAsPage(def: any): any {
  const methods = { ...(def.methods ?? {}) };
  for (const h of PAGE_HOOKS) if (typeof def[h] === 'function' && !methods[h]) methods[h] = def[h];
  return { ...def, methods };
}

G.Component = (def: any) => {
  if (!current) throw new Error('Component() called outside of a component module');
  register(current, current.isPage ? componentAsPage(def) : def);
};
G.Page = (def: any) => {
  if (!current) throw new Error('Page() called outside of a page module');
  register(current, pageToComponent(def, current));
};
G.Behavior = (def: any) => jComponent.behavior(def);
G.App = (def: any) => {
  appDef = def;
};
G.getApp = () => appDef;
G.getCurrentPages = () => stack.map((p) => p.instance);

export function define(meta: DefineMeta, load: () => unknown): void {
  const prev = current;
  current = meta;
  try {
    load();
  } finally {
    current = prev;
  }
  if (meta.isPage) pageDefs.set(meta.path, meta.id);
}

// ---- page stack
interface PageEntry {
  route: string;
  query: Record<string, string>;
  comp: any;
  el: HTMLElement;
  instance: any;
}
const stack: PageEntry[] = [];

function parseUrl(url: string, from?: string): { route: string; query: Record<string, string> } {
  const [p, qs = ''] = String(url).split('?');
  let route = p.replace(/^\/+/, '');
  if (!p.startsWith('/') && from) {
    const base = from.split('/').slice(0, -1);
    for (const seg of p.split('/')) {
      if (seg === '..') base.pop();
      else if (seg !== '.') base.push(seg);
    }
    route = base.join('/');
  }
  const query: Record<string, string> = {};
  new URLSearchParams(qs).forEach((v, k) => (query[k] = v));
  return { route, query };
}

function call(inst: any, hook: string, ...args: unknown[]): void {
  try {
    if (typeof inst?.[hook] === 'function') inst[hook](...args);
  } catch (e) {
    log.error(`${hook} threw`, e);
  }
}

function syncHash(): void {
  const top = stack[stack.length - 1];
  if (!top) return;
  const qs = new URLSearchParams(top.query).toString();
  history.replaceState(null, '', '#/' + top.route + (qs ? '?' + qs : ''));
}

function open(url: string): PageEntry {
  const from = stack[stack.length - 1]?.route;
  const { route, query } = parseUrl(url, from);
  const id = pageDefs.get(route);
  if (!id) throw new Error(`[preview] no such page: ${route} (pages: ${[...pageDefs.keys()].join(', ')})`);
  const comp = jComponent.create(id);
  const el = document.createElement('div');
  el.className = 'mp-page';
  el.dataset.route = route;
  document.getElementById('mp-root')!.appendChild(el);
  const entry: PageEntry = { route, query, comp, el, instance: comp.instance };
  entry.instance.options = query;
  stack.push(entry);
  comp.attach(el);
  call(entry.instance, 'onLoad', { ...query });
  call(entry.instance, 'onShow');
  comp.triggerPageLifeTime('show');
  setTimeout(() => call(entry.instance, 'onReady'));
  syncHash();
  return entry;
}

function close(entry: PageEntry): void {
  call(entry.instance, 'onUnload');
  entry.comp.detach();
  entry.el.remove();
}

function hideTop(): void {
  const top = stack[stack.length - 1];
  if (!top) return;
  call(top.instance, 'onHide');
  top.comp.triggerPageLifeTime('hide');
  top.el.style.display = 'none';
}

const router: Router = {
  navigateTo(url) {
    during('push', hideTop);
    open(url);
  },
  redirectTo(url) {
    const top = stack.pop();
    if (top) close(top);
    open(url);
  },
  reLaunch(url) {
    while (stack.length) close(stack.pop()!);
    open(url);
  },
  navigateBack(delta) {
    for (let i = 0; i < delta && stack.length > 1; i++) close(stack.pop()!);
    const top = stack[stack.length - 1];
    if (top) {
      top.el.style.display = '';
      call(top.instance, 'onShow');
      top.comp.triggerPageLifeTime('show');
      syncHash();
    }
  },
  currentRoot() {
    return stack[stack.length - 1]?.comp ?? null;
  },
};

// ---- click → tap (j-component only synthesises tap from touch events)
let lastTouch = 0;
function installTapShim(): void {
  document.addEventListener('touchend', () => (lastTouch = Date.now()), true);
  document.addEventListener(
    'click',
    (evt) => {
      if (Date.now() - lastTouch < 800) return; // the compat click after a real touch already made a tap
      // a raw DOM child (e.g. a stand-in's <input> or <video>) dispatches on its exparser host
      let node: any = evt.target;
      while (node && !node.__wxElement) node = node.parentNode;
      if (!node) return;
      exparser.Event.dispatchEvent(
        node,
        exparser.Event.create(
          'tap',
          { x: (evt as MouseEvent).pageX, y: (evt as MouseEvent).pageY },
          { originalEvent: evt, bubbles: true, capturePhase: true, composed: true },
        ),
      );
    },
    true,
  );
}

export function boot(opts: { platform: 'wx' | 'tt'; appJson: any; loadApp: () => unknown }): void {
  platform = opts.platform;
  appJson = opts.appJson ?? {};
  G.__webview_engine_version__ = 0.02;
  const api = createWx(router, platform);
  G.wx = api;
  if (platform === 'tt') G.tt = api;
  // before the frame: the fault panel (`?faults=1`) takes its place beside or above it
  installFaultPanel();
  fitFrame();
  applyCss();
  installTapShim();
  opts.loadApp();
  const hash = location.hash.replace(/^#\/?/, '');
  const search = new URLSearchParams(location.search);
  const start = hash || search.get('page') || appJson.pages?.[0];
  call(appDef, 'onLaunch', { path: start, query: {}, scene: 1001 });
  call(appDef, 'onShow', { path: start, query: {}, scene: 1001 });
  const title = appJson.window?.navigationBarTitleText;
  if (title) document.title = title;
  open('/' + start);
  G.__PREVIEW_READY__ = true;
}

/** The mini-program goes to the background / comes back: app and top-page hide/show, as on a phone. */
function background(hidden: boolean): void {
  setBackground(hidden);
  const top = stack[stack.length - 1];
  if (hidden) {
    G.__PREVIEW_APP__?.hide();
    if (top) {
      call(top.instance, 'onHide');
      top.comp.triggerPageLifeTime('hide');
    }
  } else {
    G.__PREVIEW_APP__?.show();
    if (top) {
      call(top.instance, 'onShow');
      top.comp.triggerPageLifeTime('show');
    }
  }
}

export const preview = {
  router,
  stack,
  background,
  get platform() {
    return platform;
  },
};
G.__PREVIEW_RUNTIME__ = preview;
