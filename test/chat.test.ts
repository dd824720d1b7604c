/**
 * utils/chat/ against a hand fake of @tencentcloud/chat. The real SDK opens a socket in create() and
 * throws asynchronously offline: loading it fails this file on purpose.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ChatSession } from '../utils/chat/session';
import { chatCredentials, utf8Bytes } from '../utils/chat/credentials';
import type { ChatCredentials } from '../utils/chat/credentials';
import { IMErrorCode, IMEvent, MAX_MESSAGE_BYTES } from '../utils/chat/events';
import { isChatSDK } from '../utils/chat/sdk';
import type { ChatSDK } from '../utils/chat/sdk';
import {
  ChatFake,
  createChatFake,
  delivered,
  EVENT,
  FakeChat,
  groupNotice,
  incoming,
  sdkError,
  settle,
  TYPES,
  unbalancedListeners,
} from './helpers/chat-fake';

jest.mock('@tencentcloud/chat', () => {
  throw new Error('the real chat SDK must never be loaded in tests');
});

const CREDS: ChatCredentials = {
  sdkAppID: 1400000001,
  userID: 'alice',
  userSig: 'sig-alice',
  groupID: '1234',
};

let fake: ChatFake;

function session(events: IMEvent[] = []): { s: ChatSession; events: IMEvent[] } {
  const s = new ChatSession(fake.sdk as unknown as ChatSDK, (e) => events.push(e));
  return { s, events };
}

async function started(creds: Partial<ChatCredentials> = {}) {
  const r = session();
  await r.s.start({ ...CREDS, ...creds });
  return { ...r, chat: fake.chat(creds.sdkAppID ?? CREDS.sdkAppID) };
}

/** Two sessions of one user started on one chat instance; their event logs then start empty. */
async function twoStarted() {
  const a = session();
  const b = session();
  await a.s.start(CREDS);
  await b.s.start(CREDS);
  a.events.length = 0;
  b.events.length = 0;
  return { a, b, chat: fake.chat() };
}

const tags = (events: IMEvent[]) => events.map((e) => e.tag);

/** What a join that failed with the SDK's `code` emits: join_group_event with it, then error -23. */
const failedJoin = (code: number, message: string): IMEvent[] => [
  { tag: 'join_group_event', code, detail: { groupID: '1234', message } },
  { tag: 'error', code: -23, detail: { message, rawCode: code } },
];

beforeEach(() => {
  fake = createChatFake();
});

describe('start', () => {
  test('logs in, waits for SDK_READY, joins the AVChatRoom and reports both', async () => {
    const { s, events } = session();
    const p = s.start(CREDS);
    await settle(3);
    const chat = fake.chat();
    expect(fake.sdk.create).toHaveBeenCalledWith({ SDKAppID: 1400000001 });
    expect(chat.login).toHaveBeenCalledWith({ userID: 'alice', userSig: 'sig-alice' });
    await p;
    expect(chat.joinGroup).toHaveBeenCalledTimes(1);
    expect(chat.joinGroup).toHaveBeenCalledWith({ groupID: '1234', type: 'AVChatRoom' });
    // joinGroup only after SDK_READY
    expect(chat.isReadyNow).toBe(true);
    expect(events).toEqual([
      { tag: 'login_event', code: 0, detail: { userID: 'alice' } },
      { tag: 'join_group_event', code: 0, detail: { groupID: '1234', status: 'JoinedSuccess' } },
    ]);
    expect(s.state).toBe('ready');
  });

  test('does not join before SDK_READY', async () => {
    const { s, events } = session();
    fake.sdk.create({ SDKAppID: CREDS.sdkAppID });
    const chat = fake.chat();
    chat.autoReady = false;
    const p = s.start(CREDS);
    await settle();
    expect(tags(events)).toEqual(['login_event']);
    expect(chat.joinGroup).not.toHaveBeenCalled();
    chat.emit(EVENT.SDK_READY);
    await p;
    expect(chat.joinGroup).toHaveBeenCalledTimes(1);
    expect(tags(events)).toEqual(['login_event', 'join_group_event']);
  });

  test('already in the group (status AlreadyInGroup) is a successful join and fires join_group_event', async () => {
    fake.sdk.create({ SDKAppID: CREDS.sdkAppID });
    fake.chat().joinGroup.mockResolvedValueOnce({ code: 0, data: { status: 'AlreadyInGroup' } });
    const { s, events } = session();
    await s.start(CREDS);
    expect(events[1]).toEqual({
      tag: 'join_group_event',
      code: 0,
      detail: { groupID: '1234', status: 'AlreadyInGroup' },
    });
    expect(s.state).toBe('ready');
  });

  test('already in the group (SDK error 10013) is a successful join and fires join_group_event', async () => {
    fake.sdk.create({ SDKAppID: CREDS.sdkAppID });
    fake.chat().joinGroup.mockRejectedValueOnce(sdkError(10013, 'already group member'));
    const { s, events } = session();
    await s.start(CREDS);
    expect(events).toEqual([
      { tag: 'login_event', code: 0, detail: { userID: 'alice' } },
      { tag: 'join_group_event', code: 0, detail: { groupID: '1234', status: 'AlreadyInGroup' } },
    ]);
    await expect(s.sendTextMessage('hi')).resolves.toMatchObject({ payload: { text: 'hi' } });
  });

  test('a failed join reports join_group_event with the SDK code, then error -23, and logs out', async () => {
    fake.sdk.create({ SDKAppID: CREDS.sdkAppID });
    const chat = fake.chat();
    chat.joinGroup.mockRejectedValueOnce(sdkError(10007, 'permission denied'));
    const { s, events } = session();
    await expect(s.start(CREDS)).rejects.toMatchObject({ tag: 'error', code: IMErrorCode.JOIN_FAILED });
    expect(events.slice(1)).toEqual(failedJoin(10007, 'joining group 1234 failed: permission denied'));
    await settle();
    expect(chat.logout).toHaveBeenCalledTimes(1);
    expect(chat.quitGroup).not.toHaveBeenCalled();
    expect(chat.createGroup).not.toHaveBeenCalled();
    expect(s.state).toBe('failed');
  });

  // the cloud has no group until someone creates it: joining a room's group nobody created is 10010 / 10015
  test.each([
    [10010, 'group does not exist'],
    [10015, 'group not found'],
  ])(
    'the room group does not exist yet (%i): it is created as an AVChatRoom and joined',
    async (code, msg) => {
      fake.sdk.create({ SDKAppID: CREDS.sdkAppID });
      const chat = fake.chat();
      chat.joinGroup.mockRejectedValueOnce(sdkError(code, msg));
      const { s, events } = session();
      await s.start(CREDS);
      expect(chat.createGroup).toHaveBeenCalledTimes(1);
      expect(chat.createGroup).toHaveBeenCalledWith({ type: 'AVChatRoom', groupID: '1234', name: '1234' });
      // an AVChatRoom's creator still joins it (the SDK does not add it to its groups)
      expect(chat.joinGroup).toHaveBeenCalledTimes(2);
      expect(events).toEqual([
        { tag: 'login_event', code: 0, detail: { userID: 'alice' } },
        { tag: 'join_group_event', code: 0, detail: { groupID: '1234', status: 'JoinedSuccess' } },
      ]);
      expect(s.state).toBe('ready');
    },
  );

  test('a group name is at most 30 bytes: a longer group ID is cut to whole characters for it', async () => {
    fake.sdk.create({ SDKAppID: CREDS.sdkAppID });
    const chat = fake.chat();
    chat.joinGroup.mockRejectedValueOnce(sdkError(10010, 'group does not exist'));
    const groupID = 'room-' + '房'.repeat(10); // 5 + 30 bytes
    await session().s.start({ ...CREDS, groupID });
    expect(chat.createGroup).toHaveBeenCalledWith({
      type: 'AVChatRoom',
      groupID,
      name: 'room-' + '房'.repeat(8),
    });
  });

  test('someone else created it meanwhile (10021) or this user did (10025): joined all the same', async () => {
    for (const code of [10021, 10025]) {
      fake = createChatFake();
      fake.sdk.create({ SDKAppID: CREDS.sdkAppID });
      const chat = fake.chat();
      chat.joinGroup.mockRejectedValueOnce(sdkError(10010, 'group does not exist'));
      chat.createGroup.mockRejectedValueOnce(sdkError(code, 'group id in use'));
      const { s, events } = session();
      await s.start(CREDS);
      expect([code, tags(events), chat.joinGroup.mock.calls.length]).toEqual([
        code,
        ['login_event', 'join_group_event'],
        2,
      ]);
      await s.stop();
    }
  });

  test('creating the group fails (10036, the AVChatRoom quota): join_group_event with that code, error -23', async () => {
    fake.sdk.create({ SDKAppID: CREDS.sdkAppID });
    const chat = fake.chat();
    chat.joinGroup.mockRejectedValueOnce(sdkError(10010, 'group does not exist'));
    chat.createGroup.mockRejectedValueOnce(sdkError(10036, 'too many AVChatRooms'));
    const { s, events } = session();
    await expect(s.start(CREDS)).rejects.toMatchObject({ code: IMErrorCode.JOIN_FAILED });
    expect(events.slice(1)).toEqual(failedJoin(10036, 'creating group 1234 failed: too many AVChatRooms'));
    expect(chat.joinGroup).toHaveBeenCalledTimes(1);
  });

  test('stop() while the group is being created: nothing is emitted, the group is not joined', async () => {
    fake.sdk.create({ SDKAppID: CREDS.sdkAppID });
    const chat = fake.chat();
    chat.joinGroup.mockRejectedValueOnce(sdkError(10010, 'group does not exist'));
    let created: () => void = () => undefined;
    chat.createGroup.mockImplementationOnce(
      () => new Promise((r) => (created = () => r({ code: 0, data: { group: { groupID: '1234' } } }))),
    );
    const { s, events } = session();
    const run = s.start(CREDS).catch((e: unknown) => e);
    await settle();
    expect(chat.createGroup).toHaveBeenCalledTimes(1);
    const stopped = s.stop();
    created();
    await stopped;
    await settle();
    expect(tags(events)).toEqual(['login_event']);
    expect(await run).toBeUndefined();
    expect(chat.groups.has('1234')).toBe(false);
    expect(chat.loginUser).toBe('');
  });

  test('WaitAdminApproval is not a join', async () => {
    fake.sdk.create({ SDKAppID: CREDS.sdkAppID });
    fake.chat().joinGroup.mockResolvedValueOnce({ code: 0, data: { status: 'WaitAdminApproval' } });
    const { s, events } = session();
    await expect(s.start(CREDS)).rejects.toMatchObject({ code: IMErrorCode.JOIN_FAILED });
    expect(events[1].tag).toBe('join_group_event');
    expect(events[1].code).toBe(IMErrorCode.JOIN_FAILED);
  });

  test('a failed login reports login_event with the SDK code and error -22; no join, no logout', async () => {
    fake.sdk.create({ SDKAppID: CREDS.sdkAppID });
    const chat = fake.chat();
    chat.login.mockRejectedValueOnce(sdkError(70001, 'userSig expired'));
    const { s, events } = session();
    await expect(s.start(CREDS)).rejects.toMatchObject({ code: IMErrorCode.LOGIN_FAILED });
    expect(events).toEqual([
      {
        tag: 'login_event',
        code: 70001,
        detail: { userID: 'alice', message: 'chat login failed: userSig expired' },
      },
      {
        tag: 'error',
        code: -22,
        detail: { message: 'chat login failed: userSig expired', rawCode: 70001 },
      },
    ]);
    await settle();
    expect(chat.joinGroup).not.toHaveBeenCalled();
    expect(chat.logout).not.toHaveBeenCalled();
    expect(unbalancedListeners(chat)).toEqual([]);
    // a retry logs in again
    await s.start(CREDS);
    expect(chat.login).toHaveBeenCalledTimes(2);
    expect(s.state).toBe('ready');
  });

  test('start() twice with the same credentials logs in and joins once', async () => {
    const { s } = session();
    const a = s.start(CREDS);
    const b = s.start(CREDS);
    await Promise.all([a, b]);
    await s.start(CREDS);
    expect(fake.chat().login).toHaveBeenCalledTimes(1);
    expect(fake.chat().joinGroup).toHaveBeenCalledTimes(1);
  });

  test('start() with another room leaves the old group first', async () => {
    const { s, chat, events } = await started();
    await s.start({ ...CREDS, groupID: '999' });
    await settle();
    expect(chat.quitGroup).toHaveBeenCalledWith('1234');
    expect(chat.joinGroup).toHaveBeenLastCalledWith({ groupID: '999', type: 'AVChatRoom' });
    expect(chat.groups).toEqual(new Set(['999']));
    expect(events.filter((e) => e.tag === 'join_group_event').map((e) => e.detail)).toEqual([
      { groupID: '1234', status: 'JoinedSuccess' },
      { groupID: '999', status: 'JoinedSuccess' },
    ]);
  });

  test('the app already logged in as this user: no login call, and no logout at the end', async () => {
    fake.sdk.create({ SDKAppID: CREDS.sdkAppID });
    const chat = fake.chat();
    chat.loginUser = 'alice';
    chat.isReadyNow = true;
    const { s, events } = session();
    await s.start(CREDS);
    expect(chat.login).not.toHaveBeenCalled();
    expect(tags(events)).toEqual(['login_event', 'join_group_event']);
    await s.stop();
    expect(chat.quitGroup).toHaveBeenCalledWith('1234');
    expect(chat.logout).not.toHaveBeenCalled();
    expect(chat.loginUser).toBe('alice');
  });

  test('the app logged in as someone else: error -29, the app login is untouched', async () => {
    fake.sdk.create({ SDKAppID: CREDS.sdkAppID });
    const chat = fake.chat();
    chat.loginUser = 'carol';
    const { s, events } = session();
    await expect(s.start(CREDS)).rejects.toMatchObject({ code: IMErrorCode.USER_CONFLICT });
    expect(events.map((e) => [e.tag, e.code])).toEqual([
      ['login_event', -29],
      ['error', -29],
    ]);
    await settle();
    expect(chat.login).not.toHaveBeenCalled();
    expect(chat.logout).not.toHaveBeenCalled();
  });
});

describe('events', () => {
  test('connection_event for connected / connecting / disconnected; unknown states are ignored', async () => {
    const { chat, events } = await started();
    events.length = 0;
    for (const state of [
      TYPES.NET_STATE_CONNECTING,
      TYPES.NET_STATE_DISCONNECTED,
      TYPES.NET_STATE_CONNECTED,
      'weird',
    ]) {
      chat.emit(EVENT.NET_STATE_CHANGE, { state });
    }
    expect(events).toEqual([
      { tag: 'connection_event', code: 0, detail: { state: 'connecting' } },
      { tag: 'connection_event', code: 0, detail: { state: 'disconnected' } },
      { tag: 'connection_event', code: 0, detail: { state: 'connected' } },
    ]);
  });

  test('messages: this group → big_group_msg_notify, C2C → msg_notify, notices → group_system_notify', async () => {
    const { chat, events } = await started();
    events.length = 0;
    const text = incoming({ ID: 'g1', payload: { text: '你好' }, time: 1700000200 });
    const like = incoming({
      ID: 'g2',
      type: TYPES.MSG_CUSTOM,
      payload: { data: '{"type":"like"}', description: '', extension: '' },
    });
    const tip = incoming({
      ID: 'g3',
      type: TYPES.MSG_GRP_TIP,
      payload: { operationType: 1, userIDList: ['bob'] },
    });
    const otherRoom = incoming({ ID: 'x1', to: '5678' });
    const c2c = incoming({
      ID: 'c1',
      conversationType: TYPES.CONV_C2C,
      to: 'alice',
      payload: { text: 'psst' },
    });
    const notice = incoming({
      ID: 's1',
      type: TYPES.MSG_GRP_SYS_NOTICE,
      conversationType: TYPES.CONV_SYSTEM,
      to: 'alice',
      from: '@TIM#SYSTEM',
      payload: { operationType: 5, groupProfile: { groupID: '1234' } },
    });
    const otherNotice = incoming({
      ID: 's2',
      type: TYPES.MSG_GRP_SYS_NOTICE,
      conversationType: TYPES.CONV_SYSTEM,
      payload: { operationType: 5, groupProfile: { groupID: '5678' } },
    });
    chat.emit(EVENT.MESSAGE_RECEIVED, [text, otherRoom, like, c2c, tip, notice, otherNotice]);
    // the notice (5) says this group was dismissed, which ends chat (-31: 'a group dismissed by an admin')
    expect(tags(events)).toEqual(['big_group_msg_notify', 'msg_notify', 'group_system_notify', 'error']);
    const group = events[0] as Extract<IMEvent, { tag: 'big_group_msg_notify' }>;
    expect(group.code).toBe(0);
    expect(group.detail.groupID).toBe('1234');
    expect(group.detail.messages).toEqual([
      {
        ID: 'g1',
        type: 'TIMTextElem',
        conversationType: 'GROUP',
        from: 'bob',
        to: '1234',
        nick: 'Bob',
        avatar: '',
        time: 1700000200,
        flow: 'in',
        payload: { text: '你好' },
        cloudCustomData: '',
      },
      expect.objectContaining({ ID: 'g2', type: 'TIMCustomElem', payload: like.payload }),
      expect.objectContaining({
        ID: 'g3',
        type: 'TIMGroupTipElem',
        payload: { operationType: 1, operatorID: '', userIDList: ['bob'], groupProfile: { groupID: '' } },
      }),
    ]);
    expect((events[1].detail as { messages: unknown[] }).messages).toEqual([
      expect.objectContaining({ ID: 'c1', from: 'bob', payload: { text: 'psst' }, conversationType: 'C2C' }),
    ]);
    expect(events[2].detail).toEqual({
      groupID: '1234',
      messages: [
        expect.objectContaining({
          ID: 's1',
          payload: { operationType: 5, operatorID: '', userIDList: [], groupProfile: { groupID: '1234' } },
        }),
      ],
    });
  });

  test('a message is read field by field (they come from other users): strings only, own fields, known payloads; anything else is dropped and logged', async () => {
    const logs: unknown[][] = [];
    const events: IMEvent[] = [];
    const s = new ChatSession(
      fake.sdk as unknown as ChatSDK,
      (e) => events.push(e),
      (...a) => logs.push(a),
    );
    await s.start(CREDS);
    const chat = fake.chat();
    events.length = 0;
    const inherited = Object.create({ text: 'from the prototype' }) as Record<string, unknown>;
    const polluted = JSON.parse('{"__proto__": {"text": "x"}, "constructor": 1}') as Record<string, unknown>;
    chat.emit(EVENT.MESSAGE_RECEIVED, [
      null,
      'text',
      [1, 2],
      incoming({ ID: 'bad-text', payload: { text: 5 } }),
      incoming({ ID: 'no-payload', payload: null }),
      incoming({ ID: 'inherited', payload: inherited }),
      incoming({ ID: 'polluted', payload: polluted }),
      incoming({ ID: 'bad-custom', type: TYPES.MSG_CUSTOM, payload: { data: { evil: true } } }),
      incoming({ ID: 'bad-tip', type: TYPES.MSG_GRP_TIP, payload: { operationType: 'constructor' } }),
      { ...incoming({ ID: 'no-type' }), type: 42 },
      {
        ...incoming({ ID: 'odd-fields', payload: { text: 'ok', extra: { big: 'x' } } }),
        from: 42,
        nick: { toString: 'x' },
        avatar: ['a'],
        time: 'yesterday',
        flow: null,
        cloudCustomData: 7,
      },
      incoming({
        ID: 'custom',
        type: TYPES.MSG_CUSTOM,
        payload: { data: 'd', __proto__: { description: 'x' } },
      }),
      incoming({
        ID: 'tip',
        type: TYPES.MSG_GRP_TIP,
        payload: {
          operationType: 2,
          operatorID: 'bob',
          userIDList: ['bob', 7, null, '__proto__'],
          memberList: [{}],
        },
      }),
      incoming({ ID: 'image', type: 'TIMImageElem', payload: { imageInfoArray: [{ url: 'https://x' }] } }),
      // a system-conversation message that names no group is no notice of this room's
      incoming({ ID: 'sys-text', conversationType: TYPES.CONV_SYSTEM }),
    ]);
    expect(tags(events)).toEqual(['big_group_msg_notify']);
    const got = (events[0].detail as unknown as { messages: Array<Record<string, unknown>> }).messages;
    expect(got.map((m) => m.ID)).toEqual(['odd-fields', 'custom', 'tip', 'image']);
    expect(got[0]).toEqual({
      ID: 'odd-fields',
      type: 'TIMTextElem',
      conversationType: 'GROUP',
      from: '',
      to: '1234',
      nick: '',
      avatar: '',
      time: 0,
      flow: '',
      payload: { text: 'ok' },
      cloudCustomData: '',
    });
    expect(got[1].payload).toEqual({ data: 'd', description: '', extension: '' });
    expect(got[2].payload).toEqual({
      operationType: 2,
      operatorID: 'bob',
      userIDList: ['bob', '__proto__'],
      groupProfile: { groupID: '' },
    });
    // a type the component does not model: its payload is not passed on
    expect(got[3]).toMatchObject({ type: 'TIMImageElem', payload: {} });
    expect(logs.filter((l) => String(l[0]).includes('dropped'))).toHaveLength(10);
  });

  test('a batch with nothing for this room emits nothing', async () => {
    const { chat, events } = await started();
    events.length = 0;
    chat.emit(EVENT.MESSAGE_RECEIVED, [incoming({ to: 'elsewhere' })]);
    chat.emit(EVENT.MESSAGE_RECEIVED, []);
    expect(events).toEqual([]);
  });

  test.each([
    TYPES.KICKED_OUT_MULT_ACCOUNT,
    TYPES.KICKED_OUT_MULT_DEVICE,
    TYPES.KICKED_OUT_USERSIG_EXPIRED,
    TYPES.KICKED_OUT_REST_API,
  ])('kicked (%s): the kicked event, sends refused, stop() neither quits nor logs out', async (type) => {
    const { s, chat, events } = await started();
    events.length = 0;
    chat.loginUser = '';
    chat.emit(EVENT.KICKED_OUT, { type });
    expect(events).toEqual([{ tag: 'kicked', code: 0, detail: { type } }]);
    expect(s.state).toBe('kicked');
    await expect(s.sendTextMessage('hi')).rejects.toMatchObject({
      code: IMErrorCode.NOT_LOGGED_IN,
      message: expect.stringContaining('kicked'),
    });
    // messages after the kick are not this session's any more
    chat.emit(EVENT.MESSAGE_RECEIVED, [incoming({})]);
    expect(tags(events)).toEqual(['kicked']);
    await s.stop();
    expect(chat.quitGroup).not.toHaveBeenCalled();
    expect(chat.logout).not.toHaveBeenCalled();
    expect(unbalancedListeners(chat)).toEqual([]);
    // a new start logs in again
    await s.start(CREDS);
    expect(chat.login).toHaveBeenCalledTimes(2);
    expect(s.state).toBe('ready');
  });

  test('a kicked session hears nothing more: not the connection, errors or kick of a later login by another', async () => {
    const { s, chat, events } = await started();
    const other = session();
    await other.s.start(CREDS);
    chat.loginUser = '';
    chat.emit(EVENT.KICKED_OUT, { type: 'multipleAccount' });
    expect(tags(events)).toEqual(['login_event', 'join_group_event', 'kicked']);
    // the other room on the page starts again: the SDK logs in anew and reports on it
    await other.s.start({ ...CREDS, userSig: 'sig-alice-2' });
    expect(other.s.state).toBe('ready');
    chat.emit(EVENT.NET_STATE_CHANGE, { state: 'connected' });
    chat.emit(EVENT.ERROR, { code: 2800, message: 'network' });
    chat.emit(EVENT.MESSAGE_RECEIVED, [incoming({})]);
    chat.loginUser = '';
    chat.emit(EVENT.KICKED_OUT, { type: 'userSigExpired' });
    expect(tags(events)).toEqual(['login_event', 'join_group_event', 'kicked']);
    expect(tags(other.events).slice(-4)).toEqual([
      'connection_event',
      'error',
      'big_group_msg_notify',
      'kicked',
    ]);
    expect(s.state).toBe('kicked');
    await s.stop();
    await other.s.stop();
  });

  test('a user, group or kick type named after Object.prototype (or not a string) is data, never a lookup or a crash', async () => {
    const { s, chat, events } = await started({ userID: 'constructor', groupID: '__proto__' });
    expect(chat.joinGroup).toHaveBeenCalledWith({ groupID: '__proto__', type: 'AVChatRoom' });
    const other = session();
    await other.s.start({ ...CREDS, userID: 'constructor', groupID: '__proto__' });
    expect(chat.joinGroup).toHaveBeenCalledTimes(1);
    events.length = 0;
    chat.emit(EVENT.MESSAGE_RECEIVED, [
      incoming({ ID: 'g', to: '__proto__', from: 'toString' }),
      incoming({ ID: 'x', to: 'constructor' }),
      incoming({
        ID: 'n',
        type: TYPES.MSG_GRP_SYS_NOTICE,
        conversationType: TYPES.CONV_SYSTEM,
        payload: { operationType: 255, groupProfile: { groupID: '__proto__' } },
      }),
    ]);
    expect(
      events.map((e) => [
        e.tag,
        (e.detail as unknown as { messages: Array<{ ID: string }> }).messages.map((m) => m.ID),
      ]),
    ).toEqual([
      ['big_group_msg_notify', ['g']],
      ['group_system_notify', ['n']],
    ]);
    events.length = 0;
    chat.loginUser = '';
    expect(() => chat.emit(EVENT.KICKED_OUT, { type: { toString: 'not a function' } })).not.toThrow();
    expect(events).toEqual([{ tag: 'kicked', code: 0, detail: { type: '' } }]);
    expect(s.state).toBe('kicked');
    expect(tags(other.events).slice(-1)).toEqual(['kicked']);
  });

  test('an SDK error whose code or message cannot become a number or string is still reported (code 0, no message)', async () => {
    const hostile = { code: { valueOf: 'x', toString: 'y' }, message: { toString: 'z' }, toString: 'w' };
    const { chat, events } = await started();
    events.length = 0;
    expect(() => chat.emit(EVENT.ERROR, hostile)).not.toThrow();
    expect(events).toEqual([{ tag: 'error', code: -28, detail: { message: '', rawCode: 0 } }]);
    const other = createChatFake();
    const r = new ChatSession(other.sdk as unknown as ChatSDK, (e) => r2.push(e));
    const r2: IMEvent[] = [];
    other.sdk.create({ SDKAppID: CREDS.sdkAppID }).login.mockRejectedValueOnce(hostile);
    await expect(r.start(CREDS)).rejects.toMatchObject({ code: -22 });
    expect(tags(r2)).toEqual(['login_event', 'error']);
    expect(r2[1]).toMatchObject({ code: -22, detail: { rawCode: 0 } });
  });

  test('the SDK ERROR event becomes error -28 with the SDK code', async () => {
    const { chat, events } = await started();
    events.length = 0;
    chat.emit(EVENT.ERROR, { code: 2800, message: 'network error' });
    expect(events).toEqual([
      { tag: 'error', code: -28, detail: { message: 'network error', rawCode: 2800 } },
    ]);
  });
});

describe('sending', () => {
  test('text and custom messages go to the room group and resolve with the sent message', async () => {
    const { s, chat } = await started();
    const m = await s.sendTextMessage('hello');
    expect(chat.createTextMessage).toHaveBeenCalledWith({
      to: '1234',
      conversationType: 'GROUP',
      payload: { text: 'hello' },
    });
    expect(m).toMatchObject({
      type: 'TIMTextElem',
      from: 'alice',
      to: '1234',
      flow: 'out',
      payload: { text: 'hello' },
    });
    expect(typeof m.time).toBe('number');
    const like = await s.sendCustomMessage({ data: JSON.stringify({ type: 'like' }) });
    expect(chat.createCustomMessage).toHaveBeenCalledWith({
      to: '1234',
      conversationType: 'GROUP',
      payload: { data: '{"type":"like"}', description: '', extension: '' },
    });
    expect(like.payload).toEqual({ data: '{"type":"like"}', description: '', extension: '' });
    expect(chat.sendMessage).toHaveBeenCalledTimes(2);
  });

  test('C2C text and custom messages go to the user', async () => {
    const { s, chat } = await started();
    const t = await s.sendC2CTextMessage('bob', 'psst');
    expect(chat.createTextMessage).toHaveBeenCalledWith({
      to: 'bob',
      conversationType: 'C2C',
      payload: { text: 'psst' },
    });
    expect(t).toMatchObject({ to: 'bob', conversationType: 'C2C' });
    const c = await s.sendC2CCustomMessage('bob', { data: 'raise-hand', description: 'd', extension: 'e' });
    expect(c.payload).toEqual({ data: 'raise-hand', description: 'd', extension: 'e' });
  });

  test('not logged in: before start, while starting, after stop', async () => {
    const { s } = session();
    await expect(s.sendTextMessage('hi')).rejects.toMatchObject({ tag: 'error', code: -24 });
    await expect(s.sendC2CTextMessage('bob', 'hi')).rejects.toMatchObject({ code: -24 });
    fake.sdk.create({ SDKAppID: CREDS.sdkAppID });
    fake.chat().autoReady = false;
    const p = s.start(CREDS);
    await settle();
    // logged in, but not in the group yet
    await expect(s.sendCustomMessage({ data: 'x' })).rejects.toMatchObject({ code: -24 });
    fake.chat().emit(EVENT.SDK_READY);
    await p;
    await s.stop();
    await expect(s.sendTextMessage('hi')).rejects.toMatchObject({ code: -24 });
    expect(fake.chat().sendMessage).not.toHaveBeenCalled();
  });

  test('empty, wrong type and over-size messages are refused before the SDK', async () => {
    const { s, chat } = await started();
    await expect(s.sendTextMessage('')).rejects.toMatchObject({ code: -25 });
    await expect(s.sendTextMessage('  \n ')).rejects.toMatchObject({ code: -25 });
    await expect(s.sendTextMessage(42 as unknown as string)).rejects.toMatchObject({
      code: -21,
      detail: { field: 'text' },
    });
    await expect(s.sendCustomMessage({})).rejects.toMatchObject({ code: -25 });
    await expect(s.sendCustomMessage(null)).rejects.toMatchObject({ code: -21 });
    await expect(s.sendCustomMessage({ data: { type: 'like' } })).rejects.toMatchObject({
      code: -21,
      detail: { field: 'data' },
      message: expect.stringContaining('JSON.stringify'),
    });
    await expect(s.sendTextMessage('a'.repeat(MAX_MESSAGE_BYTES + 1))).rejects.toMatchObject({
      code: -26,
      message: 'message is 12289 bytes; the limit is 12288 bytes (12 KB, UTF-8)',
    });
    // counted in UTF-8: 4097 CJK characters are 12291 bytes
    await expect(s.sendTextMessage('中'.repeat(4097))).rejects.toMatchObject({ code: -26 });
    await expect(
      s.sendCustomMessage({
        data: 'a'.repeat(6000),
        description: 'b'.repeat(6000),
        extension: 'c'.repeat(289),
      }),
    ).rejects.toMatchObject({ code: -26 });
    await expect(s.sendC2CTextMessage('', 'hi')).rejects.toMatchObject({
      code: -21,
      detail: { field: 'userID' },
    });
    expect(chat.createTextMessage).not.toHaveBeenCalled();
    expect(chat.sendMessage).not.toHaveBeenCalled();
    // exactly at the limit is sent
    await expect(s.sendTextMessage('a'.repeat(MAX_MESSAGE_BYTES))).resolves.toMatchObject({ flow: 'out' });
  });

  test('SDK failures reject with -27 and the SDK code', async () => {
    const { s, chat } = await started();
    chat.sendMessage.mockRejectedValueOnce(sdkError(80001, 'dirty words'));
    await expect(s.sendTextMessage('bad')).rejects.toMatchObject({
      tag: 'error',
      code: -27,
      detail: { rawCode: 80001, message: 'sending failed: dirty words' },
    });
    chat.createCustomMessage.mockImplementationOnce(() => {
      throw sdkError(2024, 'not logged in');
    });
    await expect(s.sendCustomMessage({ data: 'x' })).rejects.toMatchObject({
      code: -27,
      detail: { rawCode: 2024 },
    });
    await expect(s.sendTextMessage('fine')).resolves.toMatchObject({ payload: { text: 'fine' } });
  });
});

describe('cleanup and sharing', () => {
  test('stop() quits the group, logs out and removes every listener', async () => {
    const { s, chat } = await started();
    expect(chat.listenerCount()).toBeGreaterThan(0);
    await s.stop();
    expect(chat.quitGroup).toHaveBeenCalledWith('1234');
    expect(chat.logout).toHaveBeenCalledTimes(1);
    expect(chat.quitGroup.mock.invocationCallOrder[0]).toBeLessThan(chat.logout.mock.invocationCallOrder[0]);
    expect(unbalancedListeners(chat)).toEqual([]);
    expect(chat.listenerCount()).toBe(0);
    expect(s.state).toBe('idle');
    await s.stop(); // idempotent
    expect(chat.logout).toHaveBeenCalledTimes(1);
  });

  test('stop() during login: no join, and the login is undone', async () => {
    fake.sdk.create({ SDKAppID: CREDS.sdkAppID });
    const chat = fake.chat();
    let release!: () => void;
    chat.login.mockImplementationOnce(
      () =>
        new Promise((r) => {
          release = () => {
            chat.loginUser = 'alice';
            r({ code: 0, data: {} });
          };
        }),
    );
    const { s, events } = session();
    const p = s.start(CREDS);
    await settle(3);
    const stopped = s.stop();
    release();
    await p;
    await stopped;
    expect(chat.joinGroup).not.toHaveBeenCalled();
    expect(chat.logout).toHaveBeenCalledTimes(1);
    expect(events).toEqual([]);
  });

  test('a session stopped while an SDK event is being handed out (by a handler of another) gets none of it', async () => {
    const second = session();
    // the page stops the second room from the first room's IMEvent handler (e.g. it navigates away)
    const first = session();
    const s1 = new ChatSession(fake.sdk as unknown as ChatSDK, (e) => {
      first.events.push(e);
      if (['connection_event', 'error', 'big_group_msg_notify'].includes(e.tag)) void second.s.stop();
    });
    await s1.start(CREDS); // handed events first
    const chat = fake.chat();
    for (const [name, data] of [
      [EVENT.NET_STATE_CHANGE, { state: 'disconnected' }],
      [EVENT.ERROR, { code: 2800, message: 'network' }],
      [EVENT.MESSAGE_RECEIVED, [incoming({})]],
    ] as const) {
      await second.s.start(CREDS);
      expect(second.s.state).toBe('ready');
      const n = second.events.length;
      chat.emit(name, data);
      await settle();
      expect([name, second.events.slice(n).map((e) => e.tag)]).toEqual([name, []]);
      expect(second.s.state).toBe('idle');
    }
    expect(tags(first.events)).toEqual([
      'login_event',
      'join_group_event',
      'connection_event',
      'error',
      'big_group_msg_notify',
    ]);
    await s1.stop();
  });

  test('stop() then start() at once: the logout finishes before the new login', async () => {
    const { s, chat } = await started();
    void s.stop();
    const p = s.start(CREDS);
    await p;
    expect(chat.logout.mock.invocationCallOrder[0]).toBeLessThan(chat.login.mock.invocationCallOrder[1]);
    expect(chat.loginUser).toBe('alice');
    expect(chat.groups.has('1234')).toBe(true);
    expect(s.state).toBe('ready');
  });

  test('two sessions in one room share one login and one join; the first stop does not log out the second', async () => {
    const a = session();
    const b = session();
    await a.s.start(CREDS);
    await b.s.start(CREDS);
    const chat = fake.chat();
    expect(fake.sdk.create).toHaveBeenCalledTimes(1);
    expect(chat.login).toHaveBeenCalledTimes(1);
    expect(chat.joinGroup).toHaveBeenCalledTimes(1);
    expect(b.events).toEqual([
      { tag: 'login_event', code: 0, detail: { userID: 'alice' } },
      { tag: 'join_group_event', code: 0, detail: { groupID: '1234', status: 'AlreadyInGroup' } },
    ]);
    await a.s.stop();
    expect(chat.quitGroup).not.toHaveBeenCalled();
    expect(chat.logout).not.toHaveBeenCalled();
    b.events.length = 0;
    a.events.length = 0;
    chat.emit(EVENT.MESSAGE_RECEIVED, [incoming({})]);
    expect(tags(b.events)).toEqual(['big_group_msg_notify']);
    expect(a.events).toEqual([]);
    await expect(b.s.sendTextMessage('still here')).resolves.toMatchObject({ from: 'alice' });
    await b.s.stop();
    expect(chat.quitGroup).toHaveBeenCalledTimes(1);
    expect(chat.logout).toHaveBeenCalledTimes(1);
    expect(unbalancedListeners(chat)).toEqual([]);
  });

  test('two sessions on different SDKAppIDs are independent', async () => {
    const a = session();
    const b = session();
    await a.s.start(CREDS);
    await b.s.start({ ...CREDS, sdkAppID: 1400000002, userID: 'bob', userSig: 'sig-bob' });
    await a.s.stop();
    expect(fake.chat(1400000001).logout).toHaveBeenCalledTimes(1);
    expect(fake.chat(1400000002).logout).not.toHaveBeenCalled();
    expect(b.s.state).toBe('ready');
  });

  test('a second user on the same SDKAppID gets error -29; the first keeps going', async () => {
    const a = session();
    const b = session();
    await a.s.start(CREDS);
    await expect(b.s.start({ ...CREDS, userID: 'bob', userSig: 'sig-bob' })).rejects.toMatchObject({
      code: IMErrorCode.USER_CONFLICT,
    });
    expect(b.events.map((e) => e.code)).toEqual([-29, -29]);
    await settle();
    expect(fake.chat().logout).not.toHaveBeenCalled();
    expect(a.s.state).toBe('ready');
  });

  test('the same user joining another AVChatRoom from a second session: the first is told (-30)', async () => {
    const a = session();
    const b = session();
    await a.s.start(CREDS);
    await b.s.start({ ...CREDS, groupID: '5678' });
    expect(a.events.at(-1)).toMatchObject({ tag: 'error', code: IMErrorCode.GROUP_REPLACED });
    expect(a.s.state).toBe('failed');
    a.events.length = 0;
    fake.chat().emit(EVENT.MESSAGE_RECEIVED, [incoming({ to: '1234' }), incoming({ to: '5678' })]);
    expect(a.events).toEqual([]);
    expect(b.events.at(-1)).toMatchObject({ tag: 'big_group_msg_notify', detail: { groupID: '5678' } });
    await a.s.stop();
    expect(fake.chat().quitGroup).not.toHaveBeenCalled();
    expect(fake.chat().logout).not.toHaveBeenCalled();
  });
});

describe('a newer UserSig (renew)', () => {
  const NEW = { ...CREDS, userSig: 'sig-alice-2' };

  test('in the group: the SDK takes a UserSig only at login, so logout, login with it, rejoin; no event', async () => {
    const { s, chat, events } = await started();
    events.length = 0;
    await s.renew(NEW);
    expect(chat.logout).toHaveBeenCalledTimes(1);
    expect(chat.login).toHaveBeenLastCalledWith({ userID: 'alice', userSig: 'sig-alice-2' });
    expect(chat.joinGroup).toHaveBeenCalledTimes(2);
    expect(chat.groups.has('1234')).toBe(true);
    expect(events).toEqual([]);
    expect(s.state).toBe('ready');
    chat.emit(EVENT.MESSAGE_RECEIVED, [incoming({})]);
    expect(tags(events)).toEqual(['big_group_msg_notify']);
    // the same UserSig again, or another identity (read at the next start): nothing
    await s.renew(NEW);
    await s.renew({ ...NEW, userID: 'bob', userSig: 'sig-3' });
    expect(chat.login).toHaveBeenCalledTimes(2);
    await s.stop();
    expect(chat.logout).toHaveBeenCalledTimes(2);
    expect(unbalancedListeners(chat)).toEqual([]);
  });

  test('a send during the renewal waits for it and goes out on the new login', async () => {
    const { s, chat } = await started();
    const renewed = s.renew(NEW);
    const sent = s.sendTextMessage('during');
    await renewed;
    await expect(sent).resolves.toMatchObject({ payload: { text: 'during' } });
    expect(chat.createTextMessage.mock.invocationCallOrder[0]).toBeGreaterThan(
      chat.joinGroup.mock.invocationCallOrder[1],
    );
  });

  test('two sessions of one user share the renewal: one logout, one login, one join', async () => {
    const { a, b, chat } = await twoStarted();
    await a.s.renew(NEW);
    expect(chat.logout).toHaveBeenCalledTimes(1);
    expect(chat.login).toHaveBeenCalledTimes(2);
    expect(chat.joinGroup).toHaveBeenCalledTimes(2);
    expect([...a.events, ...b.events]).toEqual([]);
    await expect(b.s.sendTextMessage('b')).resolves.toMatchObject({ from: 'alice' });
  });

  test("the connection changes of the renewal are not the page's; a kick for the old UserSig meanwhile is answered by it", async () => {
    const { s, chat, events } = await started();
    events.length = 0;
    chat.logout.mockImplementationOnce(async () => {
      chat.emit(EVENT.NET_STATE_CHANGE, { state: 'disconnected' });
      chat.loginUser = '';
      chat.emit(EVENT.KICKED_OUT, { type: TYPES.KICKED_OUT_USERSIG_EXPIRED });
      throw sdkError(2999, 'not logged in');
    });
    await s.renew(NEW);
    expect(events).toEqual([]);
    expect(s.state).toBe('ready');
    expect(chat.groups.has('1234')).toBe(true);
  });

  test('another kick during the renewal ends it: kicked, no login after it', async () => {
    const { s, chat, events } = await started();
    events.length = 0;
    chat.logout.mockImplementationOnce(async () => {
      chat.loginUser = '';
      chat.emit(EVENT.KICKED_OUT, { type: TYPES.KICKED_OUT_MULT_ACCOUNT });
      return { code: 0, data: {} };
    });
    await s.renew(NEW);
    expect(events).toEqual([{ tag: 'kicked', code: 0, detail: { type: 'multipleAccount' } }]);
    expect(chat.login).toHaveBeenCalledTimes(1);
    expect(s.state).toBe('kicked');
  });

  test('the new UserSig refused: login_event with the SDK code, error -22; a later one starts it again', async () => {
    const { s, chat, events } = await started();
    events.length = 0;
    chat.login.mockRejectedValueOnce(sdkError(70001, 'userSig expired'));
    await s.renew(NEW);
    expect(events).toEqual([
      {
        tag: 'login_event',
        code: 70001,
        detail: { userID: 'alice', message: expect.stringContaining('expired') },
      },
      { tag: 'error', code: -22, detail: { message: expect.stringContaining('expired'), rawCode: 70001 } },
    ]);
    expect(s.state).toBe('failed');
    events.length = 0;
    await s.renew({ ...CREDS, userSig: 'sig-alice-3' });
    expect(chat.login).toHaveBeenLastCalledWith({ userID: 'alice', userSig: 'sig-alice-3' });
    expect(tags(events)).toEqual(['login_event', 'join_group_event']);
    expect(s.state).toBe('ready');
  });

  // the rejoin is the first join's path: a group dismissed (or never kept) meanwhile is created again
  test.each([
    [10010, 'group dismissed'],
    [10015, 'group not found'],
  ])(
    'the group gone when rejoining (%i): created again and joined, as the first join does; no event',
    async (code, msg) => {
      const { s, chat, events } = await started();
      events.length = 0;
      chat.joinGroup.mockRejectedValueOnce(sdkError(code, msg));
      await s.renew(NEW);
      expect(chat.createGroup).toHaveBeenCalledTimes(1);
      expect(chat.createGroup).toHaveBeenCalledWith({ type: 'AVChatRoom', groupID: '1234', name: '1234' });
      expect(chat.joinGroup).toHaveBeenCalledTimes(3);
      expect(chat.groups.has('1234')).toBe(true);
      expect(events).toEqual([]);
      expect(s.state).toBe('ready');
      await expect(s.sendTextMessage('back')).resolves.toMatchObject({ to: '1234' });
    },
  );

  /** The system notice the SDK delivers to each member when its group is dismissed (operationType 5). */
  const dismissal = (groupID = '1234', operationType = 5, userIDList?: string[]) =>
    groupNotice(operationType, { groupProfile: { groupID }, userIDList }, { ID: `s-${groupID}` });

  /** After chat ended: a renewal logs in, joins and creates nothing more, and tells the page nothing. */
  async function renewsNothing(s: ChatSession, chat: FakeChat, events: IMEvent[]) {
    events.length = 0;
    await s.renew(NEW);
    await settle();
    expect(chat.login).toHaveBeenCalledTimes(1);
    expect(chat.joinGroup).toHaveBeenCalledTimes(1);
    expect(chat.createGroup).not.toHaveBeenCalled();
    expect(events).toEqual([]);
  }

  const DISMISSED: IMEvent[] = [
    {
      tag: 'group_system_notify',
      code: 0,
      detail: {
        groupID: '1234',
        messages: [
          expect.objectContaining({
            ID: 's-1234',
            type: 'TIMGroupSystemNoticeElem',
            payload: {
              operationType: 5,
              operatorID: 'admin',
              userIDList: [],
              groupProfile: { groupID: '1234' },
            },
          }),
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
  ];

  test('a group dismissed by an admin: chat ends (the notice, error -31) and a renewal neither rejoins nor creates it', async () => {
    const { s, chat, events } = await started();
    events.length = 0;
    chat.groups.delete('1234'); // the cloud has no such group any more: a join would be 10010, then a create
    chat.emit(EVENT.MESSAGE_RECEIVED, [dismissal()]);
    await settle();
    expect(events).toEqual(DISMISSED);
    expect(s.state).toBe('failed');
    // the hold is let go: nothing to quit; the last session logs out and leaves no listener
    expect(chat.quitGroup).not.toHaveBeenCalled();
    expect(chat.logout).toHaveBeenCalledTimes(1);
    expect(unbalancedListeners(chat)).toEqual([]);
    await renewsNothing(s, chat, events);
    await expect(s.sendTextMessage('anyone?')).rejects.toMatchObject({
      tag: 'error',
      code: -24,
      detail: { message: 'chat ended: the group was dismissed; call start() again', rawCode: 0 },
    });
    await expect(s.sendC2CTextMessage('bob', 'psst')).rejects.toMatchObject({ code: -24 });
    expect(chat.sendMessage).not.toHaveBeenCalled();
    // a new session joins as the first join does: a group missing is created
    chat.joinGroup.mockRejectedValueOnce(sdkError(10010, 'group does not exist'));
    await s.start(NEW);
    expect(chat.createGroup).toHaveBeenCalledTimes(1);
    expect(tags(events)).toEqual(['login_event', 'join_group_event']);
    expect(s.state).toBe('ready');
  });

  test.each([
    [11, 'recycled', 'the group was recycled'],
    [4, 'kicked', 'an admin kicked this user out of the group'],
    // an AVChatRoom kick (with a ban): the SDK's onAVChatRoomMemberBanned drops the group
    [21, 'kicked', 'an admin kicked this user out of the group'],
  ])(
    'operationType %d (%s) ends chat as a dismissal does: a renewal neither rejoins nor creates the group',
    async (op, reason, why) => {
      const { s, chat, events } = await started();
      events.length = 0;
      // kicked: the cloud refuses nothing on a rejoin (the kick is undone by joining); recycled: it has no group
      if (op === 11) chat.groups.delete('1234');
      chat.emit(EVENT.MESSAGE_RECEIVED, [dismissal('1234', op)]);
      await settle();
      expect(tags(events)).toEqual(['group_system_notify', 'error']);
      expect(events[1]).toEqual({
        tag: 'error',
        code: -31,
        detail: { message: `chat has ended: ${why} (group 1234)`, rawCode: 0, reason },
      });
      expect(s.state).toBe('failed');
      expect(chat.quitGroup).not.toHaveBeenCalled();
      expect(chat.logout).toHaveBeenCalledTimes(1);
      await renewsNothing(s, chat, events);
      await expect(s.sendTextMessage('anyone?')).rejects.toMatchObject({
        code: -24,
        detail: { message: `chat ended: ${why}; call start() again` },
      });
    },
  );

  test('kicked with a duration: start() again within it is refused (join_group_event with the code, -23, logged out); a renewal does not try again', async () => {
    const { s, chat, events } = await started();
    chat.emit(EVENT.MESSAGE_RECEIVED, [dismissal('1234', 21)]);
    await settle();
    expect(s.state).toBe('failed');
    events.length = 0;
    // the cloud keeps a user kicked with a duration out of the group (emulator CHAT.KICK_BANNED)
    chat.joinGroup.mockRejectedValueOnce(
      sdkError(10007, 'kicked out of group 1234: no rejoining for another 60 s'),
    );
    await expect(s.start(NEW)).rejects.toMatchObject({ code: IMErrorCode.JOIN_FAILED });
    const why = 'joining group 1234 failed: kicked out of group 1234: no rejoining for another 60 s';
    expect(events).toEqual([
      { tag: 'login_event', code: 0, detail: { userID: 'alice' } },
      ...failedJoin(10007, why),
    ]);
    await settle();
    // no group of its own to create or quit; the login is undone
    expect(chat.createGroup).not.toHaveBeenCalled();
    expect(chat.quitGroup).not.toHaveBeenCalled();
    expect(chat.logout).toHaveBeenCalledTimes(2);
    expect(s.state).toBe('failed');
    // a newer UserSig lifts no kick: nothing is tried again until the next start()
    events.length = 0;
    await s.renew({ ...NEW, userSig: 'sig-alice-3' });
    await settle();
    expect(chat.login).toHaveBeenCalledTimes(2);
    expect(chat.joinGroup).toHaveBeenCalledTimes(2);
    expect(events).toEqual([]);
  });

  test("a kick notice naming another user, or another group's kick or recycling, ends nothing; one naming this user does", async () => {
    const { s, chat, events } = await started();
    events.length = 0;
    chat.emit(EVENT.MESSAGE_RECEIVED, [
      dismissal('1234', 4, ['bob']),
      dismissal('5678', 4),
      dismissal('5678', 11),
    ]);
    await settle();
    expect(tags(events)).toEqual(['group_system_notify']);
    expect(s.state).toBe('ready');
    await s.renew(NEW);
    expect(chat.joinGroup).toHaveBeenCalledTimes(2);
    events.length = 0;
    chat.emit(EVENT.MESSAGE_RECEIVED, [dismissal('1234', 4, ['bob', 'alice'])]);
    await settle();
    expect(tags(events)).toEqual(['group_system_notify', 'error']);
    expect(events[1]).toMatchObject({ code: -31, detail: { reason: 'kicked' } });
    expect(s.state).toBe('failed');
  });

  test('a dismissal during a renewal, before its rejoin: the renewal does not join the group again', async () => {
    const { s, chat, events } = await started();
    events.length = 0;
    // the notice comes while the renewal's logout is under way
    const logout = chat.logout.getMockImplementation() as () => Promise<unknown>;
    let release!: () => void;
    chat.logout.mockImplementationOnce(() => new Promise((resolve) => (release = () => resolve(logout()))));
    const renewed = s.renew(NEW);
    await settle();
    chat.groups.delete('1234');
    chat.emit(EVENT.MESSAGE_RECEIVED, [dismissal()]);
    release();
    await renewed;
    await settle();
    expect(events).toEqual(DISMISSED);
    expect(chat.joinGroup).toHaveBeenCalledTimes(1);
    expect(chat.createGroup).not.toHaveBeenCalled();
  });

  test('two sessions in the dismissed group: both told, one logout, no quit; other notices and groups end nothing', async () => {
    const { a, b, chat } = await twoStarted();
    // another group's dismissal, and another notice about this group (6: created), are notices only
    chat.emit(EVENT.MESSAGE_RECEIVED, [dismissal('5678'), dismissal('1234', 6)]);
    expect(tags(a.events)).toEqual(['group_system_notify']);
    expect(a.s.state).toBe('ready');
    a.events.length = 0;
    b.events.length = 0;
    chat.emit(EVENT.MESSAGE_RECEIVED, [dismissal()]);
    await settle();
    expect(a.events).toEqual(DISMISSED);
    expect(b.events).toEqual(DISMISSED);
    expect(chat.quitGroup).not.toHaveBeenCalled();
    expect(chat.logout).toHaveBeenCalledTimes(1);
    expect(unbalancedListeners(chat)).toEqual([]);
  });

  /** The same fault on the first join (a fresh fake) and on a renewal's rejoin: what the page hears of each. */
  async function firstJoinAndRejoin(fault: (chat: FakeChat) => void): Promise<[IMEvent[], IMEvent[]]> {
    fake = createChatFake();
    fake.sdk.create({ SDKAppID: CREDS.sdkAppID });
    fault(fake.chat());
    const first = session();
    await first.s.start(CREDS).catch(() => undefined);
    fake = createChatFake();
    const { s, chat, events } = await started();
    events.length = 0;
    fault(chat);
    await s.renew(NEW);
    expect(s.state).toBe('failed');
    await settle();
    // the login is undone, as after a failed first join
    expect(chat.loginUser).toBe('');
    expect(unbalancedListeners(chat)).toEqual([]);
    return [first.events.slice(1), events];
  }

  test.each<[string, (chat: FakeChat) => void, IMEvent[] | null]>([
    [
      'refused (10007)',
      (chat) => chat.joinGroup.mockRejectedValueOnce(sdkError(10007, 'permission denied')),
      failedJoin(10007, 'joining group 1234 failed: permission denied'),
    ],
    [
      'gone, and creating it fails (10036)',
      (chat) => {
        chat.joinGroup.mockRejectedValueOnce(sdkError(10010, 'group does not exist'));
        chat.createGroup.mockRejectedValueOnce(sdkError(10036, 'too many AVChatRooms'));
      },
      failedJoin(10036, 'creating group 1234 failed: too many AVChatRooms'),
    ],
    [
      'waiting for admin approval',
      (chat) => chat.joinGroup.mockResolvedValueOnce({ code: 0, data: { status: 'WaitAdminApproval' } }),
      null,
    ],
  ])(
    'the rejoin %s: the error the first join gives (join_group_event, error -23), the login undone',
    async (_, fault, expected) => {
      const [first, rejoin] = await firstJoinAndRejoin(fault);
      expect(rejoin).toEqual(first);
      if (expected) expect(rejoin).toEqual(expected);
      else expect(tags(rejoin)).toEqual(['join_group_event', 'error']);
      expect(rejoin[1]).toMatchObject({ code: IMErrorCode.JOIN_FAILED });
    },
  );

  test('kicked for userSigExpired: a new UserSig logs in and joins again (the page hears both); other kicks stay out', async () => {
    const { s, chat, events } = await started();
    chat.loginUser = '';
    chat.groups.clear();
    chat.emit(EVENT.KICKED_OUT, { type: TYPES.KICKED_OUT_USERSIG_EXPIRED });
    events.length = 0;
    await s.renew(NEW);
    expect(chat.login).toHaveBeenLastCalledWith({ userID: 'alice', userSig: 'sig-alice-2' });
    expect(events).toEqual([
      { tag: 'login_event', code: 0, detail: { userID: 'alice' } },
      { tag: 'join_group_event', code: 0, detail: { groupID: '1234', status: 'JoinedSuccess' } },
    ]);
    expect(s.state).toBe('ready');
    chat.loginUser = '';
    chat.emit(EVENT.KICKED_OUT, { type: TYPES.KICKED_OUT_MULT_DEVICE });
    await s.renew({ ...CREDS, userSig: 'sig-alice-3' });
    expect(chat.login).toHaveBeenCalledTimes(2);
    expect(s.state).toBe('kicked');
    // kicked for userSigExpired and then stopped: nothing comes back
    const other = await started();
    other.chat.loginUser = '';
    other.chat.emit(EVENT.KICKED_OUT, { type: TYPES.KICKED_OUT_USERSIG_EXPIRED });
    await other.s.stop();
    const logins = other.chat.login.mock.calls.length;
    await other.s.renew({ ...CREDS, userSig: 'sig-alice-4' });
    expect(other.chat.login).toHaveBeenCalledTimes(logins);
  });

  test('while logging in: the login under way finishes, then the renewal', async () => {
    const { s, events } = session();
    const p = s.start(CREDS);
    const r = s.renew(NEW);
    await p;
    await r;
    const chat = fake.chat();
    expect(chat.login.mock.calls).toEqual([
      [{ userID: 'alice', userSig: 'sig-alice' }],
      [{ userID: 'alice', userSig: 'sig-alice-2' }],
    ]);
    expect(tags(events)).toEqual(['login_event', 'join_group_event']);
    expect(s.state).toBe('ready');
  });

  test('the app logged in itself: its login is left alone', async () => {
    fake.sdk.create({ SDKAppID: CREDS.sdkAppID });
    const chat = fake.chat();
    chat.loginUser = 'alice';
    chat.isReadyNow = true;
    const { s } = session();
    await s.start(CREDS);
    await s.renew(NEW);
    expect(chat.logout).not.toHaveBeenCalled();
    expect(chat.login).not.toHaveBeenCalled();
  });

  test('stop() during the renewal: nothing more is emitted, the login is undone', async () => {
    const { s, chat, events } = await started();
    events.length = 0;
    chat.autoReady = false;
    const r = s.renew(NEW);
    await settle();
    await s.stop();
    await r;
    await settle();
    expect(events).toEqual([]);
    expect(chat.loginUser).toBe('');
    expect(unbalancedListeners(chat)).toEqual([]);
  });
});

describe('helpers', () => {
  test('utf8Bytes', () => {
    expect(utf8Bytes('abc')).toBe(3);
    expect(utf8Bytes('é')).toBe(2);
    expect(utf8Bytes('中')).toBe(3);
    expect(utf8Bytes('😀')).toBe(4);
    expect(utf8Bytes('\ud800')).toBe(3);
  });

  test('isChatSDK accepts the module shape only', () => {
    expect(isChatSDK(fake.sdk)).toBe(true);
    expect(isChatSDK(null)).toBe(false);
    expect(isChatSDK({ create() {} })).toBe(false);
  });

  test('chatCredentials on WeChat reuse the room credentials; imConfig overrides', () => {
    const room = { sdkAppID: 1400000001, userID: 'alice', userSig: 'sig' };
    expect(chatCredentials(room, '1234', null, 'wx')).toEqual({
      ok: true,
      value: { sdkAppID: 1400000001, userID: 'alice', userSig: 'sig', groupID: '1234' },
    });
    expect(
      chatCredentials(room, '1234', { sdkAppID: '1400000009', userSig: 'im-sig', groupID: 'lobby' }, 'wx'),
    ).toEqual({
      ok: true,
      value: { sdkAppID: 1400000009, userID: 'alice', userSig: 'im-sig', groupID: 'lobby' },
    });
    const noRoom = chatCredentials(room, null, null, 'wx');
    expect(noRoom.ok === false && noRoom.error.detail.field).toBe('roomID');
    const long = chatCredentials(room, 'r'.repeat(49), null, 'wx');
    expect(long.ok === false && long.error.code).toBe(IMErrorCode.INVALID_PARAM);
    const noSig = chatCredentials({ ...room, userSig: '' }, '1', null, 'wx');
    expect(noSig.ok === false && noSig.error.detail.field).toBe('userSig');
  });

  test('chatCredentials on Douyin need imConfig.sdkAppID and imConfig.userSig (the room token is not a UserSig)', () => {
    const room = { sdkAppID: 'a'.repeat(24), userID: 'alice', userSig: 'volc-token' };
    const r = chatCredentials(room, 'room1', null, 'tt');
    expect(r.ok).toBe(false);
    expect(r.ok === false && r.error.detail).toMatchObject({
      field: 'imConfig.sdkAppID',
      message: expect.stringContaining('imConfig'),
    });
    expect(chatCredentials(room, 'room1', { sdkAppID: 1400000001, userSig: 'im-sig' }, 'tt')).toEqual({
      ok: true,
      value: { sdkAppID: 1400000001, userID: 'alice', userSig: 'im-sig', groupID: 'room1' },
    });
  });

  test.each([
    ['a string', 'sdkAppID=1400000001'],
    ['an array', [1400000001]],
    ['a number', 1400000001],
    ['a boolean', true],
  ])(
    'chatCredentials: imConfig that is %s is error -21 naming imConfig, on both platforms',
    (_name, imConfig) => {
      const room = { sdkAppID: 1400000001, userID: 'alice', userSig: 'sig-alice' };
      for (const platform of ['wx', 'tt'] as const) {
        const r = chatCredentials(room, '1234', imConfig as never, platform);
        expect(r.ok === false && r.error.toEvent()).toEqual({
          tag: 'error',
          code: IMErrorCode.INVALID_PARAM,
          detail: {
            message: expect.stringContaining('imConfig must be an object'),
            rawCode: 0,
            field: 'imConfig',
          },
        });
      }
      // unset (null, the property's default) on WeChat: the room's credentials
      expect(chatCredentials(room, '1234', null, 'wx').ok).toBe(true);
      expect(chatCredentials(room, '1234', undefined, 'wx').ok).toBe(true);
    },
  );

  test('the shipped code never imports @tencentcloud/chat at run time', () => {
    const root = path.resolve(__dirname, '..');
    const files = ['components', 'utils', 'templates'].flatMap((d) =>
      (fs.readdirSync(path.join(root, d), { recursive: true }) as string[])
        .filter((f) => /\.(ts|js)$/.test(f))
        .map((f) => path.join(root, d, f)),
    );
    const offenders = files.filter((f) => {
      const src = fs
        .readFileSync(f, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '');
      const dynamic = /require\(\s*['"]@tencentcloud\/chat['"]/.test(src);
      const staticImport = /^\s*import\s+(?!type\b)[^;'"]*from\s+['"]@tencentcloud\/chat['"]/m.test(src);
      return dynamic || staticImport;
    });
    expect(offenders).toEqual([]);
  });
});

// keep the fake's unused helper types referenced for the type-checker
export type { FakeChat };

describe('demo chat panel model', () => {
  const model = require('../pages/room/chat-panel/model') as typeof import('../pages/room/chat-panel/model');
  const msg = (over: Record<string, unknown>) => delivered(over) as any;
  /** The panel model of a big_group_msg_notify with `messages`, for alice in group 1234. */
  const inGroup = (messages: ReturnType<typeof msg>[]) =>
    model.fromIMEvent(
      { tag: 'big_group_msg_notify', code: 0, detail: { groupID: '1234', messages } },
      'alice',
    );

  test('texts, likes, tips, private messages and failures become items', () => {
    const u = inGroup([
      msg({}),
      msg({ type: 'TIMCustomElem', payload: { data: '{"type":"like"}' } }),
      msg({ type: 'TIMGroupTipElem', payload: { operationType: 1, userIDList: ['carol'] } }),
    ]);
    expect(u.likes).toBe(1);
    expect(u.items.map((i) => [i.kind, i.from, i.text])).toEqual([
      ['text', 'bob', 'hi'],
      ['notice', '', 'bob liked ❤'],
      ['notice', '', 'carol joined'],
    ]);
    const p = model.fromIMEvent(
      { tag: 'msg_notify', code: 0, detail: { messages: [msg({ conversationType: 'C2C' })] } },
      'alice',
    );
    expect(p.items[0].kind).toBe('private');
    const mine = model.fromSent(msg({ from: 'alice', flow: 'out', payload: { text: 'yo' } }), 'alice');
    expect(mine.items[0]).toMatchObject({ kind: 'text', mine: true, text: 'yo' });
    expect(model.errorItem({ code: -25, message: 'text is empty' }).text).toBe(
      'not sent (-25): text is empty',
    );
    const err = model.fromIMEvent(
      { tag: 'error', code: -20, detail: { message: 'no SDK', rawCode: 0 } },
      'alice',
    );
    expect(err.items[0]).toMatchObject({ kind: 'error', text: 'chat error -20: no SDK' });
  });

  test('overlong texts and nicks are cut for the list (whole characters): 100 of the largest the cloud carries fit one setData', () => {
    const big = (text: string, nick: string) =>
      inGroup(Array.from({ length: 100 }, () => msg({ nick, payload: { text } }))).items;
    // the panel sets its whole list (at most 100 items) in one setData, which WeChat limits to 1 MB
    const items = big('x'.repeat(MAX_MESSAGE_BYTES), 'n'.repeat(MAX_MESSAGE_BYTES));
    expect(items).toHaveLength(100);
    expect(Buffer.byteLength(JSON.stringify(items))).toBeLessThan(256 * 1024);
    expect(items[0].text).toBe('x'.repeat(model.MAX_ITEM_TEXT - 1) + '…');
    expect(items[0].from).toBe('n'.repeat(model.MAX_ITEM_NICK - 1) + '… (bob)');
    // a text of emoji is cut between characters, never inside a surrogate pair
    const [emoji] = big('😀'.repeat(MAX_MESSAGE_BYTES / 4), '😀'.repeat(100));
    expect(emoji.text).toBe('😀'.repeat(model.MAX_ITEM_TEXT - 1) + '…');
    expect(emoji.from).toBe('😀'.repeat(model.MAX_ITEM_NICK - 1) + '… (bob)');
    // the whole sender line has its own cap too (a userID is the cloud's, at most 45 bytes there)
    const [long] = model.fromIMEvent(
      {
        tag: 'msg_notify',
        code: 0,
        detail: { messages: [msg({ conversationType: 'C2C', from: 'u'.repeat(200) })] },
      },
      'alice',
    ).items;
    expect(long.from).toBe('u'.repeat(model.MAX_ITEM_FROM - 1) + '…');
    // a text within the limit is left as it is
    expect(big('y'.repeat(model.MAX_ITEM_TEXT), 'bob')[0]).toMatchObject({
      text: 'y'.repeat(model.MAX_ITEM_TEXT),
      from: 'bob',
    });
  });

  test("a nick is the sender's own choice: listed with the userID the cloud stamps, never instead of it", () => {
    const u = inGroup([
      msg({ from: 'mallory', nick: 'alice' }),
      msg({ from: 'bob', nick: 'bob' }),
      msg({ from: 'carol', nick: '' }),
      msg({
        from: 'mallory',
        nick: 'Alice',
        type: 'TIMCustomElem',
        payload: { data: '{"type":"like"}' },
      }),
      msg({ from: 'alice', nick: 'me, really' }),
    ]);
    expect(u.items.map((i) => [i.from, i.text, i.mine])).toEqual([
      ['alice (mallory)', 'hi', false],
      ['bob', 'hi', false],
      ['carol', 'hi', false],
      ['', 'Alice (mallory) liked ❤', false],
      ['me, really (alice)', 'hi', true],
    ]);
  });

  test('a message whose fields are names of Object.prototype or of the wrong type becomes a plain item, no crash', () => {
    const tips = ['constructor', '__proto__', 'toString', 5.5].map((operationType) =>
      msg({ type: 'TIMGroupTipElem', payload: { operationType, userIDList: 'carol' } }),
    );
    const u = inGroup([
      ...tips,
      msg({ type: 'TIMGroupTipElem', payload: { operationType: 2, operatorID: { id: 1 } } }),
      msg({ type: 'TIMCustomElem', payload: { description: { a: 1 }, data: ['x'] } }),
      msg({ type: 'TIMGroupSystemNoticeElem', payload: { operationType: { a: 1 } } }),
      msg({ type: 'TIMTextElem', payload: null, nick: 7 }),
    ]);
    expect(u.items.map((i) => [i.kind, i.from, i.text])).toEqual([
      ['notice', '', ' changed the group'],
      ['notice', '', ' changed the group'],
      ['notice', '', ' changed the group'],
      ['notice', '', ' changed the group'],
      ['notice', '', ' left'],
      ['custom', 'bob', '[custom] '],
      ['notice', '', 'group notice (type ?)'],
      ['text', 'bob', ''],
    ]);
  });
});
