/**
 * A real redis-server for the tests, on a free loopback port (.ci/run installs Debian's redis-server).
 */
import { spawn, type ChildProcess } from 'child_process';
import * as net from 'net';

export interface RedisHandle {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    c.once('error', () => resolve(false));
    c.once('connect', () => c.write('PING\r\n'));
    c.once('data', (d) => {
      c.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
  });
}

export async function startRedis(): Promise<RedisHandle> {
  const port = await freePort();
  let child: ChildProcess;
  try {
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--protected-mode',
        'yes',
      ],
      { stdio: 'ignore' },
    );
  } catch (e) {
    throw new Error('cannot start redis-server (apt-get install redis-server; .ci/run does)', { cause: e });
  }
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (e) =>
      reject(
        new Error(`cannot start redis-server (apt-get install redis-server; .ci/run does): ${e.message}`),
      ),
    ),
  );
  const ready = (async () => {
    for (let i = 0; i < 100; i++) {
      if (await ping(port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('redis-server did not answer PING within 5 s');
  })();
  await Promise.race([ready, spawnError]);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
