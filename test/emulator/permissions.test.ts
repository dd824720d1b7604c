/** @jest-environment node */
/**
 * Permissions like the clouds: real PrivateMapKeys and Volcengine tokens from the signing library, checked by the
 * emulator with the preview's verifiers, refused with the codes the real clients report.
 */
import { connect, type Client } from './client';
import { createEmulator, type Emulator, type ServerMessage } from '../../emulator';
import { verifiersFor, type SigningLike } from '../../preview/server';
import {
  ANCHOR_PRIVILEGES,
  AUDIENCE_PRIVILEGES,
  createPrivateMapKey,
  createUserSig,
  createVolcToken,
} from '../../server/index';

const APP = 1400000001;
const SECRET = 'test-secret-key-for-the-emulator-permissions';
const VOLC_APP = '0123456789abcdef01234567';
const VOLC_KEY = 'volc-app-key-for-tests';
const signing = {
  credentials: { trtc: { sdkAppID: APP, secretKey: SECRET }, volc: { appId: VOLC_APP, appKey: VOLC_KEY } },
} as unknown as SigningLike;
const now = (): number => Math.floor(Date.now() / 1000);

const sig = (userID: string): string =>
  createUserSig({ sdkAppID: APP, secretKey: SECRET, userID, expireSeconds: 600 });
const pmk = (
  userID: string,
  roomID: number,
  privileges: number,
  o: { now?: number; expireSeconds?: number } = {},
) =>
  createPrivateMapKey({
    sdkAppID: APP,
    secretKey: SECRET,
    userID,
    roomID,
    privileges,
    expireSeconds: o.expireSeconds ?? 600,
    now: o.now,
  });
const token = (
  roomId: string,
  userId: string,
  privileges: { publish?: number; subscribe?: number },
  expireAt = 0,
) => createVolcToken({ appId: VOLC_APP, appKey: VOLC_KEY, roomId, userId, expireAt, privileges });

const ev =
  (code: number) =>
  (m: ServerMessage): m is Extract<ServerMessage, { t: 'event' }> =>
    m.t === 'event' && m.code === code;
const tt = (name: string) => (m: ServerMessage) => m.t === 'tt' && m.name === name;

describe('emulator permissions', () => {
  let emu: Emulator;
  const clients: Client[] = [];
  const trtc = async (
    userID: string,
    roomID: number,
    privateMapKey?: string,
    media = true,
  ): Promise<Client> => {
    const c = await connect(emu.url);
    clients.push(c);
    c.send({
      t: 'join',
      model: 'trtc',
      sdkAppID: APP,
      roomID,
      userID,
      userSig: sig(userID),
      privateMapKey,
      audio: media,
      video: media,
    });
    return c;
  };
  const volc = async (roomId: string, userId: string, tok: string, media = true): Promise<Client> => {
    const c = await connect(emu.url);
    clients.push(c);
    c.send({
      t: 'join',
      model: 'volc',
      appID: VOLC_APP,
      roomId,
      userId,
      token: tok,
      audio: media,
      video: media,
    });
    return c;
  };
  const refusedWith = async (c: Client, code: number, text: RegExp): Promise<void> => {
    const f = (await c.next((m) => m.t === 'join_failed')) as { code: number; message: string };
    expect(f.code).toBe(code);
    expect(f.message).toMatch(text);
    if (code < -1000)
      await c.next((m) => m.t === 'event' && m.code === 1022 && m.message.includes(`[${code}]`));
    expect(c.msgs.some(ev(1018))).toBe(false);
  };

  beforeEach(async () => {
    emu = createEmulator({ ...verifiersFor(signing), heartbeatMs: 60000 });
    await emu.listen(0, '127.0.0.1');
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.ws.terminate();
    await emu.close();
  });

  test('TRTC: a PrivateMapKey for room 777 does not enter room 999 (-100006, then 1022)', async () => {
    const host = await trtc('host', 999, pmk('host', 999, ANCHOR_PRIVILEGES));
    await host.next(ev(1018));
    const a = await trtc('aud', 999, pmk('aud', 777, AUDIENCE_PRIVILEGES));
    await refusedWith(a, -100006, /another room/);
    expect(emu.rooms()[0].members.map((m) => m.userID)).toEqual(['host']);
  });

  test('TRTC: a garbage, an expired, a borrowed PrivateMapKey are refused', async () => {
    const host = await trtc('host', 777, pmk('host', 777, ANCHOR_PRIVILEGES));
    await host.next(ev(1018));
    await refusedWith(await trtc('g', 777, 'garbage-private-map-key'), -100006, /privateMapKey check failed/);
    const old = pmk('e', 777, ANCHOR_PRIVILEGES, { now: now() - 7200, expireSeconds: 60 });
    await refusedWith(await trtc('e', 777, old), -100006, /expired/);
    await refusedWith(await trtc('b', 777, pmk('someone', 777, ANCHOR_PRIVILEGES)), -100006, /privateMapKey/);
    expect(emu.rooms()[0].members.map((m) => m.userID)).toEqual(['host']);
  });

  test('TRTC: a userID or string room ID TRTC refuses gets -3319 / -3318 (then 1022); `__proto__` and `constructor` are IDs like any other', async () => {
    const join = async (userID: string, room: { roomID?: number; strRoomID?: string }): Promise<Client> => {
      const c = await connect(emu.url);
      clients.push(c);
      c.send({
        t: 'join',
        model: 'trtc',
        sdkAppID: APP,
        ...room,
        userID,
        userSig: sig(userID),
        audio: false,
        video: false,
      });
      return c;
    };
    // signed correctly (a UserSig takes any string), but not a TRTC userID: 33 characters, a space, "@", non-ASCII
    for (const userID of ['a'.repeat(33), 'al ice', 'a@b.c', '用户'])
      await refusedWith(await join(userID, { roomID: 5 }), -3319, /userID/);
    // outside the 89 characters of a TRTC string room
    for (const strRoomID of ['a/b', 'a"b', 'a\\b', '房间', 'a*b'])
      await refusedWith(await join('u1', { strRoomID }), -3318, /strRoomID/);
    expect(emu.rooms()).toEqual([]);
    // prototype names are valid IDs: they enter, keyed by Map, and see each other
    const a = await join('__proto__', { strRoomID: 'constructor' });
    await a.next(ev(1018));
    const b = await join('constructor', { strRoomID: 'constructor' });
    await b.next(ev(1018));
    await a.next((m) => m.t === 'event' && m.code === 1031 && m.message.includes('"constructor"'));
    await b.next((m) => m.t === 'event' && m.code === 1031 && m.message.includes('"__proto__"'));
    expect(emu.rooms()).toEqual([
      {
        key: `trtc:${APP}:s:constructor`,
        members: [
          { userID: '__proto__', audio: false, video: false, screen: false },
          { userID: 'constructor', audio: false, video: false, screen: false },
        ],
      },
    ]);
  });

  test('TRTC: without the enter right no entry; without the create right no new room', async () => {
    await refusedWith(await trtc('x', 777, pmk('x', 777, 0)), -100006, /no right to enter/);
    await refusedWith(
      await trtc('y', 778, pmk('y', 778, AUDIENCE_PRIVILEGES)),
      -100006,
      /no right to create/,
    );
    expect(emu.rooms()).toEqual([]);
  });

  test('TRTC: an audience PrivateMapKey enters and watches but cannot publish (6001, nothing announced)', async () => {
    const host = await trtc('host', 777, pmk('host', 777, ANCHOR_PRIVILEGES));
    await host.next(ev(1018));
    const aud = await trtc('aud', 777, pmk('aud', 777, AUDIENCE_PRIVILEGES));
    await aud.next(ev(1018));
    const warn = (await aud.next(ev(6001))) as { message: string };
    expect(warn.message).toMatch(/video and audio/);
    await aud.next(ev(1033)); // it sees the host's video
    await host.next((m) => ev(1031)(m) && m.message.includes('aud'));
    aud.send({ t: 'update', video: true, audio: true });
    await aud.next((m) => ev(6001)(m) && aud.msgs.filter(ev(6001)).length === 2);
    // a subscriber asking the audience member for a stream gets nothing relayed
    host.send({ t: 'signal', to: 'aud', data: { kind: 'subscribe', sid: 'x', dir: 'toPub' } });
    host.send({ t: 'ping', id: 1 });
    await host.next((m) => m.t === 'pong');
    expect(aud.msgs.some((m) => m.t === 'signal')).toBe(false);
    expect(host.msgs.some((m) => (ev(1033)(m) || ev(1034)(m)) && m.message.includes('aud'))).toBe(false);
    expect(emu.rooms()[0].members.find((m) => m.userID === 'aud')).toMatchObject({
      audio: false,
      video: false,
    });
  });

  test('TRTC: back from a suspension (5000) is a re-entry: a key without the create right does not re-create the emptied room (-100006)', async () => {
    const host = await trtc('host', 778, pmk('host', 778, ANCHOR_PRIVILEGES));
    await host.next(ev(1018));
    const aud = await trtc('aud', 778, pmk('aud', 778, AUDIENCE_PRIVILEGES), false);
    await aud.next(ev(1018));
    emu.inject({ kind: 'suspend', user: 'aud', code: 5000 });
    await aud.next(ev(5000));
    host.send({ t: 'leave' });
    await host.closed;
    expect(emu.rooms()).toEqual([]);
    emu.inject({ kind: 'show', user: 'aud' });
    await aud.next((m) => m.t === 'event' && m.code === 1022 && m.message.includes('[-100006]'));
    expect(aud.msgs.filter(ev(1018))).toHaveLength(1);
    expect(await aud.closed).toBe(4002);
    expect(emu.rooms()).toEqual([]);
  });

  test('TRTC: back from a suspension with a UserSig that expired meanwhile: -100018, no re-entry', async () => {
    const c = await connect(emu.url);
    clients.push(c);
    const brief = createUserSig({ sdkAppID: APP, secretKey: SECRET, userID: 'brief', expireSeconds: 1 });
    c.send({ t: 'join', model: 'trtc', sdkAppID: APP, roomID: 779, userID: 'brief', userSig: brief });
    await c.next(ev(1018));
    emu.inject({ kind: 'suspend', user: 'brief', code: 5000 });
    await c.next(ev(5000));
    await new Promise((r) => setTimeout(r, 2100));
    emu.inject({ kind: 'show', user: 'brief' });
    await c.next(ev(-100018));
    await c.next((m) => m.t === 'event' && m.code === 1022 && m.message.includes('[-100018]'));
    expect(c.msgs.filter(ev(1018))).toHaveLength(1);
    expect(await c.closed).toBe(4002);
    expect(emu.rooms()).toEqual([]);
  });

  test('TRTC: receive rights are per kind: an audio-only PrivateMapKey subscribes to the audio, never the video', async () => {
    const host = await trtc('host', 777, pmk('host', 777, ANCHOR_PRIVILEGES));
    await host.next(ev(1018));
    const subscribeAll = async (c: Client, who: string): Promise<unknown[]> => {
      const ask = (sid: string, kinds?: string[]) =>
        c.send({
          t: 'signal',
          to: 'host',
          data: { kind: 'subscribe', sid, dir: 'toPub', ...(kinds ? { kinds } : {}) },
        });
      ask(`${who}-both`);
      ask(`${who}-video`, ['video']);
      ask(`${who}-audio`, ['audio']);
      c.send({
        t: 'signal',
        to: 'host',
        data: { kind: 'ice', sid: `${who}-end`, dir: 'toPub', candidate: null },
      });
      await host.next((m) => m.t === 'signal' && (m.data as { sid: string }).sid === `${who}-end`);
      return host.msgs
        .filter(
          (m) => m.t === 'signal' && m.from === who && (m.data as { kind: string }).kind === 'subscribe',
        )
        .map((m) => (m as { data: unknown }).data);
    };
    // enter + receive audio (2 + 8): a listener
    const ear = await trtc('ear', 777, pmk('ear', 777, 2 | 8), false);
    await ear.next(ev(1018));
    expect(await subscribeAll(ear, 'ear')).toEqual([
      { kind: 'subscribe', sid: 'ear-both', dir: 'toPub', kinds: ['audio'] },
      { kind: 'subscribe', sid: 'ear-audio', dir: 'toPub', kinds: ['audio'] },
    ]);
    // enter + receive video (2 + 32): a silent viewer
    const eye = await trtc('eye', 777, pmk('eye', 777, 2 | 32), false);
    await eye.next(ev(1018));
    expect(await subscribeAll(eye, 'eye')).toEqual([
      { kind: 'subscribe', sid: 'eye-both', dir: 'toPub', kinds: ['video'] },
      { kind: 'subscribe', sid: 'eye-video', dir: 'toPub', kinds: ['video'] },
    ]);
    // the audience key (170) receives both, as asked
    const aud = await trtc('aud', 777, pmk('aud', 777, AUDIENCE_PRIVILEGES), false);
    await aud.next(ev(1018));
    expect(await subscribeAll(aud, 'aud')).toEqual([
      { kind: 'subscribe', sid: 'aud-both', dir: 'toPub' },
      { kind: 'subscribe', sid: 'aud-video', dir: 'toPub', kinds: ['video'] },
      { kind: 'subscribe', sid: 'aud-audio', dir: 'toPub', kinds: ['audio'] },
    ]);
  });

  test('TRTC: a subscription carries only what the publisher may send: a voice-only key (no sendVideo) never sends its camera', async () => {
    // create + enter + send audio + receive all (1 + 2 + 4 + 8 + 32 + 128): a speaker whose camera is on
    const voice = await trtc('voice', 777, pmk('voice', 777, 1 | 2 | 4 | 8 | 32 | 128));
    await voice.next(ev(1018));
    await voice.next(ev(6001));
    const aud = await trtc('aud', 777, pmk('aud', 777, AUDIENCE_PRIVILEGES), false);
    await aud.next(ev(1018));
    const ask = (sid: string, kinds?: string[]) =>
      aud.send({
        t: 'signal',
        to: 'voice',
        data: { kind: 'subscribe', sid, dir: 'toPub', ...(kinds ? { kinds } : {}) },
      });
    ask('both');
    ask('video', ['video']);
    ask('audio', ['audio']);
    aud.send({ t: 'signal', to: 'voice', data: { kind: 'ice', sid: 'end', dir: 'toPub', candidate: null } });
    await voice.next((m) => m.t === 'signal' && (m.data as { sid: string }).sid === 'end');
    // the publisher's stand-in adds the tracks it is told to: the camera track is never asked for
    expect(
      voice.msgs
        .filter((m) => m.t === 'signal' && (m.data as { kind: string }).kind === 'subscribe')
        .map((m) => (m as { data: unknown }).data),
    ).toEqual([
      { kind: 'subscribe', sid: 'both', dir: 'toPub', kinds: ['audio'] },
      { kind: 'subscribe', sid: 'audio', dir: 'toPub', kinds: ['audio'] },
    ]);
  });

  test('TRTC: SEI rides in the video: a member without the video receive right does not get it', async () => {
    const host = await trtc('host', 777, pmk('host', 777, ANCHOR_PRIVILEGES));
    await host.next(ev(1018));
    const ear = await trtc('ear', 777, pmk('ear', 777, 2 | 8), false);
    await ear.next(ev(1018));
    const aud = await trtc('aud', 777, pmk('aud', 777, AUDIENCE_PRIVILEGES), false);
    await aud.next(ev(1018));
    host.send({ t: 'sei', payload: 'score 2:1' });
    expect(await aud.next((m) => m.t === 'sei')).toEqual({ t: 'sei', from: 'host', payload: 'score 2:1' });
    ear.send({ t: 'ping', id: 1 });
    await ear.next((m) => m.t === 'pong');
    expect(ear.msgs.some((m) => m.t === 'sei')).toBe(false);
  });

  test('Volc: a token without publish rights joins, publishing is refused (-1002), nothing announced', async () => {
    const a = await volc('r1', 'anchor', token('r1', 'anchor', { publish: 0, subscribe: 0 }));
    await a.next((m) => m.t === 'joined');
    const w = await volc('r1', 'viewer', token('r1', 'viewer', { subscribe: 0 }));
    await w.next((m) => m.t === 'joined');
    const st = await w.next(tt('onRtcStateChanged'));
    expect(st).toMatchObject({ data: { errNo: -1002 } });
    await a.next((m) => tt('onRtcChatMembersChanged')(m) && JSON.stringify(m).includes('viewer'));
    const videoLists = a.msgs.filter(tt('onRtcVideoMembersChanged'));
    expect(JSON.stringify(videoLists[videoLists.length - 1])).not.toContain('viewer');
  });

  test('Volc: a token for another room gets 21101; one without subscribe rights gets -1003 for a subscription', async () => {
    const bad = await volc('r2', 'u', token('r9', 'u', { publish: 0, subscribe: 0 }));
    expect(await bad.next((m) => m.t === 'join_failed')).toMatchObject({ code: 21101 });
    const pub = await volc('r2', 'pub', token('r2', 'pub', { publish: 0, subscribe: 0 }));
    await pub.next((m) => m.t === 'joined');
    const deaf = await volc('r2', 'deaf', token('r2', 'deaf', { publish: 0 }));
    await deaf.next((m) => m.t === 'joined');
    deaf.send({ t: 'signal', to: 'pub', data: { kind: 'subscribe', sid: 's', dir: 'toPub' } });
    expect(await deaf.next(tt('onRtcStateChanged'))).toMatchObject({ data: { errNo: -1003 } });
    expect(pub.msgs.some((m) => m.t === 'signal')).toBe(false);
  });

  test('Volc: a token moved to another AppId (the prefix is outside the HMAC) gets 21101', async () => {
    const good = token('r5', 'u', { publish: 0, subscribe: 0 });
    const other = 'ZYXWVUTSRQPONMLKJIHGFEDC';
    const moved = '001' + other + good.slice(3 + VOLC_APP.length);
    const c = await connect(emu.url);
    clients.push(c);
    c.send({
      t: 'join',
      model: 'volc',
      appID: other,
      roomId: 'r5',
      userId: 'u',
      token: moved,
      audio: true,
      video: true,
    });
    expect(await c.next((m) => m.t === 'join_failed')).toMatchObject({ code: 21101 });
    expect(emu.rooms()).toEqual([]);
  });

  test('Volc: updateToken brings the new token privileges: without publish the member stops publishing (-1002)', async () => {
    const videoList = (c: Client, has: string, present: boolean) =>
      c.next((m) => tt('onRtcVideoMembersChanged')(m) && JSON.stringify(m).includes(`"${has}"`) === present);
    const star = await volc('r4', 'star', token('r4', 'star', { publish: 0, subscribe: 0 }));
    await star.next((m) => m.t === 'joined');
    const fan = await volc('r4', 'fan', token('r4', 'fan', { subscribe: 0 }), false);
    await fan.next((m) => m.t === 'joined');
    await videoList(fan, 'star', true);
    // demoted: the new token only lets it watch
    star.send({ t: 'token', token: token('r4', 'star', { subscribe: 0 }) });
    await star.next((m) => m.t === 'token' && m.ok);
    expect(await star.next(tt('onRtcStateChanged'))).toMatchObject({ data: { errNo: -1002 } });
    await videoList(fan, 'star', false);
    star.send({ t: 'update', video: true, audio: true });
    await star.next(
      (m) => tt('onRtcStateChanged')(m) && star.msgs.filter(tt('onRtcStateChanged')).length === 2,
    );
    expect(emu.rooms()[0].members.find((m) => m.userID === 'star')).toMatchObject({
      audio: false,
      video: false,
    });
    // promoted: the new token lets it publish
    fan.send({ t: 'token', token: token('r4', 'fan', { publish: 0, subscribe: 0 }) });
    await fan.next((m) => m.t === 'token' && m.ok);
    fan.send({ t: 'update', video: true, audio: true });
    await videoList(star, 'fan', true);
    expect(fan.msgs.some(tt('onRtcStateChanged'))).toBe(false);
  });

  test('Volc: a privilege taken away ends the subscriptions that carry it: the publisher is told bye, its media stops', async () => {
    const sidOf = (m: ServerMessage): string => (m as { data: { sid: string } }).data.sid;
    const signalled = (c: Client, kind: string, sid: string) =>
      c.next((m) => m.t === 'signal' && (m.data as { kind: string }).kind === kind && sidOf(m) === sid);
    const star = await volc('r8', 'star', token('r8', 'star', { publish: 0, subscribe: 0 }));
    await star.next((m) => m.t === 'joined');
    const fan = await volc('r8', 'fan', token('r8', 'fan', { publish: 0, subscribe: 0 }));
    await fan.next((m) => m.t === 'joined');
    // each watches the other (the room's audio and the view's video)
    fan.send({ t: 'signal', to: 'star', data: { kind: 'subscribe', sid: 'f1', dir: 'toPub' } });
    star.send({
      t: 'signal',
      to: 'fan',
      data: { kind: 'subscribe', sid: 's1', dir: 'toPub', kinds: ['audio'] },
    });
    await signalled(star, 'subscribe', 'f1');
    await signalled(fan, 'subscribe', 's1');
    // star may no longer publish: the subscription to its stream ends at its end (its stand-in closes it)
    star.send({ t: 'token', token: token('r8', 'star', { subscribe: 0 }) });
    await star.next((m) => m.t === 'token' && m.ok);
    expect(await signalled(star, 'bye', 'f1')).toEqual({
      t: 'signal',
      from: 'fan',
      data: { kind: 'bye', sid: 'f1', dir: 'toPub' },
    });
    // star may no longer receive either: its subscription to fan ends at fan's end
    star.send({ t: 'token', token: token('r8', 'star', {}) });
    await star.next((m) => m.t === 'token' && m.ok && star.msgs.filter((x) => x.t === 'token').length === 2);
    expect(await signalled(fan, 'bye', 's1')).toEqual({
      t: 'signal',
      from: 'star',
      data: { kind: 'bye', sid: 's1', dir: 'toPub' },
    });
    // and nothing else was ended
    expect(
      fan.msgs.filter((m) => m.t === 'signal' && (m.data as { kind: string }).kind === 'bye'),
    ).toHaveLength(1);
    expect(
      star.msgs.filter((m) => m.t === 'signal' && (m.data as { kind: string }).kind === 'bye'),
    ).toHaveLength(1);
  });

  test('Volc: a publish privilege that expires before the token stops the publishing (-1002); the user stays', async () => {
    const a = await volc('r6', 'brief', token('r6', 'brief', { publish: now() + 1, subscribe: 0 }));
    await a.next((m) => m.t === 'joined');
    const w = await volc('r6', 'watcher', token('r6', 'watcher', { subscribe: 0 }), false);
    await w.next((m) => m.t === 'joined');
    await w.next((m) => tt('onRtcVideoMembersChanged')(m) && JSON.stringify(m).includes('"brief"'));
    expect(await a.next(tt('onRtcStateChanged'), 4000)).toMatchObject({ data: { errNo: -1002 } });
    await w.next((m) => tt('onRtcVideoMembersChanged')(m) && !JSON.stringify(m).includes('"brief"'));
    expect(emu.rooms()[0].members.find((m) => m.userID === 'brief')).toMatchObject({
      audio: false,
      video: false,
    });
    a.send({ t: 'update', video: true });
    await a.next((m) => tt('onRtcStateChanged')(m) && a.msgs.filter(tt('onRtcStateChanged')).length === 2);
    expect(a.msgs.some(tt('onRtcChatInterrupted'))).toBe(false);
  });

  test('Volc: a lapsed publish right given back by updateToken: the stream stays stopped until the member publishes again', async () => {
    const listed = (c: Client, n: number) =>
      c.next(
        (m) =>
          tt('onRtcVideoMembersChanged')(m) &&
          JSON.stringify(m).includes('"lapsed"') &&
          c.msgs.filter((x) => tt('onRtcVideoMembersChanged')(x) && JSON.stringify(x).includes('"lapsed"'))
            .length === n,
      );
    const a = await volc('r10', 'lapsed', token('r10', 'lapsed', { publish: now() + 1, subscribe: 0 }));
    await a.next((m) => m.t === 'joined');
    const w = await volc('r10', 'peer', token('r10', 'peer', { subscribe: 0 }), false);
    await w.next((m) => m.t === 'joined');
    await listed(w, 1);
    expect(await a.next(tt('onRtcStateChanged'), 4000)).toMatchObject({ data: { errNo: -1002 } });
    a.send({ t: 'token', token: token('r10', 'lapsed', { publish: 0, subscribe: 0 }) });
    await a.next((m) => m.t === 'token' && m.ok);
    expect(emu.rooms()[0].members.find((m) => m.userID === 'lapsed')).toMatchObject({
      audio: false,
      video: false,
    });
    // what the Douyin adapter's changeStreamPublishState after updateToken becomes in the preview's stand-in
    a.send({ t: 'update', video: true, audio: true });
    await listed(w, 2);
    expect(emu.rooms()[0].members.find((m) => m.userID === 'lapsed')).toMatchObject({
      audio: true,
      video: true,
    });
    expect(a.msgs.filter(tt('onRtcStateChanged'))).toHaveLength(1);
  });

  test('Volc: an expiring token warns (onRoomTokenWillExpire) and then removes the user (-1009)', async () => {
    const a = await volc('r3', 'short', token('r3', 'short', { publish: 0, subscribe: 0 }, now() + 1));
    await a.next((m) => m.t === 'joined');
    await a.next(tt('onRoomTokenWillExpire'));
    const end = await a.next(tt('onRtcChatInterrupted'), 4000);
    expect(end).toMatchObject({ data: { errNo: -1009 } });
    expect(await a.closed).toBe(4001);
    expect(emu.rooms()).toEqual([]);
  });

  test('Volc: updateToken replaces the old expiry: no removal at the old token end', async () => {
    const a = await volc('r9', 'renewed', token('r9', 'renewed', { publish: 0, subscribe: 0 }, now() + 2));
    await a.next((m) => m.t === 'joined');
    await a.next(tt('onRoomTokenWillExpire'));
    a.send({ t: 'token', token: token('r9', 'renewed', { publish: 0, subscribe: 0 }, now() + 600) });
    await a.next((m) => m.t === 'token' && m.ok);
    await new Promise((r) => setTimeout(r, 2300));
    expect(a.msgs.some(tt('onRtcChatInterrupted'))).toBe(false);
    expect(emu.rooms()[0].members.map((m) => m.userID)).toEqual(['renewed']);
  });
});
