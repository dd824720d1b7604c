/**
 * Issue 13: a single tile's update re-styles no other tile, through the real component in miniprogram-simulate
 * (the official wcc re-evaluates the whole markup on every setData). The component tree is copied with
 * templates/style.wxs logging every style it builds (a WXS console.log, which the simulator hands to
 * console.log), so the count is what the markup really runs.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { settle } from './behaviour/driver';
import { componentRoot, fire, mountRoom, Mounted } from './helpers/mp';
import { installWx, userlist } from './helpers/wx-fake';
import { announce, WX_IDENTITY } from './helpers/wx-room';

const MARK = 'wr-style-built';

/** The component's markup and templates with style.wxs counting; its script is the one under test. */
function countingTree(): string {
  const from = componentRoot('wx');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'webrtc-room-restyle-'));
  const comp = path.join(out, 'components/webrtc-room');
  fs.mkdirSync(comp, { recursive: true });
  for (const f of ['index.wxml', 'index.wxss', 'index.json'])
    fs.copyFileSync(path.join(from, 'components/webrtc-room', f), path.join(comp, f));
  const script = path.join(from, 'components/webrtc-room/index');
  fs.writeFileSync(path.join(comp, 'index.js'), `module.exports = require(${JSON.stringify(script)});\n`);
  fs.cpSync(path.join(from, 'templates'), path.join(out, 'templates'), {
    recursive: true,
    filter: (f) => !f.includes('.tt.'),
  });
  const style = path.join(out, 'templates/style.wxs');
  const src = fs.readFileSync(style, 'utf8');
  // a style is built by box() (full() calls it) or parked(): each logs once
  const counted = src.replace(/function (box|parked)\(([^)]*)\)\s*\{/g, `$&console.log('${MARK}');`);
  expect(counted.match(new RegExp(MARK, 'g'))).toHaveLength(2);
  fs.writeFileSync(style, counted);
  return out;
}

let m: Mounted | undefined;
let built = 0;
let tree = '';

beforeAll(() => {
  tree = countingTree();
});
beforeEach(() => {
  jest.useFakeTimers();
  installWx();
  built = 0;
  // the component logs nothing itself (no console in shipped code): only the counting builders do
  jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    if (String(a[0]).includes(MARK)) built++;
  });
});
afterEach(() => {
  m?.host.detach();
  m = undefined;
  jest.restoreAllMocks();
  jest.useRealTimers();
});
afterAll(() => fs.rmSync(tree, { recursive: true, force: true }));

const USERS = Array.from({ length: 12 }, (_, i) => `user${i}`);

async function enter(props: Record<string, unknown>): Promise<Mounted> {
  const room = mountRoom({ ...WX_IDENTITY, ...props }, { root: tree });
  const started = room.inst.start();
  await settle();
  fire(room.room, '#pusher', 'statechange', { code: 1018, message: 'onEnterRoom success' });
  await started;
  for (const id of USERS) announce(room, id, { video: true, audio: true });
  await settle();
  expect(room.room.querySelectorAll('.wr-tile--remote')).toHaveLength(USERS.length);
  return room;
}

/** Styles built and renders (setData calls) while `act` runs and the batch flushes; the keys it sent. */
async function during(
  room: Mounted,
  act: () => void,
): Promise<{ built: number; renders: number; keys: string[] }> {
  const setData = jest.spyOn(room.inst, 'setData');
  const before = built;
  act();
  await settle();
  const renders = setData.mock.calls.length;
  const keys = setData.mock.calls.flatMap((c) => Object.keys(c[0] as object));
  setData.mockRestore();
  return { built: built - before, renders, keys };
}

const toggleVideo = (room: Mounted, userid: string, hasvideo: boolean) =>
  fire(room.room, '#pusher', 'statechange', {
    code: 1033,
    message: userlist([
      { userid, hasvideo, playurl: `room://cloud.tencent.com/rtc?userid=${userid}&streamtype=main` },
    ]),
  });

describe.each([
  ['grid', {}],
  ['bigsmall', {}],
  ['float', {}],
  [
    'custom',
    { customRects: Object.fromEntries(USERS.map((u, i) => [u, { left: i, top: 0, width: 10, height: 10 }])) },
  ],
])('%s', (template, extra) => {
  test("one tile's update builds only the local view's style; a join or leave re-styles each tile once", async () => {
    m = await enter({ template, ...extra });
    const placeholders = () => m?.room.querySelectorAll('.wr-tile--remote .wr-placeholder').length;
    const shown = placeholders();
    const one = await during(m, () => toggleVideo(m as Mounted, 'user1', false));
    expect(one.renders).toBe(1);
    expect(placeholders()).toBe(shown + 1);
    // the local view's style is the one built per render; no remote tile is re-styled
    expect(one.built).toBe(one.renders);

    const again = await during(m, () => toggleVideo(m as Mounted, 'user1', true));
    expect(again).toMatchObject({ built: 1, renders: 1 });

    // the room scalars change (tileCount): each tile is styled again, once, in the same render
    const join = await during(m, () => announce(m as Mounted, 'late', { video: true }));
    expect(join.renders).toBe(1);
    expect(join.built).toBe(USERS.length + 1 + 1);

    // a leave: the later tiles move up without being sent anything (their rank comes from `holes`)
    const styleOf = () =>
      Object.fromEntries(
        (m?.room.querySelectorAll('.wr-tile--remote') ?? []).map((n: any) => [
          n.dom.getAttribute('data-user-id'),
          n.dom.getAttribute('style'),
        ]),
      );
    const placed = styleOf();
    expect(placed.user3).toMatch(/^left:/);
    expect(placed.user4).not.toBe(placed.user3);
    const leave = await during(m, () =>
      fire((m as Mounted).room, '#pusher', 'statechange', {
        code: 1032,
        message: userlist([{ userid: 'user3' }]),
      }),
    );
    expect(leave.renders).toBe(1);
    const others = leave.keys.filter((k) => k.startsWith('streams') && k !== 'streams[3]');
    // besides the freed slot only the player it frees, handed to a stream waiting for one (the player limit)
    expect(others.every((k) => k.endsWith('.player'))).toBe(true);
    expect(others.length).toBeLessThanOrEqual(1);
    expect(leave.keys).toContain('streams[3]');
    expect(leave.keys).toContain('holes');
    expect(leave.built).toBe(USERS.length + 1);
    expect(m.room.querySelectorAll('.wr-tile--remote')).toHaveLength(USERS.length);
    const moved = styleOf();
    if (template === 'custom') expect(moved.user4).toBe(placed.user4);
    else {
      expect(moved.user4).toBe(placed.user3);
      expect(moved.user11).toBe(placed.user10);
      expect(moved.user2).toBe(placed.user2);
    }
  });
});
