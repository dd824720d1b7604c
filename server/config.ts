/**
 * Configuration from environment variables. Without keys the service runs in a clearly labelled development
 * mode with random keys made at start (so the demo works locally); NODE_ENV=production without keys refuses.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { checkSdkAppID } from '../utils/core/validate';

export type Mode = 'development' | 'production';

export interface TrtcKeys {
  sdkAppID: number;
  secretKey: string;
  /** true: random development key made at start */
  generated: boolean;
}

export interface VolcKeys {
  appId: string;
  appKey: string;
  generated: boolean;
}

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
  /** when set, POST /api/credentials needs `Authorization: Bearer <callerToken>` */
  callerToken: string | null;
  /** requests per minute per client IP */
  rateLimitPerMinute: number;
  /** request body limit in bytes */
  bodyLimitBytes: number;
  /** trust X-Forwarded-For (behind a reverse proxy) */
  trustProxy: boolean;
  /** Fastify log level; null = no logger. Authorization headers are redacted either way. */
  logLevel: string | null;
  /** things an operator should know (printed by the CLI) */
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
  CALLER_TOKEN?: string;
  RATE_LIMIT_PER_MINUTE?: string;
  TRUST_PROXY?: string;
  LOG_LEVEL?: string;
  NODE_ENV?: string;
  [name: string]: string | undefined;
}

export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_TOKEN_TTL_SECONDS = 86400;
/** Volcengine tokens are valid for at most 7 days after generation. */
export const MAX_TOKEN_TTL_SECONDS = 7 * 86400;
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 60;
export const BODY_LIMIT_BYTES = 4096;

/** SDKAppID used in development mode (no real TRTC app behind it). */
export const DEV_SDK_APP_ID = 1400000000;
/** Prefix of the development Volcengine AppId (24 characters in total). */
export const DEV_VOLC_APP_ID_PREFIX = 'devwebrtcroom';
/** Prefix of every development secret, so a leaked dev key is easy to spot. */
export const DEV_SECRET_PREFIX = 'webrtc-room-dev-secret-';
/** The label printed when running in development mode. */
export const DEV_MODE_BANNER = '[webrtc-room signing service] DEVELOPMENT MODE';
/** Strings that must never appear in a mini-program bundle (see scripts/check-dist-secrets.ts). */
export const DEV_MARKERS: readonly string[] = [DEV_SECRET_PREFIX, DEV_MODE_BANNER, DEV_VOLC_APP_ID_PREFIX];

/** Names of the environment variables that hold secrets. */
export const SECRET_ENV_NAMES = ['TRTC_SECRET_KEY', 'VOLC_APP_KEY', 'CALLER_TOKEN'] as const;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomAlnum(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALNUM[randomInt(ALNUM.length)];
  return s;
}

function devSecret(): string {
  return DEV_SECRET_PREFIX + randomBytes(32).toString('hex');
}

function get(env: ServerEnv, name: string): string | undefined {
  const v = env[name];
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

function intVar(env: ServerEnv, name: string, def: number, min: number, max: number): number {
  const raw = get(env, name);
  if (raw === undefined) return def;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} must be an integer in [${min}, ${max}]`);
  }
  return Number(raw);
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

/** Reads the configuration from environment variables (process.env by default). Throws ConfigError. */
export function loadConfig(env: ServerEnv = process.env): ServerConfig {
  const mode: Mode = get(env, 'NODE_ENV') === 'production' ? 'production' : 'development';
  const warnings: string[] = [];

  let trtc: TrtcKeys | null = null;
  const trtcPair = pair(env, 'TRTC_SDK_APP_ID', 'TRTC_SECRET_KEY');
  if (trtcPair) {
    const id = checkSdkAppID(trtcPair[0], 'wx');
    if (!id.ok) throw new ConfigError(`TRTC_SDK_APP_ID: ${id.error.message}`);
    trtc = { sdkAppID: id.value as number, secretKey: trtcPair[1], generated: false };
  }
  let volc: VolcKeys | null = null;
  const volcPair = pair(env, 'VOLC_APP_ID', 'VOLC_APP_KEY');
  if (volcPair) {
    const id = checkSdkAppID(volcPair[0], 'tt');
    if (!id.ok) throw new ConfigError(`VOLC_APP_ID: ${id.error.message}`);
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
    if (!trtc) {
      trtc = { sdkAppID: DEV_SDK_APP_ID, secretKey: devSecret(), generated: true };
      warnings.push(
        `${DEV_MODE_BANNER}: random TRTC key, SDKAppID ${DEV_SDK_APP_ID} (only the local emulator accepts it)`,
      );
    }
    if (!volc) {
      const appId = DEV_VOLC_APP_ID_PREFIX + randomAlnum(24 - DEV_VOLC_APP_ID_PREFIX.length);
      volc = { appId, appKey: devSecret(), generated: true };
      warnings.push(
        `${DEV_MODE_BANNER}: random Volcengine key, AppId ${appId} (only the local emulator accepts it)`,
      );
    }
  }

  const allowedOrigins = (get(env, 'ALLOWED_ORIGINS') ?? '')
    .split(',')
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter((s) => s !== '');
  for (const o of allowedOrigins) {
    if (o !== '*' && !/^https?:\/\/[^/\s]+$/.test(o)) {
      throw new ConfigError(
        `ALLOWED_ORIGINS: ${JSON.stringify(o)} is not an origin like https://example.com`,
      );
    }
  }

  const callerToken = get(env, 'CALLER_TOKEN') ?? null;
  if (mode === 'production' && callerToken === null) {
    warnings.push('CALLER_TOKEN not set: anyone who can reach this service can get credentials');
  }
  if (callerToken !== null && callerToken.length < 16)
    warnings.push('CALLER_TOKEN is shorter than 16 characters');

  const trustProxy = get(env, 'TRUST_PROXY');
  return {
    mode,
    trtc,
    volc,
    host: get(env, 'HOST') ?? DEFAULT_HOST,
    port: intVar(env, 'PORT', DEFAULT_PORT, 0, 65535),
    tokenTtlSeconds: intVar(env, 'TOKEN_TTL_SECONDS', DEFAULT_TOKEN_TTL_SECONDS, 60, MAX_TOKEN_TTL_SECONDS),
    allowedOrigins,
    callerToken,
    rateLimitPerMinute: intVar(env, 'RATE_LIMIT_PER_MINUTE', DEFAULT_RATE_LIMIT_PER_MINUTE, 1, 1000000),
    bodyLimitBytes: BODY_LIMIT_BYTES,
    trustProxy: trustProxy === '1' || trustProxy === 'true',
    logLevel: get(env, 'LOG_LEVEL') ?? null,
    warnings,
  };
}

/** True when any key was generated at start (development mode). */
export function usesDevKeys(config: ServerConfig): boolean {
  return Boolean(config.trtc?.generated || config.volc?.generated);
}

/** A summary safe to print or log: no secret values. */
export function describeConfig(config: ServerConfig): Record<string, unknown> {
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
    callerToken: config.callerToken ? 'required' : 'not required',
    rateLimitPerMinute: config.rateLimitPerMinute,
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
