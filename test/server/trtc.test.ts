/** @jest-environment node */
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- ambient types for the untyped package (test config does not include server/)
/// <reference path="../../server/tls-sig-api-v2.d.ts" />
import { createHmac } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
// the package.json has two "main" keys and Jest's resolver takes the first (a missing file)
import { Api } from 'tls-sig-api-v2/TLSSigAPIv2';
import {
  ANCHOR_PRIVILEGES,
  AUDIENCE_PRIVILEGES,
  createPrivateMapKey,
  createUserSig,
  decodeUserbuf,
  decodeUserSig,
  encodeUserbuf,
  TRTC_PRIVILEGE,
  verifyUserSig,
} from '../../server/trtc';

const SDK = 1400000000;
const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e';
const NOW = 1795638545;

const unescape = (s: string) => s.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=');
const escape = (s: string) => s.replace(/\+/g, '*').replace(/\//g, '-').replace(/=/g, '_');
const decodeJson = (s: string) => JSON.parse(inflateSync(Buffer.from(unescape(s), 'base64')).toString());
const encodeJson = (doc: unknown) => escape(deflateSync(Buffer.from(JSON.stringify(doc))).toString('base64'));

/** Runs the official package with the clock frozen at `ms`. */
function official<T>(ms: number, f: () => T): T {
  jest.useFakeTimers({ now: ms });
  try {
    return f();
  } finally {
    jest.useRealTimers();
  }
}

describe('byte-for-byte equality with tls-sig-api-v2', () => {
  const users = ['alice', 'a', 'user_with-dash_0123456789ABCDEFGH', 'x'.repeat(32)];
  const expires = [1, 300, 86400, 604800, 180 * 86400];
  const times = [NOW, 1700000000, 1000000000, 2000000000];

  test('UserSig for many users, lifetimes and times', () => {
    let n = 0;
    for (const sdk of [SDK, 1, 1600012345, 0xffffffff]) {
      const api = new Api(sdk, KEY);
      for (const user of users) {
        for (const expire of expires) {
          for (const t of times) {
            const theirs = official(t * 1000, () => api.genUserSig(user, expire));
            expect(
              createUserSig({ sdkAppID: sdk, secretKey: KEY, userID: user, expireSeconds: expire, now: t }),
            ).toBe(theirs);
            n++;
          }
        }
      }
    }
    expect(n).toBe(4 * 4 * 5 * 4);
  });

  test('default clock (no `now`), including a time with milliseconds', () => {
    const api = new Api(SDK, KEY);
    for (const ms of [NOW * 1000, NOW * 1000 + 999, 1700000000123]) {
      const theirs = official(ms, () => api.genUserSig('alice', 86400));
      const mine = official(ms, () =>
        createUserSig({ sdkAppID: SDK, secretKey: KEY, userID: 'alice', expireSeconds: 86400 }),
      );
      expect(mine).toBe(theirs);
      const pmkTheirs = official(ms, () => api.genPrivateMapKey('alice', 300, 10000, 255));
      const pmkMine = official(ms, () =>
        createPrivateMapKey({
          sdkAppID: SDK,
          secretKey: KEY,
          userID: 'alice',
          expireSeconds: 300,
          roomID: 10000,
          privileges: 255,
        }),
      );
      expect(pmkMine).toBe(pmkTheirs);
    }
  });

  test('PrivateMapKey, numeric rooms (including above 2^31) and every privilege bitmap', () => {
    const api = new Api(SDK, KEY);
    for (const room of [1, 1234, 10000, 2147483647, 2147483648, 4294967294]) {
      for (let priv = 0; priv <= 255; priv += 17) {
        for (const t of [NOW, 1700000000]) {
          const theirs = official(t * 1000, () => api.genPrivateMapKey('alice', 300, room, priv));
          const mine = createPrivateMapKey({
            sdkAppID: SDK,
            secretKey: KEY,
            userID: 'alice',
            expireSeconds: 300,
            roomID: room,
            privileges: priv,
            now: t,
          });
          expect(mine).toBe(theirs);
        }
      }
    }
  });

  test('PrivateMapKey, string rooms', () => {
    const api = new Api(SDK, KEY);
    for (const room of ['room_abc', 'a', 'Room 1 !#$%&()+-:;<=.>?@[]^_{}|~,', 'r'.repeat(64)]) {
      for (const priv of [0, 42, AUDIENCE_PRIVILEGES, ANCHOR_PRIVILEGES]) {
        const theirs = official(NOW * 1000, () =>
          api.genPrivateMapKeyWithStringRoomID('bob-1', 600, room, priv),
        );
        const mine = createPrivateMapKey({
          sdkAppID: SDK,
          secretKey: KEY,
          userID: 'bob-1',
          expireSeconds: 600,
          strRoomID: room,
          privileges: priv,
          now: NOW,
        });
        expect(mine).toBe(theirs);
      }
    }
  });

  test('genSig with an arbitrary userbuf verifies', () => {
    const api = new Api(SDK, KEY);
    const sig = official(NOW * 1000, () => api.genSig('bob', 600, Buffer.from('hello')));
    const r = verifyUserSig({ sdkAppID: SDK, secretKey: KEY, userSig: sig, now: NOW + 1 });
    expect(r).toEqual({ ok: true, userID: 'bob', expireAt: NOW + 600 });
  });
});

describe('userbuf layouts', () => {
  test('version 0 (numeric room), matching the toolchain reference bytes', () => {
    const buf = encodeUserbuf({
      userID: 'alice',
      sdkAppID: SDK,
      roomID: 10000,
      expireAt: NOW + 300,
      privileges: 255,
    });
    expect(buf.toString('base64')).toBe('AAAFYWxpY2VTck4AAAAnEGsHRj0AAAD/AAAAAA==');
    // ver | len | account | sdkappid | room | expireAt | privileges | accountType
    expect(buf.toString('hex')).toBe(
      '00' +
        '0005' +
        Buffer.from('alice').toString('hex') +
        '53724e00' +
        '00002710' +
        '6b07463d' +
        '000000ff' +
        '00000000',
    );
    expect(decodeUserbuf(buf)).toEqual({
      version: 0,
      userID: 'alice',
      sdkAppID: SDK,
      roomID: 10000,
      expireAt: NOW + 300,
      privileges: 255,
      accountType: 0,
    });
  });

  test('version 1 (string room) appends u16 length + room, room number 0', () => {
    const buf = encodeUserbuf({
      userID: 'alice',
      sdkAppID: SDK,
      roomID: 0,
      strRoomID: 'room_abc',
      expireAt: 5,
      privileges: 42,
    });
    expect(buf[0]).toBe(1);
    expect(buf.length).toBe(1 + 2 + 5 + 20 + 2 + 8);
    expect(buf.readUInt16BE(28)).toBe(8);
    expect(buf.subarray(30).toString()).toBe('room_abc');
    expect(decodeUserbuf(buf)).toMatchObject({
      version: 1,
      roomID: 0,
      strRoomID: 'room_abc',
      privileges: 42,
    });
  });

  test('decodeUserbuf rejects other layouts', () => {
    expect(decodeUserbuf(Buffer.from('hello'))).toBeNull();
    const good = encodeUserbuf({ userID: 'a', sdkAppID: 1, roomID: 1, expireAt: 1, privileges: 1 });
    expect(decodeUserbuf(Buffer.concat([good, Buffer.from([0])]))).toBeNull();
    const v2 = Buffer.from(good);
    v2[0] = 2;
    expect(decodeUserbuf(v2)).toBeNull();
  });

  test('privilege bits', () => {
    expect(Object.values(TRTC_PRIVILEGE).reduce((a, b) => a | b, 0)).toBe(255);
    expect(ANCHOR_PRIVILEGES).toBe(255);
    expect(AUDIENCE_PRIVILEGES).toBe(2 + 8 + 32 + 128);
    for (const send of [
      TRTC_PRIVILEGE.sendAudio,
      TRTC_PRIVILEGE.sendVideo,
      TRTC_PRIVILEGE.sendSubVideo,
      TRTC_PRIVILEGE.createRoom,
    ]) {
      expect(AUDIENCE_PRIVILEGES & send).toBe(0);
    }
  });
});

describe('verifyUserSig', () => {
  const sig = createUserSig({
    sdkAppID: SDK,
    secretKey: KEY,
    userID: 'alice',
    expireSeconds: 3600,
    now: NOW,
  });

  test('round trip', () => {
    expect(decodeJson(sig)).toMatchObject({
      'TLS.ver': '2.0',
      'TLS.identifier': 'alice',
      'TLS.time': NOW,
      'TLS.expire': 3600,
    });
    expect(verifyUserSig({ sdkAppID: SDK, secretKey: KEY, userSig: sig, now: NOW })).toEqual({
      ok: true,
      userID: 'alice',
      expireAt: NOW + 3600,
    });
    expect(
      verifyUserSig({ sdkAppID: SDK, secretKey: KEY, userSig: sig, now: NOW + 3600, userID: 'alice' }).ok,
    ).toBe(true);
  });

  test('PrivateMapKey round trip exposes the room and privileges', () => {
    for (const room of [{ roomID: 4294967294 }, { strRoomID: 'room 1' }]) {
      const pmk = createPrivateMapKey({
        sdkAppID: SDK,
        secretKey: KEY,
        userID: 'bob',
        expireSeconds: 300,
        privileges: 170,
        now: NOW,
        ...room,
      });
      const r = verifyUserSig({ sdkAppID: SDK, secretKey: KEY, userSig: pmk, now: NOW });
      expect(r.ok).toBe(true);
      expect(r.privateMap).toMatchObject({
        userID: 'bob',
        sdkAppID: SDK,
        expireAt: NOW + 300,
        privileges: 170,
        ...room,
      });
    }
  });

  test('expired one second after expireAt', () => {
    expect(verifyUserSig({ sdkAppID: SDK, secretKey: KEY, userSig: sig, now: NOW + 3601 })).toMatchObject({
      ok: false,
      reason: 'expired',
      expireAt: NOW + 3600,
    });
  });

  test('wrong key, wrong sdkappid, wrong user', () => {
    expect(verifyUserSig({ sdkAppID: SDK, secretKey: KEY + 'x', userSig: sig, now: NOW })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(verifyUserSig({ sdkAppID: SDK + 1, secretKey: KEY, userSig: sig, now: NOW })).toEqual({
      ok: false,
      reason: 'sdkappid-mismatch',
    });
    expect(
      verifyUserSig({ sdkAppID: SDK, secretKey: KEY, userSig: sig, now: NOW, userID: 'bob' }),
    ).toMatchObject({
      ok: false,
      reason: 'userid-mismatch',
    });
  });

  test('tampered fields are rejected', () => {
    const doc = decodeJson(sig);
    for (const [k, v] of [
      ['TLS.identifier', 'mallory'],
      ['TLS.expire', 999999],
      ['TLS.time', NOW + 100],
      ['TLS.userbuf', 'AAAA'],
    ] as const) {
      const forged = encodeJson({ ...doc, [k]: v });
      expect(verifyUserSig({ sdkAppID: SDK, secretKey: KEY, userSig: forged, now: NOW })).toEqual({
        ok: false,
        reason: 'bad-signature',
      });
    }
    // a valid HMAC for another key
    const other = createHmac('sha256', 'other').update('x').digest('base64');
    expect(
      verifyUserSig({
        sdkAppID: SDK,
        secretKey: KEY,
        userSig: encodeJson({ ...doc, 'TLS.sig': other }),
        now: NOW,
      }).reason,
    ).toBe('bad-signature');
    // a truncated signature
    expect(
      verifyUserSig({
        sdkAppID: SDK,
        secretKey: KEY,
        userSig: encodeJson({ ...doc, 'TLS.sig': 'AAAA' }),
        now: NOW,
      }).reason,
    ).toBe('bad-signature');
  });

  test('malformed input', () => {
    const doc = decodeJson(sig);
    const bad = [
      '',
      'not a sig!',
      sig.slice(0, 40),
      sig.replace(/^eJ/, 'xx'),
      'A'.repeat(5000),
      encodeJson([1, 2]),
      encodeJson({ ...doc, 'TLS.ver': '1.0' }),
      encodeJson({ ...doc, 'TLS.identifier': 5 }),
      encodeJson({ ...doc, 'TLS.expire': '60' }),
      encodeJson({ ...doc, 'TLS.sig': undefined }),
      escape(deflateSync(Buffer.alloc(100000, 32)).toString('base64')), // inflates past the limit
    ];
    for (const s of bad) {
      expect(verifyUserSig({ sdkAppID: SDK, secretKey: KEY, userSig: s, now: NOW })).toEqual({
        ok: false,
        reason: 'malformed',
      });
    }
    expect(decodeUserSig(undefined as unknown as string)).toBeNull();
  });

  test('bad options throw', () => {
    const base = { sdkAppID: SDK, secretKey: KEY, userID: 'alice', expireSeconds: 60, now: NOW };
    expect(() => createUserSig({ ...base, sdkAppID: 0 })).toThrow(/sdkAppID/);
    expect(() => createUserSig({ ...base, secretKey: '' })).toThrow(/secretKey/);
    expect(() => createUserSig({ ...base, userID: '' })).toThrow(/userID/);
    expect(() => createUserSig({ ...base, expireSeconds: 0 })).toThrow(/expireSeconds/);
    expect(() => createUserSig({ ...base, now: 1.5 })).toThrow(/now/);
    expect(() => createPrivateMapKey({ ...base, privileges: 256, roomID: 1 })).toThrow(/privileges/);
    expect(() => createPrivateMapKey({ ...base, privileges: 1 })).toThrow(/exactly one/);
    expect(() => createPrivateMapKey({ ...base, privileges: 1, roomID: 1, strRoomID: 'a' })).toThrow(
      /exactly one/,
    );
    expect(() => createPrivateMapKey({ ...base, privileges: 1, roomID: 0 })).toThrow(/roomID/);
    expect(() => createPrivateMapKey({ ...base, privileges: 1, strRoomID: '' })).toThrow(/strRoomID/);
    // the userbuf's expireAt is a u32 of unix seconds: past 2106 it would wrap to a time long gone (the official
    // package wraps it), a key whose TLS.expire says valid and whose userbuf says expired decades ago
    const far = { ...base, privileges: ANCHOR_PRIVILEGES, roomID: 1, now: NOW };
    expect(() => createPrivateMapKey({ ...far, expireSeconds: 0x100000000 - NOW })).toThrow(/expire/);
    expect(() => createPrivateMapKey({ ...far, expireSeconds: 0xffffffff })).toThrow(/expire/);
    const last = createPrivateMapKey({ ...far, expireSeconds: 0xffffffff - NOW });
    const info = verifyUserSig({ sdkAppID: SDK, secretKey: KEY, userSig: last, now: NOW }).privateMap;
    expect(info?.expireAt).toBe(0xffffffff);
  });
});
