/**
 * Drop-in usage: a page written exactly like the original <webrtc-room> component's documentation
 * (test/fixtures/dropin: camelCase attributes, `start()` in the setData callback, bindRoomEvent, bindIMEvent,
 * a string sdkAppID) enters a room with the built component, unchanged.
 */
import * as fs from 'fs';
import * as path from 'path';
import { load } from './helpers/mp';
import { mountPage, pusherEntersWithBob } from './helpers/page';
import { installWx } from './helpers/wx-fake';

const DIST = path.resolve(__dirname, '../dist/wx');
const FIXTURE = path.join(__dirname, 'fixtures/dropin');

test('the original documentation page enters a room and sees a remote user', async () => {
  expect(fs.existsSync(path.join(DIST, 'components/webrtc-room/index.js'))).toBe(true);
  const wxf = installWx();
  const id = load(
    path.join(DIST, 'components/webrtc-room/index'),
    'webrtc-room',
    ['components/webrtc-room/index.wxml'],
    DIST,
  );
  const credentials = {
    userID: 'xiaoming',
    userSig: 'sig',
    sdkAppID: '1400087915',
    roomID: 12345,
    privateMapKey: 'pmk',
  };
  const events: Array<{ tag: string; code: number }> = [];
  const page = mountPage(FIXTURE, 'pages/room/index', { 'webrtc-room': id }, { globals: { credentials } });
  const room = page.host.querySelector('#webrtcroomid');
  room.addEventListener('RoomEvent', (e: { detail: { tag: string; code: number } }) => events.push(e.detail));
  expect(page.page.lastError).toBeUndefined();
  await pusherEntersWithBob(room, wxf.pusher.start);
  expect(events.map((e) => e.tag)).toEqual(['enter_room', 'user_join']);
  expect(room.instance.data).toMatchObject({
    userID: 'xiaoming',
    roomID: 12345,
    template: 'float',
    beauty: 3,
    privateMapKey: 'pmk',
  });
  expect(Number(room.instance.data.sdkAppID)).toBe(1400087915);
  page.unload();
  expect(wxf.pusher.stop).toHaveBeenCalledTimes(1);
});
