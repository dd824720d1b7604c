/**
 * Smoke test on the built output: the component in dist/wx (what DevTools and `npm publish` ship) loads,
 * enters a room and renders a remote tile. `npm test` builds before jest runs.
 */
import * as fs from 'fs';
import * as path from 'path';
import simulate from 'miniprogram-simulate';
import { installWx, userlist } from './helpers/wx-fake';

const DIST = path.resolve(__dirname, '../dist/wx');

function listRel(dir: string, ext: string): string[] {
  return (fs.readdirSync(path.join(DIST, dir), { recursive: true }) as string[])
    .filter((f) => f.endsWith(ext))
    .map((f) => path.join(dir, f));
}

test('dist/wx exists (run `npm run build` first)', () => {
  expect(fs.existsSync(path.join(DIST, 'components/webrtc-room/index.js'))).toBe(true);
});

test('the built component enters a room and shows a remote user', async () => {
  const wxf = installWx();
  let id = '';
  // extras.js (BGM, SEI, snapshot, capabilities, preflight) is required by the first such call, not before
  const extrasFile = path.join(DIST, 'components/webrtc-room/extras.js');
  let extrasLoads = 0;
  jest.doMock(extrasFile, () => {
    extrasLoads++;
    return jest.requireActual(extrasFile);
  });
  // so is lang-en.js (the English messages) by the first error or warning
  const englishFile = path.join(DIST, 'components/webrtc-room/lang-en.js');
  let englishLoads = 0;
  jest.doMock(englishFile, () => {
    englishLoads++;
    return jest.requireActual(englishFile);
  });
  jest.isolateModules(() => {
    id = simulate.load(path.join(DIST, 'components/webrtc-room/index'), 'webrtc-room', {
      rootPath: DIST,
      compilerOptions: {
        wxmlList: ['components/webrtc-room/index.wxml', ...listRel('templates', '.wxml')],
        wxsList: listRel('templates', '.wxs'),
      },
    } as never);
  });
  const events: Array<{ tag: string }> = [];
  const hostId = simulate.load({
    usingComponents: { 'webrtc-room': id },
    template:
      '<webrtc-room id="room" sdk-app-i-d="{{1400000001}}" user-i-d="alice" user-sig="sig" room-i-d="{{7}}" bindRoomEvent="on"></webrtc-room>',
    methods: { on: (e: { detail: { tag: string } }) => events.push(e.detail) },
  } as never);
  const host = simulate.render(hostId);
  host.attach(document.createElement('parent-wrapper'));
  const room = host.querySelector('#room') as any;
  const started = room.instance.start();
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 20));
  expect(wxf.pusher.start).toHaveBeenCalledTimes(1);
  const pusher = room.querySelector('#pusher')._exparserNode;
  pusher.triggerEvent('statechange', { code: 1018, message: 'onEnterRoom success, time cost[10]' }, {});
  pusher.triggerEvent('statechange', { code: 1031, message: userlist([{ userid: 'bob' }]) }, {});
  await started;
  await new Promise((r) => setTimeout(r, 40));
  expect(events.map((e) => e.tag)).toEqual(['enter_room', 'user_join']);
  expect(room.querySelectorAll('.wr-tile--remote').length).toBe(1);
  expect([extrasLoads, englishLoads]).toEqual([0, 0]);
  expect(room.instance.getCapabilities()).toMatchObject({ platform: 'wx', rtc: true });
  await expect(room.instance.snapshot(42)).rejects.toMatchObject({
    code: -1,
    detail: { field: 'userID', message: 'userID must be a string' },
  });
  expect([extrasLoads, englishLoads]).toEqual([1, 1]);
  host.detach();
  expect(wxf.pusher.stop).toHaveBeenCalledTimes(1);
});

test('no TypeScript, platform overrides or server code in dist/wx', () => {
  const all = fs.readdirSync(DIST, { recursive: true }) as string[];
  expect(all.filter((f) => f.endsWith('.ts') || f.includes('.tt.') || f.startsWith('server'))).toEqual([]);
});
