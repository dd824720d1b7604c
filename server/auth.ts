/**
 * Who is calling, and what they may get.
 *   - Identity: from an app session JWT the integrator's backend issues (HS256 secret, RS256/ES256 public key or
 *     JWKS URL; `sub` = userID, optional `role` and `rooms` claims), from a session token POST /api/login
 *     issued, or from the integrator's `authenticate(request)` hook. Never from the request body.
 *   - Grant: the role (and PrivateMapKey privileges) from a server-side policy plus the integrator's
 *     `authorize` hook. Never from the caller.
 * JWTs are verified with `jose`; expiry is required and the clock skew is bounded.
 */
import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { FastifyRequest } from 'fastify';
import {
  roomKey,
  ROLES,
  ROOM_ID_MAX,
  ROOM_ID_MIN,
  type Platform,
  type Role,
  type RoomRef,
} from '../utils/core/validate';
import type { AuthConfig, JwtConfig } from './config';
import { ANCHOR_PRIVILEGES, AUDIENCE_PRIVILEGES } from './trtc';

export interface Identity {
  /** the user the credentials are for */
  userID: string;
  /** a role the identity carries (JWT `role` claim): 'anchor' lets a user publish in a `live` scene */
  role?: Role;
  /** rooms the identity is limited to (JWT `rooms` claim; numeric rooms as decimal strings) */
  rooms?: string[];
  /** how it was established */
  method: 'jwt' | 'session' | 'custom' | 'none';
  /** the platform of a mini-program login session */
  platform?: Platform;
  /** the verified token claims (jwt / session) */
  claims?: JWTPayload;
}

/** What the integrator's `authenticate` returns: `{userID, role?, rooms?}` (method defaults to 'custom'). */
export type AuthenticatedUser = Omit<Identity, 'method'> & { method?: Identity['method'] };

/** The integrator's own authentication: the caller, or null for "not via this hook" (then bearer tokens). */
export type Authenticate = (
  request: FastifyRequest,
) => AuthenticatedUser | null | Promise<AuthenticatedUser | null>;

export interface Grant {
  role: Role;
  /** WeChat: the PrivateMapKey privilege bitmap (default 255 for anchors, 170 for the audience) */
  privileges?: number;
}

export interface Denial {
  /** e.g. 'room_not_allowed', 'role_not_allowed', or the integrator's own code */
  deny: string;
  message?: string;
}

export interface AuthorizeInput {
  identity: Identity;
  platform: Platform;
  room: RoomRef;
  /** the room as one string (numeric rooms as decimal) */
  roomKey: string;
  /** the role the caller asked for, if any (a wish, not a right) */
  requestedRole?: Role;
  request: FastifyRequest;
}

/**
 * The integrator's rules: gets the default policy's decision and returns the final one (a Grant, a Denial,
 * or false = deny).
 */
export type Authorize = (
  input: AuthorizeInput,
  defaultDecision: Grant | Denial,
) => Grant | Denial | false | Promise<Grant | Denial | false>;

export class AuthError extends Error {
  constructor(
    /**
     * 'missing' = no credentials sent; 'invalid' = sent and refused; 'unavailable' = cannot be checked now (the
     * JWKS is not reachable): no credential, but not the caller's fault
     */
    readonly kind: 'missing' | 'invalid' | 'unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

export const SESSION_ISSUER = 'webrtc-room-server';
export const SESSION_AUDIENCE = 'webrtc-room-server/session';

export function isDenial(d: Grant | Denial): d is Denial {
  return typeof (d as Denial).deny === 'string';
}

/**
 * Whether a rooms claim (numeric rooms as decimal strings) lets the identity into `room`. On WeChat a numeric room
 * and a string room are two rooms even with the same digits (TRTC keeps them apart), and "1234" in the claim is
 * the numeric room: a string room that is the decimal form of a numeric room is not matched. Douyin has one
 * namespace (roomID 1234 is the Volcengine room "1234"). Without a platform, WeChat's stricter rule applies.
 */
function roomInClaim(rooms: string[], room: RoomRef, platform: Platform | undefined): boolean {
  const key = roomKey(room);
  if (!rooms.includes(key)) return false;
  if (platform === 'tt' || room.strRoomID === undefined) return true;
  const n = Number(key);
  return !(/^[1-9]\d*$/.test(key) && n >= ROOM_ID_MIN && n <= ROOM_ID_MAX);
}

/** Default policy: rooms claim limits the rooms; `rtc` scene = anchor, `live` scene = audience unless role claim. */
export function defaultPolicy(
  scene: AuthConfig['scene'],
  identity: Identity,
  room: RoomRef,
  requestedRole?: Role,
  platform?: Platform,
): Grant | Denial {
  const key = roomKey(room);
  if (identity.rooms && !roomInClaim(identity.rooms, room, platform)) {
    return { deny: 'room_not_allowed', message: `this identity may not enter room ${JSON.stringify(key)}` };
  }
  const allowed: Role =
    scene === 'live' ? (identity.role === 'anchor' ? 'anchor' : 'audience') : (identity.role ?? 'anchor');
  if (requestedRole === 'anchor' && allowed !== 'anchor') {
    return { deny: 'role_not_allowed', message: 'this identity may not publish (role anchor) in this room' };
  }
  return { role: requestedRole === 'audience' ? 'audience' : allowed };
}

/**
 * The integrator's decision, checked (fail closed): `false` or anything with a `deny` is a denial (a code that is
 * not a string becomes 'not_allowed'); a grant needs a known role and privileges in 0..255; anything else
 * (`{}`, `true`, nothing returned) is the server's own bug, an Error (500), never a credential.
 */
export function checkDecision(d: unknown): Grant | Denial {
  if (d === false) return { deny: 'not_allowed' };
  if (typeof d !== 'object' || d === null)
    throw new Error('authorize returned neither a grant ({role}) nor a denial ({deny} or false)');
  const o = d as Record<string, unknown>;
  if ('deny' in o) {
    const deny = typeof o.deny === 'string' && o.deny !== '' ? o.deny : 'not_allowed';
    return typeof o.message === 'string' ? { deny, message: o.message } : { deny };
  }
  if (!(ROLES as readonly unknown[]).includes(o.role))
    throw new Error(`authorize returned a grant whose role is not one of ${ROLES.join(', ')}`);
  if (
    o.privileges !== undefined &&
    !(Number.isInteger(o.privileges) && (o.privileges as number) >= 0 && (o.privileges as number) <= 255)
  )
    throw new Error('authorize returned privileges that are not an 8-bit TRTC bitmap');
  return o.privileges === undefined
    ? { role: o.role as Role }
    : { role: o.role as Role, privileges: o.privileges as number };
}

export function privilegesFor(grant: Grant): number {
  if (grant.privileges !== undefined) return grant.privileges;
  return grant.role === 'anchor' ? ANCHOR_PRIVILEGES : AUDIENCE_PRIVILEGES;
}

/**
 * The identity the integrator's `authenticate` returned, checked like token claims (a `rooms` string would match
 * every substring of it): a malformed one is the server's own bug, so an Error (500), never a credential.
 */
export function hookIdentity(u: AuthenticatedUser): Identity {
  const id: Identity = { ...u, method: u.method ?? 'custom' };
  if (u.role !== undefined && !(ROLES as readonly unknown[]).includes(u.role))
    throw new Error(`authenticate returned a role that is not one of ${ROLES.join(', ')}`);
  const rooms: unknown = u.rooms;
  if (rooms !== undefined) {
    if (!Array.isArray(rooms) || !rooms.every((r) => typeof r === 'string' || Number.isInteger(r)))
      throw new Error('authenticate returned rooms that are not a list of room IDs');
    id.rooms = rooms.map((r) => String(r));
  }
  return id;
}

function claimsToIdentity(payload: JWTPayload, method: 'jwt' | 'session'): Identity {
  const sub = payload.sub;
  if (typeof sub !== 'string' || sub === '') throw new AuthError('invalid', 'the token has no sub (userID)');
  const id: Identity = { userID: sub, method, claims: payload };
  const role = payload.role;
  if (role !== undefined) {
    if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role))
      throw new AuthError('invalid', `the token's role claim must be one of ${ROLES.join(', ')}`);
    id.role = role as Role;
  }
  const rooms = payload.rooms;
  if (rooms !== undefined) {
    if (!Array.isArray(rooms) || !rooms.every((r) => typeof r === 'string' || Number.isInteger(r)))
      throw new AuthError('invalid', "the token's rooms claim must be a list of room IDs");
    id.rooms = rooms.map((r) => String(r));
  }
  if (method === 'session' && (payload.plat === 'wx' || payload.plat === 'tt')) id.platform = payload.plat;
  return id;
}

function describeJoseError(e: unknown): string {
  if (e instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (e instanceof joseErrors.JWTClaimValidationFailed) return `the token's ${e.claim} claim is not accepted`;
  if (e instanceof joseErrors.JWSSignatureVerificationFailed) return 'the token signature is not valid';
  if (e instanceof joseErrors.JOSEAlgNotAllowed) return 'the token algorithm is not accepted';
  if (e instanceof joseErrors.JWKSNoMatchingKey) return 'no key in the JWKS matches the token';
  if (e instanceof joseErrors.JWKSTimeout || e instanceof joseErrors.JWKSInvalid)
    return 'the JWKS could not be fetched';
  if (e instanceof AuthError) return e.message;
  return 'the token is not a valid JWT';
}

export interface TokenVerifier {
  /** the identity in a bearer token, or AuthError */
  verify(token: string, nowSeconds: number): Promise<Identity>;
  /** a session token for a mini-program login (POST /api/login) */
  issueSession(
    userID: string,
    platform: Platform,
    nowSeconds: number,
  ): Promise<{ token: string; expireAt: number }>;
}

export function createTokenVerifier(auth: AuthConfig, options: { fetchJwks?: boolean } = {}): TokenVerifier {
  const sessionKeys: KeyObject[] = auth.sessionSecrets.map((s) => createSecretKey(Buffer.from(s, 'utf8')));
  const jwt: JwtConfig | null = auth.methods.includes('jwt') ? auth.jwt : null;
  const hmacKeys = (jwt?.secrets ?? []).map((s) => createSecretKey(Buffer.from(s, 'utf8')));
  const publicKey = jwt?.publicKeyPem ? createPublicKey(jwt.publicKeyPem) : null;
  const remote: JWTVerifyGetKey | null =
    jwt?.jwksUrl && options.fetchJwks !== false
      ? createRemoteJWKSet(new URL(jwt.jwksUrl), { timeoutDuration: 3000, cooldownDuration: 30_000 })
      : null;
  // a JWKS that cannot be fetched (timeout, network, not a key set) says nothing about the token
  const jwks: JWTVerifyGetKey | null = remote
    ? async (header, token) => {
        try {
          return await remote(header, token);
        } catch (e) {
          if (e instanceof joseErrors.JWKSNoMatchingKey || e instanceof joseErrors.JWKSMultipleMatchingKeys)
            throw e;
          throw new AuthError('unavailable', 'the token cannot be checked now: the JWKS is not reachable');
        }
      }
    : null;
  const loginEnabled = auth.methods.includes('login');

  async function verifyWith(
    token: string,
    keys: Array<KeyObject | JWTVerifyGetKey>,
    opts: Parameters<typeof jwtVerify>[2],
  ): Promise<JWTPayload> {
    let last: unknown = null; // no Error made on the good path: a stack trace costs more than the HMAC
    let unavailable: AuthError | null = null;
    for (const key of keys) {
      try {
        const r =
          typeof key === 'function'
            ? await jwtVerify(token, key, opts)
            : await jwtVerify(token, key as KeyObject, opts);
        return r.payload;
      } catch (e) {
        if (e instanceof AuthError && e.kind === 'unavailable') {
          unavailable = e; // another key (a configured PEM) may still verify it
          continue;
        }
        last = e;
        // a bad signature may just be the other (rotated) key; anything else is final
        if (
          !(e instanceof joseErrors.JWSSignatureVerificationFailed) &&
          !(e instanceof joseErrors.JWKSNoMatchingKey)
        )
          break;
      }
    }
    // no key verified it and one could not be fetched: not known to be bad (a final error still is)
    if (
      unavailable &&
      (last === null ||
        last instanceof joseErrors.JWSSignatureVerificationFailed ||
        last instanceof joseErrors.JWKSNoMatchingKey)
    )
      throw unavailable;
    throw new AuthError(
      'invalid',
      last === null ? 'no key configured for this token' : describeJoseError(last),
    );
  }

  return {
    async verify(token, now) {
      let header: ReturnType<typeof decodeProtectedHeader>;
      let unverified: JWTPayload;
      try {
        header = decodeProtectedHeader(token);
        unverified = decodeJwt(token);
      } catch {
        throw new AuthError('invalid', 'the bearer token is not a JWT');
      }
      const currentDate = new Date(now * 1000);
      if (unverified.iss === SESSION_ISSUER) {
        if (!loginEnabled) throw new AuthError('invalid', 'login session tokens are not accepted here');
        const payload = await verifyWith(token, sessionKeys, {
          algorithms: ['HS256'],
          issuer: SESSION_ISSUER,
          audience: SESSION_AUDIENCE,
          requiredClaims: ['exp', 'sub', 'iat'],
          clockTolerance: 5,
          currentDate,
        });
        return claimsToIdentity(payload, 'session');
      }
      if (!jwt) throw new AuthError('invalid', 'app session tokens (JWT) are not configured on this server');
      const alg = header.alg ?? '';
      if (!jwt.algorithms.includes(alg))
        throw new AuthError('invalid', 'the token algorithm is not accepted');
      const keys: Array<KeyObject | JWTVerifyGetKey> =
        alg === 'HS256' ? hmacKeys : [...(jwks ? [jwks] : []), ...(publicKey ? [publicKey] : [])];
      const payload = await verifyWith(token, keys, {
        algorithms: jwt.algorithms,
        ...(jwt.issuer ? { issuer: jwt.issuer } : {}),
        ...(jwt.audience ? { audience: jwt.audience } : {}),
        requiredClaims: ['exp', 'sub'],
        clockTolerance: jwt.clockSkewSeconds,
        currentDate,
      });
      return claimsToIdentity(payload, 'jwt');
    },

    async issueSession(userID, platform, now) {
      if (sessionKeys.length === 0) throw new Error('no SESSION_SECRET configured');
      const expireAt = now + auth.sessionTtlSeconds;
      const token = await new SignJWT({ plat: platform })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(userID)
        .setIssuer(SESSION_ISSUER)
        .setAudience(SESSION_AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(expireAt)
        .sign(sessionKeys[0]);
      return { token, expireAt };
    },
  };
}

/** The bearer token in an Authorization header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer[ \t]+([A-Za-z0-9._~+/=-]+)[ \t]*$/i.exec(header ?? '');
  return m ? m[1] : null;
}
