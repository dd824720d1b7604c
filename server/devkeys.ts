/**
 * Development keys shared across processes: `npm run server`, `npm run sign` and the preview's emulator
 * (`npm start`) read the same git-ignored file, and the first of them creates it, so a credential from one
 * is accepted by the other. Development mode only: production never reads or writes it.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Default location, relative to the working directory (the repository root for the npm scripts). */
export const DEV_KEYS_FILENAME = '.webrtc-room-dev-keys.json';
/** Prefix of every development secret, so a leaked dev key is easy to spot. */
export const DEV_SECRET_PREFIX = 'webrtc-room-dev-secret-';
/** Prefix of the development Volcengine AppId (24 characters in total). */
export const DEV_VOLC_APP_ID_PREFIX = 'devwebrtcroom';

export interface DevKeys {
  /** TRTC SecretKey for the development SDKAppID */
  trtcSecretKey: string;
  volcAppId: string;
  volcAppKey: string;
  /** signs the session tokens POST /api/login hands out */
  sessionSecret: string;
  /** the app secret the development login stand-in expects (it never leaves this machine) */
  loginAppSecret: string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomAlnum(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALNUM[randomInt(ALNUM.length)];
  return s;
}

export function devSecret(): string {
  return DEV_SECRET_PREFIX + randomBytes(32).toString('hex');
}

/** A fresh random set (nothing on disk). */
export function generateDevKeys(): DevKeys {
  return {
    trtcSecretKey: devSecret(),
    volcAppId: DEV_VOLC_APP_ID_PREFIX + randomAlnum(24 - DEV_VOLC_APP_ID_PREFIX.length),
    volcAppKey: devSecret(),
    sessionSecret: devSecret(),
    loginAppSecret: devSecret(),
  };
}

function isDevKeys(v: unknown): v is DevKeys {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  const secret = (k: string): boolean =>
    typeof o[k] === 'string' && (o[k] as string).startsWith(DEV_SECRET_PREFIX);
  return (
    secret('trtcSecretKey') &&
    secret('volcAppKey') &&
    secret('sessionSecret') &&
    secret('loginAppSecret') &&
    typeof o.volcAppId === 'string' &&
    new RegExp(`^${DEV_VOLC_APP_ID_PREFIX}[A-Za-z0-9]{11}$`).test(o.volcAppId)
  );
}

/**
 * Reads the development keys from `file`, creating it (mode 0600) when it is missing or not a dev-keys file.
 * Two processes starting at once agree: the file is written under a temporary name and hard-linked into place
 * (fails if another process got there first), then read back, so both end up with what is on disk.
 */
export function loadOrCreateDevKeys(file: string): DevKeys {
  const path = resolve(file);
  const read = (): DevKeys | null => {
    try {
      const v: unknown = JSON.parse(readFileSync(path, 'utf8'));
      return isDevKeys(v) ? v : null;
    } catch {
      return null;
    }
  };
  const existing = read();
  if (existing) return existing;
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const text =
    JSON.stringify(
      {
        note: 'webrtc-room development keys (git-ignored): accepted only by the local emulator. Delete to rotate.',
        ...generateDevKeys(),
      },
      null,
      2,
    ) + '\n';
  writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, path); // exclusive: EEXIST when a file is there (another process created it meanwhile)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // keep another process's keys; replace only a file that is still unreadable or foreign
    if (!read()) renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
  const written = read();
  if (!written) throw new Error(`cannot read the development keys back from ${path}`);
  return written;
}
