/** WeChat: the four TRTC scenes. Audio scenes capture no camera, pull no video and show initials. */
import { settle } from './behaviour/driver';
import { userlist, type WxFake } from './helpers/wx-fake';
import { enterWx, useWxRoomLifecycle, WX_IDENTITY as BASE } from './helpers/wx-room';
import { fire, mountRoom, Mounted, nativeAttrs } from './helpers/mp';
import { appScene, buildPushUrl, recvMode } from '../utils/platform/wx/url';

let wxf: WxFake;
let m: Mounted;

useWxRoomLifecycle(
  (f) => (wxf = f),
  () => m,
);

async function enter(props: Record<string, unknown>) {
  m = await enterWx({ role: 'anchor', enableCamera: true, ...props });
}

test('push URL appscene for every scene; recvmode 2 (audio only) in the audio scenes', () => {
  const p = { ...BASE, privateMapKey: '', role: 'anchor' as const };
  expect(['rtc', 'live', 'audiocall', 'voicechatroom'].map((s) => appScene(s as never))).toEqual([
    'videocall',
    'live',
    'audiocall',
    'voicechatroom',
  ]);
  expect(buildPushUrl({ ...p, scene: 'audiocall' }, { autoSubscribe: true })).toBe(
    'room://cloud.tencent.com/rtc?sdkappid=1400000001&roomid=1234&userid=alice&usersig=sig-alice&appscene=audiocall&recvmode=2',
  );
  expect(buildPushUrl({ ...p, scene: 'voicechatroom' }, { autoSubscribe: false })).toContain(
    '&appscene=voicechatroom&recvmode=4',
  );
  expect(recvMode(true, false)).toBe(1);
});

test('audiocall: no camera at all, the local tile shows initials, a remote with video gets no video', async () => {
  await enter({ scene: 'audiocall', states: 'cameraOff' });
  expect(m.inst.data.pusher.url).toContain('appscene=audiocall&recvmode=2');
  expect(nativeAttrs(m.room, 'pusher')).toMatchObject({ enableCamera: false, enableMic: true, muted: false });
  expect(m.room.querySelectorAll('.wr-tile--local .wr-initials').map((n: any) => n.dom.textContent)).toEqual([
    'AL',
  ]);
  fire(m.room, '#pusher', 'statechange', { code: 1031, message: userlist([{ userid: 'bob' }]) });
  fire(m.room, '#pusher', 'statechange', {
    code: 1033,
    message: userlist([
      { userid: 'bob', playurl: 'room://cloud.tencent.com/rtc?userid=bob&streamtype=main', hasvideo: true },
    ]),
  });
  fire(m.room, '#pusher', 'statechange', {
    code: 1034,
    message: userlist([{ userid: 'bob', hasaudio: true }]),
  });
  await settle();
  const tile = m.inst.data.streams[0];
  expect(tile).toMatchObject({
    userID: 'bob',
    hasVideo: true,
    muteVideo: true,
    muteAudio: false,
    player: true,
  });
  expect(nativeAttrs(m.room, tile.id)).toMatchObject({ muted: false, muteVideo: true });
  expect(m.room.querySelectorAll('.wr-tile--remote .wr-initials').map((n: any) => n.dom.textContent)).toEqual(
    ['BO'],
  );
  // enableCamera cannot bring the camera back in an audio scene
  m.setProps({ enableCamera: true });
  await settle();
  expect(nativeAttrs(m.room, 'pusher').enableCamera).toBe(false);
});

test('voicechatroom: audience publishes nothing, anchor only the microphone; switching role in the room', async () => {
  await enter({ scene: 'voicechatroom', role: 'audience' });
  expect(m.inst.data.pusher.url).toContain('appscene=voicechatroom');
  expect(nativeAttrs(m.room, 'pusher')).toMatchObject({ enableCamera: false, enableMic: false });
  m.setProps({ role: 'anchor' });
  await settle();
  expect(nativeAttrs(m.room, 'pusher')).toMatchObject({ enableCamera: false, enableMic: true });
  expect(wxf.pusher.start).toHaveBeenCalledTimes(1);
  expect(wxf.pusher.stop).not.toHaveBeenCalled();
});

test('an unknown scene is -1 naming the field; start() enters nothing', async () => {
  m = mountRoom({ ...BASE, scene: 'karaoke' });
  const started = m.inst.start();
  await expect(started).rejects.toMatchObject({ code: -1, detail: { field: 'scene' } });
  expect(m.events.filter((e) => e.tag === 'error')[0]).toMatchObject({
    code: -1,
    detail: { field: 'scene', message: expect.stringContaining("'voicechatroom'") },
  });
  expect(wxf.pusher.start).not.toHaveBeenCalled();
});
