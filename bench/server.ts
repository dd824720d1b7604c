/**
 * Signing-service bench (issue 11): req/s and p50/p99 latency at 50 connections on loopback, with autocannon, for
 * WeChat credentials (UserSig + PrivateMapKey) and Douyin tokens:
 *   floor     a bare node:http server calling tls-sig-api-v2 directly (bench/server-floor.ts)
 *   1 worker  `webrtc-room-server` in production mode: JWT auth (HS256), policy, limits (memory), schemas
 *   cluster   the same with --workers = cores (memory limits), and with REDIS_URL when redis-server exists
 * Every server runs in its own process; the load generator runs in this one (on 2 cores it takes one of them).
 * `runServerBench()` is called by bench/index.ts; `node -r esbuild-register bench/server.ts` runs it alone.
 * BENCH_SECONDS (default 5) per case, after a 1 s warm-up.
 */
import { spawnSync } from 'child_process';
import * as os from 'os';
import autocannon from 'autocannon';
import { SignJWT } from 'jose';
import { startNode } from '../test/server/helpers/process';
import { freePort, startRedis, type RedisHandle } from '../test/server/helpers/redis';

const JWT_SECRET = 'bench-jwt-secret-0123456789abcdef0123456789';
const SERVICE_ENV = {
  NODE_ENV: 'production',
  TRTC_SDK_APP_ID: '1400123456',
  TRTC_SECRET_KEY: 'bench-trtc-secret-0123456789abcdef0123456789',
  VOLC_APP_ID: 'abcdefghijklmnopqrstuvwx',
  VOLC_APP_KEY: 'bench-volc-app-key-0123456789',
  JWT_SECRET,
  RATE_LIMIT_PER_MINUTE: '10000000',
  USER_RATE_LIMIT_PER_MINUTE: '10000000',
};

export interface ServerBenchRow {
  server: string;
  workers: number;
  platform: 'wx' | 'tt';
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  ratioToFloor: number | null;
}

async function load(url: string, body: object, headers: Record<string, string>, seconds: number) {
  const opts = {
    url: `${url}/api/credentials`,
    method: 'POST' as const,
    connections: 50,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
  await autocannon({ ...opts, duration: 1 }); // warm-up (JIT, connections)
  const r = await autocannon({ ...opts, duration: seconds });
  return {
    reqPerSec: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
  };
}

export async function runServerBench(seconds = Number(process.env.BENCH_SECONDS ?? 5)): Promise<{
  rows: ServerBenchRow[];
  table: string;
}> {
  const rows: ServerBenchRow[] = [];
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('bench_user')
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(JWT_SECRET));
  const floorRate: Record<string, number> = {};

  const floorPort = await freePort();
  const floor = await startNode(['bench/server-floor.ts', String(floorPort)], {
    env: {},
    ready: /listening/,
  });
  try {
    for (const platform of ['wx', 'tt'] as const) {
      const r = await load(
        `http://127.0.0.1:${floorPort}`,
        { platform, userID: 'bench_user', roomID: 1234 },
        {},
        seconds,
      );
      floorRate[platform] = r.reqPerSec;
      rows.push({ server: 'bare node:http + tls-sig-api-v2', workers: 1, platform, ...r, ratioToFloor: 1 });
    }
  } finally {
    await floor.stop();
  }

  const cores = os.availableParallelism();
  let redis: RedisHandle | null = null;
  if (spawnSync('redis-server', ['--version']).status === 0) redis = await startRedis();
  const variants: Array<{ name: string; workers: number; env: Record<string, string> }> = [
    { name: 'webrtc-room-server', workers: 1, env: {} },
    { name: 'webrtc-room-server cluster', workers: cores, env: {} },
    ...(redis
      ? [{ name: 'webrtc-room-server cluster + Redis limits', workers: cores, env: { REDIS_URL: redis.url } }]
      : []),
  ];
  try {
    for (const v of variants) {
      const port = await freePort();
      const svc = await startNode(['server/cli.ts', '--workers', String(v.workers)], {
        env: { ...SERVICE_ENV, ...v.env, PORT: String(port) },
        ready: /listening on/,
      });
      try {
        for (const platform of ['wx', 'tt'] as const) {
          const r = await load(
            `http://127.0.0.1:${port}`,
            { platform, roomID: 1234 },
            { authorization: `Bearer ${token}` },
            seconds,
          );
          rows.push({
            server: v.name,
            workers: v.workers,
            platform,
            ...r,
            ratioToFloor: Math.round((r.reqPerSec / floorRate[platform]) * 100) / 100,
          });
        }
      } finally {
        await svc.stop();
      }
    }
  } finally {
    await redis?.stop();
  }

  const header = ['server', 'workers', 'credential', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'vs floor'];
  const body = rows.map((r) => [
    r.server,
    String(r.workers),
    r.platform === 'wx' ? 'WeChat (UserSig+PMK)' : 'Douyin (token)',
    String(r.reqPerSec),
    String(r.p50),
    String(r.p99),
    String(r.non2xx),
    r.ratioToFloor === null ? '' : `${r.ratioToFloor.toFixed(2)}x`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  const table = [
    line(header),
    '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|',
    ...body.map(line),
    '',
    `50 connections, ${seconds} s per row after a 1 s warm-up, loopback, ${cores} cores shared by the server(s) ` +
      'and autocannon; the service authenticates every request (JWT HS256) and counts IP and user limits.',
  ].join('\n');
  return { rows, table };
}

if (require.main === module) {
  runServerBench()
    .then(({ table }) => process.stdout.write(`## Signing service on loopback\n\n${table}\n`))
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    });
}
