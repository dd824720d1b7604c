/**
 * First use on WeChat, as a developer does it: the packed tarball installed into a scratch mini-program
 * project, WeChat's own npm builder (`miniprogram-ci` packNpm, what DevTools' "Build npm" runs), then the
 * README's page loading the component from the builder's output (miniprogram_npm/) and entering a room.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  removeTmpDirs,
  installTarball,
  installedPackages,
  listFiles,
  packTarball,
  runPackNpm,
  tmpDir,
  writeFiles,
  type PackNpmResult,
} from '../helpers/consumer';
import { load } from '../helpers/mp';
import { mountPage, pusherEntersWithBob } from '../helpers/page';
import { readmeFiles } from '../helpers/readme-files';
import { installWx } from '../helpers/wx-fake';

jest.setTimeout(180000);

let project = '';
let built: PackNpmResult;
let installLog = '';

afterAll(removeTmpDirs);

beforeAll(() => {
  project = tmpDir('wx-consumer');
  writeFiles(project, {
    'project.config.json': JSON.stringify({ appid: 'wx0000000000000001', compileType: 'miniprogram' }),
    'app.json': JSON.stringify({ pages: ['pages/room/index'] }),
    'app.js': 'App({});\n',
    ...readmeFiles(),
  });
  installLog = installTarball(project, packTarball());
  built = runPackNpm(project);
});

test('the README gives the page its three files', () => {
  expect(Object.keys(readmeFiles()).sort()).toEqual([
    'pages/room/index.js',
    'pages/room/index.json',
    'pages/room/index.wxml',
  ]);
});

test('installing the package brings no other package (no runtime dependencies)', () => {
  expect(installedPackages(project)).toEqual(['webrtc-room']);
  expect(installLog).not.toMatch(/EBADENGINE|deprecated/);
});

test("WeChat's npm builder (miniprogram-ci packNpm) builds the project into miniprogram_npm/webrtc-room", () => {
  expect(built).toEqual({ ok: true, warnings: [] });
  expect(fs.readdirSync(path.join(project, 'miniprogram_npm'))).toEqual(['webrtc-room']);
  const out = listFiles(path.join(project, 'miniprogram_npm/webrtc-room'));
  for (const f of ['index.js', 'components/webrtc-room/index.js', 'components/webrtc-room/index.wxml'])
    expect(out).toContain(f);
  // exactly the package's dist/wx, nothing of the Douyin build or the types
  expect(out.filter((f) => /\.(ttml|ttss|sjs|ts)$/.test(f))).toEqual([]);
});

test("the README page, loaded from the builder's output, enters a room", async () => {
  const wxf = installWx();
  const requests: Array<{ url: string; data: unknown }> = [];
  (globalThis as any).wx.request = (o: { url: string; data: unknown; success: (r: unknown) => void }) => {
    requests.push({ url: o.url, data: o.data });
    // what the signing service answers (server/ README table)
    setTimeout(() =>
      o.success({
        statusCode: 200,
        data: {
          platform: 'wx',
          sdkAppID: 1400000001,
          userID: 'alice',
          roomID: 1234,
          userSig: 'sig',
          privateMapKey: 'pmk',
          expireAt: 0,
        },
      }),
    );
  };
  const root = path.join(project, 'miniprogram_npm/webrtc-room');
  const id = load(
    path.join(root, 'components/webrtc-room/index'),
    'webrtc-room',
    ['components/webrtc-room/index.wxml'],
    root,
  );
  const events: Array<{ tag: string }> = [];
  const page = mountPage(
    project,
    'pages/room/index',
    { 'webrtc-room': id },
    { globals: { wx: (globalThis as any).wx } },
  );
  const onRoomEvent = page.page.onRoomEvent as (e: { detail: { tag: string } }) => void;
  page.page.onRoomEvent = (e: { detail: { tag: string } }) => {
    events.push(e.detail);
    onRoomEvent.call(page.page, e);
  };
  expect(requests).toEqual([
    {
      url: 'https://your.server.example/api/credentials',
      data: { platform: 'wx', userID: 'alice', roomID: 1234 },
    },
  ]);
  const room = page.host.querySelector('#room');
  await pusherEntersWithBob(room, wxf.pusher.start);
  expect(events.map((e) => e.tag)).toEqual(['enter_room', 'user_join']);
  expect(room.instance.data).toMatchObject({
    sdkAppID: 1400000001,
    userID: 'alice',
    roomID: 1234,
    privateMapKey: 'pmk',
  });
  page.unload();
  expect(wxf.pusher.stop).toHaveBeenCalledTimes(1);
});
