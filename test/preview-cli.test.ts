/** @jest-environment node */
/**
 * `npm start` survives rebuilds: the real CLI (preview/cli.ts, with its `gulp watchSources` child) runs on a
 * temp copy of the repository (so its rebuilds never touch the dist/ the other test files read), a source is
 * edited several times in a row while it runs (the build removes and rewrites dist/<p> each time), and it keeps
 * serving the rebuilt preview. Killed, even with SIGKILL, it leaves no process behind.
 */
import { spawn, type ChildProcess } from 'child_process';
import { copyRepo } from './helpers/repo-copy';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';

jest.setTimeout(240000);

const ROOT = path.resolve(__dirname, '..');
let copy = '';

/** Processes whose command line mentions the copy or that run inside it (the CLI, gulp, tsc, esbuild …). */
function processesIn(dir: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
      if (cmd.includes(dir) || cwd === dir || cwd.startsWith(`${dir}/`)) found.push(`${pid} ${cmd}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: string | null }>;
}

function start(dir: string): Running {
  const child = spawn(
    process.execPath,
    ['-r', 'esbuild-register', path.join(dir, 'preview/cli.ts'), '--no-build', '--port', '0'],
    {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, exited };
}

async function until<T>(what: string, fn: () => T | undefined | false, ms: number, r?: Running): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${r?.output() ?? ''}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist/wx/app.json'))) throw new Error('run `npm run build` first');
  copy = copyRepo({ dist: true });
});
afterAll(async () => {
  for (const p of processesIn(copy)) process.kill(Number(p.split(' ')[0]), 'SIGKILL');
  await until('the killed processes gone', () => processesIn(copy).length === 0, 10000);
  fs.rmSync(copy, { recursive: true, force: true, maxRetries: 10, retryDelay: 300 });
});

test('edits while it runs: it rebuilds, keeps serving, and a SIGKILL leaves no orphan', async () => {
  const run = start(copy);
  const url = await until(
    'the address',
    () => /WeChat build:\s+(http:\S+)/.exec(run.output())?.[1],
    60000,
    run,
  );
  expect((await get(url)).status).toBe(200);
  // the watcher child is up before the edits (its first lines name the gulpfile)
  await until('gulp watchSources', () => /Starting 'watchSources'/.test(run.output()), 60000, run);
  const wxml = path.join(copy, 'pages/index/index.wxml');
  const original = fs.readFileSync(wxml, 'utf8');
  for (let i = 1; i <= 4; i++) {
    fs.writeFileSync(wxml, `${original}\n<view class="edit-mark-${i}"></view>\n`);
    await new Promise((r) => setTimeout(r, 700));
  }
  const bundleHas = (mark: string) =>
    (fs.readdirSync(path.join(copy, '.build/preview/wx'), { recursive: true }) as string[]).some((f) => {
      const file = path.join(copy, '.build/preview/wx', f);
      return fs.statSync(file).isFile() && fs.readFileSync(file, 'utf8').includes(mark);
    });
  await until('the last edit in the preview bundle', () => bundleHas('edit-mark-4'), 120000, run);
  await until('the rebuild message', () => /preview: rebuilt/.test(run.output()), 30000, run);
  expect(run.output()).not.toMatch(/ENOENT|Unhandled|ERR_/);
  expect(run.child.exitCode).toBeNull();
  expect((await get(url)).status).toBe(200);
  expect(processesIn(copy).some((p) => p.includes('watchSources'))).toBe(true);

  run.child.kill('SIGKILL');
  await run.exited;
  const left = await until('no process left', () => processesIn(copy).length === 0 || undefined, 5000).catch(
    () => processesIn(copy),
  );
  expect(left).toBe(true);
});

test('Ctrl-C ends it and its watcher, with exit code 0', async () => {
  const run = start(copy);
  await until('the address', () => /WeChat build:\s+(http:\S+)/.test(run.output()), 60000, run);
  await until(
    'gulp watchSources',
    () => processesIn(copy).some((p) => p.includes('watchSources')),
    30000,
    run,
  );
  run.child.kill('SIGINT');
  expect({ ...(await run.exited), output: run.output() }).toEqual({
    code: 0,
    signal: null,
    output: expect.any(String),
  });
  const left = await until('no process left', () => processesIn(copy).length === 0 || undefined, 5000).catch(
    () => processesIn(copy),
  );
  expect(left).toBe(true);
});
