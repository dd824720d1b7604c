import { createHash, timingSafeEqual } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';

/** The clock in unix seconds. */
export function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}

export function assertInt(name: string, v: unknown, min: number, max: number): asserts v is number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${String(v)}`);
  }
}

export function assertNonEmptyString(name: string, v: unknown): asserts v is string {
  if (typeof v !== 'string' || v === '') throw new TypeError(`${name} must be a non-empty string`);
}

/** Compares two strings in time independent of where they differ (both are hashed first, so length leaks nothing). */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

/**
 * Whether the file `filename` (pass `__filename`) is the script node was started with, also through a symlink
 * (an npm bin in node_modules/.bin).
 */
export function isMainScript(filename: string, argv: string[] = process.argv): boolean {
  const strip = (p: string): string => p.replace(/\.(c|m)?[jt]s$/, '');
  if (argv[1] === undefined) return false;
  let started = resolve(argv[1]);
  try {
    started = realpathSync(started);
  } catch {
    // not a file on disk (e.g. `node -e`): compare the path as given
  }
  return strip(started) === strip(filename);
}
