/** Size of what a mini-program ships: the component package (component + templates + utils) per platform. */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

export interface SizeRow {
  platform: string;
  kind: string;
  files: number;
  raw: number;
  gzip: number;
}

const PACKAGE_DIRS = ['components/webrtc-room', 'templates', 'utils'];
const KINDS: Record<string, string> = {
  '.js': 'JS',
  '.wxml': 'WXML',
  '.ttml': 'WXML',
  '.wxss': 'WXSS',
  '.ttss': 'WXSS',
  '.wxs': 'WXS',
  '.sjs': 'WXS',
  '.json': 'JSON',
};

export function measureSize(root: string): SizeRow[] {
  const rows: SizeRow[] = [];
  for (const platform of ['wx', 'tt']) {
    const base = path.join(root, 'dist', platform);
    if (!fs.existsSync(base)) continue;
    const acc = new Map<string, { files: number; chunks: Buffer[] }>();
    for (const dir of PACKAGE_DIRS) {
      const abs = path.join(base, dir);
      if (!fs.existsSync(abs)) continue;
      for (const f of fs.readdirSync(abs, { recursive: true }) as string[]) {
        const file = path.join(abs, f);
        if (!fs.statSync(file).isFile()) continue;
        const kind = KINDS[path.extname(f)] ?? 'other';
        const a = acc.get(kind) ?? { files: 0, chunks: [] };
        a.files++;
        a.chunks.push(fs.readFileSync(file));
        acc.set(kind, a);
      }
    }
    let all: Buffer[] = [];
    let files = 0;
    for (const [kind, a] of [...acc.entries()].sort()) {
      const buf = Buffer.concat(a.chunks);
      rows.push({
        platform,
        kind,
        files: a.files,
        raw: buf.length,
        gzip: zlib.gzipSync(buf, { level: 9 }).length,
      });
      all = all.concat(a.chunks);
      files += a.files;
    }
    const buf = Buffer.concat(all);
    rows.push({
      platform,
      kind: 'total',
      files,
      raw: buf.length,
      gzip: zlib.gzipSync(buf, { level: 9 }).length,
    });
  }
  return rows;
}
