/**
 * The shapes of the signing service's configuration (ServerConfig and its parts) and of the environment
 * loadConfig reads (ServerEnv).
 */

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
