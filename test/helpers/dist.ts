/** The built trees the component tests load (no simulate import here: usable from node-environment tests). */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');

function newestSource(): number {
  let newest = 0;
  for (const dir of ['components', 'templates', 'utils']) {
    for (const f of fs.readdirSync(path.join(ROOT, dir), { recursive: true }) as string[]) {
      const st = fs.statSync(path.join(ROOT, dir, f));
      if (st.isFile() && st.mtimeMs > newest) newest = st.mtimeMs;
    }
  }
  return newest;
}

/** dist/<platform>, checked to exist and to be newer than every component source (no silent stale runs). */
export function distRoot(platform: 'wx' | 'tt'): string {
  const dist = path.join(ROOT, 'dist', platform);
  const entry = path.join(dist, 'components/webrtc-room/index.js');
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
  if (fs.statSync(entry).mtimeMs < newestSource())
    throw new Error(
      'dist/ is older than the component sources: run `npm run build` (or WEBRTC_ROOM_SOURCES=1 for the sources)',
    );
  return dist;
}
