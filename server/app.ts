/**
 * The HTTP service: POST /api/credentials and GET /healthz on Fastify, with JSON schemas built from the same
 * ID rules as the component (utils/core/validate.ts), a body limit, a per-IP rate limit, a CORS allow-list and an
 * optional bearer token. Every error is JSON `{error, field, message}`.
 */
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import {
  checkRoom,
  checkRoomID,
  checkStrRoomID,
  checkUserID,
  type Platform,
  type Role,
  ROLES,
  ROOM_ID_MAX,
  TT_ID_PATTERN,
  WX_STR_ROOM_ID_PATTERN,
  WX_USER_ID_PATTERN,
} from '../utils/core/validate';
import { loadConfig, usesDevKeys, type ServerConfig } from './config';
import { issueCredentials, PlatformUnavailableError } from './credentials';
import { constantTimeEqual, unixNow } from './util';

export interface CreateServerOptions {
  /** clock in unix seconds (tests) */
  now?: () => number;
  /** where the logger writes when `config.logLevel` is set (default stdout) */
  logStream?: { write(line: string): void };
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
};

export interface ErrorBody {
  error: string;
  field: string;
  message: string;
}

interface CredentialsBody {
  platform: Platform;
  userID: string;
  roomID?: number | string;
  strRoomID?: string;
  role?: Role;
}

/** `''` counts as "not set", as in checkRoom. */
const orEmpty = (pattern: string): string => `^$|${pattern}`;

export const credentialsBodySchema = {
  type: 'object',
  required: ['platform', 'userID'],
  additionalProperties: false,
  properties: {
    platform: { type: 'string', enum: ['wx', 'tt'] },
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

const credentialsResponseSchema = {
  type: 'object',
  required: ['platform', 'sdkAppID', 'userID', 'userSig', 'expireAt'],
  properties: {
    platform: { type: 'string' },
    sdkAppID: { type: ['integer', 'string'] },
    userID: { type: 'string' },
    roomID: { type: 'integer' },
    strRoomID: { type: 'string' },
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
  if (status >= 400 && status < 500) {
    return [status, { error: err.code ?? 'bad_request', field: 'body', message: err.message }];
  }
  return [500, { error: 'internal_error', field: '', message: 'internal error' }];
}

/**
 * The signing service, not yet listening: call `.listen({host, port})`, or `.inject()` in tests.
 * `createServer()` without a config reads the environment (throws ConfigError when it cannot start).
 */
export function createServer(
  config: ServerConfig = loadConfig(),
  options: CreateServerOptions = {},
): SigningServer {
  if (config.mode === 'production' && usesDevKeys(config)) {
    throw new Error('production mode must not run with generated development keys');
  }
  const now = options.now ?? unixNow;
  const app = Fastify({
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
    trustProxy: config.trustProxy,
    // reject rather than coerce or silently drop: what the caller sent is what gets checked
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  });

  const credentials: ActiveCredentials = {
    mode: config.mode,
    devKeys: usesDevKeys(config),
    trtc: config.trtc,
    volc: config.volc,
  };
  // JSON only: a text/plain body is a 415, not a confusing schema error
  app.removeContentTypeParser('text/plain');
  app.decorate('signingConfig', config);
  app.decorate('credentials', credentials);

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const [status, body] = errorBodyFor(err, request);
    if (status === 429) {
      return reply.code(429).send({ error: 'rate_limited', field: 'ip', message: err.message });
    }
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
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      code: 'rate_limited',
      message: `rate limit exceeded: at most ${ctx.max} requests per minute, retry in ${ctx.after}`,
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
  const checkCaller = async (request: FastifyRequest): Promise<void> => {
    if (config.callerToken === null) return;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!m || !constantTimeEqual(m[1], config.callerToken)) {
      throw new HttpError(401, {
        error: 'unauthorized',
        field: 'authorization',
        message: m ? 'wrong caller token' : 'send Authorization: Bearer <caller token>',
      });
    }
  };

  app.register(async (api) => {
    api.get('/healthz', { config: { rateLimit: false } }, async () => ({
      ok: true,
      mode: config.mode,
      devKeys: credentials.devKeys,
      platforms: { wx: config.trtc !== null, tt: config.volc !== null },
    }));

    api.post<{ Body: CredentialsBody }>(
      '/api/credentials',
      {
        onRequest: [checkOrigin, checkCaller],
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
        const user = checkUserID(body.userID, body.platform);
        if (!user.ok) throw badRequest(user.error.field, user.error.message);
        const room = checkRoom(body.roomID, body.strRoomID, body.platform);
        if (!room.ok) throw badRequest(room.error.field, room.error.message);
        try {
          const issued = issueCredentials(
            { platform: body.platform, userID: user.value, room: room.value, role: body.role ?? 'anchor' },
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
