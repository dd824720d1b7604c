/**
 * TRTC UserSig and PrivateMapKey (TLS sig v2), byte-for-byte the same as the official `tls-sig-api-v2`
 * package (proved in test/server/trtc.test.ts), plus the `now` override the package lacks and a verifier.
 *
 * Format: JSON {TLS.ver, TLS.identifier, TLS.sdkappid, TLS.time, TLS.expire, [TLS.userbuf], TLS.sig}
 * -> zlib deflate -> base64 with `+`->`*`, `/`->`-`, `=`->`_`. TLS.sig = base64(HMAC-SHA256(secretKey, content)).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { ROOM_ID_MAX, ROOM_ID_MIN } from '../utils/core/validate';
import { assertInt, assertNonEmptyString, unixNow } from './util';

/** The 8 TRTC PrivateMapKey privilege bits. */
export const TRTC_PRIVILEGE = {
  createRoom: 1,
  enterRoom: 2,
  sendAudio: 4,
  recvAudio: 8,
  sendVideo: 16,
  recvVideo: 32,
  sendSubVideo: 64,
  recvSubVideo: 128,
} as const;

/** Anchors: every right in the room. */
export const ANCHOR_PRIVILEGES = 255;
/** Audience: enter and receive audio, video and screen share (2 + 8 + 32 + 128); no create, no publish. */
export const AUDIENCE_PRIVILEGES =
  TRTC_PRIVILEGE.enterRoom |
  TRTC_PRIVILEGE.recvAudio |
  TRTC_PRIVILEGE.recvVideo |
  TRTC_PRIVILEGE.recvSubVideo;

export interface CreateUserSigOptions {
  sdkAppID: number;
  secretKey: string;
  userID: string;
  /** lifetime in seconds (TLS.expire) */
  expireSeconds: number;
  /** unix seconds; defaults to the clock */
  now?: number;
}

export interface CreatePrivateMapKeyOptions extends CreateUserSigOptions {
  /** numeric room; exactly one of roomID / strRoomID */
  roomID?: number;
  strRoomID?: string;
  /** 8-bit TRTC privilege bitmap (see TRTC_PRIVILEGE) */
  privileges: number;
}

export interface VerifyUserSigOptions {
  sdkAppID: number;
  secretKey: string;
  userSig: string;
  /** unix seconds; defaults to the clock */
  now?: number;
  /** when given, the sig must be issued to this user */
  userID?: string;
}

export type UserSigFailure =
  'malformed' | 'sdkappid-mismatch' | 'bad-signature' | 'userid-mismatch' | 'expired';

/** PrivateMapKey payload (TLS.userbuf) decoded. */
export interface PrivateMapInfo {
  /** 0: numeric room, 1: string room */
  version: 0 | 1;
  userID: string;
  sdkAppID: number;
  /** numeric room (0 when version is 1) */
  roomID: number;
  strRoomID?: string;
  /** unix seconds */
  expireAt: number;
  privileges: number;
  accountType: number;
}

export interface VerifyUserSigResult {
  ok: boolean;
  userID?: string;
  /** unix seconds: TLS.time + TLS.expire */
  expireAt?: number;
  /** present when the sig carries a PrivateMapKey userbuf */
  privateMap?: PrivateMapInfo;
  reason?: UserSigFailure;
}

const MAX_SIG_CHARS = 4096;
const MAX_INFLATED_BYTES = 16384;

function escapeB64(b64: string): string {
  return b64.replace(/\+/g, '*').replace(/\//g, '-').replace(/=/g, '_');
}

function unescapeB64(s: string): string {
  return s.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=');
}

function signContent(
  secretKey: string,
  userID: string,
  sdkAppID: number,
  time: number,
  expire: number,
  userbufB64: string | null,
): Buffer {
  let content = `TLS.identifier:${userID}\nTLS.sdkappid:${sdkAppID}\nTLS.time:${time}\nTLS.expire:${expire}\n`;
  if (userbufB64 !== null) content += `TLS.userbuf:${userbufB64}\n`;
  return createHmac('sha256', secretKey).update(content).digest();
}

function checkCommon(o: CreateUserSigOptions): number {
  assertInt('sdkAppID', o.sdkAppID, 1, 0xffffffff);
  assertNonEmptyString('secretKey', o.secretKey);
  assertNonEmptyString('userID', o.userID);
  assertInt('expireSeconds', o.expireSeconds, 1, 0xffffffff);
  const now = o.now ?? unixNow();
  assertInt('now', now, 0, 0xffffffff);
  return now;
}

function genSig(o: CreateUserSigOptions, now: number, userbuf: Buffer | null): string {
  const userbufB64 = userbuf ? userbuf.toString('base64') : null;
  // Key order matters: it is the package's, and the JSON is what gets compressed.
  const doc: Record<string, string | number> = {
    'TLS.ver': '2.0',
    'TLS.identifier': o.userID,
    'TLS.sdkappid': o.sdkAppID,
    'TLS.time': now,
    'TLS.expire': o.expireSeconds,
  };
  if (userbufB64 !== null) doc['TLS.userbuf'] = userbufB64;
  doc['TLS.sig'] = signContent(o.secretKey, o.userID, o.sdkAppID, now, o.expireSeconds, userbufB64).toString(
    'base64',
  );
  return escapeB64(deflateSync(Buffer.from(JSON.stringify(doc))).toString('base64'));
}

/** A TRTC/IM UserSig, valid from `now` for `expireSeconds`. */
export function createUserSig(options: CreateUserSigOptions): string {
  const now = checkCommon(options);
  return genSig(options, now, null);
}

export interface UserbufFields {
  userID: string;
  sdkAppID: number;
  roomID: number;
  strRoomID?: string;
  expireAt: number;
  privileges: number;
  accountType?: number;
}

/**
 * The PrivateMapKey userbuf, big-endian:
 * ver(1) | accountLen(2) | account | sdkappid(4) | roomID(4) | expireAt(4) | privileges(4) | accountType(4)
 * [| roomStrLen(2) | roomStr] (ver 1, string rooms; roomID is then 0).
 * Strings are UTF-8 (the package truncates UTF-16 units to bytes; identical for the ASCII IDs TRTC allows).
 */
export function encodeUserbuf(f: UserbufFields): Buffer {
  const account = Buffer.from(f.userID, 'utf8');
  const room = f.strRoomID !== undefined ? Buffer.from(f.strRoomID, 'utf8') : null;
  if (account.length > 0xffff || (room && room.length > 0xffff))
    throw new RangeError('userbuf string too long');
  const buf = Buffer.alloc(1 + 2 + account.length + 20 + (room ? 2 + room.length : 0));
  let o = buf.writeUInt8(room ? 1 : 0, 0);
  o = buf.writeUInt16BE(account.length, o);
  o += account.copy(buf, o);
  o = buf.writeUInt32BE(f.sdkAppID >>> 0, o);
  o = buf.writeUInt32BE(f.roomID >>> 0, o);
  o = buf.writeUInt32BE(f.expireAt >>> 0, o);
  o = buf.writeUInt32BE(f.privileges >>> 0, o);
  o = buf.writeUInt32BE((f.accountType ?? 0) >>> 0, o);
  if (room) {
    o = buf.writeUInt16BE(room.length, o);
    room.copy(buf, o);
  }
  return buf;
}

/** Parses a PrivateMapKey userbuf; null if it is not exactly that layout. */
export function decodeUserbuf(buf: Buffer): PrivateMapInfo | null {
  if (buf.length < 23) return null;
  const version = buf.readUInt8(0);
  if (version !== 0 && version !== 1) return null;
  const accountLen = buf.readUInt16BE(1);
  let o = 3 + accountLen;
  if (buf.length < o + 20) return null;
  const info: PrivateMapInfo = {
    version,
    userID: buf.toString('utf8', 3, o),
    sdkAppID: buf.readUInt32BE(o),
    roomID: buf.readUInt32BE(o + 4),
    expireAt: buf.readUInt32BE(o + 8),
    privileges: buf.readUInt32BE(o + 12),
    accountType: buf.readUInt32BE(o + 16),
  };
  o += 20;
  if (version === 1) {
    if (buf.length < o + 2) return null;
    const roomLen = buf.readUInt16BE(o);
    o += 2;
    if (buf.length !== o + roomLen) return null;
    info.strRoomID = buf.toString('utf8', o, o + roomLen);
  } else if (buf.length !== o) {
    return null;
  }
  return info;
}

/** A PrivateMapKey binding `userID` to one room with the given privilege bitmap. */
export function createPrivateMapKey(options: CreatePrivateMapKeyOptions): string {
  const now = checkCommon(options);
  assertInt('privileges', options.privileges, 0, 255);
  const hasNum = options.roomID !== undefined;
  const hasStr = options.strRoomID !== undefined;
  if (hasNum === hasStr) throw new TypeError('createPrivateMapKey: set exactly one of roomID or strRoomID');
  if (hasNum) assertInt('roomID', options.roomID, ROOM_ID_MIN, ROOM_ID_MAX);
  else assertNonEmptyString('strRoomID', options.strRoomID);
  // the userbuf holds the expiry as a u32 of unix seconds: past it, it would wrap to a time long gone
  if (now + options.expireSeconds > 0xffffffff)
    throw new RangeError(
      `createPrivateMapKey: now + expireSeconds must be at most ${0xffffffff} (the userbuf's u32 expireAt)`,
    );
  const userbuf = encodeUserbuf({
    userID: options.userID,
    sdkAppID: options.sdkAppID,
    roomID: hasNum ? (options.roomID as number) : 0,
    strRoomID: options.strRoomID,
    expireAt: now + options.expireSeconds,
    privileges: options.privileges,
  });
  return genSig(options, now, userbuf);
}

interface SigDoc {
  identifier: string;
  sdkAppID: number;
  time: number;
  expire: number;
  userbuf: string | null;
  sig: Buffer;
}

/** Decodes a UserSig / PrivateMapKey without checking it; null if malformed. */
export function decodeUserSig(userSig: string): SigDoc | null {
  if (typeof userSig !== 'string' || userSig.length === 0 || userSig.length > MAX_SIG_CHARS) return null;
  if (!/^[A-Za-z0-9*_-]+$/.test(userSig)) return null;
  let json: unknown;
  try {
    const raw = inflateSync(Buffer.from(unescapeB64(userSig), 'base64'), {
      maxOutputLength: MAX_INFLATED_BYTES,
    });
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof json !== 'object' || json === null) return null;
  const d = json as Record<string, unknown>;
  const isUint = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  if (d['TLS.ver'] !== '2.0') return null;
  const identifier = d['TLS.identifier'];
  const sdkAppID = d['TLS.sdkappid'];
  const time = d['TLS.time'];
  const expire = d['TLS.expire'];
  const userbuf = d['TLS.userbuf'];
  const sig = d['TLS.sig'];
  if (typeof identifier !== 'string' || identifier === '') return null;
  if (!isUint(sdkAppID) || !isUint(time) || !isUint(expire)) return null;
  if (userbuf !== undefined && typeof userbuf !== 'string') return null;
  if (typeof sig !== 'string') return null;
  return {
    identifier,
    sdkAppID,
    time,
    expire,
    userbuf: userbuf ?? null,
    sig: Buffer.from(sig, 'base64'),
  };
}

/** Checks a UserSig or PrivateMapKey: format, sdkappid, HMAC (constant time), user (if given) and expiry. */
export function verifyUserSig(options: VerifyUserSigOptions): VerifyUserSigResult {
  const doc = decodeUserSig(options.userSig);
  if (!doc) return { ok: false, reason: 'malformed' };
  if (doc.sdkAppID !== options.sdkAppID) return { ok: false, reason: 'sdkappid-mismatch' };
  const expected = signContent(
    options.secretKey,
    doc.identifier,
    doc.sdkAppID,
    doc.time,
    doc.expire,
    doc.userbuf,
  );
  if (doc.sig.length !== expected.length || !timingSafeEqual(doc.sig, expected)) {
    return { ok: false, reason: 'bad-signature' };
  }
  const expireAt = doc.time + doc.expire;
  const result: VerifyUserSigResult = { ok: true, userID: doc.identifier, expireAt };
  if (doc.userbuf !== null) {
    const info = decodeUserbuf(Buffer.from(doc.userbuf, 'base64'));
    if (info) result.privateMap = info;
  }
  if (options.userID !== undefined && options.userID !== doc.identifier) {
    return { ...result, ok: false, reason: 'userid-mismatch' };
  }
  if ((options.now ?? unixNow()) > expireAt) return { ...result, ok: false, reason: 'expired' };
  return result;
}
