/** @jest-environment node */
/** The emulator's chat relay (the preview's @tencentcloud/chat stand-in talks to it) over real WebSockets. */
import { connect, type Client } from './client';
import { CHAT, checkFault, CLOSE, createEmulator, type Emulator, type ServerMessage } from '../../emulator';
import { createChatRelay } from '../../emulator/chat';

const APP = 1400000001;
const good = (userID: string): string => `sig:${userID}`;

type Msg = { type: string; from: string; to: string; conversationType: string; payload: unknown };
const received = (c: Client, pred: (m: Msg) => boolean) => (m: ServerMessage) =>
  m.t === 'im_msg' && (m.messages as Msg[]).some(pred);
const all = (c: Client): Msg[] => c.msgs.flatMap((m) => (m.t === 'im_msg' ? (m.messages as Msg[]) : []));

describe('emulator chat relay', () => {
  jest.setTimeout(10000);
  let emu: Emulator;
  const clients: Client[] = [];

  const login = async (userID: string, userSig = good(userID)): Promise<Client> => {
    const c = await connect(emu.url);
    clients.push(c);
    const a = await c.req('login', { sdkAppID: APP, userID, userSig });
    expect(a.code).toBe(0);
    return c;
  };
  /** logged in and in the group, which it creates when nobody has yet (10025: its own, 10021: another's) */
  const joined = async (userID: string, groupID = '7001'): Promise<Client> => {
    const c = await login(userID);
    const made = await c.req('create', { groupID, type: 'AVChatRoom', name: groupID });
    expect([0, CHAT.GROUP_ID_OWN, CHAT.GROUP_ID_TAKEN]).toContain(made.code);
    const a = await c.req('join', { groupID, type: 'AVChatRoom' });
    expect(a).toMatchObject({ code: 0, data: { status: 'JoinedSuccess' } });
    return c;
  };
  const text = (to: string, t: string, conversationType = 'GROUP') => ({
    message: {
      ID: `m-${t}`,
      type: 'TIMTextElem',
      conversationType,
      to,
      from: 'spoofed',
      time: 0,
      payload: { text: t },
    },
  });

  beforeEach(async () => {
    emu = createEmulator({
      heartbeatMs: 100,
      heartbeatMisses: 2,
      verifyUserSig: ({ sdkAppID, userID, userSig }) =>
        sdkAppID !== APP
          ? { ok: false, reason: 'sdkappid-mismatch' }
          : userSig === `expired:${userID}`
            ? { ok: false, reason: 'expired' }
            : userSig === `short:${userID}`
              ? { ok: true, expireAt: Math.floor(Date.now() / 1000) + 1 }
              : { ok: userSig === good(userID), reason: 'malformed' },
    });
    await emu.listen(0, '127.0.0.1');
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.ws.terminate();
    await emu.close();
  });

  test('login checks the UserSig with the room verifier: realistic codes, the socket stays usable', async () => {
    const c = await connect(emu.url);
    clients.push(c);
    expect(await c.req('login', { sdkAppID: APP, userID: 'ann', userSig: 'nope' })).toMatchObject({
      code: CHAT.SIG_INVALID,
    });
    expect(await c.req('login', { sdkAppID: APP, userID: 'ann', userSig: 'expired:ann' })).toMatchObject({
      code: CHAT.SIG_EXPIRED,
    });
    expect(await c.req('login', { sdkAppID: 99, userID: 'ann', userSig: good('ann') })).toMatchObject({
      code: CHAT.SIG_APP_MISMATCH,
    });
    expect(await c.req('join', { groupID: '7001' })).toMatchObject({ code: CHAT.NOT_LOGGED_IN });
    expect(await c.req('login', { sdkAppID: APP, userID: 'ann', userSig: good('ann') })).toMatchObject({
      code: 0,
      data: { repeatLogin: false },
    });
    expect(await c.req('login', { sdkAppID: APP, userID: 'ann', userSig: good('ann') })).toMatchObject({
      code: 0,
      data: { repeatLogin: true },
    });
    expect(emu.chat().users).toEqual([{ sdkAppID: APP, userID: 'ann', groups: [] }]);
  });

  test('group: join tips, fan-out to the other members with the sender stamped, AlreadyInGroup', async () => {
    const a = await joined('ann');
    const b = await joined('bob');
    await a.next(
      received(
        a,
        (m) =>
          m.type === 'TIMGroupTipElem' && (m.payload as { userIDList: string[] }).userIDList[0] === 'bob',
      ),
    );
    expect(await b.req('join', { groupID: '7001' })).toMatchObject({
      code: 0,
      data: { status: 'AlreadyInGroup' },
    });
    const ack = await a.req('send', text('7001', 'hello'));
    expect(ack).toMatchObject({
      code: 0,
      data: { message: { from: 'ann', to: '7001', payload: { text: 'hello' } } },
    });
    await b.next(received(b, (m) => m.type === 'TIMTextElem'));
    expect(all(b).filter((m) => m.type === 'TIMTextElem')).toEqual([
      expect.objectContaining({
        from: 'ann',
        to: '7001',
        conversationType: 'GROUP',
        payload: { text: 'hello' },
      }),
    ]);
    expect(all(a).some((m) => m.type === 'TIMTextElem')).toBe(false); // not echoed to the sender
    expect(emu.chat().groups).toEqual([{ sdkAppID: APP, groupID: '7001', members: ['ann', 'bob'] }]);
  });

  test('groups exist once created, as in the cloud: a join before is 10010; taken IDs, names, the quota', async () => {
    await emu.close();
    emu = createEmulator({
      verifyUserSig: ({ userID, userSig }) => ({ ok: userSig === good(userID) }),
      limits: { maxRooms: 2 },
    });
    await emu.listen(0, '127.0.0.1');
    const a = await login('ann');
    const b = await login('bob');
    expect(await a.req('join', { groupID: '7001', type: 'AVChatRoom' })).toMatchObject({
      code: CHAT.NO_GROUP,
    });
    expect(await a.req('send', text('7001', 'into nothing'))).toMatchObject({ code: CHAT.NOT_MEMBER });
    // the creator is the owner but not a member: it joins like anyone
    expect(await a.req('create', { groupID: '7001', type: 'AVChatRoom', name: '7001' })).toMatchObject({
      code: 0,
      data: { group: { groupID: '7001', type: 'AVChatRoom' } },
    });
    expect(emu.chat().groups).toEqual([{ sdkAppID: APP, groupID: '7001', members: [] }]);
    expect(await a.req('send', text('7001', 'not yet'))).toMatchObject({ code: CHAT.NOT_MEMBER });
    expect(await a.req('create', { groupID: '7001', type: 'AVChatRoom', name: 'x' })).toMatchObject({
      code: CHAT.GROUP_ID_OWN,
    });
    expect(await b.req('create', { groupID: '7001', type: 'AVChatRoom', name: 'x' })).toMatchObject({
      code: CHAT.GROUP_ID_TAKEN,
    });
    expect(await b.req('join', { groupID: '7001', type: 'AVChatRoom' })).toMatchObject({ code: 0 });
    // what the cloud refuses: another group type, a name over 30 bytes, a bad ID; prototype names are plain IDs
    for (const [req, code] of [
      [{ groupID: '7002', type: 'Public', name: 'x' }, CHAT.PARAM],
      [{ groupID: '7002', type: 'AVChatRoom', name: 'n'.repeat(31) }, CHAT.PARAM],
      [{ groupID: 'g'.repeat(49), type: 'AVChatRoom', name: 'x' }, CHAT.BAD_GROUP_ID],
    ] as const)
      expect([req, (await a.req('create', req)).code]).toEqual([req, code]);
    expect(await a.req('create', { groupID: 'constructor', type: 'AVChatRoom', name: 'c' })).toMatchObject({
      code: 0,
    });
    // the app's AVChatRoom quota (the emulator's room limit): 10036
    expect(await a.req('create', { groupID: '7003', type: 'AVChatRoom', name: 'x' })).toMatchObject({
      code: CHAT.GROUP_QUOTA,
    });
    // a group outlives its members
    expect(await b.req('quit', { groupID: '7001' })).toMatchObject({ code: 0 });
    expect(await a.req('join', { groupID: '7001', type: 'AVChatRoom' })).toMatchObject({
      code: 0,
      data: { status: 'JoinedSuccess' },
    });
  });

  test('quit and logout stop delivery; sending outside the group fails with 10007', async () => {
    const a = await joined('ann');
    const b = await joined('bob');
    const c = await joined('cat');
    expect(await c.req('quit', { groupID: '7001' })).toMatchObject({ code: 0 });
    await a.next(
      received(
        a,
        (m) => m.type === 'TIMGroupTipElem' && (m.payload as { operationType: number }).operationType === 2,
      ),
    );
    expect(await c.req('send', text('7001', 'lost'))).toMatchObject({ code: CHAT.NOT_MEMBER });
    expect(await b.req('logout')).toMatchObject({ code: 0 });
    await a.req('send', text('7001', 'after'));
    // cat (quit) and bob (logged out) get nothing; a C2C round trip to each proves the order
    expect(await a.req('send', text('cat', 'ping', 'C2C'))).toMatchObject({ code: 0 });
    await c.next(received(c, (m) => m.conversationType === 'C2C'));
    expect(
      all(c)
        .filter((m) => m.type === 'TIMTextElem')
        .map((m) => (m.payload as { text: string }).text),
    ).toEqual(['ping']);
    expect(all(b).filter((m) => m.type === 'TIMTextElem')).toEqual([]);
    expect(emu.chat().groups).toEqual([{ sdkAppID: APP, groupID: '7001', members: ['ann'] }]);
  });

  test('a text or custom element of the wrong shape is refused (2000) and reaches nobody, as the cloud refuses it', async () => {
    const a = await joined('ann');
    const b = await joined('bob');
    await a.next(received(a, (m) => m.type === 'TIMGroupTipElem'));
    const send = (type: string, payload: unknown, conversationType = 'GROUP', to = '7001') =>
      b.req('send', { message: { ID: `s-${type}`, type, conversationType, to, payload } });
    for (const [type, payload] of [
      ['TIMTextElem', { text: { html: '<b>' } }],
      ['TIMTextElem', { text: 5 }],
      ['TIMTextElem', {}],
      ['TIMTextElem', undefined],
      ['TIMCustomElem', { data: { type: 'like' } }],
      ['TIMCustomElem', { data: 'x', description: 7 }],
      ['TIMCustomElem', { data: 'x', extension: ['x'] }],
      ['TIMCustomElem', undefined],
    ] as const) {
      expect([type, payload, (await send(type, payload)).code]).toEqual([type, payload, CHAT.PARAM]);
      expect([type, payload, (await send(type, payload, 'C2C', 'ann')).code]).toEqual([
        type,
        payload,
        CHAT.PARAM,
      ]);
    }
    expect(await send('TIMTextElem', { text: 'fine' })).toMatchObject({ code: 0 });
    await a.next(received(a, (m) => m.type === 'TIMTextElem'));
    expect(
      all(a)
        .filter((m) => m.from === 'bob')
        .map((m) => m.payload),
    ).toEqual([{ text: 'fine' }]);
  });

  test('members cannot send what only the cloud makes: a group tip saying bob left, a system notice (2000)', async () => {
    const a = await joined('ann');
    const b = await joined('bob');
    await a.next(received(a, (m) => m.type === 'TIMGroupTipElem'));
    const forged = (type: string, conversationType = 'GROUP', to = '7001') => ({
      message: {
        ID: `f-${type}`,
        type,
        conversationType,
        to,
        payload: { operationType: 2, operatorID: 'ann', userIDList: ['ann'] },
      },
    });
    for (const [type, conv, to] of [
      ['TIMGroupTipElem', 'GROUP', '7001'],
      ['TIMGroupSystemNoticeElem', 'GROUP', '7001'],
      ['TIMGroupTipElem', 'C2C', 'ann'],
      ['NotAnElem', 'GROUP', '7001'],
    ]) {
      expect([type, conv, await b.req('send', forged(type, conv, to))]).toEqual([
        type,
        conv,
        expect.objectContaining({ code: CHAT.PARAM }),
      ]);
    }
    // a custom message (what the component sends) still goes through; nothing before it reached ann
    const custom = {
      ...forged('TIMCustomElem'),
      message: { ...forged('TIMCustomElem').message, payload: { data: 'x' } },
    };
    expect(await b.req('send', custom)).toMatchObject({ code: 0 });
    await a.next(received(a, (m) => m.type === 'TIMCustomElem'));
    expect(
      all(a)
        .filter((m) => m.from === 'bob')
        .map((m) => m.type),
    ).toEqual(['TIMCustomElem']);
  });

  test('C2C goes to the user only; one AVChatRoom per user', async () => {
    const a = await joined('ann');
    const b = await joined('bob');
    const c = await joined('cat');
    await a.req('send', text('bob', 'psst', 'C2C'));
    await b.next(received(b, (m) => m.conversationType === 'C2C' && m.from === 'ann' && m.to === 'bob'));
    expect(await b.req('create', { groupID: '8002', type: 'AVChatRoom', name: '8002' })).toMatchObject({
      code: 0,
    });
    expect(await b.req('join', { groupID: '8002' })).toMatchObject({
      code: 0,
      data: { status: 'JoinedSuccess' },
    });
    expect(emu.chat().groups.map((g) => [g.groupID, g.members])).toEqual([
      ['7001', ['ann', 'cat']],
      ['8002', ['bob']],
    ]);
    expect(all(c).some((m) => m.conversationType === 'C2C')).toBe(false);
  });

  test('C2C to a userID that never logged in is 20003 (no such account); to one that logged in and left, sent and dropped', async () => {
    const a = await login('ann');
    const gone = await login('bob');
    expect(await gone.req('logout', {})).toMatchObject({ code: 0 });
    expect(await a.req('send', text('nobody', 'hello?', 'C2C'))).toEqual({
      t: 'im_ack',
      rid: expect.any(Number),
      code: 20003,
      message: 'the recipient UserID nobody is invalid or does not exist',
    });
    expect(await a.req('send', text('constructor', 'hello?', 'C2C'))).toMatchObject({ code: CHAT.NO_USER });
    // bob's account exists: the cloud would keep it for him; the emulator stores nothing
    expect(await a.req('send', text('bob', 'later', 'C2C'))).toMatchObject({ code: 0 });
    expect(all(gone).some((m) => m.conversationType === 'C2C')).toBe(false);
  });

  test('a login whose UserSig expires is kicked out at the expiry (userSigExpired), its group told', async () => {
    const stay = await joined('bob');
    const c = await connect(emu.url);
    clients.push(c);
    expect(await c.req('login', { sdkAppID: APP, userID: 'ann', userSig: 'short:ann' })).toMatchObject({
      code: 0,
    });
    expect(await c.req('join', { groupID: '7001' })).toMatchObject({ code: 0 });
    await c.next((m) => m.t === 'im_kicked' && m.type === 'userSigExpired', 4000);
    expect(await c.closed).toBe(CLOSE.KICKED);
    await stay.next(
      received(
        stay,
        (m) => m.type === 'TIMGroupTipElem' && (m.payload as { operationType: number }).operationType === 2,
      ),
    );
    expect(emu.chat().users.map((u) => u.userID)).toEqual(['bob']);
  });

  test('a network loss (fault drop) cuts the user chat connection too, and its outage holds chat logins off', async () => {
    const a = await joined('ann');
    const b = await joined('bob');
    await a.next(received(a, (m) => m.type === 'TIMGroupTipElem'));
    expect(emu.inject({ kind: 'drop', user: 'ann', outageMs: 400 })).toEqual(['ann']);
    // a lost connection, not a kick: no im_kicked, the network close code; the group sees ann go
    expect(await a.closed).toBe(CLOSE.NETWORK);
    expect(a.msgs.some((m) => m.t === 'im_kicked')).toBe(false);
    await b.next(
      received(
        b,
        (m) => m.type === 'TIMGroupTipElem' && (m.payload as { operationType: number }).operationType === 2,
      ),
    );
    expect(emu.chat().users.map((u) => u.userID)).toEqual(['bob']);
    // the phone's SDK retries while the network is down: the connection goes, no answer
    const early = await connect(emu.url);
    clients.push(early);
    early.send({ t: 'im', rid: 1, op: 'login', sdkAppID: APP, userID: 'ann', userSig: good('ann') });
    expect(await early.closed).toBe(CLOSE.NETWORK);
    expect(early.msgs.filter((m) => m.t === 'im_ack')).toEqual([]);
    // bob's chat is untouched; after the outage ann logs in and rejoins
    expect(await b.req('send', text('7001', 'still here'))).toMatchObject({ code: 0 });
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 450); // the outage is over (no real wait)
    const again = await joined('ann').finally(() => clock.mockRestore());
    expect(await again.req('send', text('7001', 'back'))).toMatchObject({ code: 0 });
  });

  test('fault chat_kick: the cloud logs a user out (REST_API_Kick, multipleDevice); the group sees it go', async () => {
    const a = await joined('ann');
    const b = await joined('bob');
    await a.next(received(a, (m) => m.type === 'TIMGroupTipElem'));
    expect(emu.inject({ kind: 'chat_kick', user: 'bob' })).toEqual(['bob']);
    expect(await b.next((m) => m.t === 'im_kicked')).toEqual({ t: 'im_kicked', type: 'REST_API_Kick' });
    expect(await b.closed).toBe(CLOSE.KICKED);
    await a.next(
      received(
        a,
        (m) => m.type === 'TIMGroupTipElem' && (m.payload as { operationType: number }).operationType === 2,
      ),
    );
    expect(emu.chat().users.map((u) => u.userID)).toEqual(['ann']);
    expect(emu.inject({ kind: 'chat_kick', user: 'ann', type: 'multipleDevice' })).toEqual(['ann']);
    expect(await a.next((m) => m.t === 'im_kicked')).toEqual({ t: 'im_kicked', type: 'multipleDevice' });
    // nobody logged in as that user: nobody hit
    expect(emu.inject({ kind: 'chat_kick', user: 'ann' })).toEqual([]);
    expect(checkFault({ kind: 'chat_kick', room: '7001' })).toEqual({
      ok: false,
      error: 'chat_kick needs a user',
    });
    expect(checkFault({ kind: 'chat_kick', user: 'ann', type: 'userSigExpired' })).toEqual({
      ok: false,
      error: 'type must be REST_API_Kick or multipleDevice',
    });
  });

  test('fault chat_dismiss: the group ends; its members get the system notice (5), joins and sends get 10010 / 10007', async () => {
    const a = await joined('ann');
    const b = await joined('bob');
    await a.next(received(a, (m) => m.type === 'TIMGroupTipElem'));
    expect(emu.inject({ kind: 'chat_dismiss', room: '7001' }).sort()).toEqual(['ann', 'bob']);
    for (const c of [a, b]) {
      const notice = await c.next(received(c, (m) => m.type === 'TIMGroupSystemNoticeElem'));
      expect(notice).toMatchObject({
        messages: [
          {
            conversationType: '@TIM#SYSTEM',
            from: '@TIM#SYSTEM',
            payload: { operationType: 5, groupProfile: { groupID: '7001', type: 'AVChatRoom' } },
          },
        ],
      });
    }
    expect(emu.chat().groups).toEqual([]);
    expect(emu.chat().users.map((u) => u.groups)).toEqual([[], []]);
    expect(await a.req('send', text('7001', 'anyone?'))).toMatchObject({ code: CHAT.NOT_MEMBER });
    expect(await a.req('join', { groupID: '7001', type: 'AVChatRoom' })).toMatchObject({
      code: CHAT.NO_GROUP,
    });
    // still logged in: the ID can be created again
    expect(await a.req('create', { groupID: '7001', type: 'AVChatRoom', name: '7001' })).toMatchObject({
      code: 0,
    });
    expect(emu.inject({ kind: 'chat_dismiss', room: 'nope' })).toEqual([]);
    expect(checkFault({ kind: 'chat_dismiss', user: 'ann' })).toEqual({
      ok: false,
      error: 'chat_dismiss needs a room',
    });
  });

  test('fault chat_dismiss recycled: the group ends with the recycled notice (11)', async () => {
    const a = await joined('ann');
    expect(emu.inject({ kind: 'chat_dismiss', room: '7001', recycled: true })).toEqual(['ann']);
    const notice = await a.next(received(a, (m) => m.type === 'TIMGroupSystemNoticeElem'));
    expect(notice).toMatchObject({
      messages: [{ to: 'ann', payload: { operationType: 11, groupProfile: { groupID: '7001' } } }],
    });
    expect(emu.chat().groups).toEqual([]);
    expect(checkFault({ kind: 'chat_dismiss', room: '7001', recycled: 'yes' })).toEqual({
      ok: false,
      error: 'recycled must be true or false',
    });
  });

  test("fault chat_group_kick: an admin kicks one member out of the group: its notice (4), the others' tip (3); nobody else is touched", async () => {
    const a = await joined('ann');
    const b = await joined('bob');
    const other = await joined('cat', '7002');
    await a.next(received(a, (m) => m.type === 'TIMGroupTipElem'));
    expect(emu.inject({ kind: 'chat_group_kick', user: 'bob', room: '7001' })).toEqual(['bob']);
    const notice = await b.next(received(b, (m) => m.type === 'TIMGroupSystemNoticeElem'));
    expect(notice).toMatchObject({
      messages: [
        {
          conversationType: '@TIM#SYSTEM',
          from: '@TIM#SYSTEM',
          to: 'bob',
          payload: { operationType: 4, groupProfile: { groupID: '7001', type: 'AVChatRoom' } },
        },
      ],
    });
    const tip = await a.next(
      received(
        a,
        (m) => m.type === 'TIMGroupTipElem' && (m.payload as { operationType: number }).operationType === 3,
      ),
    );
    expect(tip).toMatchObject({
      messages: [
        {
          to: '7001',
          payload: { operationType: 3, operatorID: 'administrator', userIDList: ['bob'] },
        },
      ],
    });
    // the notice is the kicked member's only; the member left gets no notice, bob still logged in
    expect(all(a).filter((m) => m.type === 'TIMGroupSystemNoticeElem')).toEqual([]);
    expect(all(other).filter((m) => m.type !== 'TIMTextElem')).toEqual([]);
    expect(emu.chat().groups.map((g) => [g.groupID, g.members])).toEqual([
      ['7001', ['ann']],
      ['7002', ['cat']],
    ]);
    expect(await b.req('send', text('7001', 'still here?'))).toMatchObject({ code: CHAT.NOT_MEMBER });
    // without a duration the cloud bans nothing: a rejoin would undo the admin's kick (the component makes none)
    expect(await b.req('join', { groupID: '7001', type: 'AVChatRoom' })).toMatchObject({ code: 0 });
    // not a member of that group, or of any: nobody hit
    expect(emu.inject({ kind: 'chat_group_kick', user: 'cat', room: '7001' })).toEqual([]);
    expect(emu.inject({ kind: 'chat_group_kick', user: 'nobody', room: '7001' })).toEqual([]);
    expect(checkFault({ kind: 'chat_group_kick', user: 'ann' })).toEqual({
      ok: false,
      error: 'chat_group_kick needs a user and a room',
    });
    expect(checkFault({ kind: 'chat_group_kick', room: '7001' })).toMatchObject({ ok: false });
  });

  test('fault chat_group_kick with a duration: a rejoin within it is refused (KICK_BANNED), over WebSockets as in the relay', async () => {
    await joined('ann');
    const b = await joined('bob');
    expect(emu.inject({ kind: 'chat_group_kick', user: 'bob', room: '7001', duration: 60 })).toEqual(['bob']);
    // a kick with a duration is a ban: the notice the SDK drops an AVChatRoom on (21), not 4
    expect(await b.next(received(b, (m) => m.type === 'TIMGroupSystemNoticeElem'))).toMatchObject({
      messages: [{ to: 'bob', payload: { operationType: 21, groupProfile: { groupID: '7001' } } }],
    });
    const again = await b.req('join', { groupID: '7001', type: 'AVChatRoom' });
    expect(again).toMatchObject({ code: CHAT.KICK_BANNED });
    expect(again.message).toMatch(/^kicked out of group 7001: no rejoining for another (60|59) s$/);
    expect(emu.chat().groups.find((g) => g.groupID === '7001')).toMatchObject({
      members: ['ann'],
      banned: ['bob'],
    });
    expect(checkFault({ kind: 'chat_group_kick', user: 'bob', room: '7001', duration: 60 })).toEqual({
      ok: true,
      fault: { kind: 'chat_group_kick', user: 'bob', room: '7001', duration: 60 },
    });
    expect(checkFault({ kind: 'chat_group_kick', user: 'bob', room: '7001' })).toMatchObject({
      fault: { duration: 0 },
    });
    for (const duration of [-1, 1.5, 2 ** 32, '60', null])
      expect(checkFault({ kind: 'chat_group_kick', user: 'bob', room: '7001', duration })).toEqual({
        ok: false,
        error: 'duration must be whole seconds, 0..4294967295',
      });
  });

  test('the same userID logging in elsewhere kicks the first login (multipleAccount)', async () => {
    const first = await joined('ann');
    const other = await joined('bob');
    const second = await login('ann');
    await first.next((m) => m.t === 'im_kicked' && m.type === 'multipleAccount');
    expect(await first.closed).toBe(CLOSE.KICKED);
    expect(emu.chat().groups).toEqual([{ sdkAppID: APP, groupID: '7001', members: ['bob'] }]);
    await second.req('join', { groupID: '7001' });
    await other.req('send', text('7001', 'hi'));
    await second.next(received(second, (m) => m.type === 'TIMTextElem' && m.from === 'bob'));
  });

  test('a closed chat socket ends its login; an oversized message is refused (80002)', async () => {
    const a = await joined('ann');
    const b = await joined('bob');
    expect(await a.req('send', text('7001', 'x'.repeat(13 * 1024)))).toMatchObject({ code: CHAT.TOO_LARGE });
    b.ws.close();
    await a.next(
      received(
        a,
        (m) => m.type === 'TIMGroupTipElem' && (m.payload as { operationType: number }).operationType === 2,
      ),
    );
    expect(emu.chat().users.map((u) => u.userID)).toEqual(['ann']);
    // a chat connection cannot also enter a room
    a.ws.send(
      JSON.stringify({
        t: 'join',
        model: 'trtc',
        sdkAppID: APP,
        roomID: 1,
        userID: 'ann',
        userSig: good('ann'),
      }),
    );
    await a.next((m) => m.t === 'error' && /chat login/.test(m.message));
  });
});

/** A chat connection stand-in that records what the relay sends it and how it closed it. */
type Sent = { t: string; [k: string]: unknown };
const conn = () => {
  const c = {
    sent: [] as Sent[],
    closed: 0,
    send: (m: unknown) => c.sent.push(m as Sent),
    close: (code: number) => void (c.closed = code),
  };
  return c;
};

describe('chat relay: renewing a UserSig (fake timers)', () => {
  const relayNow = () =>
    createChatRelay({
      verifyUserSig: ({ userID, userSig }) =>
        userSig === `short:${userID}`
          ? { ok: true, expireAt: Math.floor(Date.now() / 1000) + 1 }
          : { ok: userSig === good(userID), reason: 'malformed' },
      fanout: (targets, msg) => targets.forEach((t) => t.send(msg)),
      kickCloseCode: CLOSE.KICKED,
      networkCloseCode: CLOSE.NETWORK,
    });
  const req = (
    relay: ReturnType<typeof relayNow>,
    c: ReturnType<typeof conn>,
    body: Record<string, unknown>,
  ) => {
    relay.handle(c, { rid: c.sent.length + 1, ...body } as never);
    return c.sent[c.sent.length - 1];
  };
  const tips = (c: ReturnType<typeof conn>) =>
    c.sent
      .flatMap((m) => (m.t === 'im_msg' ? (m.messages as Msg[]) : []))
      .map((m) => (m.payload as { operationType: number }).operationType);

  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('renewed before the expiry (logout, login with the new UserSig, join again): not kicked at the old expiry; the group sees it leave and join', () => {
    const relay = relayNow();
    const bob = conn();
    req(relay, bob, { op: 'login', sdkAppID: APP, userID: 'bob', userSig: good('bob') });
    req(relay, bob, { op: 'create', groupID: '7001', type: 'AVChatRoom', name: '7001' });
    req(relay, bob, { op: 'join', groupID: '7001' });
    const ann = conn();
    expect(
      req(relay, ann, { op: 'login', sdkAppID: APP, userID: 'ann', userSig: 'short:ann' }),
    ).toMatchObject({ code: 0 });
    req(relay, ann, { op: 'join', groupID: '7001' });
    // a login while logged in is a repeat that keeps the old UserSig (as the SDK answers it)
    expect(
      req(relay, ann, { op: 'login', sdkAppID: APP, userID: 'ann', userSig: good('ann') }),
    ).toMatchObject({
      data: { repeatLogin: true },
    });
    req(relay, ann, { op: 'logout' });
    const renewed = conn();
    expect(
      req(relay, renewed, { op: 'login', sdkAppID: APP, userID: 'ann', userSig: good('ann') }),
    ).toMatchObject({
      code: 0,
      data: { repeatLogin: false },
    });
    expect(req(relay, renewed, { op: 'join', groupID: '7001' })).toMatchObject({
      data: { status: 'JoinedSuccess' },
    });
    jest.advanceTimersByTime(5000);
    expect([...ann.sent, ...renewed.sent].some((m) => m.t === 'im_kicked')).toBe(false);
    expect(renewed.closed).toBe(0);
    expect(relay.groups()).toEqual([{ sdkAppID: APP, groupID: '7001', members: ['ann', 'bob'] }]);
    expect(tips(bob)).toEqual([1, 2, 1]);
  });

  test('not renewed: kicked (userSigExpired) at the expiry; a login with a new UserSig afterwards joins again', () => {
    const relay = relayNow();
    const ann = conn();
    req(relay, ann, { op: 'login', sdkAppID: APP, userID: 'ann', userSig: 'short:ann' });
    req(relay, ann, { op: 'create', groupID: '7001', type: 'AVChatRoom', name: '7001' });
    req(relay, ann, { op: 'join', groupID: '7001' });
    jest.advanceTimersByTime(2100);
    expect(ann.sent.filter((m) => m.t === 'im_kicked')).toEqual([{ t: 'im_kicked', type: 'userSigExpired' }]);
    expect(ann.closed).toBe(CLOSE.KICKED);
    const back = conn();
    expect(
      req(relay, back, { op: 'login', sdkAppID: APP, userID: 'ann', userSig: good('ann') }),
    ).toMatchObject({ code: 0 });
    expect(req(relay, back, { op: 'join', groupID: '7001' })).toMatchObject({
      data: { status: 'JoinedSuccess' },
    });
  });
});

describe('chat relay: a kick with a duration (fake timers)', () => {
  const relay = () =>
    createChatRelay({
      verifyUserSig: ({ userID, userSig }) => ({ ok: userSig === good(userID), reason: 'malformed' }),
      fanout: (targets, msg) => targets.forEach((t) => t.send(msg)),
      kickCloseCode: CLOSE.KICKED,
      networkCloseCode: CLOSE.NETWORK,
    });
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('refused until it runs out, for that user and that group only; a group dismissed and made again has no bans', () => {
    const r = relay();
    const req = (c: ReturnType<typeof conn>, body: Record<string, unknown>) => {
      r.handle(c, { rid: c.sent.length + 1, ...body } as never);
      return c.sent[c.sent.length - 1];
    };
    const user = (userID: string, ...groupIDs: string[]) => {
      const c = conn();
      req(c, { op: 'login', sdkAppID: APP, userID, userSig: good(userID) });
      for (const groupID of groupIDs) {
        req(c, { op: 'create', groupID, type: 'AVChatRoom', name: groupID });
        expect(req(c, { op: 'join', groupID })).toMatchObject({ code: 0 });
      }
      return c;
    };
    const ann = user('ann', '7001');
    const bob = user('bob', '7001');
    expect(r.kickFromGroup('bob', '7001', 30)).toEqual(['bob']);
    expect(req(bob, { op: 'join', groupID: '7001' })).toMatchObject({
      code: CHAT.KICK_BANNED,
      message: 'kicked out of group 7001: no rejoining for another 30 s',
    });
    // another group is not banned, nor is another user (a kick without a duration bans nothing)
    expect(req(bob, { op: 'create', groupID: '7002', type: 'AVChatRoom', name: '7002' })).toMatchObject({
      code: 0,
    });
    expect(req(bob, { op: 'join', groupID: '7002' })).toMatchObject({ code: 0 });
    expect(r.kickFromGroup('ann', '7001')).toEqual(['ann']);
    expect(req(ann, { op: 'join', groupID: '7001' })).toMatchObject({ code: 0 });
    jest.advanceTimersByTime(29_000);
    expect(req(bob, { op: 'join', groupID: '7001' })).toMatchObject({
      code: CHAT.KICK_BANNED,
      message: 'kicked out of group 7001: no rejoining for another 1 s',
    });
    expect(r.groups().find((g) => g.groupID === '7001')?.banned).toEqual(['bob']);
    jest.advanceTimersByTime(1_000);
    // run out: no longer listed
    expect(r.groups().find((g) => g.groupID === '7001')).not.toHaveProperty('banned');
    expect(req(bob, { op: 'join', groupID: '7001' })).toMatchObject({
      code: 0,
      data: { status: 'JoinedSuccess' },
    });
    // banned again, then the group is dismissed: the group made again with that ID is a new one
    expect(r.kickFromGroup('bob', '7001', 3600)).toEqual(['bob']);
    r.dismiss('7001');
    expect(req(bob, { op: 'create', groupID: '7001', type: 'AVChatRoom', name: '7001' })).toMatchObject({
      code: 0,
    });
    expect(req(bob, { op: 'join', groupID: '7001' })).toMatchObject({ code: 0 });
  });
});

describe('chat relay: identifiers named after Object.prototype', () => {
  test('users and groups called __proto__ / constructor / toString are users and groups like any other', () => {
    const relay = createChatRelay({
      verifyUserSig: ({ userID, userSig }) => ({ ok: userSig === good(userID), reason: 'malformed' }),
      fanout: (targets, msg) => targets.forEach((t) => t.send(msg)),
      kickCloseCode: CLOSE.KICKED,
      networkCloseCode: CLOSE.NETWORK,
    });
    const req = (c: ReturnType<typeof conn>, body: Record<string, unknown>) => {
      relay.handle(c, { rid: c.sent.length + 1, ...body } as never);
      return c.sent[c.sent.length - 1];
    };
    const users = ['__proto__', 'constructor', 'toString'].map((userID) => {
      const c = conn();
      expect(req(c, { op: 'login', sdkAppID: APP, userID, userSig: good(userID) })).toMatchObject({
        code: 0,
      });
      return c;
    });
    const [proto, ctor, str] = users;
    // a group nobody created is missing, whatever its name
    expect(req(proto, { op: 'join', groupID: 'hasOwnProperty' })).toMatchObject({ code: CHAT.NO_GROUP });
    expect(req(proto, { op: 'create', groupID: '__proto__', type: 'AVChatRoom', name: 'p' })).toMatchObject({
      code: 0,
    });
    expect(req(ctor, { op: 'create', groupID: '__proto__', type: 'AVChatRoom', name: 'p' })).toMatchObject({
      code: CHAT.GROUP_ID_TAKEN,
    });
    for (const c of [proto, ctor])
      expect(req(c, { op: 'join', groupID: '__proto__' })).toMatchObject({ code: 0 });
    expect(
      req(str, {
        op: 'send',
        message: {
          ID: 'x',
          type: 'TIMTextElem',
          conversationType: 'GROUP',
          to: '__proto__',
          payload: { text: 'hi' },
        },
      }),
    ).toMatchObject({
      code: CHAT.NOT_MEMBER,
    });
    const payload = JSON.parse('{"text":"hi","__proto__":{"polluted":1}}') as Record<string, unknown>;
    expect(
      req(proto, {
        op: 'send',
        message: { ID: 'g', type: 'TIMTextElem', conversationType: 'GROUP', to: '__proto__', payload },
      }),
    ).toMatchObject({ code: 0 });
    expect(
      req(ctor, {
        op: 'send',
        message: {
          ID: 'c',
          type: 'TIMTextElem',
          conversationType: 'C2C',
          to: 'toString',
          payload: { text: 'psst' },
        },
      }),
    ).toMatchObject({ code: 0 });
    const got = (c: ReturnType<typeof conn>) =>
      c.sent
        .flatMap((m) => (m.t === 'im_msg' ? (m.messages as Msg[]) : []))
        .filter((m) => m.type === 'TIMTextElem');
    expect(got(ctor).map((m) => [m.from, m.to])).toEqual([['__proto__', '__proto__']]);
    expect(JSON.stringify(got(ctor)[0].payload)).toBe(JSON.stringify(payload));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(got(str).map((m) => [m.from, m.to, m.conversationType])).toEqual([
      ['constructor', 'toString', 'C2C'],
    ]);
    expect(got(proto)).toEqual([]);
    expect(relay.groups()).toEqual([
      { sdkAppID: APP, groupID: '__proto__', members: ['__proto__', 'constructor'] },
    ]);
    expect(relay.kick('constructor', 'REST_API_Kick')).toEqual(['constructor']);
    expect(relay.dismiss('__proto__')).toEqual(['__proto__']);
    expect(
      relay
        .users()
        .map((u) => u.userID)
        .sort(),
    ).toEqual(['__proto__', 'toString']);
  });
});
