/**
 * Source is written in the WeChat dialect. These pure functions turn one source file into its
 * Douyin (tt) form; the gulp build and the golden-file tests both use them.
 */
import * as path from 'path';

export type Platform = 'wx' | 'tt';
export const PLATFORMS: readonly Platform[] = ['wx', 'tt'];

const TT_EXT: Record<string, string> = { '.wxml': '.ttml', '.wxss': '.ttss', '.wxs': '.sjs' };

/** `index.tt.ts` → `{base: 'index', platform: 'tt', ext: '.ts'}`; `index.ts` → platform undefined. */
export function parseOverride(file: string): { stem: string; platform?: Platform; ext: string } {
  const ext = path.extname(file);
  const noExt = file.slice(0, -ext.length);
  const m = /\.(wx|tt)$/.exec(noExt);
  if (m) return { stem: noExt.slice(0, -3), platform: m[1] as Platform, ext };
  return { stem: noExt, ext };
}

/** The output path of a source file for a platform, or null when the file belongs to the other platform. */
export function outputPath(file: string, platform: Platform): string | null {
  const { stem, platform: only, ext } = parseOverride(file);
  if (only && only !== platform) return null;
  const outExt = platform === 'tt' ? (TT_EXT[ext] ?? ext) : ext;
  return stem + outExt;
}

/**
 * Given every source file, the files to emit for a platform: `name.P.ext` wins over `name.ext`,
 * other platforms' variants are dropped. Returns a map from output path to source path.
 */
export function selectSources(files: readonly string[], platform: Platform): Map<string, string> {
  const out = new Map<string, string>();
  const specific = new Set<string>();
  for (const f of files) {
    const o = outputPath(f, platform);
    if (o === null) continue;
    const isSpecific = parseOverride(f).platform === platform;
    if (isSpecific) {
      out.set(o, f);
      specific.add(o);
    } else if (!specific.has(o)) {
      out.set(o, f);
    }
  }
  return out;
}

/** WXML → TTML: directives, imported/included file extensions, `<wxs>` → `<sjs>`. */
export function wxmlToTtml(src: string): string {
  return src
    .replace(/(\s)wx:(if|elif|else|for|for-item|for-items|for-index|key)(?=[\s=/>])/g, '$1tt:$2')
    .replace(/(<(?:import|include)\b[^>]*\bsrc\s*=\s*["'][^"']*?)\.wxml(["'])/g, '$1.ttml$2')
    .replace(/<wxs\b([^>]*?)\bsrc\s*=\s*(["'])([^"']*?)\.wxs\2/g, '<sjs$1src=$2$3.sjs$2')
    .replace(/<wxs\b/g, '<sjs')
    .replace(/<\/wxs>/g, '</sjs>');
}

/** WXSS → TTSS: only `@import` extensions change. */
export function wxssToTtss(src: string): string {
  return src.replace(/(@import\s+["'][^"']*?)\.wxss(["'])/g, '$1.ttss$2');
}

/** WXS → SJS: `require('x.wxs')` paths. */
export function wxsToSjs(src: string): string {
  return src.replace(/(require\(\s*["'][^"']*?)\.wxs(["']\s*\))/g, '$1.sjs$2');
}

/**
 * JS for tt: shared page code calls `wx.*`; Douyin offers the same names on `tt`. Platform adapters
 * that differ in substance live in `*.tt.ts` overrides, not here. Member accesses like `a.wx.b` and
 * strings are left alone.
 */
export function jsToTt(src: string): string {
  return src.replace(/(^|[^\w$.'"`])wx\.(?=[A-Za-z_$])/g, '$1tt.');
}

export function transformForPlatform(outPath: string, contents: string, platform: Platform): string {
  if (platform === 'wx') return contents;
  switch (path.extname(outPath)) {
    case '.ttml':
      return wxmlToTtml(contents);
    case '.ttss':
      return wxssToTtss(contents);
    case '.sjs':
      return wxsToSjs(contents);
    case '.js':
      return jsToTt(contents);
    default:
      return contents;
  }
}
