/**
 * `npm start`: build, then serve a real call on this machine.
 *   1. `gulp build` (dist/wx, dist/tt)            4. the room emulator (ws /rtc)
 *   2. preview bundles (.build/preview/{wx,tt})    5. prints http://127.0.0.1:PORT/
 *   3. the signing service, development keys      6. keeps `gulp watchSources` running and rebuilds the preview
 *
 * Options: --host <addr> (e.g. 0.0.0.0 for other machines on the LAN; getUserMedia then needs https or
 * a browser flag, except on localhost), --port <n> (default 8686, falls back to a free port),
 * --no-build, --no-watch, --platform wx|tt|both (default both when dist/tt exists),
 * --allow-host <host[:port]> (repeatable; and PREVIEW_ALLOWED_HOSTS, comma-separated): a name besides IP addresses
 * and localhost that /api and the control API answer at, e.g. a tunnel's; exact names, no wildcards.
 * Page flags (in the address, before the #): ?camera=label (synthetic labelled cameras), ?deny=camera|mic.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { buildPreview } from './build';
import { parseAllowedHosts } from '../emulator/control';
import { startPreviewServer, type PreviewServer } from './server';
import { watchOutput } from './watch';

const REPO = path.resolve(__dirname, '..');
const OUT = path.join(REPO, '.build/preview');

function gulp(args: string[]): string[] {
  return [path.join(REPO, 'node_modules/gulp/bin/gulp.js'), '--cwd', REPO, ...args];
}

/** Children that must not outlive this process (see exit-with-parent.js for the SIGKILL case). */
const children = new Set<ChildProcess>();

function endChildren(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
}

/** A long-running child: ends with this process, whichever way it ends. */
function spawnTied(args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['-r', path.join(__dirname, 'exit-with-parent.js'), ...args], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    cwd: REPO,
    // its own process group, so the child can end its grandchildren (a rebuild's tsc) with itself
    detached: true,
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}
process.on('exit', endChildren);

async function buildBundles(platforms: Array<'wx' | 'tt'>): Promise<Record<string, string>> {
  const dirs: Record<string, string> = {};
  for (const p of platforms) {
    const root = path.join(REPO, 'dist', p);
    if (!fs.existsSync(path.join(root, 'app.json'))) continue;
    const out = path.join(OUT, p);
    try {
      const r = await buildPreview({ root, out, platform: p });
      console.log(
        `preview: ${p} bundle ${(r.bundleBytes / 1024).toFixed(0)} kB, ${r.pages.length} pages, ${r.ms} ms`,
      );
      dirs[p] = out;
    } catch (e) {
      console.error(`preview: cannot build the ${p} preview: ${(e as Error).message}`);
    }
  }
  return dirs;
}

function lanAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((i): i is os.NetworkInterfaceInfo => !!i && i.family === 'IPv4' && !i.internal)
    .map((i) => i.address);
}

async function listen(
  dirs: Record<string, string>,
  host: string,
  port: number,
  allowedHosts: string[],
): Promise<PreviewServer> {
  try {
    return await startPreviewServer({ host, port, dirs, allowedHosts });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    console.log(`preview: port ${port} is busy, using a free one`);
    return startPreviewServer({ host, port: 0, dirs, allowedHosts });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8686' },
      build: { type: 'boolean', default: true },
      'no-build': { type: 'boolean', default: false },
      watch: { type: 'boolean', default: true },
      'no-watch': { type: 'boolean', default: false },
      platform: { type: 'string', default: 'both' },
      'allow-host': { type: 'string', multiple: true, default: [] },
    },
  });
  let allowedHosts: string[];
  try {
    allowedHosts = parseAllowedHosts(
      [process.env.PREVIEW_ALLOWED_HOSTS ?? '', ...values['allow-host']].join(','),
    );
  } catch (e) {
    console.error(`preview: --allow-host / PREVIEW_ALLOWED_HOSTS: ${(e as Error).message}`);
    process.exit(2);
  }
  const platforms: Array<'wx' | 'tt'> =
    values.platform === 'wx' ? ['wx'] : values.platform === 'tt' ? ['tt'] : ['wx', 'tt'];
  if (values.build && !values['no-build']) {
    const r = spawnSync(process.execPath, gulp(['build']), { stdio: 'inherit', cwd: REPO });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  const dirs = await buildBundles(platforms);
  if (!dirs.wx && !dirs.tt) {
    console.error('preview: nothing to serve (dist/wx and dist/tt are missing); run `npm run build`.');
    process.exit(1);
  }
  const server = await listen(dirs, values.host ?? '127.0.0.1', Number(values.port), allowedHosts);
  // before anything is printed or spawned: Ctrl-C at any moment ends the children and closes the server
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    endChildren();
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', stop);
  const bar = '-'.repeat(64);
  console.log(bar);
  console.log('webrtc-room preview: a real call on this machine');
  if (dirs.wx) console.log(`  WeChat build:  ${server.url}`);
  if (dirs.tt) console.log(`  Douyin build:  ${server.url}tt/`);
  if (values.host === '0.0.0.0') {
    for (const a of lanAddresses()) console.log(`  on the LAN:    http://${a}:${server.port}/`);
    console.log('  (browsers allow the camera only on https or localhost; for LAN tests start Chrome with');
    console.log(`   --unsafely-treat-insecure-origin-as-secure=http://<this-address>:${server.port})`);
  }
  console.log('  open it in two tabs with different user IDs and the same room.');
  console.log(`  labelled test cameras instead of the devices: ${server.url}?camera=label`);
  console.log(`  a refused camera permission (the guide): ${server.url}?deny=camera`);
  console.log(`  the faults phones produce, by hand: ${server.url}?faults=1 (control API: /_emulator/)`);
  console.log('  signing service: /api (development keys); room emulator: /rtc');
  for (const h of allowedHosts)
    console.log(`  also answering at ${h} (--allow-host): anyone reaching that name gets /api and faults`);
  console.log('  WeChat DevTools: import this folder (project.config.json → miniprogramRoot dist/wx/);');
  console.log('  Douyin IDE: open dist/tt. Both rebuild while this runs.');
  console.log(bar);

  if (values.watch && !values['no-watch']) {
    const watcher = spawnTied(gulp(['watchSources']));
    watcher.on('exit', (code, signal) => {
      if (!stopping)
        console.error(`preview: gulp watchSources ended (${signal ?? code}); sources are no longer watched`);
    });
    // one preview rebuild at a time; changes that land during one make exactly one more
    let building = false;
    let again = false;
    const rebuild = (): void => {
      if (building) {
        again = true;
        return;
      }
      building = true;
      void buildBundles(platforms).then(() => {
        building = false;
        console.log('preview: rebuilt; reload the page');
        if (again) {
          again = false;
          rebuild();
        }
      });
    };
    watchOutput(
      Object.keys(dirs).map((p) => path.join(REPO, 'dist', p)),
      rebuild,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
