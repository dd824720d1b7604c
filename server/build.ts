/**
 * Builds the `webrtc-room-server` package into server/dist:
 *   dist/index.js   the library (`require('webrtc-room-server')`), one CommonJS bundle
 *   dist/cli.js     the `webrtc-room-server` command (serve, sign)
 *   dist/types/     declarations (dist/types/server/index.d.ts)
 * The ID rules shared with the component (utils/core/validate.ts) are bundled in from their one source; the npm
 * dependencies (fastify, ...) stay external and come from this package's own `dependencies`.
 *
 *   npm run build -w webrtc-room-server      (the root `npm run build` runs it too)
 */
import { spawn } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const HERE = __dirname;
export const SERVER_DIST = join(HERE, 'dist');

function declarations(): Promise<void> {
  return new Promise((resolve, reject) => {
    const tsc = require.resolve('typescript/bin/tsc');
    const project = join(HERE, '..', 'tsconfig.server.json');
    const child = spawn(process.execPath, [tsc, '-p', project], { stdio: 'inherit' });
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`tsc -p tsconfig.server.json exited with ${code}`)),
    );
  });
}

export async function buildServerPackage(): Promise<void> {
  rmSync(SERVER_DIST, { recursive: true, force: true });
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  } as const;
  await Promise.all([
    build({ ...common, entryPoints: [join(HERE, 'index.ts')], outfile: join(SERVER_DIST, 'index.js') }),
    build({
      ...common,
      entryPoints: [join(HERE, 'cli.ts')],
      outfile: join(SERVER_DIST, 'cli.js'),
      banner: { js: '#!/usr/bin/env node' },
    }),
    declarations(),
  ]);
  chmodSync(join(SERVER_DIST, 'cli.js'), 0o755);
}

if (require.main === module) {
  buildServerPackage().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
