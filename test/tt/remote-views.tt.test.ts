/**
 * Native view lifecycle of the remote `<rtc-room>`s on Douyin (the local camera view: native-views.tt.test.ts).
 * A remote view exists only while its stream has video to show (the engine plays audio without one), takes the
 * user's validated ID and the mode of its stream (`video` for the camera, `screen` for a share), and is never
 * destroyed and re-created while that stream keeps its video: not by the member lists arriving again, in another
 * order or with duplicates, not by the same user's other stream, other users, a template switch or a pin.
 */
import { nativeViews } from '../helpers/mp';
import { settle } from '../behaviour/driver';
import { TtDriver, useTtDriverLifecycle } from '../behaviour/tt-driver';

let d: TtDriver;

useTtDriverLifecycle(() => d);

async function enter(props: Record<string, unknown> = {}) {
  d = new TtDriver();
  await d.enter(props);
}

interface RemoteView {
  node: unknown;
  attrs: Record<string, unknown>;
}

/** every remote <rtc-room> (its node and its attributes), by `userID|streamType` */
function remoteViews(): Map<string, RemoteView> {
  const nodes = d.m.room.querySelectorAll('.wr-tile--remote .wr-media').map((n: any) => n._exparserNode);
  const attrs = nativeViews(d.m.room, 'rtc-room').filter((a) => a['data-role'] === 'remote');
  expect(nodes).toHaveLength(attrs.length);
  const out = new Map<string, RemoteView>();
  attrs.forEach((a, i) =>
    out.set(`${String(a['data-user-id'])}|${String(a['data-stream-type'])}`, { node: nodes[i], attrs: a }),
  );
  return out;
}

/** the views under `keys` are the very nodes they were in `before` */
function kept(before: Map<string, RemoteView>, keys: string[]): void {
  const now = remoteViews();
  for (const k of keys) {
    expect(now.has(k)).toBe(true);
    expect(now.get(k)?.node === before.get(k)?.node).toBe(true);
  }
}

test('camera video is a mode="video" view, a share a mode="screen" view, each with the user ID; audio gets none', async () => {
  await enter();
  d.remoteJoin('bob', { video: true, audio: true, screen: true });
  d.remoteJoin('carol', { audio: true });
  await settle();
  const v = remoteViews();
  expect([...v.keys()].sort()).toEqual(['bob|aux', 'bob|main']);
  expect(v.get('bob|main')?.attrs).toMatchObject({ userId: 'bob', mode: 'video' });
  expect(v.get('bob|aux')?.attrs).toMatchObject({ userId: 'bob', mode: 'screen' });
});

test('the member lists again, in another order, with duplicates: no view is re-created', async () => {
  await enter();
  d.remoteJoin('bob', { video: true, audio: true });
  d.remoteJoin('carol', { video: true, audio: true, screen: true });
  await settle();
  const before = remoteViews();
  const keys = ['bob|main', 'carol|main', 'carol|aux'];
  expect([...before.keys()].sort()).toEqual(keys.slice().sort());
  // the host fires every list again, in reverse order
  d.fake.repeatLists = true;
  d.fake.order = ['screen', 'speakers', 'video', 'chat'];
  d.fake.ctx.publishLists();
  await settle();
  kept(before, keys);
  // a list naming a user twice, and the lists shuffled once more
  const ctx = d.fake.ctx;
  ctx.emit('onRtcVideoMembersChanged', { userIdList: ['carol', 'alice', 'bob', 'carol'] });
  ctx.emit('onRtcChatMembersChanged', { userIdList: ['bob', 'carol', 'bob', 'alice'] });
  await settle();
  kept(before, keys);
  expect(remoteViews().size).toBe(3);
});

test("one stream's video going off and on never touches the user's other view or anyone else's", async () => {
  await enter();
  d.remoteJoin('bob', { video: true, audio: true, screen: true });
  d.remoteJoin('carol', { video: true, audio: true });
  await settle();
  const before = remoteViews();
  d.remoteMedia('bob', { video: false });
  await settle();
  // nothing to play: bob's camera view goes; his share and carol stay as they were
  expect(remoteViews().has('bob|main')).toBe(false);
  kept(before, ['bob|aux', 'carol|main']);
  d.remoteMedia('bob', { screen: false, video: true });
  await settle();
  expect(remoteViews().has('bob|aux')).toBe(false);
  expect(remoteViews().get('bob|main')?.attrs).toMatchObject({ userId: 'bob', mode: 'video' });
  kept(before, ['carol|main']);
  // others joining and leaving
  d.remoteJoin('dave', { video: true });
  d.remoteLeave('dave');
  await settle();
  kept(before, ['carol|main']);
});

test('a template switch and a pin move the views, never re-create them', async () => {
  await enter();
  d.remoteJoin('bob', { video: true, audio: true, screen: true });
  d.remoteJoin('carol', { video: true, audio: true });
  await settle();
  const before = remoteViews();
  const keys = [...before.keys()];
  for (const template of ['grid', 'float', 'custom', 'bigsmall']) {
    d.setProps({ template });
    await settle();
    kept(before, keys);
  }
  expect(d.m.inst.pin('carol')).toBe(true);
  await settle();
  expect(d.m.inst.pin('bob', 'aux')).toBe(true);
  await settle();
  kept(before, keys);
  for (const v of remoteViews().values())
    expect(v.attrs.mode === 'video' || v.attrs.mode === 'screen').toBe(true);
});

test('a user who leaves takes his views along; one coming back gets new ones', async () => {
  await enter();
  d.remoteJoin('bob', { video: true, audio: true });
  await settle();
  const first = remoteViews().get('bob|main')?.node;
  d.remoteLeave('bob');
  await settle();
  expect(remoteViews().size).toBe(0);
  d.remoteJoin('bob', { video: true, audio: true });
  await settle();
  expect(remoteViews().get('bob|main')?.node === first).toBe(false);
  expect(remoteViews().get('bob|main')?.attrs).toMatchObject({ userId: 'bob', mode: 'video' });
});
