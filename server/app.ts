/**
 * The HTTP service on Fastify:
 *   POST /api/login        {platform, code}  → a short-lived session token (mini-program login)
 *   POST /api/credentials  {platform, roomID|strRoomID, userID?, role?} + Authorization: Bearer <token>
 *                          → credentials for the authenticated user, with the role the policy grants
 *   GET  /healthz
 * JSON schemas built from the component's ID rules (utils/core/validate.ts), a body limit, request/header/idle
 * timeouts, rate limits per IP, per user and for failed authentications (memory or Redis), a CORS allow-list.
 * Every error is JSON `{error, field, message}`.
 */
import cluster from 'node:cluster';
import type * as http from 'node:http';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import Redis from 'ioredis';
import { createTokenVerifier, type Authenticate, type Authorize, type Identity } from './auth';
import { ConfigError, loadConfig, usesDevKeys, type ServerConfig } from './config';
import { isOriginAllowed, originCheck, serverFactoryFor, trustProxyOption } from './http';
import { errorBodyFor, isStoreError } from './http-errors';
import { createRequestLimits, registerIpLimit } from './limits';
import type { PlatformSession } from './login';
import { createLoginStandIn, type LoginStandIn } from './login-standin';
import { registerCredentialsRoute } from './routes-credentials';
import { registerLoginRoute } from './routes-login';
import { unixNow } from './util';

export { isOriginAllowed, trustProxyOption } from './http';
export type { ErrorBody } from './http-errors';
export { credentialsBodySchema, loginBodySchema } from './schemas';

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
  registerIpLimit(app, config, redis);

  const checkOrigin = originCheck(config);

  app.register(async (api) => {
    const ctx = {
      config,
      options,
      now,
      verifier,
      standIn,
      checkOrigin,
      limits: createRequestLimits(api, config),
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

    registerLoginRoute(api, ctx);
    registerCredentialsRoute(api, ctx);
  });

  return app as unknown as SigningServer; // decorated above
}
