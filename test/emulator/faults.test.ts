/** @jest-environment node */
/**
 * Fault injection through the control API (HTTP on the emulator's own port, the typed client): each fault's
 * native events exactly as the clients report them, validation of the requests, trace replay.
 */
import { WebSocket } from 'ws';
import { connect, postStatus, type Client } from './client';
import {
  CHAT,
  checkFault,
  CLOSE,
  controlClient,
  createEmulator,
  shippedTraces,
  type ControlClient,
  type Emulator,
  type ServerMessage,
} from '../../emulator';

const ev =
  (code: number, has = '') =>
  (m: ServerMessage): m is Extract<ServerMessage, { t: 'event' }> =>
    m.t === 'event' && m.code === code && m.message.includes(has);

describe('fault injection', () => {
  let emu: Emulator;
  let control: ControlClient;
  const clients: Client[] = [];
  const join = async (userID: string, roomID = 1): Promise<Client> => {
    const c = await connect(emu.url);
    clients.push(c);
    c.send({ t: 'join', model: 'trtc', sdkAppID: 1, roomID, userID, userSig: 'x', audio: true, video: true });
    await c.next(ev(1018));
    return c;
  };
  const joinVolc = async (userId: string): Promise<Client> => {
    const c = await connect(emu.url);
    clients.push(c);
    c.send({
      t: 'join',
      model: 'volc',
      appID: 'app',
      roomId: 'r1',
      userId,
      token: 't',
      audio: true,
      video: true,
    });
    await c.next((m) => m.t === 'joined');
    return c;
  };

  beforeEach(async () => {
    emu = createEmulator({
      heartbeatMs: 60000,
      verifyUserSig: () => ({ ok: true }),
      verifyVolcToken: () => ({ ok: true }),
    });
    await emu.listen(0, '127.0.0.1');
    control = controlClient(`http://127.0.0.1:${emu.port}/`);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.ws.terminate();
    await emu.close();
  });

  test('the control API refuses what is not a fault, with a reason', async () => {
    await expect(control.inject({ kind: 'nope' } as never)).rejects.toThrow(/kind must be one of/);
    await expect(control.inject({ kind: 'drop' } as never)).rejects.toThrow(/needs a user or a room/);
    await expect(control.inject({ kind: 'weak', user: 'a', quality: 9 })).rejects.toThrow(/quality/);
    expect(checkFault(JSON.parse('{"kind":"drop","user":"a","__proto__":{"x":1}}'))).toEqual({
      ok: false,
      error: 'prototype keys are not allowed',
    });
    const r = await fetch(`http://127.0.0.1:${emu.port}/_emulator/faults`, { method: 'POST', body: '{' });
    expect(r.status).toBe(400);
    expect((await control.health()).sockets).toBe(0);
  });

  test('drop: the socket ends without a goodbye (4007); an outage refuses re-entry until it is over', async () => {
    const a = await join('a');
    const b = await join('b');
    expect(await control.inject({ kind: 'drop', user: 'b', outageMs: 300 })).toEqual(['b']);
    expect(await b.closed).toBe(4007);
    await a.next(ev(1032, '"b"'));
    const retry = await connect(emu.url);
    clients.push(retry);
    retry.send({ t: 'join', model: 'trtc', sdkAppID: 1, roomID: 1, userID: 'b', userSig: 'x' });
    expect(await retry.closed).toBe(4007);
    await new Promise((r) => setTimeout(r, 350));
    await join('b');
    await a.next(ev(1031, '"b"'));
  });

  test('network change 1021, suspension 5000 with re-entry on show, kick reason, dismiss by room ID', async () => {
    const a = await join('a');
    const b = await join('b');
    await expect(
      control.inject({ kind: 'network_change', user: 'b', networkType: 'lte' } as never),
    ).rejects.toThrow(/networkType must be one of wifi, 2g, 3g, 4g, 5g/);
    await control.inject({ kind: 'network_change', user: 'b' });
    await b.next(ev(1021));
    // the page hears of the new network (onNetworkStatusChange) before the pusher's 1021
    const order = b.msgs.flatMap((m): string[] =>
      m.t === 'fault' ? ['fault:' + m.fault.kind] : m.t === 'event' ? [String(m.code)] : [],
    );
    expect(order.slice(-2)).toEqual(['fault:network_type', '1021']);
    expect(b.msgs.find((m) => m.t === 'fault')).toEqual({
      t: 'fault',
      fault: { kind: 'network_type', networkType: '4g' },
    });
    await control.inject({ kind: 'suspend', user: 'b' });
    await b.next(ev(5000));
    await a.next(ev(1032, '"b"'));
    expect(emu.rooms()[0].members.map((m) => m.userID)).toEqual(['a']);
    await control.inject({ kind: 'show', user: 'b' });
    await b.next((m) => m.t === 'fault' && m.fault.kind === 'show');
    await b.next((m) => ev(1018)(m) && b.msgs.filter(ev(1018)).length === 2);
    await a.next((m) => ev(1031, '"b"')(m) && a.msgs.filter(ev(1031, '"b"')).length === 2);
    await control.inject({ kind: 'kick', user: 'b', reason: 3 });
    expect((await b.next(ev(1019, 'reason[3]'))).message).toBe('onExitRoom reason[3]');
    expect(await b.closed).toBe(4001);
    expect(await control.inject({ kind: 'dismiss', room: '1' })).toEqual(['a']);
    expect((await a.next(ev(1019))).message).toBe('onExitRoom reason[2]');
  });

  test('5000 / 5001: the client leaves the room itself with its own 1019 reason[0] (none on iOS); only after 5000 does it come back on show', async () => {
    const a = await join('a');
    const b = await join('b');
    const pong = async (c: Client, id: number) => {
      c.send({ t: 'ping', id });
      await c.next((m) => m.t === 'pong' && m.id === id);
    };
    const codes = (c: Client) => c.msgs.flatMap((m) => (m.t === 'event' ? [m.code] : []));
    await control.inject({ kind: 'suspend', user: 'b' });
    expect((await b.next(ev(1019))).message).toBe('onExitRoom reason[0]');
    expect(codes(b).slice(-2)).toEqual([5000, 1019]);
    await a.next(ev(1032, '"b"'));
    await control.inject({ kind: 'show', user: 'b' });
    await b.next((m) => ev(1018)(m) && b.msgs.filter(ev(1018)).length === 2);
    await a.next((m) => ev(1031, '"b"')(m) && a.msgs.filter(ev(1031, '"b"')).length === 2);

    await control.inject({ kind: 'suspend', user: 'b', code: 5001 });
    await b.next((m) => ev(1019)(m) && b.msgs.filter(ev(1019)).length === 2);
    expect(codes(b).slice(-2)).toEqual([5001, 1019]);
    await a.next((m) => ev(1032, '"b"')(m) && a.msgs.filter(ev(1032, '"b"')).length === 2);
    expect(emu.rooms()[0].members.map((m) => m.userID)).toEqual(['a']);
    // the page comes back; the client does not enter by itself, and what it sends reaches nobody
    const seen = a.msgs.length;
    await control.inject({ kind: 'show', user: 'b' });
    await b.next(
      (m) => m.t === 'fault' && m.fault.kind === 'show' && b.msgs.filter((x) => x.t === 'fault').length === 2,
    );
    b.send({ t: 'update', video: false });
    b.send({ t: 'sei', payload: 'after 5001' });
    await pong(b, 1);
    await pong(a, 2);
    expect(b.msgs.filter(ev(1018))).toHaveLength(2);
    expect(a.msgs.slice(seen).filter((m) => m.t !== 'pong')).toEqual([]);
    // the component's stop(): the client already left, no second 1019; then it enters anew
    b.send({ t: 'leave' });
    expect(await b.closed).toBe(4000);
    expect(b.msgs.filter(ev(1019))).toHaveLength(2);
    const b2 = await join('b');
    await a.next((m) => ev(1031, '"b"')(m) && a.msgs.filter(ev(1031, '"b"')).length === 3);

    // iOS sends no 1019 (and 5001 is Android's): 5000 alone
    await control.inject({ kind: 'ios', user: 'b' });
    await control.inject({ kind: 'suspend', user: 'b' });
    await b2.next(ev(5000));
    await a.next((m) => ev(1032, '"b"')(m) && a.msgs.filter(ev(1032, '"b"')).length === 3);
    await pong(b2, 3);
    expect(b2.msgs.some(ev(1019))).toBe(false);
  });

  test('a suspended member (5000, out of the room) reaches nobody: no SEI, no signals, until it is back', async () => {
    const a = await join('a');
    const b = await join('b');
    await control.inject({ kind: 'suspend', user: 'b' });
    await b.next(ev(5000));
    await a.next(ev(1032, '"b"'));
    b.send({ t: 'sei', payload: 'from the background' });
    b.send({ t: 'signal', to: 'a', data: { kind: 'ice', sid: 's', dir: 'toSub', candidate: null } });
    b.send({ t: 'ping', id: 1 });
    await b.next((m) => m.t === 'pong');
    a.send({ t: 'ping', id: 2 });
    await a.next((m) => m.t === 'pong');
    expect(a.msgs.filter((m) => m.t === 'sei' || m.t === 'signal')).toEqual([]);
    await control.inject({ kind: 'show', user: 'b' });
    await a.next((m) => ev(1031, '"b"')(m) && a.msgs.filter(ev(1031, '"b"')).length === 2);
    b.send({ t: 'sei', payload: 'back' });
    expect(await a.next((m) => m.t === 'sei')).toEqual({ t: 'sei', from: 'b', payload: 'back' });
  });

  test('switches: duplicate events, video before enter, 1020 noise, iOS without 1019', async () => {
    const a = await join('a');
    await control.inject({ kind: 'duplicate', user: 'a' });
    await control.inject({ kind: 'video_first', user: 'a' });
    await control.inject({ kind: 'noise_1020', user: 'a', everyMs: 50 });
    const b = await join('b');
    await a.next((m) => a.msgs.filter(ev(1034, '"b"')).length === 2 && m.t === 'event');
    const order = a.msgs
      .filter((m) => m.t === 'event' && m.message.includes('"b"'))
      .map((m) => (m as { code: number }).code);
    expect(order.slice(0, 6)).toEqual([1033, 1033, 1034, 1034, 1031, 1031]);
    await a.next(ev(1020, '"b"'));
    await control.inject({ kind: 'ios', user: 'b' });
    b.send({ t: 'leave' });
    expect(await b.closed).toBe(4000);
    expect(b.msgs.some(ev(1019))).toBe(false);
    await control.inject({ kind: 'clear' });
    const n = a.msgs.filter(ev(1020)).length;
    await new Promise((r) => setTimeout(r, 200));
    expect(a.msgs.filter(ev(1020)).length).toBeLessThanOrEqual(n + 1);
  });

  test('a Douyin updateToken during a replayed trace leaves the rest of the trace running (the shipped token trace)', async () => {
    const v = await joinVolc('v');
    await control.replay('v', 'tt-token-and-interruption');
    // what the component does on onRoomTokenWillExpire: a new token, at once
    await v.next((m) => m.t === 'tt' && m.name === 'onRoomTokenWillExpire');
    v.send({ t: 'token', token: 't2' });
    await v.next((m) => m.t === 'token' && m.ok);
    // the trace's passive disconnect 500 ms later still comes
    expect(await v.next((m) => m.t === 'tt' && m.name === 'onRtcChatInterrupted', 2000)).toMatchObject({
      data: { errNo: -1, errMsg: 'network disconnected' },
    });
  });

  test('a fault\'s room is a whole room ID: room 1 is not the string room "a:1"', async () => {
    const inStrRoom = await connect(emu.url);
    clients.push(inStrRoom);
    inStrRoom.send({ t: 'join', model: 'trtc', sdkAppID: 1, strRoomID: 'a:1', userID: 's', userSig: 'x' });
    await inStrRoom.next(ev(1018));
    const inRoom1 = await join('n', 1);
    expect(await control.inject({ kind: 'kick', room: '1', reason: 3 })).toEqual(['n']);
    expect((await inRoom1.next(ev(1019))).message).toBe('onExitRoom reason[3]');
    expect(await control.inject({ kind: 'kick', room: 'a:1', reason: 3 })).toEqual(['s']);
  });

  test('credential_expired, TRTC: nothing in the room; the next entry or re-entry with that UserSig gets -100018, then 1022', async () => {
    const a = await join('a');
    const b = await join('b');
    const pong = async (c: Client, id: number) => {
      c.send({ t: 'ping', id });
      await c.next((m) => m.t === 'pong' && m.id === id);
    };
    await a.next(ev(1034, '"b"'));
    const seen = a.msgs.length;
    expect(await control.inject({ kind: 'credential_expired', user: 'a' })).toEqual(['a']);
    await pong(a, 1);
    // the cloud checks a UserSig on entering only: no event, still in the room, still heard
    expect(a.msgs.slice(seen).filter((m) => m.t !== 'pong')).toEqual([]);
    expect(emu.rooms()[0].members.map((m) => m.userID)).toEqual(['a', 'b']);
    // 5000 and back: the client's own re-entry is checked, and refused
    await control.inject({ kind: 'suspend', user: 'a' });
    await a.next(ev(5000));
    await control.inject({ kind: 'show', user: 'a' });
    expect((await a.next(ev(-100018))).message).toBe('userSig check failed: expired');
    expect((await a.next(ev(1022))).message).toBe('onEnterRoom failed, error code[-100018]');
    expect(await a.closed).toBe(4002);
    // the component's re-entry (a new connection) with the same UserSig: refused the same way
    const again = await connect(emu.url);
    clients.push(again);
    again.send({ t: 'join', model: 'trtc', sdkAppID: 1, roomID: 1, userID: 'a', userSig: 'x' });
    expect(await again.next((m) => m.t === 'join_failed')).toMatchObject({ code: -100018 });
    expect((await again.next(ev(1022))).message).toBe('onEnterRoom failed, error code[-100018]');
    // a new UserSig (updateUserSig) enters; another user's UserSig was never touched
    const renewed = await connect(emu.url);
    clients.push(renewed);
    renewed.send({ t: 'join', model: 'trtc', sdkAppID: 1, roomID: 1, userID: 'a', userSig: 'x2' });
    await renewed.next(ev(1018));
    await pong(b, 2);
    expect(b.msgs.some(ev(-100018))).toBe(false);
  });

  test('credential_expired, TRTC: the chat login with that same UserSig is kicked then (userSigExpired) and may not log in with it again; other chat logins stay', async () => {
    const chatLogin = async (userID: string, userSig: string): Promise<[Client, number]> => {
      const c = await connect(emu.url);
      clients.push(c);
      return [c, (await c.req('login', { sdkAppID: 1, userID, userSig })).code];
    };
    const enter = async (userID: string, userSig: string): Promise<Client> => {
      const c = await connect(emu.url);
      clients.push(c);
      c.send({ t: 'join', model: 'trtc', sdkAppID: 1, roomID: 1, userID, userSig, audio: true, video: true });
      await c.next(ev(1018));
      return c;
    };
    await enter('a', 'x');
    await enter('b', 'x');
    await enter('d', 'x');
    const [chatA] = await chatLogin('a', 'x'); // the same UserSig as a's entry
    const [chatB] = await chatLogin('b', 'x'); // another user's UserSig (the same text)
    const [chatD] = await chatLogin('d', 'y'); // d's chat logged in with another UserSig
    expect(await control.inject({ kind: 'credential_expired', user: 'a' })).toEqual(['a']);
    await chatA.next((m) => m.t === 'im_kicked' && m.type === 'userSigExpired');
    expect(await chatA.closed).toBe(CLOSE.KICKED);
    // the UserSig is expired for chat too: a login with it is refused (70001), a new one logs in
    expect((await chatLogin('a', 'x'))[1]).toBe(CHAT.SIG_EXPIRED);
    expect((await chatLogin('a', 'x2'))[1]).toBe(0);
    expect(await control.inject({ kind: 'credential_expired', user: 'd' })).toEqual(['d']);
    for (const [c, id] of [
      [chatB, 1],
      [chatD, 2],
    ] as const) {
      c.send({ t: 'ping', id });
      await c.next((m) => m.t === 'pong' && m.id === id);
      expect(c.msgs.some((m) => m.t === 'im_kicked')).toBe(false);
    }
    expect(
      emu
        .chat()
        .users.map((u) => u.userID)
        .sort(),
    ).toEqual(['a', 'b', 'd']);
  });

  test("chat_credential_expired: the chat login's UserSig expires (Douyin's imConfig.userSig): kicked (userSigExpired), refused with it (70001); a Douyin member stays in its room, a TRTC entry with it is refused", async () => {
    const chatLogin = async (userID: string, userSig: string): Promise<[Client, number]> => {
      const c = await connect(emu.url);
      clients.push(c);
      return [c, (await c.req('login', { sdkAppID: 1, userID, userSig })).code];
    };
    // Douyin: the room takes a Volcengine token, chat its own TRTC UserSig
    const v = await joinVolc('v');
    const [chatV] = await chatLogin('v', 'chat-sig');
    const [chatW] = await chatLogin('w', 'chat-sig'); // another user's login, the same text
    expect(await control.inject({ kind: 'chat_credential_expired', user: 'v' })).toEqual(['v']);
    await chatV.next((m) => m.t === 'im_kicked' && m.type === 'userSigExpired');
    expect(await chatV.closed).toBe(CLOSE.KICKED);
    expect((await chatLogin('v', 'chat-sig'))[1]).toBe(CHAT.SIG_EXPIRED);
    expect((await chatLogin('v', 'chat-sig-2'))[1]).toBe(0);
    // the token is no UserSig: the room goes on; the other user's chat too
    for (const [c, id] of [
      [v, 1],
      [chatW, 2],
    ] as const) {
      c.send({ t: 'ping', id });
      await c.next((m) => m.t === 'pong' && m.id === id);
      expect(
        c.msgs.some((m) => m.t === 'im_kicked' || (m.t === 'tt' && m.name === 'onRtcChatInterrupted')),
      ).toBe(false);
    }
    expect(emu.rooms()[0].members.map((m) => m.userID)).toEqual(['v']);
    // WeChat: chat's UserSig is the room's, so the room's re-entries with it are refused now too: the client's own
    // after 5000 (suspended when the fault came: out of the room), and a new entry
    const a = await join('a'); // UserSig 'x'
    await control.inject({ kind: 'suspend', user: 'a' });
    await a.next(ev(5000));
    const [chatA] = await chatLogin('a', 'x');
    expect(await control.inject({ kind: 'chat_credential_expired', user: 'a' })).toEqual(['a']);
    await chatA.next((m) => m.t === 'im_kicked' && m.type === 'userSigExpired');
    await control.inject({ kind: 'show', user: 'a' });
    expect((await a.next(ev(-100018))).message).toBe('userSig check failed: expired');
    const refused = await connect(emu.url);
    clients.push(refused);
    refused.send({ t: 'join', model: 'trtc', sdkAppID: 1, roomID: 1, userID: 'a', userSig: 'x' });
    await refused.next(ev(-100018));
    // nobody logged in to chat: nobody hit; a user is needed
    expect(await control.inject({ kind: 'chat_credential_expired', user: 'nobody' })).toEqual([]);
    expect(checkFault({ kind: 'chat_credential_expired', room: 'r1' })).toEqual({
      ok: false,
      error: 'chat_credential_expired needs a user',
    });
  });

  test('hostile_bad_sig: a -100018 to a TRTC member in the room (no cloud sends it); Douyin members get nothing', async () => {
    const a = await join('a');
    await control.inject({ kind: 'hostile_bad_sig', user: 'a' });
    expect((await a.next(ev(-100018))).message).toBe('userSig expired');
    expect(emu.rooms()[0].members.map((m) => m.userID)).toEqual(['a']);
    const v = await joinVolc('v');
    const seen = v.msgs.length;
    await control.inject({ kind: 'hostile_bad_sig', user: 'v' });
    v.send({ t: 'ping', id: 9 });
    await v.next((m) => m.t === 'pong' && m.id === 9);
    expect(v.msgs.slice(seen).filter((m) => m.t !== 'pong')).toEqual([]);
  });

  test('credential expiry and Douyin token events', async () => {
    const v = await joinVolc('v');
    await control.inject({ kind: 'token_will_expire', user: 'v' });
    await v.next((m) => m.t === 'tt' && m.name === 'onRoomTokenWillExpire');
    await control.inject({ kind: 'credential_expired', user: 'v' });
    expect(await v.next((m) => m.t === 'tt' && m.name === 'onRtcChatInterrupted')).toMatchObject({
      data: { errNo: -1009 },
    });
  });

  test('a Douyin token update (updateToken) re-arms the expiry only: a trace under way still replays', async () => {
    const v = await joinVolc('v');
    await control.replay('v', 'tt-token-and-interruption');
    await v.next((m) => m.t === 'tt' && m.name === 'onRoomTokenWillExpire');
    // the page answers token_will_expire with a new token, as it should
    v.send({ t: 'token', token: 't2' });
    await v.next((m) => m.t === 'token');
    expect(await v.next((m) => m.t === 'tt' && m.name === 'onRtcChatInterrupted', 4000)).toMatchObject({
      data: { errNo: -1 },
    });
  });

  test('browser-side faults reach the stand-ins and are repeated to a re-entered session', async () => {
    const a = await join('a');
    await control.inject({ kind: 'weak', user: 'a', quality: 5, videoBitrate: 80, target: 'b' });
    expect(await a.next((m) => m.t === 'fault')).toEqual({
      t: 'fault',
      fault: { kind: 'weak', quality: 5, videoBitrate: 80, target: 'b' },
    });
    a.ws.close();
    await a.closed;
    const again = await join('a');
    await again.next((m) => m.t === 'fault' && m.fault.kind === 'weak');
  });

  test('device_fail: a WeChat switch for the stand-ins (-1301 / -1302 there), repeated on re-entry, off with on:false', async () => {
    await expect(control.inject({ kind: 'device_fail', user: 'a', device: 'gpu' } as never)).rejects.toThrow(
      /device must be camera or mic/,
    );
    const a = await join('a');
    const t = await joinVolc('t');
    expect(await control.inject({ kind: 'device_fail', user: 'a', device: 'camera' })).toEqual(['a']);
    expect(await a.next((m) => m.t === 'fault')).toEqual({
      t: 'fault',
      fault: { kind: 'device_fail', device: 'camera', on: true },
    });
    await control.inject({ kind: 'device_fail', user: 'a', device: 'mic' });
    a.ws.close();
    await a.closed;
    const again = await join('a');
    await again.next(() => again.msgs.filter((x) => x.t === 'fault').length === 2);
    expect(again.msgs.flatMap((m) => (m.t === 'fault' ? [m.fault] : []))).toEqual([
      { kind: 'device_fail', device: 'camera', on: true },
      { kind: 'device_fail', device: 'mic', on: true },
    ]);
    await control.inject({ kind: 'device_fail', user: 'a', device: 'camera', on: false });
    await again.next((m) => m.t === 'fault' && m.fault.kind === 'device_fail' && !m.fault.on);
    again.ws.close();
    await again.closed;
    const third = await join('a');
    await third.next((m) => m.t === 'fault');
    third.send({ t: 'ping', id: 1 });
    await third.next((m) => m.t === 'pong');
    expect(third.msgs.flatMap((m) => (m.t === 'fault' ? [m.fault] : []))).toEqual([
      { kind: 'device_fail', device: 'mic', on: true },
    ]);
    // Douyin documents no such code: its stand-ins get nothing
    await control.inject({ kind: 'device_fail', user: 't', device: 'camera' });
    t.send({ t: 'ping', id: 2 });
    await t.next((m) => m.t === 'pong');
    expect(t.msgs.some((m) => m.t === 'fault')).toBe(false);
  });

  test('permission_revoked: to the page on both builds, once (the page keeps the scope off, not the emulator)', async () => {
    await expect(control.inject({ kind: 'permission_revoked', user: 'a' } as never)).rejects.toThrow(
      /scope must be camera or mic/,
    );
    const a = await join('a');
    const t = await joinVolc('t');
    await control.inject({ kind: 'permission_revoked', user: 'a', scope: 'camera' });
    await control.inject({ kind: 'permission_revoked', user: 't', scope: 'mic' });
    expect(await a.next((m) => m.t === 'fault')).toEqual({
      t: 'fault',
      fault: { kind: 'permission_revoked', scope: 'camera' },
    });
    expect(await t.next((m) => m.t === 'fault')).toEqual({
      t: 'fault',
      fault: { kind: 'permission_revoked', scope: 'mic' },
    });
    a.ws.close();
    await a.closed;
    const again = await join('a');
    again.send({ t: 'ping', id: 1 });
    await again.next((m) => m.t === 'pong');
    expect(again.msgs.some((m) => m.t === 'fault')).toBe(false);
  });

  test('engine_destroyed: a Douyin member is gone without an event (4000), its peers see it leave; WeChat has no engine', async () => {
    const t = await joinVolc('t');
    const u = await joinVolc('u');
    const a = await join('a');
    await t.next(
      (m) =>
        m.t === 'tt' && m.name === 'onRtcChatMembersChanged' && (m.data.userIdList as string[]).includes('u'),
    );
    expect(await control.inject({ kind: 'engine_destroyed', user: 'u' })).toEqual(['u']);
    expect(await u.next((m) => m.t === 'fault')).toEqual({ t: 'fault', fault: { kind: 'engine_destroyed' } });
    expect(await u.closed).toBe(4000);
    expect(u.msgs.filter((m) => m.t === 'tt' && m.name === 'onRtcChatInterrupted')).toEqual([]);
    await t.next(
      (m) =>
        m.t === 'tt' &&
        m.name === 'onRtcChatMembersChanged' &&
        !(m.data.userIdList as string[]).includes('u'),
    );
    expect(
      emu
        .rooms()
        .find((r) => r.key.startsWith('volc'))
        ?.members.map((m) => m.userID),
    ).toEqual(['t']);
    await control.inject({ kind: 'engine_destroyed', user: 'a' });
    a.send({ t: 'ping', id: 1 });
    await a.next((m) => m.t === 'pong');
    expect(a.msgs.some((m) => m.t === 'fault')).toBe(false);
    expect(
      emu
        .rooms()
        .find((r) => r.key.startsWith('trtc'))
        ?.members.map((m) => m.userID),
    ).toEqual(['a']);
  });

  test('kick on Douyin: the server removes the user (-1006 kicked out), whatever the reason; no duplicate login', async () => {
    const t = await joinVolc('t');
    const u = await joinVolc('u');
    const interrupted = (c: Client) =>
      c.next((m) => m.t === 'tt' && m.name === 'onRtcChatInterrupted') as Promise<
        Extract<ServerMessage, { t: 'tt' }>
      >;
    await control.inject({ kind: 'kick', user: 't' }); // the panel's "Kick (reason 1)"
    expect((await interrupted(t)).data).toEqual({ errNo: -1006, errMsg: 'kicked out by the server' });
    expect(await t.closed).toBe(4001);
    await control.inject({ kind: 'kick', user: 'u', reason: 3 });
    expect((await interrupted(u)).data.errNo).toBe(-1006);
  });

  test('5001 is Android only: an iOS client (the ios switch) has no floating window, gets nothing and is not reported reached', async () => {
    const a = await join('a');
    const b = await join('b');
    await control.inject({ kind: 'ios', user: 'b' });
    expect(await control.inject({ kind: 'suspend', room: '1', code: 5001 })).toEqual(['a']);
    await a.next(ev(5001));
    b.send({ t: 'ping', id: 1 });
    await b.next((m) => m.t === 'pong');
    expect(b.msgs.some(ev(5001))).toBe(false);
    expect(emu.rooms()[0].members.map((m) => m.userID)).toEqual(['b']);
    // 5000 reaches iOS as it does Android
    expect(await control.inject({ kind: 'suspend', user: 'b', code: 5000 })).toEqual(['b']);
    await b.next(ev(5000));
  });

  test("black: once to the user's WeChat client only (not repeated); a switch is repeated on re-entry", async () => {
    expect(checkFault({ kind: 'black', user: 'a', target: 'a b\u0000' })).toEqual({
      ok: false,
      error: 'target must be a user ID',
    });
    const a = await join('a');
    const t = await joinVolc('t');
    const faults = (c: Client) => c.msgs.flatMap((m) => (m.t === 'fault' ? [m.fault] : []));
    expect(await control.inject({ kind: 'black', user: 'a', target: '__proto__' })).toEqual(['a']);
    expect(await a.next((m) => m.t === 'fault')).toEqual({
      t: 'fault',
      fault: { kind: 'black', target: '__proto__', once: true, on: true },
    });
    await control.inject({ kind: 'black', user: 't' });
    a.ws.close();
    await a.closed;
    // a once is the phone's next player only: a re-entered session is not told again
    const again = await join('a');
    again.send({ t: 'ping', id: 1 });
    await again.next((m) => m.t === 'pong');
    expect(faults(again)).toEqual([]);
    await control.inject({ kind: 'black', user: 'a', once: false });
    await again.next((m) => m.t === 'fault');
    again.ws.close();
    await again.closed;
    const third = await join('a');
    await third.next((m) => m.t === 'fault');
    expect(faults(third)).toEqual([{ kind: 'black', once: false, on: true }]);
    // Douyin: no live-player, nothing to its stand-ins
    t.send({ t: 'ping', id: 2 });
    await t.next((m) => m.t === 'pong');
    expect(faults(t)).toEqual([]);
  });

  test('android: a WeChat switch for the page (repeated on re-entry); iOS and Android exclude each other', async () => {
    const a = await join('a');
    const t = await joinVolc('t');
    const faults = (c: Client) => c.msgs.flatMap((m) => (m.t === 'fault' ? [m.fault] : []));
    await control.inject({ kind: 'ios', user: 'a' });
    await control.inject({ kind: 'android', user: 'a' });
    await control.inject({ kind: 'android', user: 't' });
    expect(await a.next((m) => m.t === 'fault')).toEqual({
      t: 'fault',
      fault: { kind: 'android', on: true },
    });
    // the ios switch went off with it: a's leave sends its 1019 again
    a.ws.close();
    await a.closed;
    const again = await join('a');
    await again.next((m) => m.t === 'fault');
    expect(faults(again)).toEqual([{ kind: 'android', on: true }]);
    await control.inject({ kind: 'ios', user: 'a' });
    await again.next((m) => m.t === 'fault' && m.fault.kind === 'android' && !m.fault.on);
    again.send({ t: 'leave' });
    expect(await again.closed).toBe(4000);
    expect(again.msgs.some(ev(1019))).toBe(false);
    // Douyin's adapter has no Android special case: nothing to its stand-ins
    t.send({ t: 'ping', id: 1 });
    await t.next((m) => m.t === 'pong');
    expect(faults(t)).toEqual([]);
  });

  test('view_error: a Douyin switch (default 21301), repeated on re-entry; WeChat has no such views', async () => {
    await expect(control.inject({ kind: 'view_error', user: 't', code: 123 } as never)).rejects.toThrow(
      /code must be 10101, 21200 or 21301/,
    );
    const t = await joinVolc('t');
    const a = await join('a');
    await control.inject({ kind: 'view_error', user: 't' });
    await control.inject({ kind: 'view_error', user: 'a' });
    expect(await t.next((m) => m.t === 'fault')).toEqual({
      t: 'fault',
      fault: { kind: 'view_error', code: 21301, on: true },
    });
    t.ws.close();
    await t.closed;
    const again = await joinVolc('t');
    expect(await again.next((m) => m.t === 'fault')).toEqual({
      t: 'fault',
      fault: { kind: 'view_error', code: 21301, on: true },
    });
    a.send({ t: 'ping', id: 1 });
    await a.next((m) => m.t === 'pong');
    expect(a.msgs.some((m) => m.t === 'fault')).toBe(false);
  });

  test('privacy: a Douyin switch (default refused, 10201 in the stand-ins); WeChat gets nothing', async () => {
    await expect(control.inject({ kind: 'privacy', user: 't', reason: 'maybe' } as never)).rejects.toThrow(
      /reason must be refused or undeclared/,
    );
    const t = await joinVolc('t');
    const a = await join('a');
    await control.inject({ kind: 'privacy', room: 'r1' });
    await control.inject({ kind: 'privacy', user: 'a', reason: 'undeclared' });
    expect(await t.next((m) => m.t === 'fault')).toEqual({
      t: 'fault',
      fault: { kind: 'privacy', reason: 'refused', on: true },
    });
    a.send({ t: 'ping', id: 1 });
    await a.next((m) => m.t === 'pong');
    expect(a.msgs.some((m) => m.t === 'fault')).toBe(false);
  });

  test('the control API over WebSocket: one fault per frame, one answer each', async () => {
    const a = await join('a');
    const ws = new WebSocket(`ws://127.0.0.1:${emu.port}/_emulator/ws`);
    await new Promise((r) => ws.once('open', r));
    const answers: unknown[] = [];
    const next = () => new Promise((r) => ws.once('message', (d) => r(JSON.parse(d.toString()))));
    ws.send('not json');
    answers.push(await next());
    ws.send(JSON.stringify({ kind: 'replay', user: 'a', trace: 'wx-ios-push-disconnect' }));
    answers.push(await next());
    ws.send(JSON.stringify({ kind: 'kick', user: 'a', reason: 2 }));
    answers.push(await next());
    expect(answers).toEqual([
      { ok: false, error: 'a fault is a JSON object' },
      { ok: true, users: ['a'] },
      { ok: true, users: ['a'] },
    ]);
    expect((await a.next(ev(1019))).message).toBe('onExitRoom reason[2]');
    ws.terminate();
  });

  test('other web sites open in the browser get nothing: cross-site posts and WebSockets, rebound names', async () => {
    const a = await join('a');
    const post = (headers: Record<string, string>) =>
      postStatus(emu.port, '/_emulator/faults', JSON.stringify({ kind: 'kick', user: 'a', reason: 1 }), {
        'content-type': 'text/plain',
        ...headers,
      });
    const self = `127.0.0.1:${emu.port}`;
    // a form post or no-cors fetch from another site, a sandboxed frame, a DNS-rebound name (same origin as itself)
    expect(await post({ origin: 'https://evil.example' })).toBe(403);
    expect(await post({ origin: 'null' })).toBe(403);
    expect(
      await post({ host: `rebound.example:${emu.port}`, origin: `http://rebound.example:${emu.port}` }),
    ).toBe(403);
    const ws = new WebSocket(`ws://${self}/_emulator/ws`, { origin: 'https://evil.example' });
    const refused = await new Promise<boolean>((r) => {
      ws.once('open', () => r(false));
      ws.once('error', () => r(true));
    });
    expect(refused).toBe(true);
    ws.terminate();
    a.send({ t: 'ping', id: 7 });
    await a.next((m) => m.t === 'pong');
    expect(a.msgs.some(ev(1019))).toBe(false);
    expect(emu.rooms()[0].members.map((m) => m.userID)).toEqual(['a']);
    // the preview's own page (same origin) and tools without an Origin still work
    expect(await post({ origin: `http://${self}` })).toBe(200);
    expect((await a.next(ev(1019))).message).toBe('onExitRoom reason[1]');
  });

  test('trace replay: the shipped traces are valid and replay with their timing', async () => {
    const names = (await control.traces()).map((t) => t.name).sort();
    expect(names).toEqual([
      'tt-token-and-interruption',
      'wx-duplicates-and-1020',
      'wx-ios-push-disconnect',
      'wx-video-before-enter',
    ]);
    const a = await join('a');
    const t0 = Date.now();
    await control.replay('a', 'wx-video-before-enter');
    await a.next(ev(1032, 'trace-peer'), 4000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1400);
    const codes = a.msgs
      .filter((m) => m.t === 'event' && m.message.includes('trace-peer'))
      .map((m) => (m as { code: number }).code);
    expect(codes).toEqual(
      shippedTraces()
        .get('wx-video-before-enter')
        ?.events.map((e) => e.code),
    );
    // a trace name is looked up by Map: the names of Object's own members are not shipped traces
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty'])
      await expect(control.replay('a', name)).rejects.toThrow(`no shipped trace "${name}"`);
    await control.replay('a', { events: [{ at: 0, code: 1031, message: { userlist: [{ userid: 'x' }] } }] });
    await a.next(ev(1031, '"x"'));
  });
});
