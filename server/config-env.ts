/**
 * Reading environment variables for loadConfig: ConfigError, numbers, lists, ID/key pairs, HMAC secrets, base
 * URLs, TRUST_PROXY, and .env files. A message names the variable and never repeats a secret.
 */
import { isIP } from 'node:net';
import { MIN_HMAC_SECRET_LENGTH } from './config-defaults';
import type { Mode, ServerEnv, TrustProxy } from './config-types';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function get(env: ServerEnv, name: string): string | undefined {
  const v = env[name];
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

/** For variables that are not secret: the message shows the value. */
export function intVar(env: ServerEnv, name: string, def: number, min: number, max: number): number {
  const raw = get(env, name);
  if (raw === undefined) return def;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} must be an integer in [${min}, ${max}]`);
  }
  return Number(raw);
}

export function list(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function pair(env: ServerEnv, idName: string, keyName: string): [string, string] | null {
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
export function badId(idName: string, keyName: string, expected: string, value: string): ConfigError {
  return new ConfigError(
    `${idName} must be ${expected}; the value set (${value.length} characters, not shown) is not. ` +
      `Were ${idName} and ${keyName} swapped?`,
  );
}

export function hmacSecrets(env: ServerEnv, name: string): string[] {
  const secrets = list(get(env, name));
  if (secrets.some((s) => s.length < MIN_HMAC_SECRET_LENGTH)) {
    throw new ConfigError(
      `${name}: every secret must be at least ${MIN_HMAC_SECRET_LENGTH} characters (one is shorter; not shown)`,
    );
  }
  return secrets;
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\./.test(h);
}

export function baseUrlVar(env: ServerEnv, name: string, def: string, mode: Mode): string {
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

export function isCidrOrAddress(s: string): boolean {
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
