/**
 * Scenarios about native views and session boundaries, on both platforms (issue 10 cases 1-5 and the
 * "also found" ones that apply to both): players only for streams with media and the player limit, no view
 * re-created by a template switch, validated native attributes, prototype-named user IDs, nothing after a
 * session ended, custom without customRects.
 */
import { RECONNECT_DELAYS } from '../../utils/room/controller';
import type { Driver } from './driver';
import type { Scenario } from './scenarios';

const ev = (tag: string, code: number, detail: Record<string, unknown>) => ({ tag, code, detail });

async function enter(d: Driver, props: Record<string, unknown> = {}): Promise<void> {
  d.mount(props);
  const started = d.start();
  await d.flush();
  await started;
  await d.flush();
}

interface JsonNode {
  tagName: string;
  attrs?: Array<{ name: string; value: unknown }>;
  children?: JsonNode[];
}

/** The style of every remote tile as rendered, by `userID|streamType`, and the local view's as `''`. */
function tileStyles(d: Driver): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (n: JsonNode): void => {
    const a = Object.fromEntries((n.attrs ?? []).map((x) => [x.name, x.value]));
    const cls = String(a.class ?? '');
    if (cls.includes('wr-tile--remote'))
      out[`${a['data-user-id']}|${a['data-stream-type']}`] = String(a.style);
    else if (cls.includes('wr-tile--local')) out[''] = String(a.style);
    for (const c of n.children ?? []) walk(c);
  };
  walk((d.m.room as { toJSON(): JsonNode }).toJSON());
  return out;
}

const rect = (left: number) => ({ left, top: 0, width: 10, height: 10 });
const placed = (left: number) => `left:${left}px;top:0px;width:10px;height:10px;z-index:1;`;

export const nativeViewScenarios: Scenario[] = [
  {
    name: 'a native player exists only while its stream has audio or video; members without media get a tile only',
    async run(d) {
      await enter(d);
      d.remoteJoin('bob');
      d.remoteJoin('carol', { audio: true });
      d.remoteJoin('dave', { video: true });
      await d.flush();
      expect(d.tiles()).toBe(3);
      // Douyin: the engine plays every member's audio, an <rtc-room> only renders video
      expect(d.players()).toEqual(d.platform === 'tt' ? ['dave|main'] : ['carol|main', 'dave|main']);
      d.remoteMedia('carol', { audio: false });
      d.remoteMedia('bob', { screen: true });
      await d.flush();
      expect(d.players()).toEqual(['bob|aux', 'dave|main']);
      d.remoteMedia('dave', { video: false });
      d.remoteMedia('bob', { screen: false });
      await d.flush();
      expect(d.players()).toEqual([]);
      expect(d.tiles()).toBe(3);
    },
  },
  {
    name: 'player limit: beyond it streams wait (one warning), the first waiting one gets the next free player',
    async run(d) {
      await enter(d);
      const max = d.maxPlayers();
      for (let i = 0; i < max + 2; i++) d.remoteJoin(`u${i}`, { video: true, audio: true });
      await d.flush();
      const ids = (n: number[]) => n.map((i) => `u${i}|main`).sort();
      const first = [...Array(max).keys()];
      expect(d.players()).toEqual(ids(first));
      expect(d.tiles()).toBe(max + 2);
      const warnings = d.events().filter((e) => e.tag === 'warning');
      expect(warnings).toHaveLength(1);
      expect(String(warnings[0].detail.message)).toContain(String(max));
      d.remoteLeave('u0');
      await d.flush();
      expect(d.players()).toEqual(ids([...first.slice(1), max]));
      expect(d.events().filter((e) => e.tag === 'error')).toEqual([]);
    },
  },
  {
    name: 'a template switch creates and destroys no native view (bigsmall → grid → float → custom → bigsmall)',
    async run(d) {
      await enter(d, { template: 'bigsmall' });
      for (const id of ['a', 'b', 'c', 'd', 'e']) d.remoteJoin(id, { video: true, audio: true });
      await d.flush();
      const before = d.playerNodes();
      expect(before).toHaveLength(5);
      for (const template of ['grid', 'float', 'custom', 'bigsmall']) {
        d.setProps({ template });
        await d.flush();
        const after = d.playerNodes();
        expect(after).toHaveLength(5);
        after.forEach((n, i) => expect(n).toBe(before[i]));
      }
    },
  },
  {
    name: 'an invalid property is error -1 naming it, and the native side keeps its last good value',
    async run(d) {
      await enter(d);
      d.clearEvents();
      d.setProps({ role: 'boss' });
      await d.flush();
      expect(d.events()).toEqual([
        ev('error', -1, { field: 'role', rawCode: 0, message: expect.stringContaining('role') }),
      ]);
      expect(d.local()).toEqual({ camera: true, mic: true, publishing: true });
      d.setProps({ role: 'audience' });
      await d.flush();
      expect(d.local()).toMatchObject({ camera: false, mic: false });
    },
  },
  {
    name: 'user IDs named like Object.prototype members are users like any other',
    async run(d) {
      await enter(d);
      const names = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];
      for (const id of names) d.remoteJoin(id, { video: true });
      await d.flush();
      expect(d.events().filter((e) => e.tag === 'user_join')).toEqual(
        names.map((userID) => ev('user_join', 0, { userID })),
      );
      expect(d.m.inst.getRemoteUsers()).toEqual(
        // Douyin: heard while present (README: what Douyin tells about a microphone)
        names.map((userID) => ({
          userID,
          hasVideo: true,
          hasAudio: d.platform === 'tt',
          hasAuxVideo: false,
        })),
      );
      expect(d.players()).toEqual(names.map((n) => `${n}|main`).sort());
      d.clearEvents();
      d.remoteLeave('toString');
      await d.flush();
      expect(d.events()).toEqual([
        ev('video_available', 0, { userID: 'toString', streamType: 'main' }),
        ...(d.platform === 'tt' ? [ev('audio_available', 0, { userID: 'toString' })] : []),
        ev('user_leave', 0, { userID: 'toString' }),
      ]);
      expect(d.m.inst.getRemoteUsers().map((u: { userID: string }) => u.userID)).toEqual([
        'constructor',
        '__proto__',
        'hasOwnProperty',
      ]);
    },
  },
  {
    name: 'nothing from an ended session changes state or emits: a late join after stop() is ignored',
    async run(d) {
      await enter(d);
      const late = d.lateJoin('mallory');
      await d.m.inst.stop();
      await d.flush();
      d.clearEvents();
      late();
      await d.flush();
      expect(d.events()).toEqual([]);
      expect(d.m.inst.getRemoteUsers()).toEqual([]);
      expect(d.players()).toEqual([]);
      expect(d.tiles()).toBe(0);
    },
  },
  {
    name: "template 'custom' without customRects: a warning naming customRects and every view placed",
    async run(d) {
      await enter(d, { template: 'custom' });
      d.remoteJoin('bob', { video: true });
      await d.flush();
      const warning = d.events().find((e) => e.tag === 'warning');
      expect(String(warning?.detail.message)).toContain('customRects');
      const styles = [...d.m.room.querySelectorAll('.wr-tile')].map((n: any) => n.dom.getAttribute('style'));
      expect(styles).toHaveLength(2);
      for (const s of styles) expect(s).not.toContain('width:1px');
    },
  },
  {
    name: 'updateUserSig() while entering: the entry still goes out and start() resolves',
    async run(d) {
      d.mount();
      const started = d.start();
      started.catch(() => undefined); // a failing check below must not leave it unhandled
      // the view shows the entry (phase entering) and the platform call follows once it rendered
      for (let i = 0; i < 100 && d.m.inst.data.phase !== 'entering'; i++) await Promise.resolve();
      expect(d.m.inst.data.phase).toBe('entering');
      expect(d.entryCalls()).toBe(0);
      const updated = d.m.inst.updateUserSig('sig-new');
      await d.flush();
      await updated;
      expect(d.entryCalls()).toBe(1);
      const res = await started;
      expect(d.events()).toEqual([ev('enter_room', res.elapsed, { roomID: 1234, userID: 'alice' })]);
    },
  },
  {
    name: 'an invalid template or role in the room is -1 and the layout keeps its last good one',
    async run(d) {
      await enter(d, { template: 'grid' });
      for (const id of ['a', 'b', 'c', 'd', 'e']) d.remoteJoin(id, { video: true, audio: true });
      await d.flush();
      const styles = () =>
        [...d.m.room.querySelectorAll('.wr-tile')].map((n: any) => n.dom.getAttribute('style'));
      const nodes = d.playerNodes();
      const grid = styles();
      d.clearEvents();
      d.setProps({ template: 'Grid' });
      await d.flush();
      expect(d.events()).toEqual([
        ev('error', -1, { field: 'template', rawCode: 0, message: expect.stringContaining('template') }),
      ]);
      expect(styles()).toEqual(grid);
      d.playerNodes().forEach((n, i) => expect(n).toBe(nodes[i]));
      // bigsmall parks an audience member's local view
      d.setProps({ template: 'bigsmall', role: 'audience' });
      await d.flush();
      const audience = styles();
      expect(audience[0]).toContain('width:1px');
      d.clearEvents();
      d.setProps({ role: 'boss' });
      await d.flush();
      expect(d.events()).toEqual([
        ev('error', -1, { field: 'role', rawCode: 0, message: expect.stringContaining('role') }),
      ]);
      expect(styles()).toEqual(audience);
    },
  },
  {
    name: 'start() from the lobby preview rejected with -1: the preview goes on, a valid start() then enters',
    async run(d) {
      d.mount({ userSig: '' });
      await d.m.inst.startPreview();
      await d.flush();
      expect(d.local()).toMatchObject({ camera: true });
      const bad = d.start();
      await d.flush();
      await expect(bad).rejects.toMatchObject({ code: -1, detail: { field: 'userSig' } });
      expect(d.m.inst.data.phase).toBe('preview');
      expect(d.local()).toMatchObject({ camera: true });
      d.clearEvents();
      d.setProps({ userSig: d.platform === 'wx' ? 'sig-alice' : 'token-alice' });
      const good = d.start();
      await d.flush();
      const res = await good;
      expect(d.events()).toEqual([ev('enter_room', res.elapsed, { roomID: 1234, userID: 'alice' })]);
    },
  },
  {
    name: "customRects: 'local' places the local view only; remote user IDs (local, constructor …) use own keys",
    async run(d) {
      const names = ['local', 'bob', 'constructor', 'toString', '__proto__', 'hasOwnProperty'];
      // '<userID>|main' places anyone, `__proto__` too (the framework's deep copy of a property drops an own
      // `__proto__` key)
      const customRects = {
        local: rect(1),
        bob: rect(2),
        constructor: rect(3),
        toString: rect(4),
        '__proto__|main': rect(5),
      };
      await enter(d, { template: 'custom', customRects });
      for (const id of names) d.remoteJoin(id, { video: true, audio: true });
      await d.flush();
      const parked = expect.stringContaining('width:1px;height:1px');
      const styles = tileStyles(d);
      expect(styles).toEqual({
        '': placed(1),
        'local|main': parked,
        'bob|main': placed(2),
        'constructor|main': placed(3),
        'toString|main': placed(4),
        '__proto__|main': placed(5),
        'hasOwnProperty|main': parked,
      });
      // no two views on one rectangle
      const shown = Object.values(styles).filter((x) => !x.includes('width:1px'));
      expect(new Set(shown).size).toBe(shown.length);
      const named = d
        .events()
        .filter((e) => e.tag === 'warning' && String(e.detail.message).includes('local'));
      expect(named).toEqual([
        ev('warning', 0, { message: expect.stringContaining("customRects['local|main']") }),
      ]);
      // the documented way: 'local|main' places the remote user 'local'
      d.clearEvents();
      d.setProps({ customRects: { ...customRects, 'local|main': rect(6) } });
      await d.flush();
      expect(tileStyles(d)).toMatchObject({ '': placed(1), 'local|main': placed(6) });
      expect(d.events()).toEqual([]);
    },
  },
  {
    name: 'customRects place views in `custom` only: another template keeps its own placement',
    async run(d) {
      await enter(d, { template: 'grid', customRects: null });
      for (const id of ['a', 'b']) d.remoteJoin(id, { video: true, audio: true });
      await d.flush();
      const grid = tileStyles(d);
      const nodes = d.playerNodes();
      d.setProps({ customRects: { local: rect(1), a: rect(2), b: rect(3) } });
      await d.flush();
      expect(tileStyles(d)).toEqual(grid);
      d.setProps({ template: 'custom' });
      await d.flush();
      expect(tileStyles(d)).toEqual({ '': placed(1), 'a|main': placed(2), 'b|main': placed(3) });
      d.setProps({ template: 'grid' });
      await d.flush();
      expect(tileStyles(d)).toEqual(grid);
      d.playerNodes().forEach((n, i) => expect(n).toBe(nodes[i]));
    },
  },
  {
    name: 'no layout change re-creates a native view: pin, grid pages, customRects, smallView*, toggles, role',
    async run(d) {
      await enter(d, {
        template: 'bigsmall',
        customRects: null,
        smallViewLeft: '66%',
        followSpeaker: false,
        enableSmallStream: false,
        states: 'entering,muted',
        lang: 'en',
      });
      const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
      for (const id of ids) d.remoteJoin(id, { video: true, audio: true });
      await d.flush();
      const localNode = () => d.m.room.querySelector('.wr-tile--local .wr-media')?._exparserNode;
      const remote = d.playerNodes();
      const local = localNode();
      expect(remote).toHaveLength(ids.length);
      expect(local).toBeTruthy();
      const same = (step: string) => {
        const now = d.playerNodes();
        expect([step, now.length]).toEqual([step, remote.length]);
        now.forEach((n, i) => expect([step, i, n === remote[i]]).toEqual([step, i, true]));
        expect([step, localNode() === local]).toEqual([step, true]);
      };
      const root = d.m.room.querySelector('.wr-room');
      const swipe = async (from: number, to: number) => {
        root.dispatchEvent('touchstart', {
          touches: [{ x: from, y: 9 }],
          changedTouches: [{ x: from, y: 9 }],
        });
        await d.flush();
        root.dispatchEvent('touchend', { touches: [], changedTouches: [{ x: to, y: 9 }] });
        await d.flush();
      };
      const data = () => d.m.inst.data as { mainKey: string; gridPage: number; smallView: string };
      const steps: Array<[string, () => unknown, (() => void)?]> = [
        // a tile promoted to the big view, and back
        ['pin', () => d.m.inst.pin('e'), () => expect(data().mainKey).toBe('player-4')],
        ['unpin', () => d.m.inst.pin('')],
        ['followSpeaker on', () => d.setProps({ followSpeaker: true })],
        ['enableSmallStream on', () => d.setProps({ enableSmallStream: true })],
        [
          'smallView',
          () => d.setProps({ smallViewLeft: '2%' }),
          () => expect(data().smallView).toMatch(/^2%,/),
        ],
        ['grid', () => d.setProps({ template: 'grid' })],
        ['grid page 2', () => swipe(300, 100), () => expect(data().gridPage).toBe(1)],
        ['grid page 1', () => swipe(100, 300), () => expect(data().gridPage).toBe(0)],
        ['grid page 2 again', () => swipe(300, 100)],
        ['custom', () => d.setProps({ template: 'custom' })],
        ['customRects', () => d.setProps({ customRects: { local: rect(1), a: rect(2), c: rect(3) } })],
        [
          'customRects moved',
          () => d.setProps({ customRects: { local: rect(4), b: rect(5), 'c|main': rect(6) } }),
        ],
        ['customRects gone', () => d.setProps({ customRects: null })],
        ['float', () => d.setProps({ template: 'float' })],
        ['bigsmall', () => d.setProps({ template: 'bigsmall' })],
        ['toggles off', () => d.setProps({ followSpeaker: false, enableSmallStream: false })],
        ['states and lang', () => d.setProps({ states: 'cameraOff,weak,speaking', lang: 'zh-CN' })],
      ];
      for (const [step, act, check] of steps) {
        await act();
        await d.flush();
        check?.();
        same(step);
      }
      // a role change: no remote player is touched and the local view stays (WeChat's live-pusher; Douyin's
      // camera <rtc-room> is parked with its capture off while audience)
      for (const role of ['audience', 'anchor']) {
        d.setProps({ role });
        await d.flush();
        same(role);
      }
      expect(d.events().filter((e) => e.tag === 'error')).toEqual([]);
    },
  },
  {
    name: 'autoSubscribe off: no player until subscribe(); at the player limit a subscribed stream gets one',
    async run(d) {
      await enter(d, { autoSubscribe: false });
      const max = d.maxPlayers();
      for (let i = 0; i <= max; i++) d.remoteJoin(`u${i}`, { video: true, audio: true });
      await d.flush();
      expect(d.players()).toEqual([]);
      expect(d.tiles()).toBe(max + 1);
      await d.m.inst.subscribe(`u${max}`, { video: true });
      await d.flush();
      expect(d.players()).toEqual([`u${max}|main`]);
      await d.m.inst.subscribe(`u${max}`, { video: false });
      await d.flush();
      expect(d.players()).toEqual([]);
      expect(d.events().filter((e) => e.tag === 'error' || e.tag === 'warning')).toEqual([]);
    },
  },
  {
    name: 'a reconnect keeps every native view of a user who is still there',
    async run(d) {
      await enter(d);
      d.remoteJoin('bob', { video: true, audio: true });
      d.remoteJoin('carol', { video: true, audio: true });
      await d.flush();
      const before = d.playerNodes();
      const local = d.m.room.querySelector('.wr-tile--local .wr-media')?._exparserNode;
      expect(before).toHaveLength(2);
      d.loseConnection();
      await d.flush();
      await d.advance(RECONNECT_DELAYS[0]);
      d.firstFrames(); // the re-entered room plays both again
      await d.advance(5000); // past the resync window: both were confirmed again
      expect(d.m.inst.data.phase).toBe('in_room');
      const after = d.playerNodes();
      expect(after).toHaveLength(2);
      after.forEach((n, i) => expect(n).toBe(before[i]));
      expect(d.m.room.querySelector('.wr-tile--local .wr-media')?._exparserNode).toBe(local);
    },
  },
];
