/** @jest-environment node */
/**
 * Hostile clients against the room emulator: malformed frames, prototype keys, objects where strings go, floods,
 * sockets that never read or never join, a handler that throws, 100 members. Throughout, a two-party call in
 * the same room keeps working (signalling relayed both ways, pings answered quickly), the emulator stays up
 * and its memory stays bounded.
 */
import { WebSocket } from 'ws';
import { connect, goodSig, rawGet, rawUpgrade, trtcJoin, type Client } from './client';
import { CLOSE, createEmulator, type Emulator, type ServerMessage } from '../../emulator';

jest.setTimeout(30000);

const entered = (m: ServerMessage): boolean => m.t === 'event' && m.code === 1018;

/** Polls a condition of the emulator's state (which has no event for "a socket is gone"). */
async function until(pred: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('room emulator under hostile clients', () => {
  let emu: Emulator;
  const logs: string[] = [];
  const clients: Client[] = [];
  const raw: WebSocket[] = [];
  let alice: Client;
  let bob: Client;

  const join = async (userID: string, roomID = 1, extra: Record<string, unknown> = {}): Promise<Client> => {
    const c = await connect(emu.url);
    clients.push(c);
    c.send(trtcJoin(userID, roomID, extra));
    return c;
  };

  /** alice and bob still talk: a signal each way, and a ping answered. Returns the ping round trip (ms). */
  let seq = 0;
  const callAlive = async (): Promise<number> => {
    const sid = `s${++seq}`;
    alice.send({ t: 'signal', to: 'bob', data: { kind: 'ice', sid, dir: 'toSub', candidate: null } });
    bob.send({ t: 'signal', to: 'alice', data: { kind: 'ice', sid, dir: 'toPub', candidate: null } });
    await bob.next((m) => m.t === 'signal' && (m.data as { sid: string }).sid === sid, 2000);
    await alice.next((m) => m.t === 'signal' && (m.data as { sid: string }).sid === sid, 2000);
    const id = seq;
    const t0 = performance.now();
    alice.send({ t: 'ping', id });
    await alice.next((m) => m.t === 'pong' && m.id === id, 2000);
    return performance.now() - t0;
  };

  beforeAll(async () => {
    emu = createEmulator({
      // slow heartbeats: the send-buffer limit, not a missed pong, must be what drops the non-reader
      heartbeatMs: 2000,
      heartbeatMisses: 5,
      log: (l) => logs.push(l),
      limits: { joinDeadlineMs: 400, sendBufferBytes: 256 * 1024, ratePerSecond: 200, rateBurst: 400 },
      verifyUserSig: ({ userID, userSig }) => {
        if (userID === 'boom') throw new Error('verifier bug');
        return { ok: userSig === goodSig(userID), reason: 'bad sig' };
      },
    });
    await emu.listen(0, '127.0.0.1');
    alice = await join('alice');
    bob = await join('bob');
    await alice.next(entered);
    await bob.next(entered);
    await callAlive();
  });

  afterAll(async () => {
    for (const c of clients) c.ws.terminate();
    for (const w of raw) w.terminate();
    await emu.close();
  });

  test('malformed frames, prototype keys and objects where strings go: an error each, closed past the budget', async () => {
    const frames = [
      'null',
      '[]',
      '"join"',
      '{',
      '{"t":"join","model":"trtc","sdkAppID":1400000001,"roomID":1,"userID":"m","userSig":{"toString":1}}',
      '{"t":"join","model":"volc","appID":"a","roomId":{"length":1},"userId":"m","token":"x"}',
      '{"t":"im","rid":{"valueOf":1},"op":"login","sdkAppID":1,"userID":"m","userSig":"x"}',
      '{"__proto__":{"polluted":1},"t":"ping"}',
      '{"t":"signal","to":"alice","data":{"kind":"ice","sid":"x","dir":"toSub","constructor":{"prototype":{"a":1}}}}',
      '{"t":"update","audio":"yes"}',
      `${'['.repeat(5000)}${']'.repeat(5000)}`,
    ];
    const attackers: Client[] = [];
    for (const f of frames) {
      const c = await connect(emu.url);
      clients.push(c);
      attackers.push(c);
      c.ws.send(f);
      const err = await c.next((m) => m.t === 'error');
      expect(err).toMatchObject({ t: 'error', message: expect.stringMatching(/^bad frame/) });
    }
    // one socket that keeps sending bad frames is closed after the budget (5)
    const persistent = await connect(emu.url);
    clients.push(persistent);
    for (let i = 0; i < 8; i++) persistent.ws.send('{"t":"join","model":"trtc","userID":{}}');
    expect(await persistent.closed).toBe(CLOSE.BAD_MESSAGE);
    expect(persistent.msgs.filter((m) => m.t === 'error').length).toBe(5);
    // a binary frame and an oversized one
    const bin = await connect(emu.url);
    clients.push(bin);
    bin.ws.send(Buffer.from([1, 2, 3]));
    await bin.next((m) => m.t === 'error');
    const big = await connect(emu.url);
    clients.push(big);
    big.ws.send(JSON.stringify({ t: 'ping', pad: 'x'.repeat(100 * 1024) }));
    expect(await big.closed).toBe(1009);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(emu.rooms().map((r) => r.members.map((m) => m.userID))).toEqual([['alice', 'bob']]);
    expect(await callAlive()).toBeLessThan(100);
  });

  test('a handler that throws is caught and logged; that socket gets an error, nobody else notices', async () => {
    const c = await join('boom');
    await c.next((m) => m.t === 'error' && m.message === 'internal error');
    expect(logs.some((l) => l.includes('verifier bug'))).toBe(true);
    expect(emu.health().caught).toBeGreaterThanOrEqual(1);
    expect(await callAlive()).toBeLessThan(100);
  });

  test('a flooding socket is rate-limited and closed; the call keeps its round trip', async () => {
    const flood = await join('flooder', 3);
    await flood.next(entered);
    const rtts: number[] = [];
    const done = flood.closed;
    let closed = false;
    void done.then(() => (closed = true));
    const frame = JSON.stringify({ t: 'ping', id: 1 });
    const pump = (async () => {
      for (let i = 0; i < 200 && !closed; i++) {
        for (let k = 0; k < 500; k++) flood.ws.send(frame);
        await new Promise((r) => setImmediate(r));
      }
    })();
    for (let i = 0; i < 10; i++) rtts.push(await callAlive());
    await pump;
    expect(await done).toBe(CLOSE.RATE_LIMIT);
    rtts.sort((a, b) => a - b);
    expect(rtts[Math.floor(rtts.length / 2)]).toBeLessThan(50);
    expect(emu.health().closed.rate).toBe(1);
  });

  test('a socket that never reads is dropped at its send-buffer limit; memory stays bounded', async () => {
    const rss0 = process.memoryUsage().rss;
    const sink = await join('sink', 4, { audio: false, video: false });
    await sink.next(entered);
    const src = await join('source', 4, { audio: false, video: false });
    await src.next(entered);
    // the sink stops reading; the source sends it large (valid) offers at the allowed rate
    (sink.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const sdp = 'v=0\r\n' + 'a=x\r\n'.repeat(6000);
    let stop = false;
    const sinkGone = until(
      () => !emu.rooms().some((r) => r.members.some((m) => m.userID === 'sink')),
      10000,
    ).then(() => {
      stop = true;
    });
    const pump = (async () => {
      for (let i = 0; i < 2000 && !stop; i++) {
        src.send({
          t: 'signal',
          to: 'sink',
          data: { kind: 'offer', sid: `o${i}`, dir: 'toSub', sdp: { type: 'offer', sdp } },
        });
        if (i % 20 === 0) await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await sinkGone;
    await pump;
    src.ws.close();
    await src.closed;
    expect(emu.health().closed.slow).toBe(1);
    expect(process.memoryUsage().rss - rss0).toBeLessThan(150 * 1024 * 1024);
    expect(await callAlive()).toBeLessThan(100);
  });

  test('sockets that never join are closed at the join deadline', async () => {
    const idle = await Promise.all(Array.from({ length: 50 }, () => connect(emu.url)));
    clients.push(...idle);
    const codes = await Promise.all(idle.map((c) => c.closed));
    expect(new Set(codes)).toEqual(new Set([CLOSE.JOIN_DEADLINE]));
    expect(emu.health().closed.deadline).toBeGreaterThanOrEqual(50);
    expect(await callAlive()).toBeLessThan(100);
  });

  test('100 members in one room: everyone enters and sees everyone; the call next door is unaffected', async () => {
    const rss0 = process.memoryUsage().rss;
    const members: Client[] = [];
    for (let i = 0; i < 100; i++) members.push(await join(`m${i}`, 5, { audio: false, video: i % 10 === 0 }));
    await Promise.all(members.map((c) => c.next(entered, 10000)));
    const last = members[99];
    const seen = last.msgs
      .filter((m) => m.t === 'event' && m.code === 1031)
      .flatMap(
        (m) =>
          (JSON.parse((m as { message: string }).message) as { userlist: Array<{ userid: string }> })
            .userlist,
      )
      .map((u) => u.userid);
    expect(seen.length).toBe(99);
    await members[0].next((m) => m.t === 'event' && m.code === 1031 && m.message.includes('"m99"'), 10000);
    expect(emu.rooms().find((r) => r.key.endsWith(':n:5'))?.members.length).toBe(100);
    expect(await callAlive()).toBeLessThan(100);
    for (const c of members) c.ws.close();
    await Promise.all(members.map((c) => c.closed));
    await until(() => emu.health().members === 2);
    expect(process.memoryUsage().rss - rss0).toBeLessThan(150 * 1024 * 1024);
  });

  test('the room and member caps refuse entry with the client code, and only that socket', async () => {
    const small = createEmulator({
      verifyUserSig: () => ({ ok: true }),
      limits: { maxRooms: 1, maxMembersPerRoom: 2 },
    });
    await small.listen(0, '127.0.0.1');
    const mk = async (user: string, roomID: number) => {
      const c = await connect(small.url);
      clients.push(c);
      c.send({
        t: 'join',
        model: 'trtc',
        sdkAppID: 1,
        roomID,
        userID: user,
        userSig: 'x',
        audio: true,
        video: true,
      });
      return c;
    };
    try {
      const a = await mk('a', 1);
      await a.next(entered);
      const b = await mk('b', 1);
      await b.next(entered);
      const c = await mk('c', 1);
      expect(await c.next((m) => m.t === 'join_failed')).toMatchObject({ code: -3340 });
      await c.next((m) => m.t === 'event' && m.code === 1022);
      const d = await mk('d', 2);
      expect(await d.next((m) => m.t === 'join_failed')).toMatchObject({ code: -3340 });
      expect(small.rooms()[0].members.map((m) => m.userID)).toEqual(['a', 'b']);
    } finally {
      await small.close();
    }
  });

  test('its own HTTP port: a request target the URL parser refuses gets an answer, the emulator stays up', async () => {
    expect(await rawGet(emu.port, '//x:99999')).toBe('HTTP/1.1 426 Upgrade Required');
    expect(await rawGet(emu.port, '//x:99999/_emulator/health')).toBe('HTTP/1.1 426 Upgrade Required');
    expect(await rawGet(emu.port, '/_emulator/health')).toBe('HTTP/1.1 200 OK');
    expect(await callAlive()).toBeLessThan(100);
  });

  test('a WebSocket upgrade to another path gets 404 and its socket closed, not held open forever', async () => {
    const sockets = emu.health().sockets;
    for (const target of ['/nope', '/rtc/x', '/_emulator/wsx'])
      expect([target, await rawUpgrade(emu.port, target)]).toEqual([target, 'HTTP/1.1 404 Not Found']);
    expect(emu.health().sockets).toBe(sockets);
    expect(await callAlive()).toBeLessThan(100);
  });

  test('after all of it: the emulator is up, the call is intact', async () => {
    expect(emu.rooms().map((r) => r.members.map((m) => m.userID))).toEqual([['alice', 'bob']]);
    const fresh = await join('carol');
    await fresh.next(entered);
    await alice.next((m) => m.t === 'event' && m.code === 1031 && m.message.includes('carol'));
    expect(await callAlive()).toBeLessThan(100);
  });
});
