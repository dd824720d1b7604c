/**
 * Smoke test on the built output: the component in dist/wx (what DevTools and `npm publish` ship) loads,
 * enters a room and renders a remote tile. `npm test` builds before jest runs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { installWx, userlist } from './helpers/wx-fake';
import { mountRoom } from './helpers/mp';

const DIST = path.resolve(__dirname, '../dist/wx');

test('dist/wx exists (run `npm run build` first)', () => {
  expect(fs.existsSync(path.join(DIST, 'components/webrtc-room/index.js'))).toBe(true);
});

test('the built component enters a room and shows a remote user', async () => {
  const wxf = installWx();
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
  const { events, host, room } = mountRoom(
    { sdkAppID: 1400000001, userID: 'alice', userSig: 'sig', roomID: 7 },
    { root: DIST },
  );
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
