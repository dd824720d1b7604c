/**
 * miniprogram-simulate helpers: load the component as it ships — the bundled, minified dist/wx or dist/tt
 * (`npm run build`; `npm test` builds first) — inside a host page that records every RoomEvent. WXML/WXS go
 * through the official wcc. `WEBRTC_ROOM_SOURCES=1 npx jest …` loads the TypeScript sources instead (quick
 * iteration without a build); the default, and CI, is dist.
 */
import * as path from 'path';
import * as fs from 'fs';
import * as os from 'os';
import simulate from 'miniprogram-simulate';
import { distRoot } from './dist';

export { distRoot };

export const ROOT = path.resolve(__dirname, '../..');

/** true: tests run the sources through jest (opt-in); false: the built dist/ trees. */
export const FROM_SOURCES = process.env.WEBRTC_ROOM_SOURCES === '1';

function listRel(dir: string, ext: string, root = ROOT): string[] {
  const abs = path.join(root, dir);
  return (fs.readdirSync(abs, { recursive: true }) as string[])
    .filter((f) => f.endsWith(ext) && !f.includes('.tt.'))
    .map((f) => path.join(dir, f).replace(/\\/g, '/'));
}

/** simulate.load once per call (jest's require cache would otherwise hand back a dead component, see toolchain.md S1). */
export function load(componentPath: string, tagName: string, wxml: string[], root = ROOT): string {
  let id = '';
  jest.isolateModules(() => {
    id = simulate.load(componentPath, tagName, {
      rootPath: root,
      // the component's own markup plus the shared templates it imports
      compilerOptions: {
        wxmlList: [...wxml, ...listRel('templates', '.wxml', root)],
        wxsList: listRel('templates', '.wxs', root),
      },
    } as never);
  });
  return id;
}

const ttRoots: Record<string, string> = {};

/** TTML → WXML for the official wcc (simulate compiles the WeChat dialect only); JS is left as built. */
function ttmlAsWxml(src: string): string {
  return src
    .replace(/(\s)tt:(if|elif|else|for|for-item|for-items|for-index|key)(?=[\s=/>])/g, '$1wx:$2')
    .replace(/\.ttml(["'])/g, '.wxml$1')
    .replace(/<sjs\b([^>]*?)\bsrc\s*=\s*(["'])([^"']*?)\.sjs\2/g, '<wxs$1src=$2$3.wxs$2')
    .replace(/<sjs\b/g, '<wxs')
    .replace(/<\/sjs>/g, '</wxs>');
}

/**
 * The Douyin view for simulate. From dist/tt: a temp copy in the WeChat dialect (file extensions, `tt:`
 * directives, `<sjs>`), the bundled JS untouched. From the sources: a temp tree where templates/media.wxml is
 * media.tt.wxml and index.js loads index.ts with `./platform` mocked to platform.tt.ts.
 * Built once per test file (each jest worker has its own tmp dir).
 */
function ttTree(): string {
  const key = FROM_SOURCES ? 'src' : 'dist';
  if (ttRoots[key]) {
    if (FROM_SOURCES) mockTtPlatform();
    return ttRoots[key];
  }
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'webrtc-room-tt-'));
  ttRoots[key] = out;
  if (!FROM_SOURCES) {
    const dist = distRoot('tt');
    for (const f of fs.readdirSync(dist, { recursive: true }) as string[]) {
      const from = path.join(dist, f);
      if (!fs.statSync(from).isFile() || f.startsWith('miniprogram_npm')) continue;
      const rel = f
        .replace(/\.ttml$/, '.wxml')
        .replace(/\.ttss$/, '.wxss')
        .replace(/\.sjs$/, '.wxs');
      const to = path.join(out, rel);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      const text = fs.readFileSync(from, 'utf8');
      if (rel.endsWith('.wxml')) fs.writeFileSync(to, ttmlAsWxml(text));
      else if (rel.endsWith('.wxs')) fs.writeFileSync(to, text.replace(/\.sjs(["'])/g, '.wxs$1'));
      else if (rel.endsWith('.wxss')) fs.writeFileSync(to, text.replace(/\.ttss(["'])/g, '.wxss$1'));
      else fs.writeFileSync(to, text);
    }
    return out;
  }
  const comp = path.join(out, 'components/webrtc-room');
  fs.mkdirSync(comp, { recursive: true });
  const src = path.join(ROOT, 'components/webrtc-room');
  for (const f of ['index.wxml', 'index.json', 'index.wxss'])
    fs.copyFileSync(path.join(src, f), path.join(comp, f));
  fs.writeFileSync(
    path.join(comp, 'index.js'),
    `module.exports = require(${JSON.stringify(path.join(src, 'index.ts'))});\n`,
  );
  // the media partial and any other `name.tt.ext` replace `name.ext`, as in dist/tt
  for (const f of [...listRel('templates', '.wxs'), ...listRel('templates', '.wxml')]) {
    const ext = path.extname(f);
    const tt = f.slice(0, -ext.length) + '.tt' + ext;
    const from = fs.existsSync(path.join(ROOT, tt)) ? tt : f;
    fs.mkdirSync(path.dirname(path.join(out, f)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, from), path.join(out, f));
  }
  mockTtPlatform();
  return out;
}

function mockTtPlatform(): void {
  jest.doMock(path.join(ROOT, 'components/webrtc-room/platform'), () =>
    jest.requireActual(path.join(ROOT, 'components/webrtc-room/platform.tt')),
  );
}

/** Where a platform's component tree is for this run: dist/wx, a WeChat-dialect copy of dist/tt, or sources. */
export function componentRoot(platform: 'wx' | 'tt' = 'wx'): string {
  if (platform === 'tt') return ttTree();
  return FROM_SOURCES ? ROOT : distRoot('wx');
}

export interface RecordedEvent {
  tag: string;
  code: number;
  detail: Record<string, unknown>;
}

export interface Mounted {
  /** j-component root (attach/detach/setData/querySelector); its d.ts lags the runtime */
  host: any;
  room: any;
  /** the component instance (methods, data, setData) */
  inst: Record<string, any>;
  events: RecordedEvent[];
  setProps(data: Record<string, unknown>): void;
}

/** Mounts `<webrtc-room>` with the given properties inside a host that records `RoomEvent`. */
export function mountRoom(
  props: Record<string, unknown>,
  opts: { wxml?: string; platform?: 'wx' | 'tt'; root?: string } = {},
): Mounted {
  const root = opts.root ?? componentRoot(opts.platform);
  const roomId = load(
    path.join(root, 'components/webrtc-room/index'),
    'webrtc-room',
    [opts.wxml ?? 'components/webrtc-room/index.wxml'],
    root,
  );
  const keys = Object.keys(props);
  const attrs = keys.map((k) => `${k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}="{{${k}}}"`).join(' ');
  const events: RecordedEvent[] = [];
  const hostId = simulate.load({
    usingComponents: { 'webrtc-room': roomId },
    template: `<webrtc-room id="room" ${attrs} bindRoomEvent="onRoomEvent"></webrtc-room>`,
    data: { ...props },
    methods: {
      onRoomEvent(e: { detail: RecordedEvent }) {
        events.push(e.detail);
      },
    },
  } as never);
  const host = simulate.render(hostId) as Mounted['host'];
  host.attach(document.createElement('parent-wrapper'));
  const room = host.querySelector('#room');
  const inst = (room as unknown as { instance: Record<string, any> }).instance;
  return {
    host,
    room,
    inst,
    events,
    setProps: (data) => host.setData(data),
  };
}

/** Fire a native event on an element inside the room, synchronously and without bubbling (toolchain.md S4). */
export function fire(room: Mounted['room'], selector: string, type: string, detail: unknown): void {
  const node = (room as any).querySelector(selector);
  if (!node) throw new Error(`no element ${selector}`);
  node._exparserNode.triggerEvent(type, detail, {});
}

interface JsonNode {
  tagName: string;
  attrs?: Array<{ name: string; value: unknown }>;
  children?: JsonNode[];
}

/** The attributes (`data-*` included) of every native view with this tag, in document order. */
export function nativeViews(room: Mounted['room'], tag: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const walk = (n: JsonNode): void => {
    if (n.tagName === tag || n.tagName === `wx-${tag}`) {
      out.push(Object.fromEntries((n.attrs ?? []).map((a) => [a.name, a.value])));
    }
    for (const c of n.children ?? []) walk(c);
  };
  walk((room as unknown as { toJSON(): JsonNode }).toJSON());
  return out;
}

/** The attributes a native view (live-pusher, live-player, rtc-room) received, by element id. */
export function nativeAttrs(room: Mounted['room'], id: string): Record<string, unknown> {
  const walk = (n: JsonNode): Record<string, unknown> | null => {
    const attrs = Object.fromEntries((n.attrs ?? []).map((a) => [a.name, a.value]));
    if (attrs.id === id) return attrs;
    for (const c of n.children ?? []) {
      const hit = walk(c);
      if (hit) return hit;
    }
    return null;
  };
  const hit = walk((room as unknown as { toJSON(): JsonNode }).toJSON());
  if (!hit) throw new Error(`no native view #${id}`);
  return hit;
}
