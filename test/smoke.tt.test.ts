/**
 * Smoke test on the built Douyin project (dist/tt, from `npm run build`; built here if missing):
 * the tree the Douyin IDE opens, then the shipped component JS run with a fake `tt` and a captured
 * `Component()` definition: start() → createRtcRoomContext({appId}) → joinRtcRoom.
 */
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { TtFake } from './helpers/tt-fake';

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist/tt');
const COMP = path.join(DIST, 'components/webrtc-room');

function files(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => f.replace(/\\/g, '/'));
}

beforeAll(() => {
  if (!fs.existsSync(path.join(COMP, 'index.js'))) {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/gulp/bin/gulp.js'), 'build'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}\n${r.stderr}`);
  }
}, 180000);

describe('dist/tt tree', () => {
  test('a Douyin project: its own project.config.json, ttml/ttss/sjs, no WeChat-only file', () => {
    const all = files(DIST);
    const config = JSON.parse(fs.readFileSync(path.join(DIST, 'project.config.json'), 'utf8'));
    expect(config).toMatchObject({ compileType: 'miniprogram' });
    expect(all.filter((f) => /\.(wxml|wxss|wxs)$/.test(f))).toEqual([]);
    expect(all.filter((f) => /\.(tt|wx)\.[a-z]+$/.test(f))).toEqual([]);
    expect(all.filter((f) => f.endsWith('.ts'))).toEqual([]);
    for (const f of ['index.js', 'index.json', 'index.ttml', 'index.ttss', 'platform.js'])
      expect(all).toContain(`components/webrtc-room/${f}`);
  });

  test('index.ttml + its media partial: tt: directives, rtc-room, no live-pusher/live-player, every path resolves', () => {
    const ttml = fs.readFileSync(path.join(COMP, 'index.ttml'), 'utf8');
    const media = fs.readFileSync(path.join(DIST, 'templates/media.ttml'), 'utf8');
    expect(ttml).toMatch(/tt:for=/);
    expect(ttml).toMatch(/<import src="..\/..\/templates\/media.ttml"/);
    for (const src of [ttml, media]) {
      expect(src).not.toMatch(/\swx:/);
      expect(src).not.toMatch(/live-pusher|live-player/);
    }
    expect(media).toMatch(/<rtc-room[^>]*\btt:if="{{item.player}}"/);
    for (const f of files(DIST).filter((x) => x.endsWith('.ttml'))) {
      const src = fs.readFileSync(path.join(DIST, f), 'utf8');
      for (const m of src.matchAll(/<(?:sjs|import|include)\b[^>]*\bsrc="([^"]+)"/g)) {
        expect(fs.existsSync(path.resolve(path.dirname(path.join(DIST, f)), m[1]))).toBe(true);
      }
    }
    for (const f of files(DIST).filter((x) => x.endsWith('.sjs'))) {
      const src = fs.readFileSync(path.join(DIST, f), 'utf8');
      for (const m of src.matchAll(/require\(\s*'([^']+)'\s*\)/g)) {
        expect(m[1]).toMatch(/\.sjs$/);
        expect(fs.existsSync(path.resolve(path.dirname(path.join(DIST, f)), m[1]))).toBe(true);
      }
    }
  });

  test('JS: no wx. calls, every relative require resolves, the Douyin adapter is the platform', () => {
    // our own JS; the demo's vendored chat SDK (miniprogram_npm) detects the platform itself
    for (const f of files(DIST).filter((x) => x.endsWith('.js') && !x.startsWith('miniprogram_npm'))) {
      const src = fs.readFileSync(path.join(DIST, f), 'utf8');
      expect({ f, wx: /(^|[^\w$.'"`])wx\.[A-Za-z_$]/.test(src) }).toEqual({ f, wx: false });
      for (const m of src.matchAll(/require\("(\.[^"]+)"\)/g)) {
        const target = path.resolve(path.dirname(path.join(DIST, f)), m[1]);
        expect(fs.existsSync(target + '.js') || fs.existsSync(target)).toBe(true);
      }
    }
    const platform = fs.readFileSync(path.join(COMP, 'platform.js'), 'utf8');
    expect(platform).toMatch(/createRtcRoomContext/);
    expect(platform).not.toMatch(/createLivePusherContext/);
  });
});

/** A CommonJS loader for dist files, outside jest's module system (as the mini-program runtime loads them). */
function loadDist(entry: string, globals: Record<string, unknown>): void {
  const cache = new Map<string, { exports: unknown }>();
  const req = (file: string): unknown => {
    const abs = fs.existsSync(file) ? file : file + '.js';
    const hit = cache.get(abs);
    if (hit) return hit.exports;
    const module = { exports: {} as unknown };
    cache.set(abs, module);
    const names = Object.keys(globals);
    const fn = new Function('require', 'module', 'exports', ...names, fs.readFileSync(abs, 'utf8'));
    fn(
      (p: string) => req(path.resolve(path.dirname(abs), p)),
      module,
      module.exports,
      ...names.map((n) => globals[n]),
    );
    return module.exports;
  };
  req(entry);
}

test('the shipped component JS enters a room through RtcRoomContext', async () => {
  jest.useFakeTimers();
  const fake = new TtFake();
  type Def = {
    data: Record<string, unknown>;
    properties: Record<string, { value?: unknown }>;
    methods: Record<string, (...a: unknown[]) => unknown>;
    lifetimes: Record<string, () => void>;
  };
  let def: Def | null = null;
  loadDist(path.join(COMP, 'index.js'), {
    tt: { createRtcRoomContext: fake.createRtcRoomContext, getSystemInfoSync: () => ({ ...fake.system }) },
    Component: (d: Def) => (def = d),
    Behavior: (b: unknown) => b,
  });
  expect(def).not.toBeNull();
  const d = def as unknown as Def;
  const events: Array<{ tag: string }> = [];
  const props: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d.properties))
    props[k] = v && typeof v === 'object' ? v.value : undefined;
  const inst: Record<string, any> = {
    data: {
      ...d.data,
      ...props,
      sdkAppID: '618a0ef784f0cc00c33bd7fc',
      userID: 'alice',
      userSig: 'tok',
      roomID: 1234,
    },
    setData(patch: Record<string, unknown>, cb?: () => void) {
      Object.assign(this.data, patch);
      cb?.();
    },
    triggerEvent(name: string, detail: { tag: string }) {
      if (name === 'RoomEvent') events.push(detail);
    },
  };
  for (const [k, fn] of Object.entries(d.methods)) inst[k] = fn.bind(inst);
  d.lifetimes.attached.call(inst);
  const started = inst.start() as Promise<{ elapsed: number }>;
  for (let i = 0; i < 6; i++) {
    for (let j = 0; j < 20; j++) await Promise.resolve();
    jest.advanceTimersByTime(20);
  }
  await expect(started).resolves.toEqual({ elapsed: expect.any(Number) });
  expect(fake.createRtcRoomContext).toHaveBeenCalledWith({ appId: '618a0ef784f0cc00c33bd7fc' });
  expect(fake.ctx.callsOf('joinRtcRoom')[0]).toMatchObject({ roomId: '1234', userId: 'alice', token: 'tok' });
  expect(events.map((e) => e.tag)).toContain('enter_room');
  d.lifetimes.detached.call(inst);
  expect(fake.ctx.callsOf('exitRtcRoom')).toEqual([{ roomId: '1234' }]);
  jest.useRealTimers();
});
