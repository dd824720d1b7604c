/**
 * Configuration from environment variables (see .env.example). Errors are ConfigErrors whose messages name the
 * variable and never contain a secret or any part of one.
 */
import { createPublicKey } from 'node:crypto';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { checkSdkAppID } from '../utils/validate';
import {
  DEV_SECRET_PREFIX,
  DEV_VOLC_APP_ID_PREFIX,
  generateDevKeys,
  loadOrCreateDevKeys,
  type DevKeys,
} from './devkeys';

export { DEV_SECRET_PREFIX, DEV_VOLC_APP_ID_PREFIX } from './devkeys';

export type Mode = 'development' | 'production';

export interface TrtcKeys {
  sdkAppID: number;
  secretKey: string;
  /** true: development key (random, or from the shared development keys file) */
  generated: boolean;
}

export interface VolcKeys {
  appId: string;
  appKey: string;
  generated: boolean;
}

export type AuthMethod = 'jwt' | 'login' | 'none';

/** App session tokens the integrator's backend issues (verified with `jose`). */
export interface JwtConfig {
  /** HS256 secrets: the first is current, the others are still accepted (rotation) */
  secrets: string[];
  /** an RS256/ES256 public key (PEM, SPKI) */
  publicKeyPem: string | null;
  /** a JWKS document with the integrator's public keys (fetched and cached, `kid` selects the key) */
  jwksUrl: string | null;
  algorithms: string[];
  issuer: string | null;
  audience: string | null;
  clockSkewSeconds: number;
}

/** One platform's code-to-session API (WeChat jscode2session, Douyin code2session). */
export interface LoginPlatformConfig {
  appId: string;
  appSecret: string;
  baseUrl: string;
  /** development only: the in-process stand-in of the platform API answers (see login-standin.ts) */
  standIn: boolean;
}

export interface AuthConfig {
  /** the methods POST /api/credentials accepts; empty = none configured (production refuses to start) */
  methods: AuthMethod[];
  jwt: JwtConfig | null;
  login: { wx: LoginPlatformConfig | null; tt: LoginPlatformConfig | null };
  /** HS256 secrets for the session tokens POST /api/login issues: the first signs, all verify */
  sessionSecrets: string[];
  sessionTtlSeconds: number;
  /** default policy: 'rtc' = everyone may publish; 'live' = audience unless the identity has role 'anchor' */
  scene: 'rtc' | 'live';
}

export interface LimitsConfig {
  /** requests per minute per client IP (every route but /healthz) */
  perIpPerMinute: number;
  /** credential requests per minute per authenticated user */
  perUserPerMinute: number;
  /** failed authentications (bad token, bad login code) per minute per IP; then 429 without checking */
  authFailuresPerMinute: number;
  /** ioredis URL of a shared store (several processes or machines); null = in-process memory */
  redisUrl: string | null;
}

export interface TimeoutsConfig {
  /** time to receive the request headers */
  headersMs: number;
  /** time to receive the whole request, body included (slow bodies are cut) */
  requestMs: number;
  /** a socket with no traffic for this long is closed */
  idleMs: number;
  keepAliveMs: number;
}

/** Fastify's `trustProxy`: false, true (any hop), a hop count, or the proxies' addresses/CIDRs. */
export type TrustProxy = boolean | number | string[];

export interface ServerConfig {
  mode: Mode;
  /** null: WeChat credentials not offered (production with no TRTC keys) */
  trtc: TrtcKeys | null;
  /** null: Douyin credentials not offered (production with no Volcengine keys) */
  volc: VolcKeys | null;
  host: string;
  port: number;
  /** lifetime of every UserSig, PrivateMapKey and Volcengine token issued */
  tokenTtlSeconds: number;
  /** exact origins allowed by CORS; '*' = any; empty = none (development: localhost origins) */
  allowedOrigins: string[];
  auth: AuthConfig;
  limits: LimitsConfig;
  timeouts: TimeoutsConfig;
  /** requests per minute per client IP (= limits.perIpPerMinute) */
  rateLimitPerMinute: number;
  /** request body limit in bytes */
  bodyLimitBytes: number;
  trustProxy: TrustProxy;
  /** processes for `webrtc-room-server` (node:cluster; WORKERS or --workers, default the cores); 1 = no cluster */
  workers: number;
  /** Fastify log level; null = no logger. Authorization headers are redacted either way. */
  logLevel: string | null;
  /** things an operator should know (printed by the CLI on every start) */
  warnings: string[];
}

/** The environment variables read by loadConfig. */
export interface ServerEnv {
  TRTC_SDK_APP_ID?: string;
  TRTC_SECRET_KEY?: string;
  VOLC_APP_ID?: string;
  VOLC_APP_KEY?: string;
  PORT?: string;
  HOST?: string;
  TOKEN_TTL_SECONDS?: string;
  ALLOWED_ORIGINS?: string;
  AUTH?: string;
  JWT_SECRET?: string;
  JWT_PUBLIC_KEY?: string;
  JWT_JWKS_URL?: string;
  JWT_ALGORITHMS?: string;
  JWT_ISSUER?: string;
  JWT_AUDIENCE?: string;
  JWT_CLOCK_SKEW_SECONDS?: string;
  WX_APP_ID?: string;
  WX_APP_SECRET?: string;
  WX_LOGIN_BASE_URL?: string;
  TT_APP_ID?: string;
  TT_APP_SECRET?: string;
  TT_LOGIN_BASE_URL?: string;
  SESSION_SECRET?: string;
  SESSION_TTL_SECONDS?: string;
  ROOM_SCENE?: string;
  RATE_LIMIT_PER_MINUTE?: string;
  USER_RATE_LIMIT_PER_MINUTE?: string;
  AUTH_FAILURE_LIMIT_PER_MINUTE?: string;
  REDIS_URL?: string;
  TRUST_PROXY?: string;
  HEADERS_TIMEOUT_MS?: string;
  REQUEST_TIMEOUT_MS?: string;
  IDLE_TIMEOUT_MS?: string;
  WORKERS?: string;
  DEV_KEYS_FILE?: string;
  LOG_LEVEL?: string;
  NODE_ENV?: string;
  [name: string]: string | undefined;
}

export interface LoadConfigOptions {
  /**
   * Development keys file shared with other processes (the CLI and the preview pass
   * `.webrtc-room-dev-keys.json`); env DEV_KEYS_FILE overrides; neither = random keys in memory.
   */
  devKeysFile?: string | null;
}

export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_TOKEN_TTL_SECONDS = 86400;
/** Volcengine tokens are valid for at most 7 days after generation. */
export const MAX_TOKEN_TTL_SECONDS = 7 * 86400;
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 60;
export const DEFAULT_USER_RATE_LIMIT_PER_MINUTE = 30;
export const DEFAULT_AUTH_FAILURE_LIMIT_PER_MINUTE = 10;
export const DEFAULT_SESSION_TTL_SECONDS = 1800;
export const DEFAULT_JWT_CLOCK_SKEW_SECONDS = 30;
export const BODY_LIMIT_BYTES = 4096;
/** Shortest accepted HS256 secret (RFC 7518: a key at least as long as the hash). */
export const MIN_HMAC_SECRET_LENGTH = 32;
export const WX_LOGIN_BASE_URL = 'https://api.weixin.qq.com';
export const TT_LOGIN_BASE_URL = 'https://developer.toutiao.com';

/** SDKAppID used in development mode (no real TRTC app behind it). */
export const DEV_SDK_APP_ID = 1400000000;
/** AppIDs of the development login stand-in (no real mini-program behind them). */
export const DEV_WX_APP_ID = 'wxd0000000000000de';
export const DEV_TT_APP_ID = 'ttd0000000000000de';
/** The label printed when running in development mode. */
export const DEV_MODE_BANNER = '[webrtc-room signing service] DEVELOPMENT MODE';
/** Strings that must never appear in a mini-program bundle (see scripts/check-dist-secrets.ts). */
export const DEV_MARKERS: readonly string[] = [DEV_SECRET_PREFIX, DEV_MODE_BANNER, DEV_VOLC_APP_ID_PREFIX];

/** Names of the environment variables that hold secrets. */
export const SECRET_ENV_NAMES = [
  'TRTC_SECRET_KEY',
  'VOLC_APP_KEY',
  'JWT_SECRET',
  'SESSION_SECRET',
  'WX_APP_SECRET',
  'TT_APP_SECRET',
  'REDIS_URL',
] as const;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function get(env: ServerEnv, name: string): string | undefined {
  const v = env[name];
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

/** For variables that are not secret: the message shows the value. */
function intVar(env: ServerEnv, name: string, def: number, min: number, max: number): number {
  const raw = get(env, name);
  if (raw === undefined) return def;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} must be an integer in [${min}, ${max}]`);
  }
  return Number(raw);
}

function list(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function pair(env: ServerEnv, idName: string, keyName: string): [string, string] | null {
  const id = get(env, idName);
  const key = get(env, keyName);
  if (id === undefined && key === undefined) return null;
  if (id === undefined || key === undefined) {
    throw new ConfigError(
      `set both ${idName} and ${keyName}, or neither (${id === undefined ? idName : keyName} is missing)`,
    );
  }
  return [id, key];
}

/** An ID that failed its check: the message never repeats the value (it may be the secret, swapped). */
function badId(idName: string, keyName: string, expected: string, value: string): ConfigError {
  return new ConfigError(
    `${idName} must be ${expected}; the value set (${value.length} characters, not shown) is not. ` +
      `Were ${idName} and ${keyName} swapped?`,
  );
}

function hmacSecrets(env: ServerEnv, name: string): string[] {
  const secrets = list(get(env, name));
  if (secrets.some((s) => s.length < MIN_HMAC_SECRET_LENGTH)) {
    throw new ConfigError(
      `${name}: every secret must be at least ${MIN_HMAC_SECRET_LENGTH} characters (one is shorter; not shown)`,
    );
  }
  return secrets;
}

function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\./.test(h);
}

function baseUrlVar(env: ServerEnv, name: string, def: string, mode: Mode): string {
  const raw = get(env, name);
  if (raw === undefined) return def;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is not a URL like ${def}`);
  }
  const ok =
    u.protocol === 'https:' ||
    (u.protocol === 'http:' && (mode === 'development' || isLoopbackHost(u.hostname)));
  if (!ok) throw new ConfigError(`${name} must be an https:// URL (http:// only on loopback)`);
  return raw.replace(/\/+$/, '');
}

function isCidrOrAddress(s: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(s)) return true;
  const [addr, bits, extra] = s.split('/');
  if (extra !== undefined) return false;
  const family = isIP(addr);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/** TRUST_PROXY: unset/false, true, a hop count, or a comma list of proxy addresses/CIDRs (Fastify semantics). */
export function parseTrustProxy(raw: string | undefined, warnings: string[]): TrustProxy {
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') {
    warnings.push(
      'TRUST_PROXY=true trusts every X-Forwarded-For hop, which the client can write: set the number of ' +
        'proxies in front of this service (e.g. TRUST_PROXY=1) or their addresses instead',
    );
    return true;
  }
  if (/^\d+$/.test(raw)) {
    const n = Number(raw);
    if (n > 32) throw new ConfigError(`TRUST_PROXY=${raw}: a hop count must be at most 32`);
    return n === 0 ? false : n;
  }
  const items = list(raw);
  const bad = items.filter((s) => !isCidrOrAddress(s));
  if (bad.length || items.length === 0) {
    throw new ConfigError(
      `TRUST_PROXY: ${JSON.stringify(bad[0] ?? raw)} is not a hop count, true/false, an IP address or a CIDR ` +
        '(e.g. TRUST_PROXY=1 or TRUST_PROXY=10.0.0.0/8,127.0.0.1)',
    );
  }
  return items;
}

function jwtConfig(env: ServerEnv): JwtConfig | null {
  const secrets = hmacSecrets(env, 'JWT_SECRET');
  const pemRaw = get(env, 'JWT_PUBLIC_KEY');
  const jwksUrl = get(env, 'JWT_JWKS_URL') ?? null;
  if (secrets.length === 0 && pemRaw === undefined && jwksUrl === null) return null;
  let publicKeyPem: string | null = null;
  if (pemRaw !== undefined) {
    publicKeyPem = pemRaw.replace(/\\n/g, '\n');
    try {
      const key = createPublicKey(publicKeyPem);
      if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ec') throw new Error('type');
    } catch {
      throw new ConfigError(
        'JWT_PUBLIC_KEY is not an RSA or EC public key in PEM (-----BEGIN PUBLIC KEY-----)',
      );
    }
  }
  if (jwksUrl !== null) {
    let u: URL | null;
    try {
      u = new URL(jwksUrl);
    } catch {
      u = null;
    }
    if (!u || !(u.protocol === 'https:' || (u.protocol === 'http:' && isLoopbackHost(u.hostname)))) {
      throw new ConfigError('JWT_JWKS_URL must be an https:// URL (http:// only on loopback)');
    }
  }
  const allowed = ['HS256', 'RS256', 'ES256'];
  const algorithms = list(get(env, 'JWT_ALGORITHMS'));
  for (const a of algorithms)
    if (!allowed.includes(a))
      throw new ConfigError(`JWT_ALGORITHMS: ${JSON.stringify(a)} is not one of ${allowed.join(', ')}`);
  const algs =
    algorithms.length > 0
      ? algorithms
      : [...(secrets.length ? ['HS256'] : []), ...(publicKeyPem || jwksUrl ? ['RS256', 'ES256'] : [])];
  return {
    secrets,
    publicKeyPem,
    jwksUrl,
    algorithms: algs,
    issuer: get(env, 'JWT_ISSUER') ?? null,
    audience: get(env, 'JWT_AUDIENCE') ?? null,
    clockSkewSeconds: intVar(env, 'JWT_CLOCK_SKEW_SECONDS', DEFAULT_JWT_CLOCK_SKEW_SECONDS, 0, 600),
  };
}

/**
 * One platform's login: the configured AppID/secret, or in development with development signing keys only,
 * the local stand-in. Never the stand-in next to real TRTC/Volcengine keys: it would sign real credentials for
 * made-up identities.
 */
function loginPlatform(
  env: ServerEnv,
  p: 'WX' | 'TT',
  mode: Mode,
  realKeys: boolean,
  dev: () => DevKeys,
): LoginPlatformConfig | null {
  const base = baseUrlVar(
    env,
    `${p}_LOGIN_BASE_URL`,
    p === 'WX' ? WX_LOGIN_BASE_URL : TT_LOGIN_BASE_URL,
    mode,
  );
  const keys = pair(env, `${p}_APP_ID`, `${p}_APP_SECRET`);
  if (keys) {
    const re = p === 'WX' ? /^wx[0-9a-zA-Z]{16}$/ : /^tt[0-9a-zA-Z]{16,}$/;
    if (!re.test(keys[0]))
      throw badId(`${p}_APP_ID`, `${p}_APP_SECRET`, `the mini-program AppID (${p.toLowerCase()}…)`, keys[0]);
    return { appId: keys[0], appSecret: keys[1], baseUrl: base, standIn: false };
  }
  if (mode === 'production' || realKeys) return null;
  // development: the local stand-in of the platform's login API (never in production, see createServer)
  return {
    appId: p === 'WX' ? DEV_WX_APP_ID : DEV_TT_APP_ID,
    appSecret: dev().loginAppSecret,
    baseUrl: 'in-process stand-in',
    standIn: true,
  };
}

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
  if (workers > 1 && redisUrl === null) {
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

/** Parses a .env file (KEY=VALUE lines, `#` comments, optional quotes). */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    let v = m[2];
    if (/^(['"]).*\1$/.test(v)) v = v.slice(1, -1);
    else v = v.replace(/\s+#.*$/, '');
    out[m[1]] = v;
  }
  return out;
}
