/**
 * The signing service's defaults and fixed values: ports, TTLs, rate limits, the platforms' login URLs, the
 * development IDs and markers, and which environment variables hold secrets.
 */
import { DEV_SECRET_PREFIX, DEV_VOLC_APP_ID_PREFIX } from './devkeys';

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
