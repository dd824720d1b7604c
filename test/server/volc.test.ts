/** @jest-environment node */
import { createVolcToken, parseVolcToken, verifyVolcToken, volcPrivilegeActive } from '../../server/volc';

const APP_ID = '123456781234567812345678';
const APP_KEY = 'app_key_for_test';
const VECTOR_1 =
  '001123456781234567812345678OgBOYbwAAPFTZYBCVWUFAHJvb20xBQB1c2VyMQUAAAAAAAAAAQAAAAAAAgAAAAAAAwAAAAAABAAAAAAAIAA5iKqg8QPYCKHb2PjLSsq7AlmP/IJKjEW7k8QX6RsuSA==';
const VECTOR_2 =
  '001123456781234567812345678HABOYbwAAPFTZQAAAAAFAHJvb20xBQB1c2VyMQAAIABnjxzyL3FsR0zPV0nNmN8GGprf3DPlcOESdEUxVn833Q==';
const base = {
  appId: APP_ID,
  appKey: APP_KEY,
  roomId: 'room1',
  userId: 'user1',
  nonce: 12345678,
  issuedAt: 1700000000,
};

describe('test vectors (douyin-rtc.md 5.3)', () => {
  test('vector 1: publish + subscribe, expireAt 1700086400', () => {
    const token = createVolcToken({
      ...base,
      expireAt: 1700086400,
      privileges: { publish: 0, subscribe: 0 },
    });
    expect(token).toBe(VECTOR_1);
    const content = Buffer.from(token.slice(27), 'base64').toString('hex');
    expect(
      content.startsWith(
        '3a00' + '4e61bc00' + '00f15365' + '80425565' + '0500726f6f6d31' + '05007573657231' + '0500',
      ),
    ).toBe(true);
  });

  test('vector 2: no privileges, never expires', () => {
    expect(createVolcToken({ ...base, expireAt: 0, privileges: {} })).toBe(VECTOR_2);
  });

  test('both vectors verify and parse back', () => {
    expect(verifyVolcToken({ appKey: APP_KEY, token: VECTOR_1, now: 1700000000 })).toEqual({
      ok: true,
      appId: APP_ID,
      roomId: 'room1',
      userId: 'user1',
      expireAt: 1700086400,
      issuedAt: 1700000000,
      nonce: 12345678,
      privileges: { publish: 0, subscribe: 0 },
      privilegeMap: { 0: 0, 1: 0, 2: 0, 3: 0, 4: 0 },
    });
    const v2 = verifyVolcToken({ appKey: APP_KEY, token: VECTOR_2, now: 4000000000 });
    expect(v2).toMatchObject({ ok: true, expireAt: 0, privileges: {}, privilegeMap: {} });
  });
});

describe('createVolcToken', () => {
  test('publish sets ids 0-3, subscribe id 4, each with its own expiry', () => {
    const token = createVolcToken({
      ...base,
      expireAt: 1700090000,
      privileges: { publish: 1700003600, subscribe: 1700007200 },
    });
    expect(parseVolcToken(token)?.privilegeMap).toEqual({
      0: 1700003600,
      1: 1700003600,
      2: 1700003600,
      3: 1700003600,
      4: 1700007200,
    });
    const sub = createVolcToken({ ...base, expireAt: 0, privileges: { subscribe: 0 } });
    expect(verifyVolcToken({ appKey: APP_KEY, token: sub, now: 1 }).privileges).toEqual({ subscribe: 0 });
  });

  test('a fresh random nonce per token unless given', () => {
    const opts = {
      appId: APP_ID,
      appKey: APP_KEY,
      roomId: 'r',
      userId: 'u',
      expireAt: 0,
      issuedAt: 1,
      privileges: {},
    };
    const nonces = new Set<number>();
    for (let i = 0; i < 200; i++) nonces.add(parseVolcToken(createVolcToken(opts))!.nonce);
    expect(nonces.size).toBeGreaterThan(195);
    expect(createVolcToken({ ...opts, nonce: 7 })).toBe(createVolcToken({ ...opts, nonce: 7 }));
  });

  test('issuedAt defaults to the clock', () => {
    jest.useFakeTimers({ now: 1750000000500 });
    try {
      const t = createVolcToken({
        appId: APP_ID,
        appKey: APP_KEY,
        roomId: 'r',
        userId: 'u',
        expireAt: 0,
        privileges: {},
      });
      expect(parseVolcToken(t)?.issuedAt).toBe(1750000000);
    } finally {
      jest.useRealTimers();
    }
  });

  test('UTF-8 ids round trip', () => {
    const t = createVolcToken({ ...base, roomId: '房间', userId: 'ü', expireAt: 0, privileges: {} });
    expect(verifyVolcToken({ appKey: APP_KEY, token: t })).toMatchObject({
      ok: true,
      roomId: '房间',
      userId: 'ü',
    });
  });

  test('bad options throw', () => {
    const ok = { ...base, expireAt: 0, privileges: {} };
    expect(() => createVolcToken({ ...ok, appId: 'short' })).toThrow(/AppId/);
    expect(() => createVolcToken({ ...ok, appKey: '' })).toThrow(/appKey/);
    expect(() => createVolcToken({ ...ok, userId: '' })).toThrow(/userId/);
    expect(() => createVolcToken({ ...ok, expireAt: -1 })).toThrow(/expireAt/);
    expect(() => createVolcToken({ ...ok, nonce: 2 ** 32 })).toThrow(/nonce/);
    expect(() => createVolcToken({ ...ok, issuedAt: 1.5 })).toThrow(/issuedAt/);
    expect(() => createVolcToken({ ...ok, privileges: { publish: -5 } })).toThrow(/publish/);
    expect(() => createVolcToken({ ...ok, roomId: 'x'.repeat(70000) })).toThrow(/too long/);
  });
});

describe('verifyVolcToken', () => {
  const token = createVolcToken({
    ...base,
    expireAt: 1700086400,
    privileges: { publish: 1700086400, subscribe: 0 },
  });

  test('expiry: valid through expireAt, expired after; 0 never expires', () => {
    expect(verifyVolcToken({ appKey: APP_KEY, token, now: 1700086400 }).ok).toBe(true);
    expect(verifyVolcToken({ appKey: APP_KEY, token, now: 1700086401 })).toMatchObject({
      ok: false,
      reason: 'expired',
    });
    expect(verifyVolcToken({ appKey: APP_KEY, token: VECTOR_2, now: 0xffffffff }).ok).toBe(true);
  });

  test('wrong key', () => {
    expect(verifyVolcToken({ appKey: 'app_key_for_tesT', token, now: 1700000000 })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  test('tampering with any byte of the message or signature, or the AppId prefix', () => {
    const raw = Buffer.from(token.slice(27), 'base64');
    for (let i = 2; i < raw.length; i++) {
      if (i === raw.length - 34 || i === raw.length - 33) continue; // the signature length field: malformed instead
      const t = Buffer.from(raw);
      t[i] ^= 0x01;
      const r = verifyVolcToken({
        appKey: APP_KEY,
        token: token.slice(0, 27) + t.toString('base64'),
        now: 1700000000,
      });
      expect(r.ok).toBe(false);
    }
    // the AppId is outside the HMAC; binding it is the caller's job (appId option)
    const otherApp = '001' + 'X'.repeat(24) + token.slice(27);
    expect(
      verifyVolcToken({ appKey: APP_KEY, token: otherApp, now: 1700000000, appId: APP_ID }),
    ).toMatchObject({
      ok: false,
      reason: 'appid-mismatch',
    });
  });

  test('room, user and app bindings (room "*" is a wildcard)', () => {
    const v = (o: object) => verifyVolcToken({ appKey: APP_KEY, token, now: 1700000000, ...o });
    expect(v({ appId: APP_ID, roomId: 'room1', userId: 'user1' }).ok).toBe(true);
    expect(v({ roomId: 'room2' }).reason).toBe('room-mismatch');
    expect(v({ userId: 'user2' }).reason).toBe('userid-mismatch');
    const wildcard = createVolcToken({ ...base, roomId: '*', expireAt: 0, privileges: {} });
    expect(verifyVolcToken({ appKey: APP_KEY, token: wildcard, roomId: 'any' }).ok).toBe(true);
  });

  test('malformed tokens', () => {
    const raw = Buffer.from(token.slice(27), 'base64');
    const bad = [
      '',
      '002' + token.slice(3),
      token.slice(0, 20),
      token.slice(0, 27),
      token.slice(0, -4),
      token + 'AAAA',
      token.replace(/=+$/, ''),
      token.slice(0, 27) + '!!!!',
      token.slice(0, 27) + Buffer.concat([raw, Buffer.from([0, 0])]).toString('base64'),
      'x'.repeat(5000),
    ];
    for (const t of bad)
      expect(verifyVolcToken({ appKey: APP_KEY, token: t, now: 1 })).toEqual({
        ok: false,
        reason: 'malformed',
      });
  });

  test('volcPrivilegeActive', () => {
    expect(volcPrivilegeActive(0, 5)).toBe(true);
    expect(volcPrivilegeActive(10, 10)).toBe(true);
    expect(volcPrivilegeActive(10, 11)).toBe(false);
    expect(volcPrivilegeActive(undefined, 1)).toBe(false);
  });
});
