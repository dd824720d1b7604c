/**
 * First use on Douyin, following the README's "Douyin consumers" section literally: the packed tarball installed
 * into a scratch Douyin project, the section's shell commands run there, then its page (json, ttml, js) enters a
 * room through the copied component (the component's JS as the runtime loads it, with the Douyin fake).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  removeTmpDirs,
  installTarball,
  listFiles,
  packTarball,
  tmpDir,
  writeFiles,
} from '../helpers/consumer';
import { instantiate, loadComponent, setProperties } from '../helpers/dist-component';
import { readPage } from '../helpers/page';
import { readmeFiles } from '../helpers/readme-files';
import { TtFake } from '../helpers/tt-fake';

jest.setTimeout(120000);

const APP_ID = '618a0ef784f0cc00c33bd7fc';
let project = '';
let readme: Record<string, string> = {};

afterAll(removeTmpDirs);

beforeAll(() => {
  project = tmpDir('tt-consumer');
  readme = readmeFiles('consumer-tt');
  const { sh, ...pageFiles } = readme;
  writeFiles(project, {
    'project.config.json': JSON.stringify({ appid: 'testappId', compileType: 'miniprogram' }),
    'app.json': JSON.stringify({ pages: ['pages/room/index'], usePrivacyCheck: true }),
    'app.js': 'App({});\n',
    ...pageFiles,
  });
  installTarball(project, packTarball());
  const r = spawnSync('bash', ['-euo', 'pipefail', '-c', sh], { cwd: project, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the README's commands failed:\n${r.stderr}`);
});

function componentPath(): string {
  const json = JSON.parse(readme['pages/room/index.json']) as { usingComponents: Record<string, string> };
  const p = json.usingComponents['webrtc-room'];
  expect(p.startsWith('/')).toBe(true); // from the project root
  return path.join(project, p);
}

test('the README gives the commands and the page files', () => {
  expect(Object.keys(readme).sort()).toEqual([
    'pages/room/index.js',
    'pages/room/index.json',
    'pages/room/index.ttml',
    'sh',
  ]);
});

test('the copied folder is a Douyin component tree that only refers to itself', () => {
  const comp = componentPath();
  for (const ext of ['.js', '.json', '.ttml', '.ttss']) expect(fs.existsSync(comp + ext)).toBe(true);
  const dir = path.join(project, 'webrtc-room');
  const files = listFiles(dir);
  expect(files.filter((f) => /\.(wxml|wxss|wxs|ts)$/.test(f))).toEqual([]);
  const inside = (from: string, rel: string) => {
    const target = path.resolve(path.dirname(path.join(dir, from)), rel);
    return (
      !path.relative(dir, target).startsWith('..') && (fs.existsSync(target) || fs.existsSync(target + '.js'))
    );
  };
  const broken: string[] = [];
  for (const f of files) {
    const src = fs.readFileSync(path.join(dir, f), 'utf8');
    if (f.endsWith('.js'))
      for (const m of src.matchAll(/require\("([^"]+)"\)/g))
        if (!inside(f, m[1])) broken.push(`${f} → ${m[1]}`);
    if (f.endsWith('.ttml'))
      for (const m of src.matchAll(/<(?:sjs|import|include)\b[^>]*\bsrc="([^"]+)"/g))
        if (!inside(f, m[1])) broken.push(`${f} → ${m[1]}`);
    if (f.endsWith('.sjs'))
      for (const m of src.matchAll(/require\(\s*'([^']+)'\s*\)/g))
        if (!inside(f, m[1])) broken.push(`${f} → ${m[1]}`);
  }
  expect(broken).toEqual([]);
});

/** The page's `<webrtc-room>` attributes: bound ones ({{key}}), literal ones, and the event handler. */
function roomAttributes(ttml: string) {
  const tag = /<webrtc-room\b([\s\S]*?)\/>/.exec(ttml);
  if (!tag) throw new Error('no <webrtc-room> in the page');
  const bound: Record<string, string> = {};
  const literal: Record<string, string> = {};
  let handler = '';
  for (const [, name, value] of tag[1].matchAll(/([\w-]+)="([^"]*)"/g)) {
    const prop = name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const b = /^\{\{(\w+)\}\}$/.exec(value);
    if (name === 'bindRoomEvent') handler = value;
    else if (name === 'id') continue;
    else if (b) bound[prop] = b[1];
    else literal[prop] = value;
  }
  return { bound, literal, handler };
}

test('the README page enters a room through the copied component', async () => {
  const fake = new TtFake();
  const requests: unknown[] = [];
  const tt = {
    createRtcRoomContext: fake.createRtcRoomContext,
    getSystemInfoSync: () => ({ ...fake.system }),
    request: (o: { data: unknown; success: (r: unknown) => void }) => {
      requests.push(o.data);
      setTimeout(() =>
        o.success({
          statusCode: 200,
          data: {
            platform: 'tt',
            sdkAppID: APP_ID,
            userID: 'alice',
            roomID: 1234,
            userSig: 'tok',
            expireAt: 0,
          },
        }),
      );
    },
  };
  const { bound, literal, handler } = roomAttributes(readme['pages/room/index.ttml']);
  expect(bound).toMatchObject({
    sdkAppID: 'sdkAppID',
    userID: 'userID',
    userSig: 'userSig',
    roomID: 'roomID',
  });
  const def = readPage(path.join(project, 'pages/room/index.js'), { tt });
  const page: Record<string, any> = { ...def, data: JSON.parse(JSON.stringify(def.data)) };
  const props = () => Object.fromEntries(Object.entries(bound).map(([prop, key]) => [prop, page.data[key]]));
  const events: Array<{ tag: string }> = [];
  const comp = loadComponent(componentPath() + '.js', { tt });
  const inst = instantiate(comp, { ...literal, ...props() }, (name, detail) => {
    if (name !== 'RoomEvent') return;
    events.push(detail);
    page[handler]({ detail });
  });
  page.setData = (patch: Record<string, unknown>, cb?: () => void) => {
    Object.assign(page.data, patch);
    setProperties(comp, inst, props());
    if (cb) void Promise.resolve().then(() => cb.call(page));
  };
  page.selectComponent = (sel: string) => (sel === '#room' ? inst : null);
  comp.lifetimes.attached.call(inst);
  page.onLoad.call(page, {});
  for (let i = 0; i < 20 && !events.some((e) => e.tag === 'enter_room'); i++)
    await new Promise((r) => setTimeout(r, 20));
  expect(requests).toEqual([{ platform: 'tt', userID: 'alice', roomID: 1234 }]);
  expect(fake.createRtcRoomContext).toHaveBeenCalledWith({ appId: APP_ID });
  expect(fake.ctx.callsOf('joinRtcRoom')[0]).toMatchObject({ roomId: '1234', userId: 'alice', token: 'tok' });
  expect(events.map((e) => e.tag)).toContain('enter_room');
  comp.lifetimes.detached.call(inst);
  expect(fake.ctx.callsOf('exitRtcRoom')).toEqual([{ roomId: '1234' }]);
});
