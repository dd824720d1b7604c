/**
 * Size of what a mini-program ships: the component package (components/webrtc-room + templates) per platform,
 * as the build emits it (one minified esbuild bundle, minified markup). `chat off` is everything an app without
 * `registerChat` can load (chat.js is never required); `chat on` adds chat.js; `en only` leaves out lang-zh.js,
 * which is required only the first time a room speaks Chinese; `room` is what an English room loads that never
 * calls BGM, sendMessage, snapshot, getCapabilities or checkEnvironment (extras.js is required by the first such
 * call); `nothing to report` leaves out lang-en.js too (the English messages, required by the first error or
 * warning). All gzip -9 over the concatenated files.
 */
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

const PACKAGE_DIRS = ['components/webrtc-room', 'templates'];
const CHAT = 'components/webrtc-room/chat.js';
const LANG_ZH = 'components/webrtc-room/lang-zh.js';
const EXTRAS = 'components/webrtc-room/extras.js';
const LANG_EN = 'components/webrtc-room/lang-en.js';
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

function row(platform: string, kind: string, files: Buffer[]): SizeRow {
  const buf = Buffer.concat(files);
  return {
    platform,
    kind,
    files: files.length,
    raw: buf.length,
    gzip: zlib.gzipSync(buf, { level: 9 }).length,
  };
}

export function measureSize(root: string): SizeRow[] {
  const rows: SizeRow[] = [];
  for (const platform of ['wx', 'tt']) {
    const base = path.join(root, 'dist', platform);
    if (!fs.existsSync(base)) continue;
    const files: string[] = [];
    for (const dir of PACKAGE_DIRS) {
      const abs = path.join(base, dir);
      if (!fs.existsSync(abs)) continue;
      for (const f of fs.readdirSync(abs, { recursive: true }) as string[]) {
        if (fs.statSync(path.join(abs, f)).isFile()) files.push(path.join(dir, f).replace(/\\/g, '/'));
      }
    }
    files.sort();
    const read = (fs_: string[]) => fs_.map((f) => fs.readFileSync(path.join(base, f)));
    const chatOff = files.filter((f) => f !== CHAT);
    const byKind = new Map<string, string[]>();
    for (const f of chatOff) {
      const kind = KINDS[path.extname(f)] ?? 'other';
      byKind.set(kind, [...(byKind.get(kind) ?? []), f]);
    }
    for (const [kind, list] of [...byKind.entries()].sort()) rows.push(row(platform, kind, read(list)));
    rows.push(row(platform, 'chat off (total)', read(chatOff)));
    rows.push(row(platform, 'chat off, en only', read(chatOff.filter((f) => f !== LANG_ZH))));
    const room = chatOff.filter((f) => f !== LANG_ZH && f !== EXTRAS);
    rows.push(row(platform, 'room, en only, no extras', read(room)));
    rows.push(row(platform, 'room, nothing to report', read(room.filter((f) => f !== LANG_EN))));
    rows.push(row(platform, 'chat on (total)', read(files)));
  }
  return rows;
}
