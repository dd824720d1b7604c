/**
 * `webrtc-room-server` (`npm run server`, `npm run sign`): see USAGE below.
 */
import cluster from 'node:cluster';
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkRoom, checkUserID, ROLES, type Platform, type Role } from '../utils/validate';
import { createServer } from './app';
import {
  ConfigError,
  describeConfig,
  loadConfig,
  parseDotenv,
  usesDevKeys,
  DEV_MODE_BANNER,
  type ServerConfig,
  type ServerEnv,
} from './config';
import { issueCredentials } from './credentials';
import { DEV_KEYS_FILENAME } from './devkeys';
import { isMainScript, unixNow } from './util';

export const USAGE = `webrtc-room-server: the signing service for <webrtc-room>

Usage:
  webrtc-room-server [--workers N]      start the HTTP service (configuration: environment and ./.env)
  webrtc-room-server sign --user ID (--room N | --str-room S) [--platform wx|tt] [--role anchor|audience]
                                        print one set of credentials as JSON (local testing; no login)
  webrtc-room-server --help | sign --help

Options:
  --workers N   processes sharing the port (node:cluster); default WORKERS or the number of cores.
                With more than one, set REDIS_URL so the rate limits are shared.

In development (NODE_ENV not production, no keys set) keys come from ${DEV_KEYS_FILENAME} in the working
directory (created on first use, git-ignored), shared with \`npm start\`. See .env.example and the README
("Deployment") for every variable.
`;

export const SIGN_USAGE = `webrtc-room-server sign: print one set of credentials as JSON (local testing)

  --platform wx|tt      default wx (TRTC UserSig + PrivateMapKey); tt = Volcengine token
  --user ID             the userID (required)
  --room N              numeric room, or
  --str-room S          string room
  --role anchor|audience  default anchor

Keys: TRTC_SDK_APP_ID/TRTC_SECRET_KEY, VOLC_APP_ID/VOLC_APP_KEY from the environment or ./.env; in development
without keys, the shared development keys (${DEV_KEYS_FILENAME}), which the local emulator accepts.
`;

/** process.env, plus ./.env values for names not already set. */
export function envWithDotenv(env: NodeJS.ProcessEnv, file = '.env'): ServerEnv {
  const merged: ServerEnv = { ...env };
  if (existsSync(file)) {
    for (const [k, v] of Object.entries(parseDotenv(readFileSync(file, 'utf8'))))
      if (merged[k] === undefined) merged[k] = v;
  }
  return merged;
}

/** The `sign` sub-command: returns the JSON to print (or the usage), throws with a message on bad arguments. */
export function runSign(
  argv: string[],
  env: ServerEnv,
  now = unixNow(),
  devKeysFile: string | null = null,
): string {
  const { values } = parseArgs({
    args: argv,
    options: {
      platform: { type: 'string', default: 'wx' },
      user: { type: 'string' },
      room: { type: 'string' },
      'str-room': { type: 'string' },
      role: { type: 'string', default: 'anchor' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return SIGN_USAGE;
  const platform = values.platform as Platform;
  if (platform !== 'wx' && platform !== 'tt') throw new Error(`--platform must be wx or tt`);
  const user = checkUserID(values.user, platform);
  if (!user.ok) throw new Error(`--user: ${user.error.message}`);
  const room = checkRoom(values.room, values['str-room'], platform);
  if (!room.ok)
    throw new Error(`--${room.error.field === 'roomID' ? 'room' : 'str-room'}: ${room.error.message}`);
  if (!(ROLES as readonly string[]).includes(values.role as string))
    throw new Error(`--role must be anchor or audience`);
  const config = loadConfig(env, { devKeysFile });
  const creds = issueCredentials(
    { platform, userID: user.value, room: room.value, role: values.role as Role },
    { trtc: config.trtc, volc: config.volc, ttlSeconds: config.tokenTtlSeconds, now },
  );
  const note = usesDevKeys(config)
    ? { note: `${DEV_MODE_BANNER}: signed with a development key, accepted only by the local emulator` }
    : {};
  return JSON.stringify({ ...creds, ...note }, null, 2);
}

function printStartup(config: ServerConfig, workers: number): void {
  if (usesDevKeys(config)) {
    console.warn(
      `\n${DEV_MODE_BANNER}\n  development keys and the local login stand-in: credentials work only with the local ` +
        'room emulator.\n',
    );
  }
  for (const w of config.warnings) console.warn(`warning: ${w}`);
  console.log('config:', JSON.stringify({ ...describeConfig(config), workers }));
}

async function startWorker(config: ServerConfig, quiet: boolean): Promise<void> {
  const app = createServer(config);
  const address = await app.listen({ host: config.host, port: config.port });
  if (!quiet)
    console.log(
      `signing service listening on ${address} (POST /api/login, POST /api/credentials, GET /healthz)`,
    );
  const stop = (): void => {
    void app.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** The primary of `--workers N`: forks the workers, replaces one that dies, ends them with itself. */
function startPrimary(config: ServerConfig, workers: number): void {
  let stopping = false;
  let listening = 0;
  const fork = (): void => {
    cluster.fork({ WEBRTC_ROOM_SERVER_WORKER: '1' });
  };
  cluster.on('listening', (_w, addr) => {
    listening++;
    if (listening === workers)
      console.log(
        `signing service listening on http://${config.host}:${addr.port} with ${workers} workers ` +
          '(POST /api/login, POST /api/credentials, GET /healthz)',
      );
  });
  cluster.on('exit', (w, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    console.error(`worker ${w.process.pid} exited (${signal ?? code}); starting another`);
    setTimeout(fork, 500).unref();
  });
  const stop = (): void => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  for (let i = 0; i < workers; i++) fork();
}

export async function serve(argv: string[], env: ServerEnv): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      workers: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const e: ServerEnv = values.workers !== undefined ? { ...env, WORKERS: values.workers } : env;
  const config = loadConfig(e, { devKeysFile: DEV_KEYS_FILENAME });
  if (cluster.isWorker) return startWorker(config, true);
  if (config.workers > 1) {
    // configuration errors (no authentication ...) stop the primary, before any fork
    await createServer(config).close();
    printStartup(config, config.workers);
    startPrimary(config, config.workers);
    return;
  }
  printStartup(config, 1);
  return startWorker(config, false);
}

async function main(argv: string[]): Promise<void> {
  const env = envWithDotenv(process.env);
  try {
    if (argv[0] === 'sign') console.log(runSign(argv.slice(1), env, unixNow(), DEV_KEYS_FILENAME));
    else await serve(argv, env);
  } catch (e) {
    if (e instanceof ConfigError) console.error(`configuration error: ${e.message}`);
    else console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  }
}

if (isMainScript(__filename)) void main(process.argv.slice(2));
