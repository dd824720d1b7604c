import { createHash, timingSafeEqual } from 'node:crypto';
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

/** Whether the file `filename` (pass `__filename`) is the script node was started with. */
export function isMainScript(filename: string, argv: string[] = process.argv): boolean {
  const strip = (p: string): string => p.replace(/\.(c|m)?[jt]s$/, '');
  return argv[1] !== undefined && strip(resolve(argv[1])) === strip(filename);
}
