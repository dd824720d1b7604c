/**
 * A property set again to the value it has is a no-op, on WeChat and Douyin: a page that calls
 * setData({ roomID }) every second, or re-renders its template, fires the component's observers each time on a
 * real phone (an observer runs on every setData of its field, changed or not; an object arrives as an equal
 * copy). None of it may reach the native views, the page or the view data: no context call, no RoomEvent, no
 * setData, and a bad value is not reported again.
 */
import { settle } from './behaviour/driver';
import { TtDriver } from './behaviour/tt-driver';
import { fire, mountRoom, Mounted } from './helpers/mp';
import { installWx, WxFake } from './helpers/wx-fake';
import { announce, WX_IDENTITY } from './helpers/wx-room';
import { PROPERTIES } from '../components/webrtc-room/props';

const NAMES = Object.keys(PROPERTIES);

interface Room {
  m: Mounted;
  /** every call the platform's contexts received so far */
  calls(): number;
  done(): void;
}

/** Every property bound by the host page, each with its default unless `props` gives one. */
function allProps(identity: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(PROPERTIES)) out[k] = p.value;
  return { ...out, ...identity };
}

async function enteredWx(props: Record<string, unknown>): Promise<Room> {
  const wxf: WxFake = installWx();
  const m = mountRoom({ ...allProps(WX_IDENTITY), ...props });
  const started = m.inst.start();
  await settle();
  fire(m.room, '#pusher', 'statechange', { code: 1018, message: 'onEnterRoom success' });
  await started;
  announce(m, 'bob', { video: true, audio: true });
  await settle();
  // its first frame: no rebuild of a player that shows nothing
  for (const n of m.room.querySelectorAll('.wr-tile--remote .wr-media') as any[])
    n._exparserNode.triggerEvent('statechange', { code: 2003, message: 'first video frame received' }, {});
  await settle();
  return { m, calls: () => wxCalls(wxf), done: () => m.host.detach() };
}

/** Every call the `wx` fake's contexts received so far (their creation included). */
function wxCalls(wxf: WxFake): number {
  let n = wxf.createLivePusherContext.mock.calls.length + wxf.createLivePlayerContext.mock.calls.length;
  for (const f of Object.values(wxf.pusher)) n += f.mock.calls.length;
  for (const p of wxf.players.values()) for (const f of Object.values(p)) n += f.mock.calls.length;
  return n;
}

/** Mounted with every property bound and `props`, in the lobby preview (camera on, not in the room). */
async function lobbyWx(props: Record<string, unknown>): Promise<Room> {
  const wxf: WxFake = installWx();
  const m = mountRoom({ ...allProps(WX_IDENTITY), ...props });
  await m.inst.startPreview();
  await settle();
  return { m, calls: () => wxCalls(wxf), done: () => m.host.detach() };
}

async function lobbyTt(props: Record<string, unknown>): Promise<Room> {
  const d = new TtDriver();
  d.mount({ ...allProps(d.identity), ...props });
  await d.m.inst.startPreview();
  await settle();
  return {
    m: d.m,
    calls: () => d.fake.contexts.reduce((n, c) => n + c.calls.length, 0) + d.fake.contexts.length,
    done: () => {
      d.m.host.detach();
      d.fake.uninstall();
    },
  };
}

async function enteredTt(props: Record<string, unknown>): Promise<Room> {
  const d = new TtDriver();
  d.mount({ ...allProps(d.identity), ...props });
  await d.m.inst.start();
  await settle();
  d.remoteJoin('bob', { video: true, audio: true });
  // the speakers' hysteresis settled
  jest.advanceTimersByTime(5000);
  await settle();
  const calls = () => d.fake.contexts.reduce((n, c) => n + c.calls.length, 0) + d.fake.contexts.length;
  return {
    m: d.m,
    calls,
    done: () => {
      d.m.host.detach();
      d.fake.uninstall();
    },
  };
}

/** A copy of the value, as setData hands an object over. */
const copy = (v: unknown) => (v !== null && typeof v === 'object' ? JSON.parse(JSON.stringify(v)) : v);

/**
 * Sets each property again to the value the component holds, by the page (its template's binding) and by a
 * setData of the field on the component itself, then all of them at once.
 */
async function expectEveryResetIsNoop(r: Room): Promise<void> {
  const { m } = r;
  m.events.length = 0;
  // the test's own setData of the field is not the component's
  const own = m.inst.setData.bind(m.inst) as (d: Record<string, unknown>) => void;
  const setData = jest.spyOn(m.inst, 'setData');
  const before = r.calls();
  for (const k of NAMES) {
    m.setProps({ [k]: copy(m.inst.data[k]) });
    await settle();
    own({ [k]: copy(m.inst.data[k]) });
    await settle();
    expect({ k, events: m.events, setData: setData.mock.calls, calls: r.calls() }).toEqual({
      k,
      events: [],
      setData: [],
      calls: before,
    });
  }
  // a page re-rendering its whole template
  const all = () => Object.fromEntries(NAMES.map((k) => [k, copy(m.inst.data[k])]));
  m.setProps(all());
  own(all());
  await settle();
  expect({ events: m.events, setData: setData.mock.calls, calls: r.calls() }).toEqual({
    events: [],
    setData: [],
    calls: before,
  });
  setData.mockRestore();
}

/** One bad value of each kind the room validates (each is error -1 naming its field). */
const BAD = {
  beauty: 12,
  template: 'mosaic',
  customRects: { local: { left: 'x' } },
  smallViewLeft: '66',
  lang: 'fr',
  states: 'entering,nope',
  fps: 99,
  minBitrate: 900,
  maxBitrate: 100,
};

let room: Room | undefined;

beforeEach(() => {
  jest.useFakeTimers();
});
afterEach(() => {
  room?.done();
  room = undefined;
  jest.useRealTimers();
});

describe.each([
  ['wx', enteredWx, lobbyWx],
  ['tt', enteredTt, lobbyTt],
] as const)('%s', (_platform, entered, lobby) => {
  test('in the lobby preview, every property set again to its value: no context call, no RoomEvent, no setData', async () => {
    room = await lobby({ beauty: 3, frontCamera: false, enableCamera: true });
    await expectEveryResetIsNoop(room);
  });

  test('in the room, every property set again to its value: no context call, no RoomEvent, no setData', async () => {
    room = await entered({
      template: 'custom',
      customRects: {
        local: { left: 0, top: 0, width: 90, height: 160 },
        bob: { left: 90, top: 0, width: 90, height: 160 },
      },
      beauty: 3,
      fps: 20,
      smallViewLeft: '50%',
    });
    await expectEveryResetIsNoop(room);
  });

  test('a property holding a bad value, set again to it, is not reported again; a change beside it neither', async () => {
    room = await entered({});
    const { m } = room;
    m.events.length = 0;
    m.setProps(BAD);
    await settle();
    // each reported once, naming its field
    expect(m.events.map((e) => [e.tag, e.code, e.detail.field])).toEqual(
      [
        'beauty',
        'minBitrate',
        'fps',
        'states',
        'lang',
        'smallViewLeft',
        'customRects.local.left',
        'template',
      ].map((field) => ['error', -1, field]),
    );
    await expectEveryResetIsNoop(room);
    // another property changing does not report the bad ones again
    m.setProps({ muted: true });
    await settle();
    m.setProps({ customRects: { local: { left: 1, top: 0, width: 90, height: 160 } } });
    await settle();
    expect(m.events).toEqual([]);
    // the bitrate pair: a change of either one is checked as a pair again
    m.setProps({ maxBitrate: 800 });
    await settle();
    expect(m.events.map((e) => [e.tag, e.code, e.detail.field])).toEqual([['error', -1, 'minBitrate']]);
  });
});
