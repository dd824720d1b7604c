/**
 * The demo room page (pages/room, as built in dist/wx and dist/tt) with chat on: it answers what the chat says
 * about its UserSig the way an app should, through the component's public API only. The signing service, the
 * platform's login and @tencentcloud/chat are stand-ins (helpers/chat-fake.ts, helpers/tt-fake.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import simulate from 'miniprogram-simulate';
import { componentRoot, fire } from './helpers/mp';
import { mountPage, type MountedPage } from './helpers/page';
import { installWx, type WxFake } from './helpers/wx-fake';
import { TtFake } from './helpers/tt-fake';
import { ChatFake, createChatFake, delivered, EVENT, settle, TYPES } from './helpers/chat-fake';

jest.mock('@tencentcloud/chat', () => {
  throw new Error('the real chat SDK must never be loaded in tests');
});

const URL = 'https://sign.example/api/credentials';
const TT_APP_ID = '618a0ef784f0cc00c33bd7fc';

function listRel(root: string, dir: string, ext: string): string[] {
  return (fs.readdirSync(path.join(root, dir), { recursive: true }) as string[])
    .filter((f) => f.endsWith(ext) && !f.includes('.tt.'))
    .map((f) => path.join(dir, f).replace(/\\/g, '/'));
}

interface Signing {
  /** the bodies POSTed to /api/credentials, in order */
  credentials: Array<Record<string, unknown>>;
  /** the next credential request fails with this message */
  failNext: string;
}

/**
 * The platform's login and the signing service (on `api`, `wx` or `tt`): each credential is a new one, a TRTC
 * UserSig `sig-N` for platform wx (the room's on WeChat, chat's on Douyin) or a Volcengine token `token-N` for tt.
 */
function installSigning(api: Record<string, unknown>): Signing {
  const s: Signing = { credentials: [], failNext: '' };
  api.login = (o: { success: (r: unknown) => void }) => o.success({ code: 'code-1' });
  api.request = (o: {
    url: string;
    data: Record<string, unknown>;
    success: (r: unknown) => void;
    fail: (e: unknown) => void;
  }) => {
    void Promise.resolve().then(() => {
      if (o.url.endsWith('/api/login')) {
        o.success({
          statusCode: 200,
          data: { token: 't', userID: 'alice', expireAt: Date.now() / 1000 + 3600 },
        });
        return;
      }
      s.credentials.push(o.data);
      if (s.failNext) {
        const message = s.failNext;
        s.failNext = '';
        o.success({ statusCode: 503, data: { error: 'unavailable', message } });
        return;
      }
      const wx = o.data.platform === 'wx';
      o.success({
        statusCode: 200,
        data: {
          platform: o.data.platform,
          sdkAppID: wx ? 1400000001 : TT_APP_ID,
          userID: 'alice',
          role: 'anchor',
          roomID: 1234,
          userSig: `${wx ? 'sig' : 'token'}-${s.credentials.length}`,
          expireAt: Date.now() / 1000 + 3600,
        },
      });
    });
  };
  return s;
}

/** The component, the chat panel and the component package's chat module in one module registry. */
function loadPage(ROOT: string, fake: ChatFake): MountedPage {
  const ids: Record<string, string> = {};
  const modules: Record<string, unknown> = {};
  const compilerOptions = {
    wxmlList: [
      'components/webrtc-room/index.wxml',
      'pages/room/chat-panel/index.wxml',
      ...listRel(ROOT, 'templates', '.wxml'),
    ],
    wxsList: listRel(ROOT, 'templates', '.wxs'),
  };
  jest.isolateModules(() => {
    const chat = path.join(ROOT, 'components/webrtc-room/chat.js');
    modules[chat] = require(chat);
    ids['webrtc-room'] = simulate.load(path.join(ROOT, 'components/webrtc-room/index'), 'webrtc-room', {
      rootPath: ROOT,
      compilerOptions,
    } as never);
    ids['chat-panel'] = simulate.load(path.join(ROOT, 'pages/room/chat-panel/index'), 'chat-panel', {
      rootPath: ROOT,
      compilerOptions,
    } as never);
  });
  const dir = path.join(ROOT, 'pages/room');
  // the page's own require: the chat module the component uses, and the chat SDK (the fake)
  const pageRequire = (p: string) => {
    if (p === '@tencentcloud/chat') return fake.sdk;
    const abs = path.resolve(dir, p);
    if (!(abs in modules)) throw new Error(`the page requires ${p}, which this test does not provide`);
    return modules[abs];
  };
  return mountPage(ROOT, 'pages/room/index', ids, {
    query: { roomID: '1234', enableIM: '1' },
    globals: { getApp: () => ({ globalData: { credentialsURL: URL } }), require: pageRequire },
  });
}

async function flush(rounds = 6) {
  for (let i = 0; i < rounds; i++) {
    await settle(20);
    jest.advanceTimersByTime(20);
  }
}

/** The room page's log as it shows it, newest first: its ring (`log`, oldest at `logHead`) reversed. */
function newestFirst(data: Record<string, any>): string[] {
  const ring = data.log as Array<{ line: string }>;
  const head = data.logHead as number;
  return [...ring.slice(head), ...ring.slice(0, head)].map((l) => l.line).reverse();
}

/** What differs between the two builds of the page. */
interface Platform {
  name: 'wx' | 'tt';
  /** the first credential requests of the page: the room's, and on Douyin chat's */
  entry: Array<Record<string, unknown>>;
  /** installs the platform fakes; returns the platform API object the page calls (login, request) */
  install(): Record<string, unknown>;
  /** the room entered (WeChat: the pusher's 1018; Douyin: the fake answers the join itself) */
  entered(room: any): void;
  /** how many times the room was entered */
  entries(): number;
  /** the page's data the chat UserSig went into */
  chatSig(data: Record<string, any>): unknown;
  uninstall(): void;
}

let wxf: WxFake;
let ttf: TtFake;
const PLATFORMS: Platform[] = [
  {
    name: 'wx',
    entry: [{ platform: 'wx', roomID: 1234 }],
    install: () => {
      wxf = installWx();
      return (globalThis as any).wx;
    },
    entered: (room) => fire(room, '#pusher', 'statechange', { code: 1018, message: 'onEnterRoom success' }),
    entries: () => wxf.pusher.start.mock.calls.length,
    chatSig: (data) => data.userSig,
    uninstall: () => undefined,
  },
  {
    name: 'tt',
    entry: [
      { platform: 'tt', roomID: 1234 },
      { platform: 'wx', roomID: 1234 },
    ],
    install: () => {
      ttf = new TtFake().install();
      return (globalThis as any).tt;
    },
    entered: () => undefined,
    entries: () => ttf.contexts.reduce((n, c) => n + c.callsOf('joinRtcRoom').length, 0),
    chatSig: (data) => data.imConfig?.userSig,
    uninstall: () => ttf.uninstall(),
  },
];

describe.each(PLATFORMS)('$name', (P) => {
  let signing: Signing;
  let fake: ChatFake;
  let page: MountedPage | null;

  beforeEach(() => {
    jest.useFakeTimers();
    signing = installSigning(P.install());
    fake = createChatFake();
    page = null;
  });

  afterEach(() => {
    page?.unload();
    P.uninstall();
    jest.useRealTimers();
  });

  /** The page signs in, enters room 1234 and chat joins group 1234 with the first chat UserSig. */
  async function inRoom(): Promise<{ log: () => string[] }> {
    page = loadPage(componentRoot(P.name), fake);
    await flush();
    expect(P.entries()).toBe(1);
    P.entered(page.host.querySelector('#room'));
    await flush();
    expect(signing.credentials).toEqual(P.entry);
    expect(fake.chat().login).toHaveBeenCalledWith({ userID: 'alice', userSig: `sig-${P.entry.length}` });
    expect(fake.chat().groups.has('1234')).toBe(true);
    return { log: () => newestFirst(page!.page.data) };
  }

  test('the event log: a line is one path, log[k] (and logHead once its 40 are full), never the list; it lists oldest first from logHead', async () => {
    await inRoom();
    const p = page!.page;
    const patches: Array<Record<string, unknown>> = [];
    const setData = p.setData;
    p.setData = (d: Record<string, unknown>, cb?: () => void) => {
      patches.push(d);
      return setData(d, cb);
    };
    const n = p.data.log.length;
    const seq = p.logSeq as number;
    expect(n).toBeGreaterThan(0);
    p.log('line a');
    expect(patches).toEqual([{ [`log[${n}]`]: { id: seq + 1, line: 'line a' } }]);
    // a room event: its own patch and its line in one setData
    p.onRoomEvent({ detail: { tag: 'reconnected', code: 0, detail: {} } });
    expect(patches[1]).toEqual({
      status: p.data.t.inRoom,
      [`log[${n + 1}]`]: { id: seq + 2, line: 'reconnected 0 {}' },
    });
    for (let i = n + 2; i < 40; i++) p.log(`fill ${i}`);
    expect(p.data.log).toHaveLength(40);
    expect(p.data.logHead).toBe(0);
    // full: the oldest slot, and the head moves on (and wraps)
    patches.length = 0;
    p.log('line b');
    expect(patches).toEqual([{ 'log[0]': { id: seq + 41 - n, line: 'line b' }, logHead: 1 }]);
    for (let i = 0; i < 38; i++) p.log(`more ${i}`);
    patches.length = 0;
    p.log('line c');
    expect(patches).toEqual([{ 'log[39]': { id: seq + 80 - n, line: 'line c' }, logHead: 0 }]);
    p.log('line d');
    expect(patches[1]).toEqual({ 'log[0]': { id: seq + 81 - n, line: 'line d' }, logHead: 1 });
    expect(patches.filter((q) => 'log' in q)).toEqual([]);
    // the view lists the ring oldest first from logHead (its CSS shows the newest on top)
    p.setData({ debug: true });
    const shown = page!.host.querySelectorAll('.log-line').map((e: any) => e.dom.textContent);
    expect(shown).toHaveLength(40);
    expect([shown[0], shown[38], shown[39]]).toEqual(['more 0', 'line c', 'line d']);
    expect(newestFirst(p.data).slice(0, 3)).toEqual(['line d', 'line c', 'more 37']);
  });

  /** The chat cloud ends the login whose UserSig expired (the SDK's KICKED_OUT userSigExpired). */
  function expire() {
    const chat = fake.chat();
    chat.loginUser = '';
    chat.groups.clear();
    chat.emit(EVENT.KICKED_OUT, { type: TYPES.KICKED_OUT_USERSIG_EXPIRED });
  }

  test('chat kicked for userSigExpired: the page asks the signing service again and chat logs in and joins with it; the call goes on', async () => {
    const { log } = await inRoom();
    expire();
    await flush();
    // a chat UserSig (platform wx) for the same room and role, as the room's own renewal asks
    expect(signing.credentials).toEqual([...P.entry, { platform: 'wx', roomID: 1234, role: 'anchor' }]);
    const sig = `sig-${P.entry.length + 1}`;
    const chat = fake.chat();
    expect(chat.login).toHaveBeenLastCalledWith({ userID: 'alice', userSig: sig });
    expect(chat.groups.has('1234')).toBe(true);
    // through the userSig property (WeChat) or imConfig.userSig (Douyin): the room is not entered again
    expect(P.chatSig(page!.page.data)).toBe(sig);
    expect(P.entries()).toBe(1);
    expect(log().some((l) => l.startsWith('reconnecting'))).toBe(false);
    expect(log()[0]).toBe('chatUserSig 0 {"after":"userSigExpired"}');
  });

  test('other kicks are not a UserSig to renew: the page asks for nothing', async () => {
    await inRoom();
    const chat = fake.chat();
    chat.loginUser = '';
    chat.emit(EVENT.KICKED_OUT, { type: TYPES.KICKED_OUT_MULT_DEVICE });
    await flush();
    expect(signing.credentials).toEqual(P.entry);
    expect(chat.login).toHaveBeenCalledTimes(1);
  });

  test('the signing service fails: the log says so, chat stays out, the room goes on', async () => {
    const { log } = await inRoom();
    signing.failNext = 'service unavailable';
    expire();
    await flush();
    expect(signing.credentials).toHaveLength(P.entry.length + 1);
    expect(fake.chat().login).toHaveBeenCalledTimes(1);
    expect(log()[0]).toBe('chatUserSig -1 {"message":"service unavailable"}');
    expect(page!.page.data.statusKind).toBe('in');
  });
});

/**
 * The chat panel alone (as built for each platform): every update is one setData of paths, never its list. The
 * list of at most 100 is a ring: once full, a new item takes the oldest one's slot and `head` moves on.
 */
describe.each(['wx', 'tt'] as const)('chat panel setData (%s build)', (platform) => {
  const ROOT = componentRoot(platform);
  let host: any;
  let panel: any;
  let patches: Array<Record<string, any>>;
  let tt: TtFake | null = null;

  beforeEach(() => {
    if (platform === 'tt') tt = new TtFake().install();
    else installWx();
    let id = '';
    jest.isolateModules(() => {
      id = simulate.load(path.join(ROOT, 'pages/room/chat-panel/index'), 'chat-panel', {
        rootPath: ROOT,
        compilerOptions: { wxmlList: ['pages/room/chat-panel/index.wxml'] },
      } as never);
    });
    const hostId = simulate.load({
      usingComponents: { 'chat-panel': id },
      template: '<chat-panel id="chat" user-i-d="alice" lang="en"></chat-panel>',
    } as never);
    host = simulate.render(hostId);
    host.attach(document.createElement('parent-wrapper'));
    panel = host.querySelector('#chat');
    const inst = panel.instance;
    const setData = inst.setData.bind(inst);
    patches = [];
    inst.setData = (d: Record<string, any>) => {
      patches.push(d);
      setData(d);
    };
  });

  afterEach(() => {
    host.detach();
    tt?.uninstall();
    tt = null;
  });

  const text = (n: number) =>
    delivered({ ID: `g${n}`, time: 1700000000 + n, payload: { text: `message ${n}` } });
  const like = { ...text(0), ID: 'l', type: 'TIMCustomElem', payload: { data: '{"type":"like"}' } };
  const say = (...messages: unknown[]) =>
    panel.instance.onIMEvent({ tag: 'big_group_msg_notify', code: 0, detail: { groupID: '1234', messages } });
  const item = (key: string, n: number) => ({
    key,
    kind: 'text',
    from: 'bob',
    text: `message ${n}`,
    mine: false,
  });
  const listed = (): string[] =>
    panel.querySelectorAll('.item').map((e: any) => e.dom.textContent.replace(/\s+/g, ' ').trim());

  test('a new item is items[k] with scrollTo (and likes when they change); the list is never sent', () => {
    say(text(1));
    const k1 = patches[0]['items[0]'].key;
    expect(patches).toEqual([{ 'items[0]': item(k1, 1), scrollTo: k1 }]);
    say(like, text(2));
    const [kl, k2] = [patches[1]['items[1]'].key, patches[1]['items[2]'].key];
    expect(patches[1]).toEqual({
      'items[1]': { key: kl, kind: 'notice', from: '', text: 'bob liked ❤', mine: false },
      'items[2]': item(k2, 2),
      likes: 1,
      scrollTo: k2,
    });
    expect(listed()).toEqual(['bob: message 1', 'bob liked ❤', 'bob: message 2']);
  });

  test('full (100): a new item takes the oldest slot, head moves on and wraps; the list reads oldest first', () => {
    for (let n = 1; n <= 100; n++) say(text(n));
    expect(patches.at(-1)).toEqual({
      'items[99]': item(patches.at(-1)!['items[99]'].key, 100),
      scrollTo: expect.any(String),
    });
    say(text(101));
    const k = patches.at(-1)!['items[0]'].key;
    expect(patches.at(-1)).toEqual({ 'items[0]': item(k, 101), head: 1, scrollTo: k });
    let all = listed();
    expect([all.length, all[0], all[99]]).toEqual([100, 'bob: message 2', 'bob: message 101']);
    // a burst of three across the end of the ring: three slots, head 99 → 2
    for (let n = 102; n <= 199; n++) say(text(n));
    expect(panel.instance.data.head).toBe(99);
    say(text(200), text(201), text(202));
    const p = patches.at(-1)!;
    expect(p).toEqual({
      'items[99]': item(p['items[99]'].key, 200),
      'items[0]': item(p['items[0]'].key, 201),
      'items[1]': item(p['items[1]'].key, 202),
      head: 2,
      scrollTo: p['items[1]'].key,
    });
    all = listed();
    expect([all.length, all[0], all[99]]).toEqual([100, 'bob: message 103', 'bob: message 202']);
    // never the whole list
    expect(patches.filter((q) => 'items' in q)).toEqual([]);
  });
});
