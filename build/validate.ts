/**
 * Offline markup validation with the official compilers shipped in miniprogram-compiler: every WXML file through
 * `wcc`, every WXSS file through `wcsc`. Returns one problem per broken file, each naming file:line.
 * A WXS module is also checked past wcc's exit code: wcc translates WXS into the JavaScript the mini-program
 * runs, and some WXS it accepts becomes JavaScript that does not parse (`for (var a = 0, b = 0; …)` turns into
 * `for (var a = 0; var b = 0; …)`), a failure that would only show on a phone; that translation must parse.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import * as vm from 'vm';

// `require` is typed by the mini-program typings where tests compile this file; resolve through Node's own
const nodeRequire = createRequire(__filename);

export function compilerBinary(name: 'wcc' | 'wcsc'): string {
  const bin = path.join(
    path.dirname(nodeRequire.resolve('miniprogram-compiler/package.json')),
    'bin/linux',
    name,
  );
  // the npm tarball ships the binaries as 0644
  fs.chmodSync(bin, 0o755);
  return bin;
}

/** `files` are relative to `root`; .wxml and .wxss are checked, .wxs files go along (WXML resolves them). */
export function validateMarkupFiles(root: string, files: readonly string[]): string[] {
  const wcc = compilerBinary('wcc');
  const wcsc = compilerBinary('wcsc');
  const wxs = files.filter((f) => path.extname(f) === '.wxs');
  const problems: string[] = [];
  // a WXS module's translation (its stdout) is what is parsed
  const run = (bin: string, args: string[], f: string, parse = false): string | null => {
    const r = spawnSync(bin, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.status === 0) return parse ? translationProblem(r.stdout, f) : null;
    const msg = (r.stderr || r.stdout || `exit ${r.status}`).trim().split('\n').slice(0, 3).join('\n');
    return msg.includes(f) ? msg : `${f}: ${msg}`;
  };
  // each WXS module once on its own, so a broken one is reported once, not by every WXML that goes with it
  const broken = new Set<string>();
  for (const f of wxs) {
    const p = run(wcc, ['-d', f], f, true);
    if (p) {
      broken.add(f);
      problems.push(p);
    }
  }
  for (const f of files) {
    const ext = path.extname(f);
    if (ext === '.wxml') {
      const p = run(wcc, ['-d', f, ...wxs.filter((w) => !broken.has(w))], f);
      // "x.wxs not found" for a module already reported broken adds nothing
      if (p && ![...broken].some((b) => p.includes(path.basename(b)))) problems.push(p);
    } else if (ext === '.wxss') {
      const p = run(wcsc, ['-db', '-pc', '1', f], f);
      if (p) problems.push(p);
    }
  }
  return problems;
}

/** wcc's JavaScript for one WXS module (what `wcc -d` prints), parsed, not run: null when it parses. */
function translationProblem(js: string, f: string): string | null {
  try {
    new vm.Script(js, { filename: `${f} (wcc output)` });
    return null;
  } catch (e) {
    return `${f}: wcc translates it into JavaScript that does not parse (${(e as Error).message})`;
  }
}
