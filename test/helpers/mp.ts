/**
 * miniprogram-simulate helpers: load the real component sources (TS through jest, WXML/WXS through the
 * official wcc) inside a host page that records every RoomEvent.
 */
import * as path from 'path';
import * as fs from 'fs';
import * as os from 'os';
import simulate from 'miniprogram-simulate';

export const ROOT = path.resolve(__dirname, '../..');

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

let ttRoot = '';

/**
 * The Douyin source view for simulate: a temp tree where templates/media.wxml is media.tt.wxml (wcc looks
 * templates up by path) and index.js loads the real index.ts, whose `./platform` becomes platform.tt.ts.
 * Built once per test file (each jest worker has its own tmp dir).
 */
function ttSourceTree(): string {
  if (!ttRoot) {
    ttRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'webrtc-room-tt-'));
    const comp = path.join(ttRoot, 'components/webrtc-room');
    fs.mkdirSync(comp, { recursive: true });
    const src = path.join(ROOT, 'components/webrtc-room');
    fs.copyFileSync(path.join(src, 'index.wxml'), path.join(comp, 'index.wxml'));
    fs.copyFileSync(path.join(src, 'index.json'), path.join(comp, 'index.json'));
    fs.copyFileSync(path.join(src, 'index.wxss'), path.join(comp, 'index.wxss'));
    fs.writeFileSync(
      path.join(comp, 'index.js'),
      `module.exports = require(${JSON.stringify(path.join(src, 'index.ts'))});\n`,
    );
    // the media partial and any other `name.tt.ext` replace `name.ext`, as in dist/tt
    for (const f of [...listRel('templates', '.wxs'), ...listRel('templates', '.wxml')]) {
      const ext = path.extname(f);
      const tt = f.slice(0, -ext.length) + '.tt' + ext;
      const from = fs.existsSync(path.join(ROOT, tt)) ? tt : f;
      fs.mkdirSync(path.dirname(path.join(ttRoot, f)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, from), path.join(ttRoot, f));
    }
  }
  jest.doMock(path.join(ROOT, 'components/webrtc-room/platform'), () =>
    jest.requireActual(path.join(ROOT, 'components/webrtc-room/platform.tt')),
  );
  return ttRoot;
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
  opts: { wxml?: string; platform?: 'wx' | 'tt' } = {},
): Mounted {
  const root = opts.platform === 'tt' ? ttSourceTree() : ROOT;
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
