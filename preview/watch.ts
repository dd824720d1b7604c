/**
 * Notices when a build output tree changed and then settled, without fs.watch: the build removes and rewrites
 * dist/<p> wholesale, and a recursive fs.watch over a tree being removed fails with ENOENT (an unhandled
 * 'error' that ended `npm start`), then watches a directory that no longer exists. Polling a signature of the
 * tree (every file's path, size and mtime) has neither problem: a tree that is missing or mid-write is simply
 * "not settled yet", and the same tree coming back is noticed like any other change.
 */
import * as fs from 'fs';
import * as path from 'path';

/** A signature of everything under dir ('' when it is missing or changes while being read). */
export function treeSignature(dir: string): string {
  try {
    const parts: string[] = [];
    for (const rel of (fs.readdirSync(dir, { recursive: true }) as string[]).sort()) {
      const st = fs.statSync(path.join(dir, rel));
      if (st.isFile()) parts.push(`${rel}:${st.size}:${st.mtimeMs}`);
    }
    return parts.join('\n');
  } catch {
    return '';
  }
}

export interface OutputWatcher {
  close(): void;
}

/**
 * Calls `onSettled()` once each time the trees under `dirs` changed and then stayed the same for one more poll
 * (a build that is still writing, or a tree that is gone, is waited for).
 */
export function watchOutput(dirs: string[], onSettled: () => void, intervalMs = 250): OutputWatcher {
  let last = dirs.map(treeSignature).join('\0');
  let pending = false;
  const timer = setInterval(() => {
    const now = dirs.map(treeSignature).join('\0');
    const gone = dirs.some((d) => !fs.existsSync(d));
    if (now !== last) {
      last = now;
      pending = true;
    } else if (pending && !gone) {
      pending = false;
      onSettled();
    }
  }, intervalMs);
  timer.unref();
  return { close: () => clearInterval(timer) };
}
