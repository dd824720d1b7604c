/**
 * <webrtc-room> chat wiring (chat-behavior.ts, loaded by registerChat) on the built dist/wx, with a hand fake of
 * @tencentcloud/chat registered through the component package's own `registerChat`.
 */
import * as fs from 'fs';
import * as path from 'path';
import simulate from 'miniprogram-simulate';
import { componentRoot, fire } from './helpers/mp';
import { installWx, WxFake } from './helpers/wx-fake';
import {
  ChatFake,
  createChatFake,
  EVENT,
  groupNotice,
  incoming,
  settle,
  TYPES,
  unbalancedListeners,
} from './helpers/chat-fake';
import { PROPERTIES } from '../components/webrtc-room/props';

jest.mock('@tencentcloud/chat', () => {
  throw new Error('the real chat SDK must never be loaded in tests');
});

type ChatModule = typeof import('../components/webrtc-room/chat');

/** one wcc compile per test file (toolchain.md S3): every template this file renders */
const WXML = [
  'components/webrtc-room/index.wxml',
  'templates/room-states.wxml',
  'templates/media.wxml',
  'pages/room/chat-panel/index.wxml',
];

const BASE = { sdkAppID: 1400000001, userID: 'alice', userSig: 'sig-alice', roomID: 1234 };

interface Ev {
  tag: string;
  code: number;
  detail: any;
}

interface Mounted {
  host: any;
  rooms: Array<{ inst: Record<string, any>; im: Ev[]; room: any }>;
  registry: ChatModule;
  setProps(i: number, data: Record<string, unknown>): void;
}

/** dist/wx as built (or the sources with WEBRTC_ROOM_SOURCES=1): helpers/mp.ts */
const ROOT = componentRoot('wx');

function listRel(dir: string, ext: string): string[] {
  return (fs.readdirSync(path.join(ROOT, dir), { recursive: true }) as string[])
    .filter((f) => f.endsWith(ext) && !f.includes('.tt.'))
    .map((f) => path.join(dir, f).replace(/\\/g, '/'));
}

/** Loads the component and its chat registry in one module registry (toolchain.md S1), then mounts N rooms. */
function mount(props: Array<Record<string, unknown>>): Mounted {
  let id = '';
  let registry!: ChatModule;
  jest.isolateModules(() => {
    registry = require(path.join(ROOT, 'components/webrtc-room/chat'));
    id = simulate.load(path.join(ROOT, 'components/webrtc-room/index'), 'webrtc-room', {
      rootPath: ROOT,
      compilerOptions: {
        wxmlList: WXML,
        wxsList: listRel('templates', '.wxs'),
      },
    } as never);
  });
  const im: Ev[][] = props.map(() => []);
  const methods: Record<string, (e: { detail: Ev }) => void> = {};
  const data: Record<string, unknown> = {};
  const tags = props.map((p, i) => {
    methods[`onIM${i}`] = (e) => im[i].push(e.detail);
    data[`r${i}`] = { ...p };
    const attrs = Object.keys(p)
      .map((k) => `${k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}="{{r${i}.${k}}}"`)
      .join(' ');
    return `<webrtc-room id="r${i}" ${attrs} bindIMEvent="onIM${i}"></webrtc-room>`;
  });
  const hostId = simulate.load({
    usingComponents: { 'webrtc-room': id },
    template: tags.join('\n'),
    data,
    methods,
  } as never);
  const host = simulate.render(hostId) as any;
  host.attach(document.createElement('parent-wrapper'));
  const rooms = props.map((_, i) => {
    const room = host.querySelector(`#r${i}`);
    return { inst: room.instance as Record<string, any>, im: im[i], room };
  });
  return {
    host,
    rooms,
    registry,
    setProps: (i, d) => {
      const patch: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(d)) patch[`r${i}.${k}`] = v;
      host.setData(patch);
    },
  };
}

async function flushAll() {
  for (let i = 0; i < 5; i++) {
    await settle(10);
    jest.advanceTimersByTime(20);
  }
}

/** Runs a call that enters the room (start(), updateUserSig()) and lets the entry answer (1018). */
async function entering(m: Mounted, call: (inst: Record<string, any>) => Promise<unknown>, i = 0) {
  const r = m.rooms[i];
  const pending = call(r.inst);
  await flushAll();
  fire(r.room, '#pusher', 'statechange', { code: 1018, message: 'onEnterRoom success' });
  await pending;
  await flushAll();
}

/** start() and let the room enter (1018), so the room and the chat both run. */
async function enter(m: Mounted, i = 0) {
  await entering(m, (inst) => inst.start(), i);
}

/** One room with enableIM (`m`, detached after the test), the chat fake registered, entered: both run. */
async function enterWithChat(): Promise<Mounted> {
  m = mount([{ ...BASE, enableIM: true }]);
  m.registry.registerChat(fake.sdk);
  await enter(m);
  return m;
}

/** updateUserSig(sig) and let the room's re-entry answer (1018). */
async function renew(m: Mounted, sig: string, i = 0) {
  await entering(m, (inst) => inst.updateUserSig(sig), i);
}

let wxf: WxFake;
let fake: ChatFake;
let m: Mounted | null;

beforeEach(() => {
  jest.useFakeTimers();
  wxf = installWx();
  fake = createChatFake();
  m = null;
});

afterEach(() => {
  try {
    m?.host.detach();
  } catch {
    // already detached by the test
  }
  jest.useRealTimers();
});

const tagsOf = (evs: Ev[]) => evs.map((e) => e.tag);

test('enableIM off (the default): start() never touches the chat SDK; sends are refused', async () => {
  m = mount([BASE]);
  m.registry.registerChat(fake.sdk);
  await enter(m);
  expect(fake.sdk.create).not.toHaveBeenCalled();
  expect(m.rooms[0].im).toEqual([]);
  await expect(m.rooms[0].inst.sendTextMessage('hi')).rejects.toMatchObject({ tag: 'error', code: -24 });
});

test('enableIM without a registered SDK: IMEvent error -20, and the room still enters', async () => {
  m = mount([{ ...BASE, enableIM: true }]);
  await enter(m);
  expect(wxf.pusher.start).toHaveBeenCalledTimes(1);
  expect(m.rooms[0].im).toEqual([
    {
      tag: 'error',
      code: -20,
      detail: { message: expect.stringContaining('registerChat(TencentCloudChat)'), rawCode: 0 },
    },
  ]);
  await expect(m.rooms[0].inst.sendTextMessage('hi')).rejects.toMatchObject({ code: -24 });
});

test('registerChat: start() logs in with the room credentials and joins the room group; every tag reaches bindIMEvent', async () => {
  m = mount([{ ...BASE, enableIM: true }]);
  m.registry.registerChat(fake.sdk);
  await enter(m);
  const chat = fake.chat(1400000001);
  expect(chat.login).toHaveBeenCalledWith({ userID: 'alice', userSig: 'sig-alice' });
  expect(chat.joinGroup).toHaveBeenCalledWith({ groupID: '1234', type: 'AVChatRoom' });
  const im = m.rooms[0].im;
  expect(im).toEqual([
    { tag: 'login_event', code: 0, detail: { userID: 'alice' } },
    { tag: 'join_group_event', code: 0, detail: { groupID: '1234', status: 'JoinedSuccess' } },
  ]);
  im.length = 0;
  chat.emit(EVENT.NET_STATE_CHANGE, { state: TYPES.NET_STATE_CONNECTING });
  chat.emit(EVENT.MESSAGE_RECEIVED, [
    incoming({ ID: 'g1', payload: { text: 'hello room' } }),
    incoming({ ID: 'c1', conversationType: TYPES.CONV_C2C, to: 'alice' }),
    incoming({
      ID: 's1',
      type: TYPES.MSG_GRP_SYS_NOTICE,
      conversationType: TYPES.CONV_SYSTEM,
      // a custom notice (255); a dismissal (5) ends chat: 'a dismissed group ends chat …' below
      payload: { operationType: 255, groupProfile: { groupID: '1234' } },
    }),
  ]);
  chat.emit(EVENT.ERROR, { code: 2800, message: 'network' });
  chat.emit(EVENT.KICKED_OUT, { type: TYPES.KICKED_OUT_USERSIG_EXPIRED });
  expect(tagsOf(im)).toEqual([
    'connection_event',
    'big_group_msg_notify',
    'msg_notify',
    'group_system_notify',
    'error',
    'kicked',
  ]);
  expect(im[1].detail.messages[0]).toMatchObject({
    ID: 'g1',
    from: 'bob',
    time: 1700000100,
    type: 'TIMTextElem',
    payload: { text: 'hello room' },
  });
  expect(im[5]).toEqual({ tag: 'kicked', code: 0, detail: { type: 'userSigExpired' } });
});

test('strRoomID is the group ID; imConfig overrides the chat credentials', async () => {
  m = mount([
    {
      sdkAppID: 1400000001,
      userID: 'alice',
      userSig: 'sig-alice',
      strRoomID: 'class-7',
      enableIM: true,
      imConfig: { sdkAppID: 1400000042, userSig: 'im-sig' },
    },
  ]);
  m.registry.registerChat(fake.sdk);
  await enter(m);
  expect(fake.sdk.create).toHaveBeenCalledWith({ SDKAppID: 1400000042 });
  const chat = fake.chat(1400000042);
  expect(chat.login).toHaveBeenCalledWith({ userID: 'alice', userSig: 'im-sig' });
  expect(chat.joinGroup).toHaveBeenCalledWith({ groupID: 'class-7', type: 'AVChatRoom' });
});

test('the send methods resolve with the sent message', async () => {
  m = mount([{ ...BASE, enableIM: true }]);
  m.registry.registerChat(fake.sdk);
  await enter(m);
  const inst = m.rooms[0].inst;
  const chat = fake.chat();
  await expect(inst.sendTextMessage('hi all')).resolves.toMatchObject({
    from: 'alice',
    to: '1234',
    payload: { text: 'hi all' },
  });
  await expect(inst.sendCustomMessage({ data: JSON.stringify({ type: 'like' }) })).resolves.toMatchObject({
    type: 'TIMCustomElem',
    payload: { data: '{"type":"like"}' },
  });
  await expect(inst.sendC2CTextMessage('bob', 'psst')).resolves.toMatchObject({
    to: 'bob',
    conversationType: 'C2C',
  });
  await expect(inst.sendC2CCustomMessage('bob', { data: 'raise-hand' })).resolves.toMatchObject({
    to: 'bob',
    payload: { data: 'raise-hand' },
  });
  expect(chat.sendMessage).toHaveBeenCalledTimes(4);
  await expect(inst.sendTextMessage('')).rejects.toMatchObject({ code: -25 });
  await expect(inst.sendTextMessage('x'.repeat(12 * 1024 + 1))).rejects.toMatchObject({ code: -26 });
  chat.sendMessage.mockRejectedValueOnce(Object.assign(new Error('muted'), { code: 10017 }));
  await expect(inst.sendTextMessage('hi')).rejects.toMatchObject({ code: -27, detail: { rawCode: 10017 } });
});

test('stop() quits the group and logs out; start() again re-joins', async () => {
  m = mount([{ ...BASE, enableIM: true }]);
  m.registry.registerChat(fake.sdk);
  await enter(m);
  const chat = fake.chat();
  await m.rooms[0].inst.stop();
  await flushAll();
  expect(chat.quitGroup).toHaveBeenCalledWith('1234');
  expect(chat.logout).toHaveBeenCalledTimes(1);
  expect(unbalancedListeners(chat)).toEqual([]);
  await expect(m.rooms[0].inst.sendTextMessage('hi')).rejects.toMatchObject({ code: -24 });
  await enter(m);
  expect(chat.login).toHaveBeenCalledTimes(2);
  expect(chat.joinGroup).toHaveBeenCalledTimes(2);
  expect(chat.groups.has('1234')).toBe(true);
});

test('detached: off() for every on(), quitGroup and logout, no event afterwards', async () => {
  m = mount([{ ...BASE, enableIM: true }]);
  m.registry.registerChat(fake.sdk);
  await enter(m);
  const chat = fake.chat();
  expect(chat.on).toHaveBeenCalled();
  m.host.detach();
  await flushAll();
  expect(unbalancedListeners(chat)).toEqual([]);
  expect(chat.listenerCount()).toBe(0);
  expect(chat.quitGroup).toHaveBeenCalledWith('1234');
  expect(chat.logout).toHaveBeenCalledTimes(1);
  const before = m.rooms[0].im.length;
  chat.emit(EVENT.MESSAGE_RECEIVED, [incoming({})]);
  expect(m.rooms[0].im.length).toBe(before);
  m = null;
});

test('two components on one page: one login and one join; stopping one keeps the other chatting', async () => {
  m = mount([
    { ...BASE, enableIM: true },
    { ...BASE, enableIM: true },
  ]);
  m.registry.registerChat(fake.sdk);
  await enter(m, 0);
  await enter(m, 1);
  const chat = fake.chat();
  expect(fake.sdk.create).toHaveBeenCalledTimes(1);
  expect(chat.login).toHaveBeenCalledTimes(1);
  expect(chat.joinGroup).toHaveBeenCalledTimes(1);
  expect(m.rooms[1].im[1]).toEqual({
    tag: 'join_group_event',
    code: 0,
    detail: { groupID: '1234', status: 'AlreadyInGroup' },
  });
  await m.rooms[0].inst.stop();
  await flushAll();
  expect(chat.quitGroup).not.toHaveBeenCalled();
  expect(chat.logout).not.toHaveBeenCalled();
  m.rooms[0].im.length = 0;
  m.rooms[1].im.length = 0;
  chat.emit(EVENT.MESSAGE_RECEIVED, [incoming({ payload: { text: 'for room 2' } })]);
  expect(m.rooms[0].im).toEqual([]);
  expect(tagsOf(m.rooms[1].im)).toEqual(['big_group_msg_notify']);
  await expect(m.rooms[1].inst.sendTextMessage('still here')).resolves.toMatchObject({ from: 'alice' });
  m.host.detach();
  await flushAll();
  expect(chat.quitGroup).toHaveBeenCalledTimes(1);
  expect(chat.logout).toHaveBeenCalledTimes(1);
  expect(unbalancedListeners(chat)).toEqual([]);
  m = null;
});

test('setChatSDK without registerChat: the chat code is not loaded, enableIM says how (-20)', async () => {
  m = mount([{ ...BASE, enableIM: true }]);
  m.rooms[0].inst.setChatSDK(fake.sdk);
  await enter(m, 0);
  expect(m.rooms[0].im.map((e) => [e.code, e.detail.message])).toEqual([
    [-20, expect.stringContaining('registerChat(TencentCloudChat)')],
  ]);
  expect(fake.sdk.create).not.toHaveBeenCalled();
});

test('setChatSDK gives one component its own SDK module (chat loaded, no app-wide SDK)', async () => {
  m = mount([
    { ...BASE, enableIM: true },
    { ...BASE, enableIM: true },
  ]);
  m.registry.registerChat(fake.sdk);
  m.registry.unregisterChat();
  m.rooms[0].inst.setChatSDK(fake.sdk);
  await enter(m, 0);
  await enter(m, 1);
  expect(tagsOf(m.rooms[0].im)).toEqual(['login_event', 'join_group_event']);
  expect(m.rooms[1].im.map((e) => e.code)).toEqual([-20]);
  expect(() => m!.rooms[0].inst.setChatSDK({})).toThrow(TypeError);
  expect(() => m!.registry.registerChat(null)).toThrow(TypeError);
});

test('enableIM switched off in the room leaves chat; switched on again it rejoins', async () => {
  m = mount([{ ...BASE, enableIM: true }]);
  m.registry.registerChat(fake.sdk);
  await enter(m);
  const chat = fake.chat();
  m.setProps(0, { enableIM: false });
  await flushAll();
  expect(chat.quitGroup).toHaveBeenCalledTimes(1);
  expect(chat.logout).toHaveBeenCalledTimes(1);
  m.setProps(0, { enableIM: true });
  await flushAll();
  expect(chat.login).toHaveBeenCalledTimes(2);
  expect(chat.groups.has('1234')).toBe(true);
  // the room itself never left
  expect(wxf.pusher.stop).not.toHaveBeenCalled();
});

/** Every property bound by the page, each with its default unless `props` gives one. */
function allProps(props: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(PROPERTIES)) out[k] = p.value;
  return { ...out, ...BASE, ...props };
}

/** The calls the chat SDK received (every method that acts, and its instances created). */
function sdkCalls(): number[] {
  const acting = [
    'login',
    'logout',
    'joinGroup',
    'createGroup',
    'quitGroup',
    'sendMessage',
    'on',
    'off',
  ] as const;
  const chats = fake.sdk.create.mock.results.map((r) => r.value as Record<string, jest.Mock>);
  return [
    fake.sdk.create.mock.calls.length,
    ...chats.flatMap((c) => acting.map((n) => c[n].mock.calls.length)),
  ];
}

test.each([
  ['in the group', { imConfig: { userSig: 'im-sig' } }, false],
  ['refused its credentials (-21)', { imConfig: { userSig: '' } }, false],
  ['without the SDK, taken back by unregisterChat (-20)', {}, true],
])(
  'chat %s: every property set again to its value, by the page and by the component, changes nothing of the chat',
  async (_name, props, unregister) => {
    m = mount([allProps({ enableIM: true, ...props })]);
    m.registry.registerChat(fake.sdk);
    if (unregister) m.registry.unregisterChat();
    await enter(m);
    const r = m.rooms[0];
    expect(r.im.length).toBeGreaterThan(0);
    r.im.length = 0;
    const before = sdkCalls();
    // the test's own setData of the field is not the component's
    const own = r.inst.setData.bind(r.inst) as (d: Record<string, unknown>) => void;
    const setData = jest.spyOn(r.inst, 'setData');
    const copy = (k: string) => JSON.parse(JSON.stringify({ v: r.inst.data[k] })).v as unknown;
    for (const k of Object.keys(PROPERTIES)) {
      m.setProps(0, { [k]: copy(k) });
      own({ [k]: copy(k) });
      await flushAll();
      expect({ k, im: r.im, setData: setData.mock.calls, calls: sdkCalls() }).toEqual({
        k,
        im: [],
        setData: [],
        calls: before,
      });
    }
    setData.mockRestore();
  },
);

test('invalid chat credentials give IMEvent error -21 naming the field', async () => {
  m = mount([{ ...BASE, enableIM: true, imConfig: { userSig: '' } }]);
  m.registry.registerChat(fake.sdk);
  await enter(m);
  expect(m.rooms[0].im).toEqual([
    {
      tag: 'error',
      code: -21,
      detail: { message: 'chat needs a non-empty UserSig', rawCode: 0, field: 'imConfig.userSig' },
    },
  ]);
  expect(fake.sdk.create).not.toHaveBeenCalled();
});

test.each([
  ['a string', 'im-sig'],
  ['an array', [{ userSig: 'im-sig' }]],
  ['a number', 1400000042],
])(
  'an imConfig that is %s (not an object) is IMEvent error -21 naming imConfig; chat does not log in',
  async (_name, imConfig) => {
    m = mount([{ ...BASE, enableIM: true, imConfig }]);
    m.registry.registerChat(fake.sdk);
    await enter(m);
    expect(m.rooms[0].im).toEqual([
      {
        tag: 'error',
        code: -21,
        detail: {
          message: expect.stringContaining('imConfig must be an object'),
          rawCode: 0,
          field: 'imConfig',
        },
      },
    ]);
    expect(fake.sdk.create).not.toHaveBeenCalled();
  },
);

test('imConfig null (the default) on WeChat: the room credentials', async () => {
  m = mount([{ ...BASE, enableIM: true, imConfig: null }]);
  m.registry.registerChat(fake.sdk);
  await enter(m);
  expect(fake.chat().login).toHaveBeenCalledWith({ userID: 'alice', userSig: 'sig-alice' });
});

test('demo chat panel: lists IMEvents, sends the draft, likes, and shows failures', async () => {
  let id = '';
  jest.isolateModules(() => {
    id = simulate.load(path.join(ROOT, 'pages/room/chat-panel/index'), 'chat-panel', {
      rootPath: ROOT,
      compilerOptions: { wxmlList: WXML, wxsList: listRel('templates', '.wxs') },
    } as never);
  });
  const sends: unknown[] = [];
  const likes: unknown[] = [];
  const hostId = simulate.load({
    usingComponents: { 'chat-panel': id },
    template: '<chat-panel id="chat" user-i-d="alice" bindsend="onSend" bindlike="onLike"></chat-panel>',
    methods: {
      onSend: (e: { detail: unknown }) => sends.push(e.detail),
      onLike: (e: { detail: unknown }) => likes.push(e.detail),
    },
  } as never);
  const host = simulate.render(hostId) as any;
  host.attach(document.createElement('parent-wrapper'));
  const panel = host.querySelector('#chat');
  const inst = panel.instance;
  inst.onIMEvent({
    tag: 'big_group_msg_notify',
    code: 0,
    detail: {
      groupID: '1234',
      messages: [
        { ...incoming({ payload: { text: 'hello' } }), cloudCustomData: '' },
        {
          ...incoming({ type: TYPES.MSG_CUSTOM, payload: { data: '{"type":"like"}' } }),
          cloudCustomData: '',
        },
      ],
    },
  });
  inst.addError({ code: -24, message: 'chat is not ready' });
  expect(panel.querySelectorAll('.item').length).toBe(3);
  expect(inst.data.likes).toBe(1);
  expect(panel.dom.textContent).toContain('hello');
  expect(panel.dom.textContent).toContain('not sent (-24): chat is not ready');
  inst.onSend(); // empty draft: nothing
  inst.onInput({ detail: { value: 'hi there' } });
  panel.querySelector('.btn').dispatchEvent('tap');
  await flushAll();
  expect(sends).toEqual([{ text: 'hi there' }]);
  expect(inst.data.draft).toBe('');
  inst.onLike();
  expect(likes).toHaveLength(1);
  host.detach();
});

describe('a newer UserSig renews the chat login', () => {
  test('updateUserSig() in the room: chat logs out, logs in with it and rejoins; the page hears no second login or join', async () => {
    m = await enterWithChat();
    const chat = fake.chat();
    const im = m.rooms[0].im;
    im.length = 0;
    await renew(m, 'sig-alice-2');
    expect(chat.logout).toHaveBeenCalledTimes(1);
    expect(chat.login).toHaveBeenLastCalledWith({ userID: 'alice', userSig: 'sig-alice-2' });
    expect(chat.joinGroup).toHaveBeenCalledTimes(2);
    expect(chat.groups.has('1234')).toBe(true);
    expect(im).toEqual([]);
    await expect(m.rooms[0].inst.sendTextMessage('still here')).resolves.toMatchObject({ from: 'alice' });
    // an invalid one is the room's -1; chat keeps its login
    await expect(m.rooms[0].inst.updateUserSig('')).rejects.toMatchObject({ code: -1 });
    await flushAll();
    expect(chat.login).toHaveBeenCalledTimes(2);
  });

  test("an admin kicking this user out of the room's group ends chat (error -31, reason kicked): updateUserSig() does not rejoin it; a kick of another user ends nothing", async () => {
    m = await enterWithChat();
    const chat = fake.chat();
    const im = m.rooms[0].im;
    im.length = 0;
    const kick = (userIDList?: string[]) => groupNotice(4, { userIDList }, { ID: 'k1' });
    chat.emit(EVENT.MESSAGE_RECEIVED, [kick(['bob'])]);
    await flushAll();
    expect(im.map((e) => e.tag)).toEqual(['group_system_notify']);
    im.length = 0;
    chat.emit(EVENT.MESSAGE_RECEIVED, [kick()]);
    await flushAll();
    expect(im.map((e) => e.tag)).toEqual(['group_system_notify', 'error']);
    expect(im[1]).toEqual({
      tag: 'error',
      code: -31,
      detail: {
        message: 'chat has ended: an admin kicked this user out of the group (group 1234)',
        rawCode: 0,
        reason: 'kicked',
      },
    });
    expect(chat.quitGroup).not.toHaveBeenCalled();
    im.length = 0;
    await renew(m, 'sig-alice-2');
    expect(chat.login).toHaveBeenCalledTimes(1);
    expect(chat.joinGroup).toHaveBeenCalledTimes(1);
    expect(im).toEqual([]);
    await expect(m.rooms[0].inst.sendTextMessage('back?')).rejects.toMatchObject({
      code: -24,
      detail: { message: 'chat ended: an admin kicked this user out of the group; call start() again' },
    });
  });

  test('a group dismissed by an admin ends chat (the notice, error -31): updateUserSig() does not rejoin or create it, sends fail -24', async () => {
    m = await enterWithChat();
    const chat = fake.chat();
    const im = m.rooms[0].im;
    im.length = 0;
    chat.groups.delete('1234'); // dismissed in the cloud: a join would be 10010, then a create
    chat.emit(EVENT.MESSAGE_RECEIVED, [groupNotice(5, {}, { ID: 's1', time: 1700000300 })]);
    await flushAll();
    expect(im).toEqual([
      {
        tag: 'group_system_notify',
        code: 0,
        detail: {
          groupID: '1234',
          messages: [
            {
              ID: 's1',
              type: 'TIMGroupSystemNoticeElem',
              conversationType: '@TIM#SYSTEM',
              from: '@TIM#SYSTEM',
              to: 'alice',
              nick: 'Bob',
              avatar: '',
              time: 1700000300,
              flow: 'in',
              payload: {
                operationType: 5,
                operatorID: 'admin',
                userIDList: [],
                groupProfile: { groupID: '1234' },
              },
              cloudCustomData: '',
            },
          ],
        },
      },
      {
        tag: 'error',
        code: -31,
        detail: {
          message: 'chat has ended: the group was dismissed (group 1234)',
          rawCode: 0,
          reason: 'dismissed',
        },
      },
    ]);
    expect(chat.quitGroup).not.toHaveBeenCalled();
    expect(chat.logout).toHaveBeenCalledTimes(1);
    expect(unbalancedListeners(chat)).toEqual([]);
    im.length = 0;
    await renew(m, 'sig-alice-2');
    expect(chat.login).toHaveBeenCalledTimes(1);
    expect(chat.joinGroup).toHaveBeenCalledTimes(1);
    expect(chat.createGroup).not.toHaveBeenCalled();
    expect(im).toEqual([]);
    await expect(m.rooms[0].inst.sendTextMessage('anyone?')).rejects.toMatchObject({
      tag: 'error',
      code: -24,
      detail: { message: 'chat ended: the group was dismissed; call start() again', rawCode: 0 },
    });
    expect(chat.sendMessage).not.toHaveBeenCalled();
    // a new room session joins as the first join does (the group missing is created)
    await m.rooms[0].inst.stop();
    await flushAll();
    chat.joinGroup.mockRejectedValueOnce(Object.assign(new Error('group dismissed'), { code: 10010 }));
    await enter(m);
    expect(chat.createGroup).toHaveBeenCalledTimes(1);
    expect(tagsOf(im)).toEqual(['login_event', 'join_group_event']);
  });

  test('a chat an admin ended stays ended when the page sets enableIM true again; off and on starts it anew', async () => {
    m = await enterWithChat();
    const chat = fake.chat();
    const im = m.rooms[0].im;
    chat.emit(EVENT.MESSAGE_RECEIVED, [groupNotice(11, {}, { ID: 's1', time: 1700000300 })]);
    await flushAll();
    expect(tagsOf(im).slice(-2)).toEqual(['group_system_notify', 'error']);
    im.length = 0;
    // the same value set again: the parent's re-render, or a setData of the field, which fires its observer
    // whether or not the value changed (WeChat's documented rule; Douyin's runtime and the preview's do the same)
    m.setProps(0, { enableIM: true });
    m.rooms[0].inst.setData({ enableIM: true });
    await flushAll();
    expect(chat.login).toHaveBeenCalledTimes(1);
    expect(chat.joinGroup).toHaveBeenCalledTimes(1);
    expect(chat.createGroup).not.toHaveBeenCalled();
    expect(im).toEqual([]);
    // the page turning chat off and on again is a new start, as documented
    m.setProps(0, { enableIM: false });
    await flushAll();
    m.setProps(0, { enableIM: true });
    await flushAll();
    expect(chat.login).toHaveBeenCalledTimes(2);
    expect(tagsOf(im)).toEqual(['login_event', 'join_group_event']);
  });

  test("updateUserSig() after the group went without a notice (10010 on the rejoin): created again as the first join does; a refusal is the first join's error", async () => {
    m = await enterWithChat();
    const chat = fake.chat();
    const im = m.rooms[0].im;
    im.length = 0;
    chat.joinGroup.mockRejectedValueOnce(Object.assign(new Error('group dismissed'), { code: 10010 }));
    await renew(m, 'sig-alice-2');
    expect(chat.createGroup).toHaveBeenCalledWith({ type: 'AVChatRoom', groupID: '1234', name: '1234' });
    expect(chat.groups.has('1234')).toBe(true);
    expect(im).toEqual([]);
    await expect(m.rooms[0].inst.sendTextMessage('recreated')).resolves.toMatchObject({ to: '1234' });
    chat.joinGroup.mockRejectedValueOnce(Object.assign(new Error('permission denied'), { code: 10007 }));
    await renew(m, 'sig-alice-3');
    const message = 'joining group 1234 failed: permission denied';
    expect(im).toEqual([
      { tag: 'join_group_event', code: 10007, detail: { groupID: '1234', message } },
      { tag: 'error', code: -23, detail: { message, rawCode: 10007 } },
    ]);
  });

  test('kicked for userSigExpired: updateUserSig() brings chat back (login_event, join_group_event)', async () => {
    m = await enterWithChat();
    const chat = fake.chat();
    chat.loginUser = '';
    chat.groups.clear();
    chat.emit(EVENT.KICKED_OUT, { type: TYPES.KICKED_OUT_USERSIG_EXPIRED });
    const im = m.rooms[0].im;
    im.length = 0;
    void m.rooms[0].inst.updateUserSig('sig-alice-2').catch(() => undefined);
    await flushAll();
    expect(chat.login).toHaveBeenLastCalledWith({ userID: 'alice', userSig: 'sig-alice-2' });
    expect(im).toEqual([
      { tag: 'login_event', code: 0, detail: { userID: 'alice' } },
      { tag: 'join_group_event', code: 0, detail: { groupID: '1234', status: 'JoinedSuccess' } },
    ]);
  });

  test("a newer userSig property renews the chat login too; imConfig.userSig, when set, is the chat's own", async () => {
    m = mount([{ ...BASE, enableIM: true, imConfig: null }]);
    m.registry.registerChat(fake.sdk);
    await enter(m);
    const chat = fake.chat();
    m.setProps(0, { userSig: 'sig-alice-2' });
    await flushAll();
    expect(chat.login).toHaveBeenCalledTimes(2);
    expect(chat.login).toHaveBeenLastCalledWith({ userID: 'alice', userSig: 'sig-alice-2' });
    m.setProps(0, { imConfig: { userSig: 'im-sig' } });
    await flushAll();
    expect(chat.login).toHaveBeenLastCalledWith({ userID: 'alice', userSig: 'im-sig' });
    // the room credential changes; the chat's does not
    void m.rooms[0].inst.updateUserSig('sig-alice-3').catch(() => undefined);
    await flushAll();
    expect(chat.login).toHaveBeenCalledTimes(3);
    expect(tagsOf(m.rooms[0].im)).toEqual(['login_event', 'join_group_event']);
  });

  test('after updateUserSig() the next start() logs chat in with that UserSig, until the property changes', async () => {
    m = mount([{ ...BASE, enableIM: true }]);
    m.registry.registerChat(fake.sdk);
    await m.rooms[0].inst.updateUserSig('sig-alice-2');
    await enter(m);
    const chat = fake.chat();
    expect(chat.login).toHaveBeenLastCalledWith({ userID: 'alice', userSig: 'sig-alice-2' });
    await m.rooms[0].inst.stop();
    m.setProps(0, { userSig: 'sig-alice-4' });
    await enter(m);
    expect(chat.login).toHaveBeenLastCalledWith({ userID: 'alice', userSig: 'sig-alice-4' });
  });

  test('after the session ended a new UserSig does not touch chat', async () => {
    m = await enterWithChat();
    const chat = fake.chat();
    await m.rooms[0].inst.stop();
    await flushAll();
    await m.rooms[0].inst.updateUserSig('sig-alice-2');
    m.setProps(0, { userSig: 'sig-alice-3' });
    await flushAll();
    expect(chat.login).toHaveBeenCalledTimes(1);
    expect(chat.logout).toHaveBeenCalledTimes(1);
  });
});

describe('chat follows the room session, not the method calls', () => {
  test('invalid room parameters: start() rejects and chat never logs in', async () => {
    m = mount([{ ...BASE, userSig: '', enableIM: true, imConfig: { userSig: 'im-sig' } }]);
    m.registry.registerChat(fake.sdk);
    await expect(m.rooms[0].inst.start()).rejects.toMatchObject({ code: -1 });
    await flushAll();
    expect(fake.sdk.create).not.toHaveBeenCalled();
    expect(m.rooms[0].im).toEqual([]);
  });

  test.each([
    ['kicked (1019 with a reason)', 'onExitRoom reason[2]'],
    ['exit_room (1019 reason 0)', 'onExitRoom reason[0]'],
  ])('%s: the room session ends, chat quits and logs out', async (_name, message) => {
    m = await enterWithChat();
    const chat = fake.chat();
    expect(chat.groups.has('1234')).toBe(true);
    fire(m.rooms[0].room, '#pusher', 'statechange', { code: 1019, message });
    await flushAll();
    expect(chat.quitGroup).toHaveBeenCalledTimes(1);
    expect(chat.logout).toHaveBeenCalledTimes(1);
  });

  test('a chat login that answers after the room was kicked emits nothing, and is logged out', async () => {
    m = mount([{ ...BASE, enableIM: true }]);
    m.registry.registerChat(fake.sdk);
    fake.sdk.create({ SDKAppID: BASE.sdkAppID });
    const chat = fake.chat();
    let answer!: () => void;
    chat.login.mockImplementationOnce(
      () =>
        new Promise((r) => {
          answer = () => {
            chat.loginUser = 'alice';
            r({ code: 0, data: { repeatLogin: false } });
          };
        }),
    );
    await enter(m);
    expect(chat.login).toHaveBeenCalledTimes(1);
    fire(m.rooms[0].room, '#pusher', 'statechange', { code: 1019, message: 'onExitRoom reason[1]' });
    await flushAll();
    answer();
    await flushAll();
    chat.emit(EVENT.SDK_READY);
    chat.emit(EVENT.NET_STATE_CHANGE, { state: 'connected' });
    chat.emit(EVENT.MESSAGE_RECEIVED, [incoming({})]);
    await flushAll();
    expect(m.rooms[0].im).toEqual([]);
    expect(chat.joinGroup).not.toHaveBeenCalled();
    expect(chat.logout).toHaveBeenCalledTimes(1);
    expect(unbalancedListeners(chat)).toEqual([]);
  });

  test('credential rejected in the room (the session is lost): chat stops with the room', async () => {
    m = await enterWithChat();
    const chat = fake.chat();
    fire(m.rooms[0].room, '#pusher', 'statechange', { code: -100018, message: 'userSig expired' });
    await flushAll();
    expect(m.rooms[0].inst.data.phase).toBe('idle');
    expect(chat.logout).toHaveBeenCalledTimes(1);
  });
});
