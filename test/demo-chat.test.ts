/**
 * The demo room page (pages/room, as built in dist/wx) with chat on: it answers what the chat says about its
 * UserSig the way an app should, through the component's public API only. The signing service, `wx.login` and
 * @tencentcloud/chat are stand-ins (helpers/chat-fake.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import simulate from 'miniprogram-simulate';
import { componentRoot, fire } from './helpers/mp';
import { mountPage, type MountedPage } from './helpers/page';
import { installWx, type WxFake } from './helpers/wx-fake';
import { ChatFake, createChatFake, EVENT, settle, TYPES } from './helpers/chat-fake';

jest.mock('@tencentcloud/chat', () => {
  throw new Error('the real chat SDK must never be loaded in tests');
});

const ROOT = componentRoot('wx');
const URL = 'https://sign.example/api/credentials';

function listRel(dir: string, ext: string): string[] {
  return (fs.readdirSync(path.join(ROOT, dir), { recursive: true }) as string[])
    .filter((f) => f.endsWith(ext) && !f.includes('.tt.'))
    .map((f) => path.join(dir, f).replace(/\\/g, '/'));
}

interface Signing {
  /** the bodies POSTed to /api/credentials, in order */
  credentials: Array<Record<string, unknown>>;
  /** the next credential request fails with this message */
  failNext: string;
}

/** wx.login and the signing service: each credential is a new UserSig (`sig-1`, `sig-2`, …). */
function installSigning(): Signing {
  const s: Signing = { credentials: [], failNext: '' };
  const w = (globalThis as any).wx as Record<string, unknown>;
  w.login = (o: { success: (r: unknown) => void }) => o.success({ code: 'code-1' });
  w.request = (o: {
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
      o.success({
        statusCode: 200,
        data: {
          platform: 'wx',
          sdkAppID: 1400000001,
          userID: 'alice',
          role: 'anchor',
          roomID: 1234,
          userSig: `sig-${s.credentials.length}`,
          expireAt: Date.now() / 1000 + 3600,
        },
      });
    });
  };
  return s;
}

/** The component, the chat panel and the component package's chat module in one module registry. */
function loadPage(fake: ChatFake): MountedPage {
  const ids: Record<string, string> = {};
  const modules: Record<string, unknown> = {};
  const compilerOptions = {
    wxmlList: [
      'components/webrtc-room/index.wxml',
      'pages/room/chat-panel/index.wxml',
      ...listRel('templates', '.wxml'),
    ],
    wxsList: listRel('templates', '.wxs'),
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

let wxf: WxFake;
let signing: Signing;
let fake: ChatFake;
let page: MountedPage | null;

beforeEach(() => {
  jest.useFakeTimers();
  wxf = installWx();
  signing = installSigning();
  fake = createChatFake();
  page = null;
});

afterEach(() => {
  page?.unload();
  jest.useRealTimers();
});

/** The page signs in, enters room 1234 (1018) and chat joins group 1234 with the first UserSig. */
async function inRoom(): Promise<{ room: any; log: () => string[] }> {
  page = loadPage(fake);
  await flush();
  expect(wxf.pusher.start).toHaveBeenCalledTimes(1);
  const room = page.host.querySelector('#room');
  fire(room, '#pusher', 'statechange', { code: 1018, message: 'onEnterRoom success' });
  await flush();
  expect(fake.chat().login).toHaveBeenCalledWith({ userID: 'alice', userSig: 'sig-1' });
  expect(fake.chat().groups.has('1234')).toBe(true);
  return { room, log: () => (page!.page.data.log as Array<{ line: string }>).map((l) => l.line) };
}

/** The chat cloud ends the login whose UserSig expired (the SDK's KICKED_OUT userSigExpired). */
function expire() {
  const chat = fake.chat();
  chat.loginUser = '';
  chat.groups.clear();
  chat.emit(EVENT.KICKED_OUT, { type: TYPES.KICKED_OUT_USERSIG_EXPIRED });
}

test('chat kicked for userSigExpired: the page asks the signing service again and chat logs in and joins with it; the call goes on', async () => {
  const { log } = await inRoom();
  expect(signing.credentials).toHaveLength(1);
  expire();
  await flush();
  // the same room and role, as the room's own renewal asks
  expect(signing.credentials).toEqual([
    { platform: 'wx', roomID: 1234 },
    { platform: 'wx', roomID: 1234, role: 'anchor' },
  ]);
  const chat = fake.chat();
  expect(chat.login).toHaveBeenLastCalledWith({ userID: 'alice', userSig: 'sig-2' });
  expect(chat.groups.has('1234')).toBe(true);
  // through the userSig property: the room is not entered again (no reconnecting, one pusher start)
  expect(page!.page.data.userSig).toBe('sig-2');
  expect(wxf.pusher.start).toHaveBeenCalledTimes(1);
  expect(log().some((l) => l.startsWith('reconnecting'))).toBe(false);
  expect(log()[0]).toBe('chatUserSig 0 {"after":"userSigExpired"}');
});

test('other kicks are not a UserSig to renew: the page asks for nothing', async () => {
  await inRoom();
  const chat = fake.chat();
  chat.loginUser = '';
  chat.emit(EVENT.KICKED_OUT, { type: TYPES.KICKED_OUT_MULT_DEVICE });
  await flush();
  expect(signing.credentials).toHaveLength(1);
  expect(chat.login).toHaveBeenCalledTimes(1);
});

test('the signing service fails: the log says so, chat stays out, the room goes on', async () => {
  const { log } = await inRoom();
  signing.failNext = 'service unavailable';
  expire();
  await flush();
  expect(signing.credentials).toHaveLength(2);
  expect(fake.chat().login).toHaveBeenCalledTimes(1);
  expect(log()[0]).toBe('chatUserSig -1 {"message":"service unavailable"}');
  expect(page!.page.data.statusKind).toBe('in');
});
