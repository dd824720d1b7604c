/**
 * The HTTP service on Fastify:
 *   POST /api/login        {platform, code}  → a short-lived session token (mini-program login)
 *   POST /api/credentials  {platform, roomID|strRoomID, userID?, role?} + Authorization: Bearer <token>
 *                          → credentials for the authenticated user, with the role the policy grants
 *   GET  /healthz
 * JSON schemas built from the component's ID rules (utils/validate.ts), a body limit, request/header/idle
 * timeouts, rate limits per IP, per user and for failed authentications (memory or Redis), a CORS allow-list.
 * Every error is JSON `{error, field, message}`.
 */
import cluster from 'node:cluster';
import * as http from 'node:http';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import Redis, { ReplyError } from 'ioredis';
import {
  checkRoom,
  checkRoomID,
  checkStrRoomID,
  checkUserID,
  roomKey,
  type Platform,
  type Role,
  ROLES,
  ROOM_ID_MAX,
  TT_ID_PATTERN,
  WX_STR_ROOM_ID_PATTERN,
  WX_USER_ID_PATTERN,
} from '../utils/validate';
import {
  AuthError,
  bearerToken,
  createTokenVerifier,
  defaultPolicy,
  isDenial,
  privilegesFor,
  type Authenticate,
  type Authorize,
  type Identity,
} from './auth';
import { ConfigError, loadConfig, usesDevKeys, type ServerConfig, type TrustProxy } from './config';
import { issueCredentials, PlatformUnavailableError } from './credentials';
import { codeToSession, defaultUserID, LoginError, type PlatformSession } from './login';
import { createLoginStandIn, type LoginStandIn } from './login-standin';
import { unixNow } from './util';

export interface CreateServerOptions {
  /** clock in unix seconds (tests) */
  now?: () => number;
  /** where the logger writes when `config.logLevel` is set (default stdout) */
  logStream?: { write(line: string): void };
  /**
   * Your own authentication, tried first: return the caller's identity, or null to fall through to the built-in
   * methods (bearer JWT / login session). Counts as a configured method (production starts with only this).
   */
  authenticate?: Authenticate;
  /** Your own rules: gets the default policy's decision (rooms claim, ROOM_SCENE) and returns the final one. */
  authorize?: Authorize;
  /** maps a mini-program login to a userID (default: the openid, or a hash of it when it is not a valid ID) */
  mapUser?: (session: PlatformSession) => string | Promise<string>;
  /** a Redis client for the rate limits (default: one from REDIS_URL, or memory) */
  redis?: Redis;
  /** HTTP client for the platform login APIs (default: global fetch) */
  fetch?: typeof fetch;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** the authenticated caller (POST /api/credentials), set before the handler runs */
    identity: Identity | null;
  }
}

/** The active keys, for code in the same process (the local room emulator) that verifies what was issued. */
export interface ActiveCredentials {
  mode: ServerConfig['mode'];
  devKeys: boolean;
  trtc: ServerConfig['trtc'];
  volc: ServerConfig['volc'];
}

export type SigningServer = FastifyInstance & {
  /** the configuration the server runs with (holds secrets: never log it; use describeConfig) */
  readonly signingConfig: ServerConfig;
  /** the active keys, e.g. for verifyUserSig / verifyVolcToken in the local emulator */
  readonly credentials: ActiveCredentials;
  /** development only: the local stand-in of the platforms' login APIs (null otherwise) */
  readonly loginStandIn: LoginStandIn | null;
};

export interface ErrorBody {
  error: string;
  field: string;
  message: string;
}

interface CredentialsBody {
  platform: Platform;
  userID?: string;
  roomID?: number | string;
  strRoomID?: string;
  role?: Role;
}

/** `''` counts as "not set", as in checkRoom. */
const orEmpty = (pattern: string): string => `^$|${pattern}`;

export const credentialsBodySchema = {
  type: 'object',
  required: ['platform'],
  additionalProperties: false,
  properties: {
    platform: { type: 'string', enum: ['wx', 'tt'] },
    // optional: the credentials are for the authenticated user; a different userID is refused (403)
    userID: { type: 'string', minLength: 1, maxLength: 128 },
    // 0 and '' count as "not set" (checkRoom decides); numeric strings are accepted like the component does
    roomID: {
      anyOf: [
        { type: 'integer', minimum: 0, maximum: ROOM_ID_MAX },
        { type: 'string', pattern: '^\\s*\\d{0,10}\\s*$' },
      ],
    },
    strRoomID: { type: 'string', maxLength: 128 },
    role: { type: 'string', enum: [...ROLES] },
  },
  allOf: [
    {
      if: { properties: { platform: { const: 'wx' } } },
      then: {
        properties: {
          userID: { type: 'string', pattern: WX_USER_ID_PATTERN },
          strRoomID: { type: 'string', pattern: orEmpty(WX_STR_ROOM_ID_PATTERN) },
        },
      },
    },
    {
      if: { properties: { platform: { const: 'tt' } } },
      then: {
        properties: {
          userID: { type: 'string', pattern: TT_ID_PATTERN },
          strRoomID: { type: 'string', pattern: orEmpty(TT_ID_PATTERN) },
        },
      },
    },
  ],
} as const;

interface LoginBody {
  platform: Platform;
  code: string;
}

export const loginBodySchema = {
  type: 'object',
  required: ['platform', 'code'],
  additionalProperties: false,
  properties: {
    platform: { type: 'string', enum: ['wx', 'tt'] },
    code: { type: 'string', minLength: 1, maxLength: 256, pattern: '^[\\x21-\\x7e]+$' },
  },
} as const;

const loginResponseSchema = {
  type: 'object',
  required: ['token', 'tokenType', 'userID', 'platform', 'expireAt'],
  properties: {
    token: { type: 'string' },
    tokenType: { type: 'string' },
    userID: { type: 'string' },
    platform: { type: 'string' },
    expireAt: { type: 'integer' },
  },
} as const;

const credentialsResponseSchema = {
  type: 'object',
  required: ['platform', 'sdkAppID', 'userID', 'role', 'userSig', 'expireAt'],
  properties: {
    platform: { type: 'string' },
    sdkAppID: { type: ['integer', 'string'] },
    userID: { type: 'string' },
    roomID: { type: 'integer' },
    strRoomID: { type: 'string' },
    role: { type: 'string' },
    userSig: { type: 'string' },
    privateMapKey: { type: 'string' },
    expireAt: { type: 'integer' },
  },
} as const;

const errorResponseSchema = {
  type: 'object',
  properties: { error: { type: 'string' }, field: { type: 'string' }, message: { type: 'string' } },
} as const;

class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
  }
}

const badRequest = (field: string, message: string): HttpError =>
  new HttpError(400, { error: 'invalid_field', field, message });

function isLocalhostOrigin(origin: string): boolean {
  try {
    const h = new URL(origin).hostname;
    return h === 'localhost' || h === '127.0.0.1' || h === '[::1]';
  } catch {
    return false;
  }
}

/** CORS allow-list: exact origins or '*'; with none configured, development allows localhost only. */
export function isOriginAllowed(origin: string, config: ServerConfig): boolean {
  const o = origin.replace(/\/+$/, '');
  if (config.allowedOrigins.length === 0) return config.mode === 'development' && isLocalhostOrigin(o);
  return config.allowedOrigins.includes('*') || config.allowedOrigins.includes(o);
}

interface AjvErrorLike {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** The field a schema error is about, and a message in the component's words where there is one. */
function describeSchemaError(err: AjvErrorLike, body: unknown): { field: string; message: string } {
  let field = err.instancePath.split('/')[1] ?? '';
  if (err.keyword === 'required' && typeof err.params.missingProperty === 'string')
    field = err.params.missingProperty;
  if (err.keyword === 'additionalProperties' && typeof err.params.additionalProperty === 'string') {
    return {
      field: err.params.additionalProperty,
      message: `unknown field "${err.params.additionalProperty}"`,
    };
  }
  if (field === '')
    return { field: 'body', message: `the body must be a JSON object (${err.message ?? 'invalid'})` };
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const platform: Platform = b.platform === 'tt' ? 'tt' : 'wx';
  const check =
    field === 'userID'
      ? checkUserID(b.userID, platform)
      : field === 'roomID'
        ? checkRoomID(b.roomID)
        : field === 'strRoomID'
          ? checkStrRoomID(b.strRoomID, platform)
          : null;
  if (check && !check.ok) return { field, message: check.error.message };
  if (field === 'platform') return { field, message: `platform must be 'wx' or 'tt'` };
  if (field === 'role')
    return { field, message: `role must be one of ${ROLES.map((r) => `'${r}'`).join(', ')}` };
  return { field, message: `${field} ${err.message ?? 'is invalid'}` };
}

function errorBodyFor(
  err: FastifyError & { body?: ErrorBody },
  request: FastifyRequest,
): [number, ErrorBody] {
  if (err instanceof HttpError) return [err.statusCode, err.body];
  if (err.validation && err.validation.length > 0) {
    const { field, message } = describeSchemaError(err.validation[0] as AjvErrorLike, request.body);
    return [400, { error: 'invalid_field', field, message }];
  }
  const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return [413, { error: 'payload_too_large', field: 'body', message: err.message }];
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return [
        415,
        { error: 'unsupported_media_type', field: 'body', message: 'send the body as application/json' },
      ];
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return [400, { error: 'invalid_json', field: 'body', message: 'the body is not valid JSON' }];
  }
  if (status === 429) {
    return [429, { error: 'rate_limited', field: 'ip', message: err.message }];
  }
  if (status >= 400 && status < 500) {
    return [status, { error: err.code ?? 'bad_request', field: 'body', message: err.message }];
  }
  return [500, { error: 'internal_error', field: '', message: 'internal error' }];
}

const unauthorized = (message: string): HttpError =>
  new HttpError(401, { error: 'unauthorized', field: 'authorization', message });
const forbidden = (error: string, field: string, message: string): HttpError =>
  new HttpError(403, { error, field, message });

/** An error of the Redis client (unreachable, closed, retries exhausted): requests fail closed with 503. */
function isStoreError(err: Error): boolean {
  return (
    err instanceof ReplyError ||
    err.name === 'MaxRetriesPerRequestError' ||
    /Connection is closed|ECONNREFUSED|Stream isn't writeable|enableOfflineQueue/.test(err.message)
  );
}

/**
 * Fastify's trustProxy. A hop count N trusts the N nearest hops (the socket peer first, then X-Forwarded-For from
 * the right), the proxy-addr semantics Fastify had for numbers; Fastify 5.12 now treats a bare number as "trust
 * nothing", so it is passed as that function. The client's own leftmost entries are never trusted.
 */
export function trustProxyOption(
  tp: TrustProxy,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof tp === 'number') return (_address: string, hop: number) => hop < tp;
  return tp;
}

/** Node's HTTP server with the request, header and idle timeouts (slow headers and slow bodies are cut). */
function serverFactoryFor(config: ServerConfig) {
  return (handler: http.RequestListener): http.Server => {
    const t = config.timeouts;
    const server = http.createServer(
      {
        headersTimeout: Math.min(t.headersMs, t.requestMs),
        requestTimeout: t.requestMs,
        keepAliveTimeout: t.keepAliveMs,
        // how often Node checks the two timeouts above (default 30 s would let a slow body live that long)
        connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(t.requestMs / 4))),
      },
      handler,
    );
    server.setTimeout(t.idleMs, (socket) => socket.destroy());
    return server;
  };
}

/**
 * The signing service, not yet listening: call `.listen({host, port})`, or `.inject()` in tests.
 * `createServer()` without a config reads the environment (throws ConfigError when it cannot start).
 * Fails closed: without an authentication method (built in, or `options.authenticate`) it does not start;
 * `AUTH=none` is the explicit opt-out.
 */
export function createServer(
  config: ServerConfig = loadConfig(),
  options: CreateServerOptions = {},
): SigningServer {
  const standInWanted = Boolean(config.auth.login.wx?.standIn || config.auth.login.tt?.standIn);
  if (config.mode === 'production' && usesDevKeys(config)) {
    throw new Error(
      `production mode must not run with development keys${standInWanted ? ' or the development login stand-in' : ''}`,
    );
  }
  if (config.auth.methods.length === 0 && !options.authenticate) {
    throw new ConfigError(
      'refusing to start without authentication: set JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL (app session ' +
        'tokens), or WX_APP_ID + WX_APP_SECRET / TT_APP_ID + TT_APP_SECRET with SESSION_SECRET (mini-program ' +
        'login), or pass authenticate to createServer; AUTH=none opts out explicitly',
    );
  }
  if (config.timeouts.headersMs > config.timeouts.requestMs) {
    throw new ConfigError('HEADERS_TIMEOUT_MS must not be larger than REQUEST_TIMEOUT_MS');
  }
  const now = options.now ?? unixNow;
  const app = Fastify<http.Server>({
    logger: config.logLevel
      ? {
          level: config.logLevel,
          ...(options.logStream ? { stream: options.logStream } : {}),
          redact: {
            paths: ['req.headers.authorization', 'req.headers.cookie', 'req.body'],
            censor: '[redacted]',
          },
        }
      : false,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: trustProxyOption(config.trustProxy),
    serverFactory: serverFactoryFor(config),
    // reject rather than coerce or silently drop: what the caller sent is what gets checked
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  });

  const credentials: ActiveCredentials = {
    mode: config.mode,
    devKeys: usesDevKeys(config),
    trtc: config.trtc,
    volc: config.volc,
  };
  const standIn: LoginStandIn | null = standInWanted
    ? createLoginStandIn(
        (['wx', 'tt'] as const).flatMap((platform) => {
          const l = config.auth.login[platform];
          return l?.standIn ? [{ platform, appId: l.appId, appSecret: l.appSecret }] : [];
        }),
      )
    : null;
  const verifier = createTokenVerifier(config.auth);
  const noneAuth = config.auth.methods.includes('none');

  let redis: Redis | null = options.redis ?? null;
  const ownRedis = redis === null && config.limits.redisUrl !== null;
  if (ownRedis) {
    redis = new Redis(config.limits.redisUrl as string, {
      connectTimeout: 1000,
      maxRetriesPerRequest: 1,
      enableAutoPipelining: true,
      lazyConnect: false,
    });
    // connection errors surface as failed limiter calls (503); never log the URL (it may hold a password)
    redis.on('error', () => undefined);
  }

  // JSON only: a text/plain body is a 415, not a confusing schema error
  app.removeContentTypeParser('text/plain');
  app.decorate('signingConfig', config);
  app.decorate('credentials', credentials);
  app.decorate('loginStandIn', standIn);
  app.decorateRequest('identity', null);
  app.addHook('onClose', async () => {
    if (ownRedis && redis) await redis.quit().catch(() => redis?.disconnect());
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (redis !== null && isStoreError(err)) {
      request.log.error({ err: { name: err.name } }, 'rate-limit store unreachable');
      return reply.code(503).send({
        error: 'limiter_unavailable',
        field: '',
        message: 'the rate-limit store is not reachable; try again',
      });
    }
    const [status, body] = errorBodyFor(err, request);
    if (status >= 500) request.log.error({ err: { message: err.message, code: err.code } }, 'request failed');
    if (status === 401) reply.header('WWW-Authenticate', 'Bearer');
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .send({ error: 'not_found', field: 'url', message: `no route ${request.method} ${request.url}` });
  });

  app.register(cors, {
    origin: (origin, cb) => cb(null, origin !== undefined && isOriginAllowed(origin, config)),
    methods: ['GET', 'POST'],
    allowedHeaders: ['Content-Type', 'Authorization'],
    maxAge: 600,
  });
  app.register(rateLimit, {
    max: config.limits.perIpPerMinute,
    timeWindow: 60_000,
    nameSpace: 'webrtc-room-rl:',
    ...(redis ? { redis } : {}),
    skipOnError: false,
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      code: 'rate_limited',
      message: `rate limit exceeded: at most ${ctx.max} requests per minute from this address, retry in ${ctx.after}`,
    }),
  });

  const checkOrigin = async (request: FastifyRequest): Promise<void> => {
    const origin = request.headers.origin;
    if (origin !== undefined && !isOriginAllowed(origin, config)) {
      throw new HttpError(403, {
        error: 'origin_not_allowed',
        field: 'origin',
        message: `origin ${origin} is not allowed`,
      });
    }
  };

  app.register(async (api) => {
    // failed authentications per IP: peeked before trying, counted only on failure
    const failures = api.createRateLimit({
      max: config.limits.authFailuresPerMinute,
      timeWindow: 60_000,
      keyGenerator: (req) => `authfail:${req.ip}`,
    });
    const perUser = api.createRateLimit({
      max: config.limits.perUserPerMinute,
      timeWindow: 60_000,
      keyGenerator: (req) => `user:${req.identity?.userID ?? ''}`,
    });
    const limiterCall = async <T>(f: () => Promise<T>): Promise<T> => {
      try {
        return await f();
      } catch {
        throw new HttpError(503, {
          error: 'limiter_unavailable',
          field: '',
          message: 'the rate-limit store is not reachable; try again',
        });
      }
    };
    const refuseIfGuessing = async (request: FastifyRequest): Promise<void> => {
      const s = await limiterCall(() => failures(request, { increment: false }));
      if (!s.isAllowed && s.remaining <= 0) {
        throw new HttpError(429, {
          error: 'too_many_failures',
          field: 'authorization',
          message: `too many failed authentications from this address: at most ${config.limits.authFailuresPerMinute} per minute`,
        });
      }
    };
    const countFailure = (request: FastifyRequest): Promise<unknown> => limiterCall(() => failures(request));

    const identify = async (request: FastifyRequest<{ Body: CredentialsBody }>): Promise<Identity> => {
      if (options.authenticate) {
        const id = await options.authenticate(request);
        if (id) return { ...id, method: id.method ?? 'custom' };
      }
      const token = bearerToken(request.headers.authorization);
      if (token !== null && config.auth.methods.some((m) => m === 'jwt' || m === 'login')) {
        return verifier.verify(token, now());
      }
      if (noneAuth && token === null) {
        const b = request.body as unknown;
        const userID = typeof b === 'object' && b !== null ? (b as { userID?: unknown }).userID : undefined;
        if (typeof userID !== 'string')
          throw new HttpError(400, {
            error: 'invalid_field',
            field: 'userID',
            message: 'AUTH=none: send the userID',
          });
        return { userID, method: 'none' };
      }
      throw new AuthError(
        token === null ? 'missing' : 'invalid',
        token === null
          ? 'send Authorization: Bearer <token> (a session token from POST /api/login or your app session JWT)'
          : 'this server accepts no bearer tokens',
      );
    };

    const authenticateHook = async (request: FastifyRequest<{ Body: CredentialsBody }>): Promise<void> => {
      await refuseIfGuessing(request);
      try {
        request.identity = await identify(request);
      } catch (e) {
        if (!(e instanceof AuthError)) throw e;
        await countFailure(request);
        throw unauthorized(e.message);
      }
      const u = await limiterCall(() => perUser(request));
      if (!u.isAllowed && u.isExceeded) {
        throw new HttpError(429, {
          error: 'rate_limited',
          field: 'user',
          message: `rate limit exceeded: at most ${config.limits.perUserPerMinute} credential requests per minute for this user`,
        });
      }
    };

    api.get('/healthz', { config: { rateLimit: false } }, async () => ({
      ok: true,
      mode: config.mode,
      devKeys: credentials.devKeys,
      platforms: { wx: config.trtc !== null, tt: config.volc !== null },
      auth: [...config.auth.methods, ...(options.authenticate ? ['custom'] : [])],
      login: { wx: config.auth.login.wx !== null, tt: config.auth.login.tt !== null },
      /** which process answered (`--workers N`: 1..N; 0 without cluster) */
      worker: cluster.isWorker ? (cluster.worker?.id ?? 0) : 0,
    }));

    api.post<{ Body: LoginBody }>(
      '/api/login',
      {
        onRequest: [checkOrigin],
        preValidation: [refuseIfGuessing],
        schema: {
          body: loginBodySchema,
          response: { 200: loginResponseSchema, '4xx': errorResponseSchema, '5xx': errorResponseSchema },
        },
      },
      async (request, reply) => {
        const { platform, code } = request.body;
        const cfg = config.auth.login[platform];
        if (!cfg || !config.auth.methods.includes('login')) {
          throw new HttpError(503, {
            error: 'login_unavailable',
            field: 'platform',
            message: `mini-program login for platform "${platform}" is not configured on this server`,
          });
        }
        let session: PlatformSession;
        try {
          session = await codeToSession(platform, cfg, code, { fetch: options.fetch, standIn });
        } catch (e) {
          if (!(e instanceof LoginError)) throw e;
          if (e.kind === 'invalid_code') {
            await countFailure(request);
            throw new HttpError(401, { error: 'login_failed', field: 'code', message: e.message });
          }
          request.log.error({ platformCode: e.platformCode, kind: e.kind }, e.message);
          throw new HttpError(e.kind === 'misconfigured' ? 500 : 503, {
            error: e.kind === 'misconfigured' ? 'login_misconfigured' : 'login_unavailable',
            field: 'code',
            message: e.kind === 'misconfigured' ? 'the login is misconfigured on this server' : e.message,
          });
        }
        const userID = await (options.mapUser ?? defaultUserID)(session);
        const valid = checkUserID(userID, 'wx');
        if (!valid.ok) {
          request.log.error('mapUser returned a userID that is not valid on WeChat');
          throw new HttpError(500, {
            error: 'internal_error',
            field: '',
            message: 'the login produced an invalid userID',
          });
        }
        const s = await verifier.issueSession(userID, platform, now());
        reply.header('Cache-Control', 'no-store');
        return { token: s.token, tokenType: 'Bearer', userID, platform, expireAt: s.expireAt };
      },
    );

    api.post<{ Body: CredentialsBody }>(
      '/api/credentials',
      {
        onRequest: [checkOrigin],
        // before the schema: an unauthenticated caller learns nothing about validation
        preValidation: [authenticateHook],
        schema: {
          body: credentialsBodySchema,
          response: {
            200: credentialsResponseSchema,
            '4xx': errorResponseSchema,
            '5xx': errorResponseSchema,
          },
        },
      },
      async (request: FastifyRequest<{ Body: CredentialsBody }>, reply: FastifyReply) => {
        const body = request.body;
        const identity = request.identity as Identity;
        if (body.userID !== undefined && body.userID !== identity.userID) {
          throw forbidden(
            'user_mismatch',
            'userID',
            'the userID is not the authenticated user (leave it out: the credentials are for the caller)',
          );
        }
        const user = checkUserID(identity.userID, body.platform);
        if (!user.ok) {
          throw forbidden('user_not_usable', 'userID', `the authenticated userID: ${user.error.message}`);
        }
        const room = checkRoom(body.roomID, body.strRoomID, body.platform);
        if (!room.ok) throw badRequest(room.error.field, room.error.message);
        const base = defaultPolicy(config.auth.scene, identity, room.value, body.role);
        const decision = options.authorize
          ? await options.authorize(
              {
                identity,
                platform: body.platform,
                room: room.value,
                roomKey: roomKey(room.value),
                requestedRole: body.role,
                request,
              },
              base,
            )
          : base;
        if (decision === false || isDenial(decision)) {
          const d = decision === false ? { deny: 'not_allowed' } : decision;
          const field =
            d.deny === 'role_not_allowed'
              ? 'role'
              : room.value.strRoomID !== undefined
                ? 'strRoomID'
                : 'roomID';
          throw forbidden(d.deny, field, d.message ?? 'this identity may not get credentials for this room');
        }
        try {
          const issued = issueCredentials(
            {
              platform: body.platform,
              userID: user.value,
              room: room.value,
              role: decision.role,
              privileges: privilegesFor(decision),
            },
            { trtc: config.trtc, volc: config.volc, ttlSeconds: config.tokenTtlSeconds, now: now() },
          );
          reply.header('Cache-Control', 'no-store');
          return issued;
        } catch (e) {
          if (e instanceof PlatformUnavailableError) {
            throw new HttpError(503, {
              error: 'platform_unavailable',
              field: 'platform',
              message: e.message,
            });
          }
          throw e;
        }
      },
    );
  });

  return app as unknown as SigningServer; // decorated above
}
