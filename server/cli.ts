/**
 * `npm run server`                 start the signing service (config from env and ./.env)
 * `node -r esbuild-register server/cli.ts sign --platform wx --user alice --room 1234 [--str-room r] [--role audience]`
 *                                  print one set of credentials as JSON (manual testing)
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkRoom, checkUserID, ROLES, type Platform, type Role } from '../utils/core/validate';
import { createServer } from './app';
import {
  ConfigError,
  describeConfig,
  loadConfig,
  parseDotenv,
  usesDevKeys,
  DEV_MODE_BANNER,
  type ServerEnv,
} from './config';
import { issueCredentials } from './credentials';
import { isMainScript, unixNow } from './util';

/** process.env, plus ./.env values for names not already set. */
export function envWithDotenv(env: NodeJS.ProcessEnv, file = '.env'): ServerEnv {
  const merged: ServerEnv = { ...env };
  if (existsSync(file)) {
    for (const [k, v] of Object.entries(parseDotenv(readFileSync(file, 'utf8'))))
      if (merged[k] === undefined) merged[k] = v;
  }
  return merged;
}

/** The `sign` sub-command: returns the JSON to print, throws with a message on bad arguments. */
export function runSign(argv: string[], env: ServerEnv, now = unixNow()): string {
  const { values } = parseArgs({
    args: argv,
    options: {
      platform: { type: 'string', default: 'wx' },
      user: { type: 'string' },
      room: { type: 'string' },
      'str-room': { type: 'string' },
      role: { type: 'string', default: 'anchor' },
    },
  });
  const platform = values.platform as Platform;
  if (platform !== 'wx' && platform !== 'tt') throw new Error(`--platform must be wx or tt`);
  const user = checkUserID(values.user, platform);
  if (!user.ok) throw new Error(`--user: ${user.error.message}`);
  const room = checkRoom(values.room, values['str-room'], platform);
  if (!room.ok)
    throw new Error(`--${room.error.field === 'roomID' ? 'room' : 'str-room'}: ${room.error.message}`);
  if (!(ROLES as readonly string[]).includes(values.role as string))
    throw new Error(`--role must be anchor or audience`);
  const config = loadConfig(env);
  const creds = issueCredentials(
    { platform, userID: user.value, room: room.value, role: values.role as Role },
    { trtc: config.trtc, volc: config.volc, ttlSeconds: config.tokenTtlSeconds, now },
  );
  const note = usesDevKeys(config)
    ? { note: `${DEV_MODE_BANNER}: signed with a random key, not accepted by TRTC/Volcengine` }
    : {};
  return JSON.stringify({ ...creds, ...note }, null, 2);
}

async function serve(env: ServerEnv): Promise<void> {
  const config = loadConfig(env);
  const app = createServer(config);
  if (usesDevKeys(config)) {
    console.warn(
      `\n${DEV_MODE_BANNER}\n  keys were generated at start; credentials work only with the local room emulator.\n`,
    );
  }
  for (const w of config.warnings) console.warn(`warning: ${w}`);
  console.log('config:', JSON.stringify(describeConfig(config)));
  const address = await app.listen({ host: config.host, port: config.port });
  console.log(`signing service listening on ${address} (POST /api/credentials, GET /healthz)`);
  const stop = (): void => {
    void app.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function main(argv: string[]): Promise<void> {
  const env = envWithDotenv(process.env);
  try {
    if (argv[0] === 'sign') console.log(runSign(argv.slice(1), env));
    else await serve(env);
  } catch (e) {
    if (e instanceof ConfigError) console.error(`configuration error: ${e.message}`);
    else console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  }
}

if (isMainScript(__filename)) void main(process.argv.slice(2));
