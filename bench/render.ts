/**
 * The render storm (test/render.bench.ts) in a jest child process: miniprogram-simulate needs jest's jsdom
 * environment. Returns ms per event (wall and CPU) for a built mini-program tree, the median of a few runs
 * (the machine is shared: CPU time is the figure to compare, wall time varies with the load).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface RenderResult {
  root: string;
  users: number;
  events: number;
  burst: number;
  msPerEvent: number;
  cpuMsPerEvent: number;
  /** CPU ms / event of each run, ascending (runRenderBench's median is the middle one) */
  cpuRuns?: number[];
}

/**
 * Recorded at the start of issue 13 on the tree before it (merge commit 2945742: per-file tsc output, every
 * tile style walking `streams`), same storm, same machine, median of 3 runs on a shared 2-core box.
 * `BENCH_BEFORE_ROOT=/path/to/old/dist/wx npm run bench` measures such a tree again instead.
 */
export const BEFORE_2945742 = { msPerEvent: 6.77, cpuMsPerEvent: 3.31 };

/** The storm `runs` times over `root`; CPU and wall figures are the medians. */
export function runRenderBench(root: string, runs = 3): RenderResult {
  const all = Array.from({ length: runs }, () => runOnce(root));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const cpuRuns = all.map((r) => r.cpuMsPerEvent).sort((a, b) => a - b);
  const { root: tree, users, events, burst } = all[0];
  return {
    root: tree,
    users,
    events,
    burst,
    msPerEvent: median(all.map((r) => r.msPerEvent)),
    cpuMsPerEvent: median(cpuRuns),
    cpuRuns,
  };
}

function runOnce(root: string): RenderResult {
  const repo = path.resolve(__dirname, '..');
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'webrtc-room-render-')), 'result.json');
  const jest = require.resolve('jest/bin/jest');
  const r = spawnSync(
    process.execPath,
    [
      jest,
      '--rootDir',
      repo,
      '--testMatch',
      '<rootDir>/test/render.bench.ts',
      '--testPathIgnorePatterns',
      '/node_modules/',
      '--coverage=false',
      '--reporters',
      'default',
    ],
    { cwd: repo, env: { ...process.env, BENCH_ROOT: root, BENCH_OUT: out }, encoding: 'utf8' },
  );
  if (r.status !== 0 || !fs.existsSync(out)) throw new Error(`render bench failed:\n${r.stderr}`);
  return JSON.parse(fs.readFileSync(out, 'utf8')) as RenderResult;
}
