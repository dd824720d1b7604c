/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * The `wx` (and, with another name, `tt`) API surface the component and the demo pages use, for a browser.
 * Unknown APIs resolve `success` with a warning instead of throwing, so a missing shim is visible but not fatal.
 */
import {
  agreePrivacy,
  currentNetworkType,
  grantRevoked,
  isAndroid,
  onNetworkType,
  privacyRefusal,
  scopeRevoked,
} from './faults';
import { frame } from './frame';
import { log } from './log';
import { previewLogin } from './login';
import { createNativeContext, fail, ok } from './natives';
import { createRtcRoomContext } from './tt';

const exparser = require('miniprogram-exparser');

type Opts = {
  success?: (r: any) => void;
  fail?: (r: any) => void;
  complete?: (r: any) => void;
  [k: string]: any;
};

export interface Router {
  navigateTo(url: string): void;
  redirectTo(url: string): void;
  reLaunch(url: string): void;
  navigateBack(delta: number): void;
  currentRoot(): any;
}

/** Finds the first element with this id in a component's shadow tree, or anywhere below the current page. */
export function findById(id: string, component: any, router: Router): any {
  const search = (node: any): any => {
    if (!node) return null;
    const sr = node.shadowRoot;
    const hit = sr?.querySelector?.('#' + id);
    if (hit) return hit;
    const kids: any[] = [...(sr ? sr.childNodes : []), ...(node.childNodes ?? [])];
    for (const k of kids) {
      if (!(k instanceof exparser.Element)) continue;
      const r = search(k);
      if (r) return r;
    }
    return null;
  };
  const start = component?._exparserNode ?? router.currentRoot()?._exparserNode;
  const direct = start?.shadowRoot?.querySelector?.('#' + id);
  const node = direct ?? search(start);
  return node ? exparser.Element.getMethodCaller(node) : null;
}

const warned = new Set<string>();
function toast(title: string, ms = 1500): void {
  const el = document.createElement('div');
  el.className = 'mp-toast';
  el.textContent = title;
  (document.getElementById('mp-root') ?? document.body).appendChild(el);
  setTimeout(() => el.remove(), ms);
}

function modal(o: Opts): void {
  const wrap = document.createElement('div');
  wrap.className = 'mp-modal';
  const box = document.createElement('div');
  box.className = 'mp-modal-box';
  const h = document.createElement('div');
  h.className = 'mp-modal-title';
  h.textContent = o.title ?? '';
  const c = document.createElement('div');
  c.className = 'mp-modal-content';
  c.textContent = o.content ?? '';
  const row = document.createElement('div');
  row.className = 'mp-modal-buttons';
  const close = (confirm: boolean): void => {
    wrap.remove();
    ok('showModal', o, { confirm, cancel: !confirm });
  };
  if (o.showCancel !== false) {
    const b = document.createElement('button');
    b.textContent = o.cancelText ?? 'Cancel';
    b.onclick = () => close(false);
    row.appendChild(b);
  }
  const b2 = document.createElement('button');
  b2.textContent = o.confirmText ?? 'OK';
  b2.className = 'mp-modal-confirm';
  b2.onclick = () => close(true);
  row.appendChild(b2);
  box.append(h, c, row);
  wrap.appendChild(box);
  (document.getElementById('mp-root') ?? document.body).appendChild(wrap);
}

export function systemInfo(platform: 'wx' | 'tt'): Record<string, unknown> {
  // the phone the page is shown in (the window, or the phone frame on a laptop)
  const w = frame.width || innerWidth;
  const h = frame.height || innerHeight;
  const base = {
    brand: 'preview',
    model: 'browser preview',
    pixelRatio: devicePixelRatio || 1,
    screenWidth: w,
    screenHeight: h,
    windowWidth: w,
    windowHeight: h,
    statusBarHeight: 0,
    language: navigator.language || 'en',
    system: 'Browser ' + (navigator.userAgent.match(/Chrom\w+\/[\d.]+/)?.[0] ?? ''),
    platform: 'devtools',
    fontSizeSetting: 16,
    cameraAuthorized: true,
    microphoneAuthorized: true,
    safeArea: { left: 0, right: w, top: 0, bottom: h, width: w, height: h },
  };
  if (platform === 'tt') return { ...base, appName: 'Douyin', version: '30.0.0', SDKVersion: '3.20.0' };
  // the `android` switch (the emulator's fault): the phone is an Android one
  const os = isAndroid() ? { platform: 'android', system: 'Android 14' } : {};
  return { ...base, ...os, version: '8.0.50', SDKVersion: '3.4.0' };
}

const storageKey = (k: string): string => 'mp:' + k;

/**
 * `?deny=camera` (or `mic`, `camera,mic`) on the page address: `getSetting` reports the scope refused and
 * `authorize` fails as after a user's "Don't allow", so the permission guide can be seen; `openSetting` then
 * answers as if the user turned it on.
 */
function deniedScopes(): Set<string> {
  const out = new Set<string>();
  try {
    for (const d of (new URLSearchParams(location.search).get('deny') ?? '').split(',')) {
      if (d === 'camera') out.add('scope.camera');
      else if (d === 'mic' || d === 'record') out.add('scope.record');
    }
  } catch {
    /* no location */
  }
  return out;
}

export function createWx(router: Router, platform: 'wx' | 'tt'): any {
  const appShow = new Set<(o: any) => void>();
  const appHide = new Set<(o: any) => void>();
  const netChange = new Set<(o: any) => void>();
  const denied = deniedScopes();
  // refused by `?deny=`, or taken back in the room (the permission_revoked fault)
  const refused = (scope: string): boolean => denied.has(scope) || scopeRevoked(scope);
  const authSetting = (): Record<string, boolean> => ({
    'scope.camera': !refused('scope.camera'),
    'scope.record': !refused('scope.record'),
    'scope.userInfo': true,
  });
  const api: Record<string, any> = {
    canIUse: () => true,
    getSystemInfoSync: () => systemInfo(platform),
    getSystemInfo: (o: Opts) => ok('getSystemInfo', o, systemInfo(platform)),
    getWindowInfo: () => systemInfo(platform),
    getAppBaseInfo: () => systemInfo(platform),
    getDeviceInfo: () => systemInfo(platform),
    getAccountInfoSync: () => ({ miniProgram: { appId: 'preview', envVersion: 'develop', version: '' } }),
    getLaunchOptionsSync: () => ({ path: '', query: {}, scene: 1001 }),
    getEnterOptionsSync: () => ({ path: '', query: {}, scene: 1001 }),
    // storage (per tab, so two tabs can be two users)
    setStorageSync: (k: string, v: unknown) => sessionStorage.setItem(storageKey(k), JSON.stringify(v)),
    getStorageSync: (k: string) => {
      const v = sessionStorage.getItem(storageKey(k));
      return v === null ? '' : JSON.parse(v);
    },
    removeStorageSync: (k: string) => sessionStorage.removeItem(storageKey(k)),
    clearStorageSync: () => sessionStorage.clear(),
    setStorage: (o: Opts) => {
      api.setStorageSync(o.key, o.data);
      ok('setStorage', o);
    },
    getStorage: (o: Opts) => {
      const v = sessionStorage.getItem(storageKey(o.key));
      if (v === null) fail('getStorage', o, 'data not found');
      else ok('getStorage', o, { data: JSON.parse(v) });
    },
    removeStorage: (o: Opts) => {
      api.removeStorageSync(o.key);
      ok('removeStorage', o);
    },
    // network: requests go through the preview server (which proxies /api to the local signing service)
    request: (o: Opts) => {
      let url = String(o.url);
      try {
        const u = new URL(url, location.href);
        if (u.pathname.startsWith('/api/')) url = location.origin + u.pathname + u.search;
      } catch {
        /* relative */
      }
      const method = (o.method ?? 'GET').toUpperCase();
      const headers: Record<string, string> = { ...(o.header ?? {}) };
      let body: string | undefined;
      if (method !== 'GET' && o.data !== undefined) {
        body = typeof o.data === 'string' ? o.data : JSON.stringify(o.data);
        if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
          headers['content-type'] = 'application/json';
      } else if (method === 'GET' && o.data && typeof o.data === 'object') {
        const qs = new URLSearchParams(o.data).toString();
        if (qs) url += (url.includes('?') ? '&' : '?') + qs;
      }
      let aborted = false;
      fetch(url, { method, headers, body })
        .then(async (res) => {
          if (aborted) return;
          const text = await res.text();
          let data: unknown = text;
          if (o.dataType !== 'text') {
            try {
              data = JSON.parse(text);
            } catch {
              /* keep text */
            }
          }
          const header: Record<string, string> = {};
          res.headers.forEach((v, k) => (header[k] = v));
          ok('request', o, { data, statusCode: res.status, header });
        })
        .catch((e) => !aborted && fail('request', o, String(e?.message ?? e)));
      return {
        abort: () => (aborted = true),
        onHeadersReceived: () => undefined,
        offHeadersReceived: () => undefined,
      };
    },
    // the network_change fault moves the phone to another network
    getNetworkType: (o: Opts) => ok('getNetworkType', o, { networkType: currentNetworkType() }),
    onNetworkStatusChange: (fn: (o: any) => void) => netChange.add(fn),
    offNetworkStatusChange: (fn: (o: any) => void) => netChange.delete(fn),
    // permissions: granted (the browser asks for the devices itself) unless `?deny=` refuses a scope
    getSetting: (o: Opts) => ok('getSetting', o, { authSetting: authSetting() }),
    authorize: (o: Opts) =>
      refused(o?.scope) ? fail('authorize', o, 'auth deny', { errno: 103 }) : ok('authorize', o),
    openSetting: (o: Opts) => {
      denied.clear(); // the user turned everything on in the settings page
      grantRevoked();
      ok('openSetting', o, { authSetting: authSetting() });
    },
    // the privacy layer (the `privacy` fault): needs the user's agreement until requirePrivacyAuthorize gets it
    getPrivacySetting: (o: Opts) =>
      ok('getPrivacySetting', o, { needAuthorization: privacyRefusal() === 'refused' }),
    requirePrivacyAuthorize: (o: Opts) => {
      agreePrivacy(); // the user agrees in the dialog
      ok('requirePrivacyAuthorize', o);
    },
    onNeedPrivacyAuthorization: () => undefined,
    // UI
    showToast: (o: Opts) => {
      toast(o.title ?? '', o.duration ?? 1500);
      ok('showToast', o);
    },
    hideToast: (o?: Opts) => ok('hideToast', o),
    showLoading: (o: Opts) => ok('showLoading', o),
    hideLoading: (o?: Opts) => ok('hideLoading', o),
    showModal: (o: Opts) => modal(o),
    showActionSheet: (o: Opts) => fail('showActionSheet', o, 'cancel'),
    setNavigationBarTitle: (o: Opts) => {
      document.title = o.title ?? document.title;
      ok('setNavigationBarTitle', o);
    },
    setNavigationBarColor: (o: Opts) => ok('setNavigationBarColor', o),
    setKeepScreenOn: (o: Opts) => ok('setKeepScreenOn', o),
    vibrateShort: (o?: Opts) => ok('vibrateShort', o),
    setClipboardData: (o: Opts) => {
      void navigator.clipboard?.writeText(String(o.data)).catch(() => undefined);
      ok('setClipboardData', o);
    },
    nextTick: (fn: () => void) => Promise.resolve().then(fn),
    // a code the signing service's development login stand-in accepts (login.ts)
    login: (o: Opts) => ok('login', o, previewLogin()),
    onAppShow: (fn: (o: any) => void) => appShow.add(fn),
    offAppShow: (fn: (o: any) => void) => appShow.delete(fn),
    onAppHide: (fn: (o: any) => void) => appHide.add(fn),
    offAppHide: (fn: (o: any) => void) => appHide.delete(fn),
    onMemoryWarning: () => undefined,
    reportEvent: () => undefined,
    // routing
    navigateTo: (o: Opts) => {
      router.navigateTo(o.url);
      ok('navigateTo', o);
    },
    redirectTo: (o: Opts) => {
      router.redirectTo(o.url);
      ok('redirectTo', o);
    },
    reLaunch: (o: Opts) => {
      router.reLaunch(o.url);
      ok('reLaunch', o);
    },
    switchTab: (o: Opts) => {
      router.reLaunch(o.url);
      ok('switchTab', o);
    },
    navigateBack: (o: Opts = {}) => {
      router.navigateBack(o.delta ?? 1);
      ok('navigateBack', o);
    },
    // native contexts
    createLivePusherContext: (id?: unknown, component?: any) => {
      const theId = typeof id === 'string' ? id : 'pusher';
      const comp = typeof id === 'object' ? id : component;
      return createNativeContext(
        () => findById(theId, comp, router) ?? findTag('live-pusher', comp, router),
        'pusher',
      );
    },
    createLivePlayerContext: (id: string, component?: any) =>
      createNativeContext(() => findById(id, component, router), 'player'),
    createSelectorQuery: () => {
      const root = router.currentRoot();
      return root?.instance?.createSelectorQuery?.();
    },
  };
  if (platform === 'tt') api.createRtcRoomContext = createRtcRoomContext;
  onNetworkType((networkType) => netChange.forEach((f) => f({ isConnected: true, networkType })));
  // for visibility tests (and a dev who wants to simulate backgrounding): window.__PREVIEW_APP__.hide()/show()
  (globalThis as any).__PREVIEW_APP__ = {
    hide: () => appHide.forEach((f) => f({})),
    show: () => appShow.forEach((f) => f({ path: '', query: {}, scene: 1001 })),
    networkChange: (networkType = 'wifi') =>
      netChange.forEach((f) => f({ isConnected: networkType !== 'none', networkType })),
  };
  return new Proxy(api, {
    get(target, prop: string) {
      if (prop in target) return target[prop];
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      return (o?: Opts) => {
        if (!warned.has(prop)) {
          warned.add(prop);
          log.warn(`${platform}.${prop} is not emulated; answering success`);
        }
        if (o && typeof o === 'object') ok(prop, o);
        return undefined;
      };
    },
  });
}

/** The first `<live-pusher>` below a component (for `createLivePusherContext()` without an id). */
function findTag(tag: string, component: any, router: Router): any {
  const start = component?._exparserNode ?? router.currentRoot()?._exparserNode;
  const walk = (node: any): any => {
    if (!node) return null;
    if (node.is === tag) return node;
    const kids: any[] = [...(node.shadowRoot ? node.shadowRoot.childNodes : []), ...(node.childNodes ?? [])];
    for (const k of kids) {
      if (!(k instanceof exparser.Element)) continue;
      const r = walk(k);
      if (r) return r;
    }
    return null;
  };
  const n = walk(start);
  return n ? exparser.Element.getMethodCaller(n) : null;
}
