/**
 * Screenshots of every template (bigsmall, float, grid, custom) with 1, 2, 4 and 6 participants, taken from the
 * browser preview of the real dist/wx build (fake cameras), into docs/images/<template>-<n>.png.
 *   npm run build && node -r esbuild-register scripts/screenshots.ts
 * PNGs are palette-reduced with ImageMagick `convert` when it is installed.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { closePeer, openPeer, startHarness, waitForPlaying, type Peer } from '../test/e2e/helpers';

const TEMPLATES = ['bigsmall', 'float', 'grid', 'custom'] as const;
const COUNTS = [1, 2, 4, 6];
const OUT = path.resolve(__dirname, '../docs/images');

function customRects(others: string[]): Record<string, unknown> {
  const rects: Record<string, unknown> = {
    local: { left: 0, top: 0, width: '100%', height: '100%', zIndex: 1 },
  };
  others.forEach((u, i) => {
    rects[u] = {
      left: i % 2 ? '52%' : '4%',
      top: `${70 - Math.floor(i / 2) * 27}%`,
      width: '44%',
      height: '25%',
      zIndex: 2,
    };
  });
  return rects;
}

function shrink(file: string): void {
  const r = spawnSync('convert', [file, '-colors', '128', `PNG8:${file}`]);
  if (r.error) return; // no ImageMagick: keep the full-colour PNG
}

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  const h = await startHarness('wx');
  try {
    for (const n of COUNTS) {
      const users = ['me', ...Array.from({ length: n - 1 }, (_, i) => `guest${i + 1}`)];
      const peers: Peer[] = [];
      for (const u of users) peers.push(await openPeer(h, u, `&room=${9500 + n}&template=grid`, 'harness'));
      const me = peers[0];
      await me.page.waitForFunction(
        () =>
          (globalThis as unknown as { __roomEvents?: Array<{ tag: string }> }).__roomEvents?.some(
            (e) => e.tag === 'enter_room',
          ),
        null,
        { polling: 50, timeout: 30000 },
      );
      await me.page.waitForFunction(
        () => (document.querySelector('wx-live-pusher video') as HTMLVideoElement | null)?.videoWidth,
        null,
        {
          polling: 50,
        },
      );
      await waitForPlaying(me, users.slice(1), 60000);
      for (const t of TEMPLATES) {
        await me.page.evaluate(
          ([template, rects]) => {
            const pages = (
              globalThis as unknown as { getCurrentPages(): Array<{ setData(d: object): void }> }
            ).getCurrentPages();
            pages[pages.length - 1].setData({ template, customRects: rects });
          },
          [t, t === 'custom' ? customRects(users.slice(1)) : null] as const,
        );
        // every remote that the layout shows is playing again (tiles are keyed, so usually at once)
        await me.page.waitForFunction(
          () =>
            [...document.querySelectorAll('wx-live-player')].every((el) => {
              const v = el.querySelector('video');
              return (el as HTMLElement).offsetParent === null || (!!v && v.videoWidth > 0);
            }),
          null,
          { polling: 50, timeout: 20000 },
        );
        await me.page.evaluate(
          () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
        );
        const file = path.join(OUT, `${t}-${n}.png`);
        await me.page.locator('webrtc-room').screenshot({ path: file });
        shrink(file);
        console.log(
          `${path.relative(process.cwd(), file)}  ${(fs.statSync(file).size / 1024).toFixed(0)} kB`,
        );
      }
      await Promise.all(peers.map(closePeer));
    }
  } finally {
    await h.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
