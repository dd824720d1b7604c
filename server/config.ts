/**
 * Configuration from environment variables (see .env.example). Errors are ConfigErrors whose messages name the
 * variable and never contain a secret or any part of one.
 */
import { availableParallelism } from 'node:os';
import { checkSdkAppID } from '../utils/core/validate';
import { generateDevKeys, loadOrCreateDevKeys, type DevKeys } from './devkeys';
import { jwtConfig, loginPlatform } from './config-auth';
import {
  BODY_LIMIT_BYTES,
  DEFAULT_AUTH_FAILURE_LIMIT_PER_MINUTE,
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  DEFAULT_SESSION_TTL_SECONDS,
  DEFAULT_TOKEN_TTL_SECONDS,
  DEFAULT_USER_RATE_LIMIT_PER_MINUTE,
  DEV_MODE_BANNER,
  DEV_SDK_APP_ID,
  MAX_TOKEN_TTL_SECONDS,
  MIN_HMAC_SECRET_LENGTH,
} from './config-defaults';
import { badId, ConfigError, get, hmacSecrets, intVar, list, pair, parseTrustProxy } from './config-env';
import type {
  AuthMethod,
  LoadConfigOptions,
  LoginPlatformConfig,
  Mode,
  ServerConfig,
  ServerEnv,
  TrtcKeys,
  VolcKeys,
} from './config-types';

export { DEV_SECRET_PREFIX, DEV_VOLC_APP_ID_PREFIX } from './devkeys';
export * from './config-types';
export * from './config-defaults';
export { ConfigError, parseDotenv, parseTrustProxy } from './config-env';

/** Reads the configuration from environment variables (process.env by default). Throws ConfigError. */
export function loadConfig(env: ServerEnv = process.env, options: LoadConfigOptions = {}): ServerConfig {
  const mode: Mode = get(env, 'NODE_ENV') === 'production' ? 'production' : 'development';
  const warnings: string[] = [];
  let devKeys: DevKeys | null = null;
  const devKeysFile = get(env, 'DEV_KEYS_FILE') ?? options.devKeysFile ?? null;
  const dev = (): DevKeys => {
    if (mode === 'production') throw new Error('development keys requested in production mode');
    devKeys ??= devKeysFile ? loadOrCreateDevKeys(devKeysFile) : generateDevKeys();
    return devKeys;
  };

  if (get(env, 'CALLER_TOKEN') !== undefined) {
    throw new ConfigError(
      'CALLER_TOKEN is no longer supported (one shared secret cannot identify a user): authenticate callers ' +
        'with JWT_SECRET / JWT_PUBLIC_KEY / JWT_JWKS_URL or the mini-program login (WX_APP_ID, TT_APP_ID)',
    );
  }

  let trtc: TrtcKeys | null = null;
  const trtcPair = pair(env, 'TRTC_SDK_APP_ID', 'TRTC_SECRET_KEY');
  if (trtcPair) {
    const id = checkSdkAppID(trtcPair[0], 'wx');
    if (!id.ok) throw badId('TRTC_SDK_APP_ID', 'TRTC_SECRET_KEY', 'the numeric SDKAppID', trtcPair[0]);
    trtc = { sdkAppID: id.value as number, secretKey: trtcPair[1], generated: false };
  }
  let volc: VolcKeys | null = null;
  const volcPair = pair(env, 'VOLC_APP_ID', 'VOLC_APP_KEY');
  if (volcPair) {
    const id = checkSdkAppID(volcPair[0], 'tt');
    if (!id.ok) throw badId('VOLC_APP_ID', 'VOLC_APP_KEY', 'the 24-character AppId', volcPair[0]);
    volc = { appId: volcPair[0], appKey: volcPair[1], generated: false };
  }

  if (mode === 'production') {
    if (!trtc && !volc) {
      throw new ConfigError(
        'NODE_ENV=production but no keys are configured: set TRTC_SDK_APP_ID + TRTC_SECRET_KEY and/or ' +
          'VOLC_APP_ID + VOLC_APP_KEY (see .env.example). Refusing to start with generated keys.',
      );
    }
    if (!trtc) warnings.push('TRTC keys not set: requests with platform "wx" are refused (503)');
    if (!volc) warnings.push('Volcengine keys not set: requests with platform "tt" are refused (503)');
  } else {
    const where = devKeysFile ? `shared via ${devKeysFile}` : 'random, this process only';
    if (!trtc) {
      trtc = { sdkAppID: DEV_SDK_APP_ID, secretKey: dev().trtcSecretKey, generated: true };
      warnings.push(
        `${DEV_MODE_BANNER}: development TRTC key (${where}), SDKAppID ${DEV_SDK_APP_ID} (only the local emulator accepts it)`,
      );
    }
    if (!volc) {
      volc = { appId: dev().volcAppId, appKey: dev().volcAppKey, generated: true };
      warnings.push(
        `${DEV_MODE_BANNER}: development Volcengine key (${where}), AppId ${volc.appId} (only the local emulator accepts it)`,
      );
    }
  }

  const allowedOrigins = list(get(env, 'ALLOWED_ORIGINS')).map((s) => s.replace(/\/+$/, ''));
  for (const o of allowedOrigins) {
    if (o !== '*' && !/^https?:\/\/[^/\s]+$/.test(o)) {
      throw new ConfigError(
        `ALLOWED_ORIGINS: ${JSON.stringify(o)} is not an origin like https://example.com`,
      );
    }
  }

  // authentication
  const jwt = jwtConfig(env);
  const realKeys = trtcPair !== null || volcPair !== null;
  const login = {
    wx: loginPlatform(env, 'WX', mode, realKeys, dev),
    tt: loginPlatform(env, 'TT', mode, realKeys, dev),
  };
  const hasLogin = login.wx !== null || login.tt !== null;
  let sessionSecrets = hmacSecrets(env, 'SESSION_SECRET');
  if (hasLogin && sessionSecrets.length === 0) {
    if (mode === 'production') {
      throw new ConfigError(
        `the mini-program login needs SESSION_SECRET (${MIN_HMAC_SECRET_LENGTH}+ random characters, the same on ` +
          'every process and machine) to sign the session tokens it hands out',
      );
    }
    sessionSecrets = [dev().sessionSecret];
  }
  const requested = list(get(env, 'AUTH')).map((m) => m.toLowerCase());
  for (const m of requested)
    if (!['jwt', 'login', 'none'].includes(m))
      throw new ConfigError(`AUTH: ${JSON.stringify(m)} is not one of jwt, login, none`);
  let methods: AuthMethod[];
  if (requested.length > 0) {
    if (requested.includes('none') && requested.length > 1)
      throw new ConfigError('AUTH=none cannot be combined with other methods');
    if (requested.includes('jwt') && !jwt)
      throw new ConfigError('AUTH=jwt needs JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL');
    if (requested.includes('login') && !hasLogin)
      throw new ConfigError('AUTH=login needs WX_APP_ID + WX_APP_SECRET and/or TT_APP_ID + TT_APP_SECRET');
    methods = [...new Set(requested)] as AuthMethod[];
  } else {
    methods = [...(jwt ? (['jwt'] as const) : []), ...(hasLogin ? (['login'] as const) : [])];
  }
  if (methods.includes('none')) {
    warnings.push(
      'AUTH=none: authentication is OFF. The userID comes from the request body, so anyone who can reach this ' +
        'service gets credentials for any user. Use it only behind your own authenticating gateway.',
    );
  }
  const sceneRaw = get(env, 'ROOM_SCENE') ?? 'rtc';
  if (sceneRaw !== 'rtc' && sceneRaw !== 'live')
    throw new ConfigError(`ROOM_SCENE=${JSON.stringify(sceneRaw)} must be rtc or live`);

  const perIp = intVar(env, 'RATE_LIMIT_PER_MINUTE', DEFAULT_RATE_LIMIT_PER_MINUTE, 1, 10_000_000);
  const redisUrl = get(env, 'REDIS_URL') ?? null;
  if (redisUrl !== null && !/^rediss?:\/\/[^\s]+$/.test(redisUrl)) {
    throw new ConfigError(
      'REDIS_URL must look like redis://host:6379 or rediss://… (the value is not shown)',
    );
  }
  const workers = intVar(env, 'WORKERS', availableParallelism(), 1, 256);
  if (workers > 1 && redisUrl === null && mode === 'production') {
    warnings.push(
      `${workers} workers without REDIS_URL: each worker counts its own rate limits (up to ${workers}x the ` +
        'configured limits); set REDIS_URL to share them',
    );
  }
  const trustProxy = parseTrustProxy(get(env, 'TRUST_PROXY'), warnings);

  return {
    mode,
    trtc,
    volc,
    host: get(env, 'HOST') ?? DEFAULT_HOST,
    port: intVar(env, 'PORT', DEFAULT_PORT, 0, 65535),
    tokenTtlSeconds: intVar(env, 'TOKEN_TTL_SECONDS', DEFAULT_TOKEN_TTL_SECONDS, 60, MAX_TOKEN_TTL_SECONDS),
    allowedOrigins,
    auth: {
      methods,
      jwt,
      login,
      sessionSecrets,
      sessionTtlSeconds: intVar(env, 'SESSION_TTL_SECONDS', DEFAULT_SESSION_TTL_SECONDS, 60, 86400),
      scene: sceneRaw,
    },
    limits: {
      perIpPerMinute: perIp,
      perUserPerMinute: intVar(
        env,
        'USER_RATE_LIMIT_PER_MINUTE',
        DEFAULT_USER_RATE_LIMIT_PER_MINUTE,
        1,
        10_000_000,
      ),
      authFailuresPerMinute: intVar(
        env,
        'AUTH_FAILURE_LIMIT_PER_MINUTE',
        DEFAULT_AUTH_FAILURE_LIMIT_PER_MINUTE,
        1,
        10_000_000,
      ),
      redisUrl,
    },
    timeouts: {
      headersMs: intVar(env, 'HEADERS_TIMEOUT_MS', 5000, 100, 120_000),
      requestMs: intVar(env, 'REQUEST_TIMEOUT_MS', 10_000, 100, 300_000),
      idleMs: intVar(env, 'IDLE_TIMEOUT_MS', 10_000, 100, 300_000),
      keepAliveMs: 5000,
    },
    rateLimitPerMinute: perIp,
    bodyLimitBytes: BODY_LIMIT_BYTES,
    trustProxy,
    workers,
    logLevel: get(env, 'LOG_LEVEL') ?? null,
    warnings,
  };
}

/** True when any key is a development key (development mode). */
export function usesDevKeys(config: ServerConfig): boolean {
  return Boolean(
    config.trtc?.generated ||
    config.volc?.generated ||
    config.auth.login.wx?.standIn ||
    config.auth.login.tt?.standIn,
  );
}

/** A summary safe to print or log: no secret values. */
export function describeConfig(config: ServerConfig): Record<string, unknown> {
  const loginOf = (l: LoginPlatformConfig | null): unknown =>
    l ? { appId: l.appId, api: l.standIn ? 'development stand-in' : l.baseUrl } : 'disabled';
  return {
    mode: config.mode,
    devKeys: usesDevKeys(config),
    wx: config.trtc ? { sdkAppID: config.trtc.sdkAppID, generated: config.trtc.generated } : 'disabled',
    tt: config.volc ? { appId: config.volc.appId, generated: config.volc.generated } : 'disabled',
    listen: `${config.host}:${config.port}`,
    tokenTtlSeconds: config.tokenTtlSeconds,
    allowedOrigins: config.allowedOrigins.length
      ? config.allowedOrigins
      : config.mode === 'development'
        ? 'localhost'
        : 'none',
    auth: {
      methods: config.auth.methods,
      jwt: config.auth.jwt
        ? {
            algorithms: config.auth.jwt.algorithms,
            hmacSecrets: config.auth.jwt.secrets.length,
            publicKey: config.auth.jwt.publicKeyPem !== null,
            jwksUrl: config.auth.jwt.jwksUrl,
            issuer: config.auth.jwt.issuer,
            audience: config.auth.jwt.audience,
          }
        : 'disabled',
      login: { wx: loginOf(config.auth.login.wx), tt: loginOf(config.auth.login.tt) },
      sessionTtlSeconds: config.auth.sessionTtlSeconds,
      scene: config.auth.scene,
    },
    limits: {
      perIpPerMinute: config.limits.perIpPerMinute,
      perUserPerMinute: config.limits.perUserPerMinute,
      authFailuresPerMinute: config.limits.authFailuresPerMinute,
      store: config.limits.redisUrl ? 'redis' : 'memory',
    },
    trustProxy: config.trustProxy,
    workers: config.workers,
  };
}
