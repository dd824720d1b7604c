/**
 * Every attribute a native view gets is validated before it gets there: the markup binds the native views
 * (live-pusher, live-player, Douyin rtc-room) only from the controller's validated view data, never from a raw
 * property, and on WeChat a bad value of any property a native view or a tile style reads is error -1 naming
 * it while every native attribute and every style stays as it was.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { WxFake } from './helpers/wx-fake';
import { enterWx, useWxRoomLifecycle } from './helpers/wx-room';
import { fire, Mounted, nativeViews } from './helpers/mp';
import { userlist } from './helpers/wx-fake';
import { settle } from './behaviour/driver';
import { MEDIA_DEFAULTS, pusherView } from '../utils/room/props';

const ROOT = path.resolve(__dirname, '..');
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');

/** `name="value"` of every `<tag …/>` in a markup file. */
function attrsOf(markup: string, tag: string): Array<Record<string, string>> {
  return [...markup.replace(/<!--[\s\S]*?-->/g, '').matchAll(new RegExp(`<${tag}\\b([^>]*?)/?>`, 'g'))].map(
    (m) => Object.fromEntries([...m[1].matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]])),
  );
}

/** The data names an expression reads (`pusher.fps`, `item.streamType` …), string literals left out. */
function namesIn(expr: string): string[] {
  return [...expr.replace(/'[^']*'/g, "''").matchAll(/[A-Za-z_$][\w$]*(?:\.[\w$]+)*/g)]
    .map((m) => m[0])
    .filter((n) => n !== 'true' && n !== 'false');
}

const bindings = (attrs: Record<string, string>) =>
  Object.values(attrs).flatMap((v) => [...v.matchAll(/\{\{(.*?)\}\}/g)].flatMap((m) => namesIn(m[1])));

describe('the markup binds native views only from validated view data', () => {
  const pusherKeys = Object.keys(
    pusherView(MEDIA_DEFAULTS, { publish: true, camera: true, mic: true, front: true }, true, true, ''),
  );
  // a tile's fields (utils/view/slots.ts Tile), computed by the view from validated state
  const tileKeys = ['id', 'key', 'src', 'userID', 'streamType', 'muteAudio', 'muteVideo', 'player'];
  // what the component's markup hands the media templates, each from the controller's data
  const passed = ['devicePosition', 'localUserID', 'localView', 'soundMode', 'pipMode', 'debug'];
  const allowed = (n: string) =>
    (n.startsWith('pusher.') && pusherKeys.includes(n.slice(7))) ||
    (n.startsWith('item.') && tileKeys.includes(n.slice(5))) ||
    passed.includes(n);

  test.each([
    ['templates/media.wxml', 'live-pusher'],
    ['templates/media.wxml', 'live-player'],
    ['templates/media.tt.wxml', 'rtc-room'],
  ])('%s <%s>', (file, tag) => {
    const views = attrsOf(read(file), tag);
    expect(views.length).toBeGreaterThan(0);
    for (const v of views) {
      const names = bindings(v);
      expect(names.length).toBeGreaterThan(0);
      expect(names.filter((n) => !allowed(n))).toEqual([]);
    }
  });

  test('the values passed to the media templates come from the pusher data, not from the raw properties', () => {
    const index = read('components/webrtc-room/index.wxml');
    expect(index).toContain(
      '<template is="wr-local-media" data="{{pusher, devicePosition, localUserID, localView}}" />',
    );
    // soundMode, debug and pictureInPictureMode are also raw properties: the players get the validated ones
    const tiles = /<template is="wr-remote-tiles" data="\{\{([^"]*)\}\}"/.exec(index)?.[1] ?? '';
    expect(tiles).toContain('debug: pusher.debug');
    expect(tiles).toContain('soundMode: pusher.soundMode');
    expect(tiles).toContain('pipMode: pusher.pictureInPictureMode');
    expect(read('templates/tiles.wxml')).toContain(
      '<template is="wr-remote-media" data="{{item, debug, soundMode, pipMode}}" />',
    );
  });
});

let wxf: WxFake;
let m: Mounted;

useWxRoomLifecycle(
  (f) => (wxf = f),
  () => m,
);

/** Every property a native attribute or a tile style reads, a good value, and bad ones of the property's type. */
const CASES: Array<[string, unknown, unknown[]]> = [
  ['beauty', 5, [12, -1]],
  ['whiteness', 3, [10, -0.5]],
  ['aspect', '3:4', ['4:3', '']],
  ['minBitrate', 300, [0, 100001]],
  ['maxBitrate', 900, [-5, 100001]],
  ['scene', 'live', ['tv']],
  ['role', 'anchor', ['boss']],
  ['template', 'bigsmall', ['Grid', 'constructor']],
  ['soundMode', 'ear', ['loud']],
  ['localMirror', 'enable', ['yes']],
  ['orientation', 'horizontal', ['up']],
  ['fps', 20, [0, 31, 2.5]],
  ['beautyStyle', 'nature', ['soft']],
  ['filter', 'pink', ['sepia']],
  ['voiceChangerType', 3, [12, -1, 1.5]],
  ['audioVolumeType', 'media', ['loud']],
  ['audioQuality', 'low', ['mid']],
  ['pictureInPictureMode', 'push', ['both']],
  ['smallViewLeft', '2%', ['10px;display:none', '30']],
  ['smallViewHeight', '20vh', ['url(x)']],
];

test.each(CASES)(
  'a bad %s is error -1 naming it; no native attribute and no style changes',
  async (field, good, bads) => {
    m = await enterWx(
      { template: 'bigsmall', [field]: good, ...(field === 'maxBitrate' ? { minBitrate: 200 } : {}) },
      { bob: { video: true, audio: true }, carol: { audio: true } },
    );
    const snapshot = () => ({
      pusher: nativeViews(m.room, 'live-pusher'),
      players: nativeViews(m.room, 'live-player'),
      styles: m.room.querySelectorAll('.wr-tile').map((n: any) => n.dom.getAttribute('style')),
      room: m.room.querySelector('.wr-room').dom.getAttribute('class'),
    });
    const before = snapshot();
    expect(before.players).toHaveLength(2);
    for (const bad of bads) {
      m.events.length = 0;
      m.setProps({ [field]: bad });
      await settle();
      expect(m.events.map((e) => [e.tag, e.code, e.detail.field])).toEqual([['error', -1, field]]);
      expect(snapshot()).toEqual(before);
    }
    expect(wxf.pusher.start).toHaveBeenCalledTimes(1);
  },
);

describe('native view lifecycle on WeChat', () => {
  const playerOf = (userID: string) =>
    (m.inst.data.streams as Array<{ id: string; userID: string }>).find((t) => t.userID === userID)!.id;
  const nodes = () => m.room.querySelectorAll('.wr-media').map((n: any) => n._exparserNode);
  const srcOf = (userID: string) =>
    String(nativeViews(m.room, 'live-player').find((a) => a['data-user-id'] === userID)?.src);

  test('a speaker promoted to the big view (followSpeaker, enableSmallStream) changes src, never the player', async () => {
    m = await enterWx(
      { template: 'bigsmall', followSpeaker: true, enableSmallStream: true },
      {
        bob: { video: true, audio: true },
        carol: { video: true, audio: true },
        dave: { video: true, audio: true },
      },
    );
    const before = nodes();
    expect(before).toHaveLength(4);
    expect(m.inst.data.mainKey).toBe(playerOf('bob'));
    expect(srcOf('bob')).toContain('streamtype=main');
    expect(srcOf('carol')).toContain('streamtype=small');
    for (let t = 0; t < 600; t += 100) {
      fire(m.room, `#${playerOf('carol')}`, 'audiovolumenotify', { volume: 80 });
      jest.advanceTimersByTime(100);
    }
    await settle();
    expect(m.inst.data.mainKey).toBe(playerOf('carol'));
    expect(srcOf('carol')).toContain('streamtype=main');
    expect(srcOf('bob')).toContain('streamtype=small');
    nodes().forEach((n: unknown, i: number) => expect(n).toBe(before[i]));
  });

  test("a playurl that is not the reporting user's play URL never reaches src: the player plays the built one", async () => {
    m = await enterWx();
    const setData = jest.spyOn(m.inst, 'setData');
    const own = (id: string, st: string) => `room://cloud.tencent.com/rtc?userid=${id}&streamtype=${st}`;
    fire(m.room, '#pusher', 'statechange', { code: 1031, message: userlist([{ userid: 'bob' }]) });
    fire(m.room, '#pusher', 'statechange', {
      code: 1033,
      message: userlist([{ userid: 'bob', playurl: own('carol', 'main'), streamtype: 'main', hasvideo: 1 }]),
    });
    fire(m.room, '#pusher', 'statechange', {
      code: 1034,
      message: userlist([{ userid: 'bob', playurl: 'javascript:alert(1)', hasaudio: 1 }]),
    });
    fire(m.room, '#pusher', 'statechange', {
      code: 1033,
      message: userlist([
        { userid: 'bob', playurl: 'rtmp://evil.example.com/x', streamtype: 'aux', hasvideo: 1 },
      ]),
    });
    await settle();
    const srcs = setData.mock.calls.flatMap((c) =>
      Object.entries(c[0] as Record<string, any>).flatMap(([k, v]) =>
        k.endsWith('.src') ? [v] : /^streams\[\d+\]$/.test(k) ? [v.src] : [],
      ),
    );
    expect(srcs).toEqual([own('bob', 'main'), own('bob', 'aux')]);
    expect(nativeViews(m.room, 'live-player').map((a) => a.src)).toEqual([
      own('bob', 'main'),
      own('bob', 'aux'),
    ]);
    expect(m.events.filter((e) => e.tag === 'warning').map((e) => [e.code, e.detail.message])).toEqual([
      [1033, 'malformed 1033 payload: playurl of bob is not its play URL; ignored'],
      [1034, 'malformed 1034 payload: playurl of bob is not its play URL; ignored'],
      [1033, 'malformed 1033 payload: playurl of bob is not its play URL; ignored'],
    ]);
    // the user's own URL, reported later, is what plays
    const old = 'room://rtc.tencent.com?userid=bob&streamtype=main';
    fire(m.room, '#pusher', 'statechange', {
      code: 1033,
      message: userlist([{ userid: 'bob', playurl: old, streamtype: 'main', hasvideo: 1 }]),
    });
    await settle();
    expect(srcOf('bob')).toBe(old);
  });

  test('a player exists only for a published stream, with the src of that user and stream; it goes when the stream stops', async () => {
    m = await enterWx({}, { quiet: {}, voice: { audio: true }, cam: { video: true } });
    const players = () =>
      nativeViews(m.room, 'live-player').map((a) => [a['data-user-id'], a['data-stream-type'], a.src]);
    const url = (id: string, st: string) => `room://cloud.tencent.com/rtc?userid=${id}&streamtype=${st}`;
    expect(m.room.querySelectorAll('.wr-tile--remote')).toHaveLength(3);
    expect(players()).toEqual([
      ['voice', 'main', url('voice', 'main')],
      ['cam', 'main', url('cam', 'main')],
    ]);
    fire(m.room, '#pusher', 'statechange', {
      code: 1033,
      message: userlist([{ userid: 'cam', playurl: url('cam', 'aux'), streamtype: 'aux', hasvideo: 1 }]),
    });
    fire(m.room, '#pusher', 'statechange', {
      code: 1034,
      message: userlist([{ userid: 'voice', hasaudio: 0 }]),
    });
    await settle();
    expect(players()).toEqual([
      ['cam', 'main', url('cam', 'main')],
      ['cam', 'aux', url('cam', 'aux')],
    ]);
    fire(m.room, '#pusher', 'statechange', { code: 1032, message: userlist([{ userid: 'cam' }]) });
    await settle();
    expect(players()).toEqual([]);
    expect(m.room.querySelectorAll('.wr-tile--remote')).toHaveLength(2);
  });
});
