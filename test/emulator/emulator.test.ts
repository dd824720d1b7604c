/** @jest-environment node */
import { connect, goodSig, trtcJoin, type Client } from './client';
import { createEmulator, type Emulator, type ServerMessage } from '../../emulator';

const ev = (code: number, has?: (msg: unknown) => boolean) => (m: ServerMessage) =>
  m.t === 'event' && m.code === code && (!has || has(JSON.parse(m.message)));
const lists = (name: string, ids: string[]) => (m: ServerMessage) =>
  m.t === 'tt' &&
  m.name === name &&
  JSON.stringify((m.data as { userIdList: string[] }).userIdList.sort()) === JSON.stringify(ids);

describe('room emulator', () => {
  let emu: Emulator;
  const clients: Client[] = [];
  const join = async (userID: string, extra: Record<string, unknown> = {}, opts?: { autoPong?: boolean }) => {
    const c = await connect(emu.url, opts);
    clients.push(c);
    c.send(trtcJoin(userID, 1234, extra));
    return c;
  };
  const joinVolc = async (userId: string, extra: Record<string, unknown> = {}) => {
    const c = await connect(emu.url);
    clients.push(c);
    c.send({
      t: 'join',
      model: 'volc',
      appID: 'app1',
      roomId: 'r1',
      userId,
      token: `tok:r1:${userId}`,
      audio: true,
      video: true,
      ...extra,
    });
    return c;
  };

  beforeEach(async () => {
    emu = createEmulator({
      heartbeatMs: 100,
      heartbeatMisses: 2,
      verifyUserSig: ({ userID, userSig }) => ({ ok: userSig === goodSig(userID), reason: 'bad sig' }),
      verifyVolcToken: ({ roomId, userId, token }) => ({ ok: token === `tok:${roomId}:${userId}` }),
    });
    await emu.listen(0, '127.0.0.1');
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.ws.terminate();
    await emu.close();
  });

  test('TRTC: enter, then both sides learn about each other as 1031/1033/1034', async () => {
    const a = await join('alice');
    const enter = await a.next(ev(1018));
    expect(enter).toMatchObject({ t: 'event', code: 1018 });
    expect((enter as { message: string }).message).toMatch(/^onEnterRoom success, time cost\[\d+\]$/);
    const b = await join('bob');
    await b.next(ev(1018));
    const bUsers = await b.next(ev(1031));
    expect(JSON.parse((bUsers as { message: string }).message)).toEqual({ userlist: [{ userid: 'alice' }] });
    const bVideo = await b.next(ev(1033));
    expect(JSON.parse((bVideo as { message: string }).message)).toEqual({
      userlist: [
        {
          userid: 'alice',
          playurl: 'room://cloud.tencent.com/rtc?userid=alice&streamtype=main',
          streamtype: 'main',
          hasvideo: true,
        },
      ],
    });
    const bAudio = await b.next(ev(1034));
    expect(JSON.parse((bAudio as { message: string }).message)).toEqual({
      userlist: [
        {
          userid: 'alice',
          playurl: 'room://cloud.tencent.com/rtc?userid=alice&streamtype=main',
          hasaudio: true,
        },
      ],
    });
    await a.next(ev(1031, (m) => JSON.stringify(m) === '{"userlist":[{"userid":"bob"}]}'));
    await a.next(ev(1033));
    await a.next(ev(1034));
    expect(emu.rooms()).toEqual([
      {
        key: 'trtc:1400000001:n:1234',
        members: [
          { userID: 'alice', audio: true, video: true, screen: false },
          { userID: 'bob', audio: true, video: true, screen: false },
        ],
      },
    ]);
  });

  test('TRTC: a bad UserSig gets -100018 and 1022, and no entry', async () => {
    const a = await join('alice');
    await a.next(ev(1018));
    const bad = await join('mallory', { userSig: 'forged' });
    await bad.next(ev(-100018));
    await bad.next(ev(1022));
    const failed = bad.msgs.find(ev(1022)) as { message: string };
    expect(failed.message).toBe('onEnterRoom failed, error code[-100018]');
    expect(await bad.closed).toBe(4002);
    expect(bad.msgs.some(ev(1018))).toBe(false);
    expect(emu.rooms()[0].members.map((m) => m.userID)).toEqual(['alice']);
    expect(a.msgs.some(ev(1031))).toBe(false);
  });

  test('TRTC: string and numeric rooms are different rooms', async () => {
    const a = await join('alice', { roomID: undefined, strRoomID: '1234' });
    await a.next(ev(1018));
    const b = await join('bob');
    await b.next(ev(1018));
    const c = await join('carol', { roomID: undefined, strRoomID: '1234' });
    await c.next(ev(1031, (m) => JSON.stringify(m) === '{"userlist":[{"userid":"alice"}]}'));
    expect(
      emu
        .rooms()
        .map((r) => r.key)
        .sort(),
    ).toEqual(['trtc:1400000001:n:1234', 'trtc:1400000001:s:1234']);
    expect(b.msgs.some(ev(1031))).toBe(false);
  });

  test('TRTC: the same userID twice kicks the older connection with 1019 reason[1]', async () => {
    const a1 = await join('alice');
    await a1.next(ev(1018));
    const b = await join('bob');
    await b.next(ev(1018));
    const a2 = await join('alice');
    await a2.next(ev(1018));
    const kicked = (await a1.next(ev(1019))) as { message: string };
    expect(kicked.message).toBe('onExitRoom reason[1]');
    expect(await a1.closed).toBe(4001);
    // bob sees the old alice go and the new one come
    await b.next(ev(1032));
    await b.next(
      (m) =>
        m.t === 'event' &&
        m.code === 1031 &&
        b.msgs.filter(ev(1031)).length >= 1 &&
        m.message.includes('alice'),
    );
    expect(
      emu
        .rooms()[0]
        .members.map((m) => m.userID)
        .sort(),
    ).toEqual(['alice', 'bob']);
    // the new alice still talks to bob
    a2.send({ t: 'signal', to: 'bob', data: { kind: 'ice', sid: 'hello', dir: 'toSub', candidate: null } });
    await b.next((m) => m.t === 'signal' && m.from === 'alice');
  });

  test('TRTC: mute and camera-off reach the others as 1034/1033, leave as 1032 and 1019 reason[0]', async () => {
    const a = await join('alice');
    await a.next(ev(1018));
    const b = await join('bob');
    await a.next(ev(1031));
    b.send({ t: 'update', audio: false });
    await a.next(
      ev(1034, (m) => (m as { userlist: Array<{ hasaudio: boolean }> }).userlist[0].hasaudio === false),
    );
    b.send({ t: 'update', video: false });
    await a.next(
      ev(1033, (m) => (m as { userlist: Array<{ hasvideo: boolean }> }).userlist[0].hasvideo === false),
    );
    b.send({ t: 'update', video: false }); // unchanged: no event
    b.send({ t: 'leave' });
    const bye = (await b.next(ev(1019))) as { message: string };
    expect(bye.message).toBe('onExitRoom reason[0]');
    await a.next(ev(1032, (m) => JSON.stringify(m) === '{"userlist":[{"userid":"bob"}]}'));
    expect(a.msgs.filter(ev(1033)).length).toBe(2); // bob's video on (at join) and off, nothing for the repeat
  });

  test('TRTC: a vanished peer (no pongs) is dropped within a few heartbeats', async () => {
    const a = await join('alice');
    await a.next(ev(1018));
    const ghost = await join('ghost', {}, { autoPong: false });
    await ghost.next(ev(1018));
    await a.next(ev(1031));
    const t0 = Date.now();
    await a.next(
      ev(1032, (m) => JSON.stringify(m).includes('ghost')),
      3000,
    );
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(emu.rooms()[0].members.map((m) => m.userID)).toEqual(['alice']);
  });

  test('signalling is relayed in order, only inside the room', async () => {
    const a = await join('alice');
    const b = await join('bob');
    await b.next(ev(1018));
    await a.next(ev(1031));
    for (let i = 0; i < 50; i++)
      a.send({ t: 'signal', to: 'bob', data: { kind: 'ice', sid: `s${i}`, dir: 'toSub' } });
    a.send({ t: 'signal', to: 'nobody', data: { kind: 'bye', sid: 'x', dir: 'toPub' } });
    await b.next((m) => m.t === 'signal' && (m.data as { sid: string }).sid === 's49');
    const seq = b.msgs.filter((m) => m.t === 'signal').map((m) => (m as { data: { sid: string } }).data.sid);
    expect(seq).toEqual([...Array(50).keys()].map((i) => `s${i}`));
  });

  test('a subscribe may ask for the small stream; any other stream name is a bad frame, not relayed', async () => {
    const a = await join('alice');
    const b = await join('bob');
    await b.next(ev(1018));
    await a.next(ev(1031));
    b.send({
      t: 'signal',
      to: 'alice',
      data: { kind: 'subscribe', sid: 'q1', dir: 'toPub', stream: 'huge' },
    });
    const err = await b.next((m) => m.t === 'error');
    expect(err).toMatchObject({ message: expect.stringMatching(/^bad frame.*stream/) });
    b.send({
      t: 'signal',
      to: 'alice',
      data: { kind: 'subscribe', sid: 'q2', dir: 'toPub', stream: 'small' },
    });
    const got = await a.next((m) => m.t === 'signal');
    expect(got).toEqual({
      t: 'signal',
      from: 'bob',
      data: { kind: 'subscribe', sid: 'q2', dir: 'toPub', stream: 'small' },
    });
    expect(a.msgs.filter((m) => m.t === 'signal')).toHaveLength(1);
  });

  test('SEI: relayed to the room while the sender publishes video; over 1 KB is an error', async () => {
    const a = await join('alice');
    const b = await join('bob', { video: false });
    await b.next(ev(1018));
    await a.next(ev(1031));
    a.send({ t: 'sei', payload: 'hi' });
    await b.next((m) => m.t === 'sei');
    expect(b.msgs.filter((m) => m.t === 'sei')).toEqual([{ t: 'sei', from: 'alice', payload: 'hi' }]);
    // no video, no SEI
    b.send({ t: 'sei', payload: 'lost' });
    b.send({ t: 'ping', id: 8 });
    await b.next((m) => m.t === 'pong' && m.id === 8);
    a.send({ t: 'sei', payload: 'x'.repeat(1001) });
    await a.next((m) => m.t === 'error' && /payload/.test(m.message));
    a.send({ t: 'ping', id: 7 });
    await a.next((m) => m.t === 'pong' && m.id === 7);
    expect(a.msgs.filter((m) => m.t === 'sei')).toEqual([]);
  });

  test('TRTC live / voicechatroom: an audience member (no camera, no mic) is not announced; anchor is', async () => {
    const codes = (c: Client) => c.msgs.flatMap((m) => (m.t === 'event' ? [m.code] : []));
    const a = await join('alice', { appscene: 'live', anchor: true });
    await a.next(ev(1018));
    // the client enters as audience (21): in the room, entered, announced to no one
    const b = await join('bob', { appscene: 'live', anchor: false, audio: false, video: false });
    await b.next(ev(1018));
    await b.next(ev(1031, (x) => JSON.stringify(x) === JSON.stringify({ userlist: [{ userid: 'alice' }] })));
    // a newcomer does not hear of it either
    const c = await join('carol', { appscene: 'live', anchor: true });
    await c.next(ev(1018));
    await c.next(ev(1031));
    const sync = async (x: Client, id: number) => {
      x.send({ t: 'ping', id });
      await x.next((m) => m.t === 'pong' && m.id === id);
    };
    await sync(b, 1);
    await sync(a, 2);
    await sync(c, 3);
    const users = (x: Client) =>
      x.msgs.flatMap((m) =>
        m.t === 'event' && (m.code === 1031 || m.code === 1032)
          ? [
              `${m.code}:${(JSON.parse(m.message) as { userlist: Array<{ userid: string }> }).userlist.map((u) => u.userid).join(',')}`,
            ]
          : [],
      );
    expect(users(a)).toEqual(['1031:carol']);
    expect(users(c)).toEqual(['1031:alice']);
    // enable-mic on (switchRole to anchor): 1031, then its audio
    b.send({ t: 'update', anchor: true, audio: true });
    await a.next(
      ev(1031, (x) => (x as { userlist: Array<{ userid: string }> }).userlist[0].userid === 'bob'),
    );
    await a.next(ev(1034, (x) => (x as { userlist: Array<{ hasaudio: boolean }> }).userlist[0].hasaudio));
    expect(codes(a).slice(-2)).toEqual([1031, 1034]);
    // camera and mic off again (switchRole to audience): its audio off, then 1032
    b.send({ t: 'update', anchor: false, audio: false, video: false });
    await c.next(ev(1032));
    expect(codes(c).slice(-2)).toEqual([1034, 1032]);
    // leaving as audience tells no one
    const before = a.msgs.length;
    b.ws.close();
    await b.closed;
    await sync(a, 4);
    expect(a.msgs.slice(before).filter((m) => m.t === 'event')).toEqual([]);
    // scene rtc (videocall): TRTC has no audience, a member with nothing on is still announced
    const d = await join('dan', { appscene: 'videocall', anchor: false, audio: false, video: false });
    await d.next(ev(1018));
    await a.next(
      ev(1031, (x) => (x as { userlist: Array<{ userid: string }> }).userlist[0].userid === 'dan'),
    );
  });

  test('dismissing a room sends 1019 reason[2]', async () => {
    const a = await join('alice');
    await a.next(ev(1018));
    emu.dismiss('trtc:1400000001:n:1234');
    const m = (await a.next(ev(1019))) as { message: string };
    expect(m.message).toBe('onExitRoom reason[2]');
    expect(emu.rooms()).toEqual([]);
  });

  test('Volc: full member lists for chat, video, screen; invalid token gets 21101', async () => {
    const a = await joinVolc('alice');
    await a.next((m) => m.t === 'joined');
    await a.next(lists('onRtcChatMembersChanged', ['alice']));
    const b = await joinVolc('bob', { audio: false });
    await b.next(lists('onRtcChatMembersChanged', ['alice', 'bob']));
    await a.next(lists('onRtcChatMembersChanged', ['alice', 'bob']));
    await a.next(lists('onRtcVideoMembersChanged', ['alice', 'bob']));
    b.send({ t: 'update', video: false, screen: true });
    await a.next(lists('onRtcVideoMembersChanged', ['alice']));
    await a.next(lists('onRtcPublishScreenMembersChanged', ['bob']));
    const bad = await joinVolc('eve', { token: 'nope' });
    const f = await bad.next((m) => m.t === 'join_failed');
    expect(f).toEqual({ t: 'join_failed', code: 21101, message: 'joinRtcRoom:fail invalid token' });
    b.ws.close();
    await a.next(
      (m) => lists('onRtcChatMembersChanged', ['alice'])(m) && a.msgs.filter((x) => x.t === 'tt').length > 6,
    );
    const dup = await joinVolc('alice');
    await dup.next((m) => m.t === 'joined');
    const intr = await a.next((m) => m.t === 'tt' && m.name === 'onRtcChatInterrupted');
    expect(intr).toMatchObject({ data: { errNo: -1004 } });
  });

  test('Volc: no speakers list from the cloud (the host computes who speaks), not even for a mic change', async () => {
    const a = await joinVolc('alice');
    await a.next(lists('onRtcChatMembersChanged', ['alice']));
    const b = await joinVolc('bob');
    await a.next(lists('onRtcChatMembersChanged', ['alice', 'bob']));
    b.send({ t: 'update', audio: false });
    b.send({ t: 'update', audio: true, video: false });
    await a.next(lists('onRtcVideoMembersChanged', ['alice']));
    b.ws.close();
    const chatLists = () => a.msgs.filter((m) => m.t === 'tt' && m.name === 'onRtcChatMembersChanged');
    await a.next((m) => lists('onRtcChatMembersChanged', ['alice'])(m) && chatLists().length === 3);
    const names = a.msgs.flatMap((m) => (m.t === 'tt' ? [m.name] : []));
    expect(names).not.toContain('onRtcChatSpeakersChanged');
    expect(names.filter((n) => n === 'onRtcChatMembersChanged')).toHaveLength(3);
  });

  test('Volc: a member that starts or stops publishing is announced to the others (stream), the mic too', async () => {
    const streams = (c: Client) => c.msgs.filter((m) => m.t === 'stream');
    const a = await joinVolc('alice');
    await a.next(lists('onRtcChatMembersChanged', ['alice']));
    // an audience member: in the room, publishing nothing; a subscription to it is not relayed
    const b = await joinVolc('bob', { audio: false, video: false });
    await a.next(lists('onRtcChatMembersChanged', ['alice', 'bob']));
    a.send({
      t: 'signal',
      to: 'bob',
      data: { kind: 'subscribe', sid: 'a1', dir: 'toPub', kinds: ['audio'] },
    });
    b.send({ t: 'update', audio: true });
    expect(await a.next((m) => m.t === 'stream')).toEqual({
      t: 'stream',
      userId: 'bob',
      audio: true,
      video: false,
      screen: false,
    });
    a.send({
      t: 'signal',
      to: 'bob',
      data: { kind: 'subscribe', sid: 'a2', dir: 'toPub', kinds: ['audio'] },
    });
    await b.next((m) => m.t === 'signal' && (m.data as { sid: string }).sid === 'a2');
    expect(b.msgs.filter((m) => m.t === 'signal').map((m) => (m.data as { sid: string }).sid)).toEqual([
      'a2',
    ]);
    // no change, no announcement; the one publishing is not told about itself
    b.send({ t: 'update', audio: true });
    b.send({ t: 'update', audio: false, video: true });
    await a.next((m) => m.t === 'stream' && streams(a).length === 2);
    expect(streams(a)[1]).toEqual({ t: 'stream', userId: 'bob', audio: false, video: true, screen: false });
    // every frame bob's updates sent is at alice before her own pong
    b.send({ t: 'ping', id: 3 });
    await b.next((m) => m.t === 'pong' && m.id === 3);
    a.send({ t: 'ping', id: 4 });
    await a.next((m) => m.t === 'pong' && m.id === 4);
    expect(streams(a)).toHaveLength(2);
    expect(streams(b)).toEqual([]);
  });

  test('Volc: an invisible member (changeUserVisibility false) is in no list and publishes nothing', async () => {
    const tt = (c: Client, name: string) => c.msgs.filter((m) => m.t === 'tt' && m.name === name);
    const a = await joinVolc('alice');
    await a.next(lists('onRtcChatMembersChanged', ['alice']));
    // joins invisible (the component's audience: changeUserVisibility before joinRtcRoom), camera on
    const b = await joinVolc('bob', { visible: false });
    await b.next((m) => m.t === 'joined');
    await b.next(lists('onRtcChatMembersChanged', ['alice']));
    // capture on while invisible: still no stream for the room
    b.send({ t: 'update', audio: true, video: true });
    a.send({ t: 'ping', id: 1 });
    await a.next((m) => m.t === 'pong' && m.id === 1);
    b.send({ t: 'ping', id: 2 });
    await b.next((m) => m.t === 'pong' && m.id === 2);
    a.send({ t: 'ping', id: 3 });
    await a.next((m) => m.t === 'pong' && m.id === 3);
    expect(tt(a, 'onRtcChatMembersChanged')).toHaveLength(1);
    expect(tt(a, 'onRtcVideoMembersChanged').map((m) => (m as { data: unknown }).data)).toEqual([
      { userIdList: ['alice'] },
    ]);
    expect(a.msgs.filter((m) => m.t === 'stream')).toEqual([]);
    // visible (on stage): a member now; it publishes what it sends from then on
    b.send({ t: 'update', visible: true });
    await a.next(lists('onRtcChatMembersChanged', ['alice', 'bob']));
    b.send({ t: 'update', audio: true, video: true });
    await a.next(lists('onRtcVideoMembersChanged', ['alice', 'bob']));
    // invisible again: it leaves the lists and its streams stop
    b.send({ t: 'update', visible: false });
    await a.next(
      (m) => lists('onRtcChatMembersChanged', ['alice'])(m) && tt(a, 'onRtcChatMembersChanged').length === 3,
    );
    await a.next(
      (m) =>
        lists('onRtcVideoMembersChanged', ['alice'])(m) && tt(a, 'onRtcVideoMembersChanged').length === 3,
    );
    expect(a.msgs.filter((m) => m.t === 'stream').at(-1)).toEqual({
      t: 'stream',
      userId: 'bob',
      audio: false,
      video: false,
      screen: false,
    });
    // leaving while invisible tells no one
    const before = a.msgs.length;
    b.ws.close();
    await b.closed;
    a.send({ t: 'ping', id: 5 });
    await a.next((m) => m.t === 'pong' && m.id === 5);
    expect(a.msgs.slice(before).filter((m) => m.t === 'tt')).toEqual([]);
  });

  test('fan-out stats are recorded', async () => {
    const a = await join('alice');
    await a.next(ev(1018));
    const b = await join('bob');
    await a.next(ev(1034));
    await b.next(ev(1034));
    const s = emu.stats();
    expect(s.fanouts).toBeGreaterThan(0);
    expect(s.recipients).toBeGreaterThanOrEqual(s.fanouts);
  });
});
