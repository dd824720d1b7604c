/** WeChat enableSmallStream: encsmall in the push URL, thumbnails play `streamtype=small`, subscribe() overrides. */
import { settle } from './behaviour/driver';
import { enterWx, useWxRoomLifecycle } from './helpers/wx-room';
import { Mounted, nativeAttrs } from './helpers/mp';

let m: Mounted;

useWxRoomLifecycle(
  () => undefined,
  () => m,
);

async function enter(props: Record<string, unknown>, users: string[]) {
  m = await enterWx(
    { template: 'bigsmall', ...props },
    Object.fromEntries(users.map((id) => [id, { video: true }])),
  );
}

/** userID → the streamtype its live-player plays */
const pulled = () =>
  Object.fromEntries(
    (m.inst.data.streams as Array<{ id: string; userID: string }>).map((t) => [
      t.userID,
      /streamtype=(\w+)/.exec(String(nativeAttrs(m.room, t.id).src))?.[1],
    ]),
  );

test('bigsmall: encsmall=1; the big view plays main, thumbnails small; a pin swaps them without new players', async () => {
  await enter({ enableSmallStream: true }, ['bob', 'carol', 'dave']);
  expect(m.inst.data.pusher.url).toContain('&encsmall=1');
  expect(pulled()).toEqual({ bob: 'main', carol: 'small', dave: 'small' });
  const nodes = m.room.querySelectorAll('live-player').map((n: any) => n._exparserNode);
  const setData = jest.spyOn(m.inst, 'setData');
  m.inst.pin('carol');
  await settle();
  expect(pulled()).toEqual({ bob: 'small', carol: 'main', dave: 'small' });
  expect(Object.keys(setData.mock.calls[0][0] as object).sort()).toEqual(
    ['mainKey', 'mainRank', 'streams[0].src', 'streams[1].src'].sort(),
  );
  m.room
    .querySelectorAll('live-player')
    .forEach((n: any, i: number) => expect(n._exparserNode).toBe(nodes[i]));
});

test('subscribe(userID, {streamType}) wins over the automatic choice, both ways', async () => {
  await enter({ enableSmallStream: true }, ['bob', 'carol']);
  await m.inst.subscribe('carol', { streamType: 'main' });
  await m.inst.subscribe('bob', { streamType: 'small' });
  await settle();
  expect(pulled()).toEqual({ bob: 'small', carol: 'main' });
  m.inst.pin('carol');
  await settle();
  expect(pulled()).toEqual({ bob: 'small', carol: 'main' });
});

test('grid: the first remote plays main, the others small; off by default: no encsmall, all main', async () => {
  await enter({ enableSmallStream: true, template: 'grid' }, ['bob', 'carol', 'dave']);
  expect(pulled()).toEqual({ bob: 'main', carol: 'small', dave: 'small' });
  m.host.detach();
  await enter({ template: 'grid' }, ['bob', 'carol']);
  expect(m.inst.data.pusher.url).not.toContain('encsmall');
  expect(pulled()).toEqual({ bob: 'main', carol: 'main' });
});
