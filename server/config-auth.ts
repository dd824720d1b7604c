/**
 * The authentication part of the configuration: app session JWTs (JWT_SECRET / JWT_PUBLIC_KEY / JWT_JWKS_URL)
 * and the mini-program logins (WX_/TT_APP_ID + APP_SECRET, or the development stand-in).
 */
import { createPublicKey } from 'node:crypto';
import {
  DEFAULT_JWT_CLOCK_SKEW_SECONDS,
  DEV_TT_APP_ID,
  DEV_WX_APP_ID,
  TT_LOGIN_BASE_URL,
  WX_LOGIN_BASE_URL,
} from './config-defaults';
import type { DevKeys } from './devkeys';
import {
  badId,
  baseUrlVar,
  ConfigError,
  get,
  hmacSecrets,
  intVar,
  isLoopbackHost,
  list,
  pair,
} from './config-env';
import type { JwtConfig, LoginPlatformConfig, Mode, ServerEnv } from './config-types';

export function jwtConfig(env: ServerEnv): JwtConfig | null {
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
export function loginPlatform(
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
