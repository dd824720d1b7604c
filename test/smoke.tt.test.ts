/**
 * Smoke test on the built Douyin project (dist/tt, from `npm run build`; built here if missing):
 * the tree the Douyin IDE opens, then the shipped component JS run with a fake `tt` and a captured
 * `Component()` definition: start() → createRtcRoomContext({appId}) → joinRtcRoom.
 */
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { TtFake } from './helpers/tt-fake';
import { instantiate, loadComponent } from './helpers/dist-component';

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
    for (const f of [
      'index.js',
      'index.json',
      'index.ttml',
      'index.ttss',
      'chat.js',
      'lang-zh.js',
      'lang-en.js',
      'extras.js',
    ])
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
    // one bundle: the Douyin adapter is inside index.js, the WeChat one is not
    const platform = fs.readFileSync(path.join(COMP, 'index.js'), 'utf8');
    expect(platform).toMatch(/createRtcRoomContext/);
    expect(platform).not.toMatch(/createLivePusherContext/);
  });
});

test('the shipped component JS enters a room through RtcRoomContext', async () => {
  jest.useFakeTimers();
  const fake = new TtFake();
  const events: Array<{ tag: string }> = [];
  const d = loadComponent(path.join(COMP, 'index.js'), {
    tt: { createRtcRoomContext: fake.createRtcRoomContext, getSystemInfoSync: () => ({ ...fake.system }) },
  });
  const inst = instantiate(
    d,
    { sdkAppID: '618a0ef784f0cc00c33bd7fc', userID: 'alice', userSig: 'tok', roomID: 1234 },
    (name, detail) => name === 'RoomEvent' && events.push(detail),
  );
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
