/**
 * A TypeScript entry point (the signing service's CLI, the bench floor) in its own Node process, with its output
 * collected, waited for until a line says it is ready, and stopped with SIGTERM (SIGKILL after 5 s).
 */
import { spawn, type ChildProcess } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../../..');
/** absolute: `-r` resolves from the working directory, which may be a scratch directory */
export const REGISTER = path.join(ROOT, 'node_modules/esbuild-register/register.js');

export interface NodeProcess {
  child: ChildProcess;
  /** stdout and stderr so far */
  output(): string;
  stop(): Promise<void>;
}

export async function startNode(
  args: string[],
  o: { cwd?: string; env: Record<string, string>; ready: RegExp; timeoutMs?: number },
): Promise<NodeProcess> {
  const child = spawn(process.execPath, ['-r', REGISTER, ...args], {
    cwd: o.cwd ?? ROOT,
    env: { PATH: process.env.PATH ?? '', ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
      child.kill('SIGTERM');
    });
  const deadline = Date.now() + (o.timeoutMs ?? 20_000);
  while (!o.ready.test(out) && child.exitCode === null && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  if (!o.ready.test(out)) {
    await stop();
    throw new Error(`${args.join(' ')} did not become ready:\n${out}`);
  }
  return { child, output: () => out, stop };
}
