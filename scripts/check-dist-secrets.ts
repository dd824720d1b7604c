/**
 * Fails (exit 1) if a mini-program bundle (dist/wx, dist/tt) contains a configured secret, a development-mode
 * marker, or code from server/. Secrets come from the environment and ./.env.
 *
 *   node -r esbuild-register scripts/check-dist-secrets.ts [dir ...]     (default: dist/wx dist/tt)
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DEV_MARKERS, parseDotenv, SECRET_ENV_NAMES } from '../server/config';
import { isMainScript } from '../server/util';

export interface Secret {
  /** where it came from, e.g. the variable name; printed instead of the value */
  name: string;
  value: string;
}

export interface Problem {
  file: string;
  kind: 'secret' | 'dev-marker' | 'server-code' | 'server-file';
  /** what was found (a secret is named, never printed) */
  found: string;
}

/** Strings that only server code contains. */
export const SERVER_CODE_MARKERS: readonly string[] = [
  'tls-sig-api-v2',
  'TLSSigAPIv2',
  'createHmac',
  'TRTC_SECRET_KEY',
  'VOLC_APP_KEY',
  'CALLER_TOKEN',
  '@fastify/',
  'lib-generate-test-usersig',
  'webrtc-room signing service',
];

/** Secrets shorter than this are skipped: they would match by accident (and are too weak anyway). */
export const MIN_SECRET_LENGTH = 8;

/** The configured secrets: SECRET_ENV_NAMES from `env`, then from the .env text for names env does not set. */
export function secretsFromEnv(env: Record<string, string | undefined>, dotenvText?: string): Secret[] {
  const fromFile = dotenvText ? parseDotenv(dotenvText) : {};
  const out: Secret[] = [];
  for (const name of SECRET_ENV_NAMES) {
    for (const [src, v] of [
      ['env', env[name]],
      ['.env', fromFile[name]],
    ] as const) {
      const value = v?.trim();
      if (value && !out.some((s) => s.value === value)) out.push({ name: `${name} (${src})`, value });
    }
  }
  return out;
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(p);
    else if (entry.isFile()) yield p;
  }
}

/** Scans every file under `dirs` (missing dirs are skipped) and returns what must not be there. */
export function checkDistSecrets(dirs: string[], secrets: Secret[]): Problem[] {
  const needles: Array<{ kind: Problem['kind']; found: string; bytes: Buffer }> = [];
  for (const s of secrets) {
    if (s.value.length >= MIN_SECRET_LENGTH)
      needles.push({ kind: 'secret', found: s.name, bytes: Buffer.from(s.value) });
  }
  for (const m of DEV_MARKERS) needles.push({ kind: 'dev-marker', found: m, bytes: Buffer.from(m) });
  for (const m of SERVER_CODE_MARKERS) needles.push({ kind: 'server-code', found: m, bytes: Buffer.from(m) });

  const problems: Problem[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) continue;
    for (const file of walk(dir)) {
      const rel = relative(dir, file).split('\\').join('/');
      if (/(^|\/)server\//.test(rel) || /(^|\/)(tls-sig-api-v2|fastify)/.test(rel)) {
        problems.push({ file, kind: 'server-file', found: `server file ${rel}` });
      }
      const content = readFileSync(file);
      for (const n of needles)
        if (content.includes(n.bytes)) problems.push({ file, kind: n.kind, found: n.found });
    }
  }
  return problems;
}

function main(argv: string[]): number {
  const dirs = argv.length > 0 ? argv : ['dist/wx', 'dist/tt'];
  const dotenv = existsSync('.env') ? readFileSync('.env', 'utf8') : undefined;
  const secrets = secretsFromEnv(process.env, dotenv);
  const skipped = secrets.filter((s) => s.value.length < MIN_SECRET_LENGTH);
  for (const s of skipped)
    console.warn(
      `check-dist-secrets: ${s.name} is shorter than ${MIN_SECRET_LENGTH} characters, not searched`,
    );
  const scanned = dirs.filter((d) => existsSync(d));
  if (scanned.length === 0)
    console.warn(`check-dist-secrets: none of ${dirs.join(', ')} exists (build first)`);
  const problems = checkDistSecrets(dirs, secrets);
  for (const p of problems) console.error(`check-dist-secrets: ${p.file}: ${p.kind}: ${p.found}`);
  if (problems.length > 0) {
    console.error(
      `check-dist-secrets: ${problems.length} problem(s); server code and secrets must stay out of the bundle`,
    );
    return 1;
  }
  console.log(
    `check-dist-secrets: ${scanned.join(', ') || '(nothing)'} clean (${secrets.length} secret(s) checked)`,
  );
  return 0;
}

if (isMainScript(__filename)) process.exitCode = main(process.argv.slice(2));
