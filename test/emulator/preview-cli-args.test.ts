/** @jest-environment node */
/**
 * `npm start`'s allow-list arguments: --allow-host and PREVIEW_ALLOWED_HOSTS are read, and an entry that is not an
 * exact host[:port] ends the CLI before it builds or serves anything (no guessing at what was meant).
 */
import { spawn } from 'child_process';
import * as path from 'path';

jest.setTimeout(60000);

const ROOT = path.resolve(__dirname, '../..');

function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        'esbuild-register',
        path.join(ROOT, 'preview/cli.ts'),
        '--no-build',
        '--no-watch',
        '--port',
        '0',
        ...args,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
    );
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

test('a wildcard or a URL in --allow-host or PREVIEW_ALLOWED_HOSTS: exit 2 naming it, nothing served', async () => {
  const flag = await run(['--allow-host', 'tunnel.example.com', '--allow-host', '*.example.com']);
  expect(flag.code).toBe(2);
  expect(flag.out).toContain('allowed host "*.example.com" is not a host[:port] name');
  expect(flag.out).not.toMatch(/WeChat build|preview: wx bundle/);
  const env = await run([], { PREVIEW_ALLOWED_HOSTS: 'tunnel.example.com,https://phone.example.net' });
  expect(env.code).toBe(2);
  expect(env.out).toContain('allowed host "https://phone.example.net" is not a host[:port] name');
  expect(env.out).not.toMatch(/WeChat build|preview: wx bundle/);
});
