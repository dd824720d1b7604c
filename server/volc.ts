/**
 * Volcengine RTC token (the `token` Douyin's `joinRtcRoom` wants), same bytes as the official Node, Python and
 * Java implementations (test vectors in test/server/volc.test.ts). All integers little-endian:
 *
 *   msg     = u32 nonce | u32 issuedAt | u32 expireAt | u16 len | roomId | u16 len | userId
 *             | u16 N | N x (u16 privilegeId | u32 privilegeExpireAt)      (ascending ids)
 *   content = u16 len(msg) | msg | u16 32 | HMAC-SHA256(appKey, msg)
 *   token   = "001" + appId + base64(content)
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { TT_APP_ID_PATTERN } from '../utils/core/validate';
import { assertInt, assertNonEmptyString, unixNow } from './util';

export const VOLC_TOKEN_VERSION = '001';
const APP_ID_LENGTH = 24;
const APP_ID_RE = new RegExp(TT_APP_ID_PATTERN);
const MAX_TOKEN_CHARS = 4096;

/** Privilege ids. Publishing sets 0-3 (stream, audio, video, data) together, as the official SDKs do. */
export const VOLC_PRIVILEGE = {
  publishStream: 0,
  publishAudioStream: 1,
  publishVideoStream: 2,
  publishDataStream: 3,
  subscribeStream: 4,
} as const;

/** Each value is that privilege's own expiry in unix seconds; 0 = never expires. */
export interface VolcPrivileges {
  publish?: number;
  subscribe?: number;
}

export interface CreateVolcTokenOptions {
  appId: string;
  appKey: string;
  roomId: string;
  userId: string;
  /** unix seconds; 0 = the token never expires */
  expireAt: number;
  privileges: VolcPrivileges;
  /** u32; a fresh crypto-random nonce per token when omitted */
  nonce?: number;
  /** unix seconds; defaults to the clock */
  issuedAt?: number;
}

export interface VerifyVolcTokenOptions {
  appKey: string;
  token: string;
  /** unix seconds; defaults to the clock */
  now?: number;
  /** when given, the token must be for this AppId */
  appId?: string;
  /** when given, the token must be for this room (a token for room "*" matches any room) */
  roomId?: string;
  /** when given, the token must be for this user */
  userId?: string;
}

export type VolcTokenFailure =
  'malformed' | 'bad-signature' | 'appid-mismatch' | 'room-mismatch' | 'userid-mismatch' | 'expired';

export interface VerifyVolcTokenResult {
  ok: boolean;
  appId?: string;
  roomId?: string;
  userId?: string;
  /** unix seconds; 0 = never */
  expireAt?: number;
  issuedAt?: number;
  nonce?: number;
  privileges?: VolcPrivileges;
  /** every privilege id in the token with its expiry */
  privilegeMap?: Record<number, number>;
  reason?: VolcTokenFailure;
}

class Writer {
  private parts: Buffer[] = [];
  u16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(v);
    this.parts.push(b);
    return this;
  }
  u32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.parts.push(b);
    return this;
  }
  bytes(b: Buffer): this {
    this.u16(b.length);
    this.parts.push(b);
    return this;
  }
  build(): Buffer {
    return Buffer.concat(this.parts);
  }
}

class Reader {
  private o = 0;
  constructor(private readonly buf: Buffer) {}
  private need(n: number): void {
    if (this.o + n > this.buf.length) throw new RangeError('truncated');
  }
  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16LE(this.o);
    this.o += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.o);
    this.o += 4;
    return v;
  }
  bytes(): Buffer {
    const n = this.u16();
    this.need(n);
    const b = this.buf.subarray(this.o, this.o + n);
    this.o += n;
    return b;
  }
  get done(): boolean {
    return this.o === this.buf.length;
  }
}

function privilegeMapOf(p: VolcPrivileges): Map<number, number> {
  const map = new Map<number, number>();
  if (p.publish !== undefined) {
    assertInt('privileges.publish', p.publish, 0, 0xffffffff);
    map.set(VOLC_PRIVILEGE.publishStream, p.publish);
    map.set(VOLC_PRIVILEGE.publishAudioStream, p.publish);
    map.set(VOLC_PRIVILEGE.publishVideoStream, p.publish);
    map.set(VOLC_PRIVILEGE.publishDataStream, p.publish);
  }
  if (p.subscribe !== undefined) {
    assertInt('privileges.subscribe', p.subscribe, 0, 0xffffffff);
    map.set(VOLC_PRIVILEGE.subscribeStream, p.subscribe);
  }
  return map;
}

function hmac(appKey: string, msg: Buffer): Buffer {
  return createHmac('sha256', appKey).update(msg).digest();
}

/** A Volcengine RTC token for one user in one room. */
export function createVolcToken(options: CreateVolcTokenOptions): string {
  if (typeof options.appId !== 'string' || !APP_ID_RE.test(options.appId)) {
    throw new TypeError('appId must be the 24-character Volcengine AppId');
  }
  assertNonEmptyString('appKey', options.appKey);
  if (typeof options.roomId !== 'string') throw new TypeError('roomId must be a string');
  assertNonEmptyString('userId', options.userId);
  assertInt('expireAt', options.expireAt, 0, 0xffffffff);
  const nonce = options.nonce ?? randomInt(1, 0x100000000);
  assertInt('nonce', nonce, 0, 0xffffffff);
  const issuedAt = options.issuedAt ?? unixNow();
  assertInt('issuedAt', issuedAt, 0, 0xffffffff);
  const room = Buffer.from(options.roomId, 'utf8');
  const user = Buffer.from(options.userId, 'utf8');
  if (room.length > 0xffff || user.length > 0xffff) throw new RangeError('roomId/userId too long');

  const privileges = [...privilegeMapOf(options.privileges ?? {})].sort((a, b) => a[0] - b[0]);
  const w = new Writer()
    .u32(nonce)
    .u32(issuedAt)
    .u32(options.expireAt)
    .bytes(room)
    .bytes(user)
    .u16(privileges.length);
  for (const [id, expireAt] of privileges) w.u16(id).u32(expireAt);
  const msg = w.build();
  const content = new Writer().bytes(msg).bytes(hmac(options.appKey, msg)).build();
  return VOLC_TOKEN_VERSION + options.appId + content.toString('base64');
}

interface ParsedVolcToken {
  appId: string;
  nonce: number;
  issuedAt: number;
  expireAt: number;
  roomId: string;
  userId: string;
  privilegeMap: Record<number, number>;
  msg: Buffer;
  signature: Buffer;
}

/** Parses a token without checking its signature; null if malformed. */
export function parseVolcToken(token: string): ParsedVolcToken | null {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS) return null;
  if (!token.startsWith(VOLC_TOKEN_VERSION)) return null;
  const appId = token.slice(3, 3 + APP_ID_LENGTH);
  const b64 = token.slice(3 + APP_ID_LENGTH);
  if (!APP_ID_RE.test(appId) || b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return null;
  try {
    const outer = new Reader(Buffer.from(b64, 'base64'));
    const msg = outer.bytes();
    const signature = outer.bytes();
    if (!outer.done) return null;
    const r = new Reader(msg);
    const nonce = r.u32();
    const issuedAt = r.u32();
    const expireAt = r.u32();
    const roomId = r.bytes().toString('utf8');
    const userId = r.bytes().toString('utf8');
    const n = r.u16();
    const privilegeMap: Record<number, number> = {};
    for (let i = 0; i < n; i++) {
      const id = r.u16();
      privilegeMap[id] = r.u32();
    }
    if (!r.done) return null;
    return { appId, nonce, issuedAt, expireAt, roomId, userId, privilegeMap, msg, signature };
  } catch {
    return null;
  }
}

/** Parses a token, checks its HMAC in constant time, the optional app/room/user bindings and its expiry. */
export function verifyVolcToken(options: VerifyVolcTokenOptions): VerifyVolcTokenResult {
  const t = parseVolcToken(options.token);
  if (!t) return { ok: false, reason: 'malformed' };
  const expected = hmac(options.appKey, t.msg);
  if (t.signature.length !== expected.length || !timingSafeEqual(t.signature, expected)) {
    return { ok: false, reason: 'bad-signature' };
  }
  const privileges: VolcPrivileges = {};
  if (t.privilegeMap[VOLC_PRIVILEGE.publishStream] !== undefined) {
    privileges.publish = t.privilegeMap[VOLC_PRIVILEGE.publishStream];
  }
  if (t.privilegeMap[VOLC_PRIVILEGE.subscribeStream] !== undefined) {
    privileges.subscribe = t.privilegeMap[VOLC_PRIVILEGE.subscribeStream];
  }
  const result: VerifyVolcTokenResult = {
    ok: true,
    appId: t.appId,
    roomId: t.roomId,
    userId: t.userId,
    expireAt: t.expireAt,
    issuedAt: t.issuedAt,
    nonce: t.nonce,
    privileges,
    privilegeMap: t.privilegeMap,
  };
  const fail = (reason: VolcTokenFailure): VerifyVolcTokenResult => ({ ...result, ok: false, reason });
  if (options.appId !== undefined && options.appId !== t.appId) return fail('appid-mismatch');
  if (options.roomId !== undefined && t.roomId !== '*' && options.roomId !== t.roomId)
    return fail('room-mismatch');
  if (options.userId !== undefined && options.userId !== t.userId) return fail('userid-mismatch');
  if (t.expireAt > 0 && (options.now ?? unixNow()) > t.expireAt) return fail('expired');
  return result;
}

/** Whether a privilege value (its expiry, 0 = never) is still valid at `now`. */
export function volcPrivilegeActive(expireAt: number | undefined, now: number = unixNow()): boolean {
  return expireAt !== undefined && (expireAt === 0 || now <= expireAt);
}
