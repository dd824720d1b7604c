/**
 * Screenshots from the browser preview of the real dist/wx build, with the labelled synthetic camera
 * (`?camera=label`: every participant's user ID on a colour of its own), into docs/images/:
 *   - every template (bigsmall, float, grid, custom) with 1, 2, 4 and 6 participants: <template>-<n>.png
 *   - the room states the component shows: state-<name>.png (entering, waiting, camera-off, reconnecting,
 *     kicked, permission, zh)
 *   - the preview's fault panel (`?faults=1`) at a laptop size, with a weak network injected: faults-panel.png
 *   npm run build && node -r esbuild-register scripts/screenshots.ts [name-filter ...]
 * e.g. `scripts/screenshots.ts state-` for the states only. PNGs are palette-reduced with ImageMagick
 * `convert` when it is installed; state-zh needs a CJK font (Debian: `apt-get install fonts-wqy-zenhei`).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  closePeer,
  newPage,
  openPeer,
  startHarness,
  waitForEvent,
  waitForPlaying,
  type Harness,
  type Peer,
} from '../test/e2e/helpers';

const TEMPLATES = ['bigsmall', 'float', 'grid', 'custom'] as const;
const COUNTS = [1, 2, 4, 6];
const USERS = ['me', 'alice', 'bob', 'carol', 'dave', 'erin'];
const OUT = path.resolve(__dirname, '../docs/images');
const LABEL = 'camera=label';
const filters = process.argv.slice(2);
const wanted = (name: string): boolean => !filters.length || filters.some((f) => name.includes(f));

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
  const r = spawnSync('convert', [file, '-colors', '64', `PNG8:${file}`]);
  if (r.error) return; // no ImageMagick: keep the full-colour PNG
}

/** Layout transitions finished and two animation frames later, so the last setData is painted. */
async function settle(p: Peer): Promise<void> {
  await p.page.evaluate(async () => {
    await new Promise((r) => requestAnimationFrame(r));
    const moving = document.getAnimations().filter((a) => a instanceof CSSTransition);
    await Promise.all(moving.map((a) => a.finished.catch(() => undefined)));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  });
}

async function shoot(p: Peer, name: string): Promise<void> {
  await settle(p);
  const file = path.join(OUT, `${name}.png`);
  await p.page.locator('webrtc-room').screenshot({ path: file });
  shrink(file);
  console.log(`${path.relative(process.cwd(), file)}  ${(fs.statSync(file).size / 1024).toFixed(0)} kB`);
}

/** A harness page as `user` with the labelled camera; `query` goes to the page, `search` to the preview. */
function harnessPeer(h: Harness, user: string, query: string, search = ''): Promise<Peer> {
  return openPeer(h, user, `&lang=en${query}`, 'harness', [LABEL, search].filter(Boolean).join('&'));
}

function waitFor(p: Peer, selector: string, timeout = 20000): Promise<unknown> {
  return p.page.waitForSelector(selector, { state: 'visible', timeout });
}

/** The local camera shows frames. */
async function localVideo(p: Peer): Promise<void> {
  await p.page.waitForFunction(
    () => (document.querySelector('wx-live-pusher video') as HTMLVideoElement | null)?.videoWidth,
    null,
    { polling: 50, timeout: 20000 },
  );
}

async function entered(p: Peer): Promise<void> {
  await waitForEvent(p, 'enter_room', {}, 30000);
  await localVideo(p);
}

async function layouts(h: Harness): Promise<void> {
  for (const n of COUNTS) {
    if (!TEMPLATES.some((t) => wanted(`${t}-${n}`))) continue;
    const users = USERS.slice(0, n);
    const peers: Peer[] = [];
    for (const u of users) peers.push(await harnessPeer(h, u, `&room=${9500 + n}&template=grid`));
    const me = peers[0];
    await entered(me);
    await waitForPlaying(me, users.slice(1), 60000);
    for (const t of TEMPLATES) {
      if (!wanted(`${t}-${n}`)) continue;
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
      await shoot(me, `${t}-${n}`);
    }
    await Promise.all(peers.map(closePeer));
  }
}

const STATES: Record<string, (h: Harness) => Promise<void>> = {
  /** the spinner while entering: the emulator is held offline, so the join never completes */
  async entering(h) {
    const me = await harnessPeer(h, 'me', '&room=9601&autostart=0&template=bigsmall');
    await me.page.waitForFunction(
      () => {
        const pages = (
          globalThis as unknown as { getCurrentPages(): Array<{ data: { phase: string } }> }
        ).getCurrentPages();
        return pages[pages.length - 1]?.data.phase === 'starting';
      },
      null,
      { polling: 50 },
    );
    await me.page.evaluate(() => {
      const g = globalThis as unknown as {
        __PREVIEW_NET__: { offline: boolean };
        getCurrentPages(): Array<{ start(): void }>;
      };
      g.__PREVIEW_NET__.offline = true;
      const pages = g.getCurrentPages();
      pages[pages.length - 1].start();
    });
    await waitFor(me, '[class*="wr-banner--entering"]');
    await localVideo(me);
    await shoot(me, 'state-entering');
    await closePeer(me);
  },
  /** alone in the room */
  async waiting(h) {
    const me = await harnessPeer(h, 'me', '&room=9602&template=bigsmall');
    await entered(me);
    await waitFor(me, '[class*="wr-banner--waiting"]');
    await shoot(me, 'state-waiting');
    await closePeer(me);
  },
  /** local camera off and muted, a remote with the camera off (initials), a muted remote (badge) */
  async 'camera-off'(h) {
    const me = await harnessPeer(h, 'me', '&room=9603&camera=0&muted=1');
    const alice = await harnessPeer(h, 'alice', '&room=9603&camera=0');
    const bob = await harnessPeer(h, 'bob_lee', '&room=9603&muted=1');
    await waitForEvent(me, 'enter_room', {}, 30000);
    await me.page.waitForFunction(
      () =>
        (document.querySelector('wx-live-player[data-user-id="bob_lee"] video') as HTMLVideoElement | null)
          ?.videoWidth &&
        document.querySelectorAll('[class*="wr-placeholder"]').length === 2 &&
        document.querySelectorAll('[class*="wr-badge--muted"]').length === 2,
      null,
      { polling: 50, timeout: 20000 },
    );
    await shoot(me, 'state-camera-off');
    await Promise.all([me, alice, bob].map(closePeer));
  },
  /** the network drops (and stays down): the room reconnects */
  async reconnecting(h) {
    const me = await harnessPeer(h, 'me', '&room=9604&template=bigsmall');
    const alice = await harnessPeer(h, 'alice', '&room=9604');
    await entered(me);
    await waitForPlaying(me, ['alice']);
    await me.page.evaluate(() => {
      const net = (globalThis as unknown as { __PREVIEW_NET__: { offline: boolean; drop(): void } })
        .__PREVIEW_NET__;
      net.offline = true;
      net.drop();
    });
    await waitFor(me, '[class*="wr-banner--reconnecting"]');
    await shoot(me, 'state-reconnecting');
    await Promise.all([me, alice].map(closePeer));
  },
  /** the same userID entered from another page */
  async kicked(h) {
    const first = await harnessPeer(h, 'me', '&room=9605&template=bigsmall');
    const alice = await harnessPeer(h, 'alice', '&room=9605');
    await entered(first);
    await waitForPlaying(first, ['alice']);
    const second = await harnessPeer(h, 'me', '&room=9605');
    await waitFor(first, '[class*="wr-banner--kicked"]');
    await shoot(first, 'state-kicked');
    await Promise.all([first, alice, second].map(closePeer));
  },
  /** the camera permission refused (`?deny=camera`): the guide */
  async permission(h) {
    const me = await harnessPeer(h, 'me', '&room=9606&template=bigsmall', 'deny=camera');
    await waitFor(me, '[class*="wr-guide"]');
    await shoot(me, 'state-permission');
    await closePeer(me);
  },
  /** lang=zh-CN: the banner and badges in Chinese */
  async zh(h) {
    const me = await harnessPeer(h, 'me', '&room=9607&template=bigsmall&muted=1&lang=zh-CN');
    await entered(me);
    await waitFor(me, '[class*="wr-banner--waiting"]');
    await waitFor(me, '[class*="wr-badge--muted"]');
    await shoot(me, 'state-zh');
    await closePeer(me);
  },
};

/** The whole preview page at 1280×800 (the phone frame) with the fault panel; its weak-network button pressed. */
async function faultPanel(h: Harness): Promise<void> {
  const alice = await harnessPeer(h, 'alice', '&room=9701');
  const page = await newPage(h, { width: 1280, height: 800 });
  await page.goto(
    `${h.base}?${LABEL}&faults=1#/pages/room/index?userID=me&roomID=9701&template=bigsmall&lang=en`,
  );
  const me: Peer = { user: 'me', page, errors: [] };
  await waitForPlaying(me, ['alice'], 30000);
  // the panel's own button (the control API underneath), then the badge it produces
  await page.click('#mp-fault-panel button:has-text("Weak network (5)")');
  await page.waitForFunction(
    () => document.querySelector('.mp-fault-status')?.textContent === 'weak: sent',
    null,
    {
      polling: 50,
    },
  );
  await waitFor(me, '[class*="wr-badge--weak"]');
  await settle(me);
  const file = path.join(OUT, 'faults-panel.png');
  await page.screenshot({ path: file });
  shrink(file);
  console.log(`${path.relative(process.cwd(), file)}  ${(fs.statSync(file).size / 1024).toFixed(0)} kB`);
  await Promise.all([alice, me].map(closePeer));
}

function checkCjkFont(): void {
  const r = spawnSync('fc-list', [':lang=zh'], { encoding: 'utf8' });
  if (!r.error && !r.stdout.trim()) {
    console.warn(
      'screenshots: no CJK font installed, state-zh would show boxes (apt-get install fonts-wqy-zenhei)',
    );
  }
}

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  const h = await startHarness('wx');
  try {
    await layouts(h);
    for (const [name, run] of Object.entries(STATES)) {
      if (!wanted(`state-${name}`)) continue;
      if (name === 'zh') checkCjkFont();
      await run(h);
    }
    if (wanted('faults-panel')) await faultPanel(h);
  } finally {
    await h.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
