/**
 * `prepare`: npm runs it after `npm ci` in this repository (nothing to do: `npm start` and `npm test` build) and
 * when a project installs the package from git, where npm runs only `prepare` before packing the clone (not
 * `prepack`): then it builds, so the installed package has its dist/. Told apart by INIT_CWD, the folder npm was
 * started in: this repository itself, or the installing project.
 */
/* global process */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const started = process.env.INIT_CWD ? resolve(process.env.INIT_CWD) : process.cwd();
if (started !== process.cwd()) {
  const r = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
  process.exit(r.status ?? 1);
}
