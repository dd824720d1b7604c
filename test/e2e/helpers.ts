/**
 * Shared setup for the browser end-to-end tests: Debian chromium through playwright-core, the preview built
 * from the real `dist/<platform>` (plus the harness page), one browser context per peer.
 */
import * as fs from 'fs';
import * as path from 'path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildPreview } from '../../preview/build';
import { startPreviewServer, type PreviewServer } from '../../preview/server';

export const REPO = path.resolve(__dirname, '../..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/** A missing browser is a failure with instructions, never a skip. */
export function requireChromium(): string {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `end-to-end tests need Chromium at ${CHROMIUM} (none found).\n` +
        `  Debian/Ubuntu: sudo apt-get install -y chromium   (CI: .ci/run installs it)\n` +
        `  elsewhere: set CHROMIUM_PATH to a Chromium/Chrome binary.`,
    );
  }
  return CHROMIUM;
}

export function requireDist(platform: 'wx' | 'tt'): string {
  const root = path.join(REPO, 'dist', platform);
  if (!fs.existsSync(path.join(root, 'app.json'))) {
    throw new Error(`dist/${platform} is missing: run \`npm run build\` first (npm test does).`);
  }
  return root;
}

export interface Harness {
  browser: Browser;
  server: PreviewServer;
  contexts: BrowserContext[];
  close(): Promise<void>;
}

export async function startHarness(platform: 'wx' | 'tt' = 'wx'): Promise<Harness> {
  const executablePath = requireChromium();
  const root = requireDist(platform);
  const out = path.join(REPO, '.build/preview-e2e', platform);
  await buildPreview({ root, out, platform, overlay: path.join(REPO, 'test/fixtures/preview/harness') });
  const server = await startPreviewServer({
    dirs: { [platform]: out },
    emulator: { heartbeatMs: 500, heartbeatMisses: 2 },
  });
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const contexts: BrowserContext[] = [];
  return {
    browser,
    server,
    contexts,
    async close() {
      await browser.close().catch(() => undefined);
      await server.close();
    },
  };
}

export interface Peer {
  user: string;
  page: Page;
  errors: string[];
}

/** Opens the harness page as `user` in its own browser context (a page in a shared context renders at 2-3 fps). */
export async function openPeer(h: Harness, user: string, query = ''): Promise<Peer> {
  const ctx = await h.browser.newContext({ viewport: { width: 360, height: 640 } });
  h.contexts.push(ctx);
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const base = h.server.url.replace(/\/$/, '');
  await page.goto(`${base}/#/pages/harness/index?user=${encodeURIComponent(user)}${query}`);
  return { user, page, errors };
}

export async function closePeer(p: Peer): Promise<void> {
  await p.page.context().close();
}

/** The room events the harness page saw (it records every RoomEvent except net_status). */
export function events(
  p: Peer,
): Promise<Array<{ tag: string; code: number; detail: Record<string, unknown> }>> {
  return p.page.evaluate(() => (globalThis as unknown as { __roomEvents?: [] }).__roomEvents ?? []);
}

export function waitForEvent(
  p: Peer,
  tag: string,
  match: Record<string, unknown> = {},
  timeout = 15000,
): Promise<unknown> {
  return p.page
    .waitForFunction(
      ([t, m]) => {
        const evs = (
          globalThis as unknown as {
            __roomEvents?: Array<{ tag: string; code: number; detail: Record<string, unknown> }>;
          }
        ).__roomEvents;
        return (evs ?? []).find(
          (e) =>
            e.tag === t &&
            Object.entries(m).every(([k, v]) => (k === 'code' ? e.code === v : (e.detail ?? {})[k] === v)),
        );
      },
      [tag, match] as const,
      { timeout, polling: 50 },
    )
    .then((h) => h.jsonValue());
}

/** The user IDs whose remote video is actually playing in this page (a <video> with frames). */
export function playingUsers(p: Peer): Promise<string[]> {
  return p.page.evaluate(() =>
    [...document.querySelectorAll('wx-live-player')]
      .filter((el) => {
        const v = el.querySelector('video');
        return !!v && v.videoWidth > 0 && (el as HTMLElement).offsetParent !== null;
      })
      .map((el) => (el as HTMLElement).dataset.userId ?? '')
      .sort(),
  );
}

export async function waitForPlaying(p: Peer, users: string[], timeout = 20000): Promise<void> {
  const want = [...users].sort();
  await p.page.waitForFunction(
    (w) => {
      const got = [...document.querySelectorAll('wx-live-player')]
        .filter((el) => {
          const v = el.querySelector('video');
          return !!v && v.videoWidth > 0 && (el as HTMLElement).offsetParent !== null;
        })
        .map((el) => (el as HTMLElement).dataset.userId ?? '')
        .sort();
      return JSON.stringify(got) === JSON.stringify(w);
    },
    want,
    { timeout, polling: 50 },
  );
}

/** The tiles (remote players) present in the page's DOM, by user ID. */
export function remoteTiles(p: Peer): Promise<string[]> {
  return p.page.evaluate(() =>
    [...document.querySelectorAll('wx-live-player')]
      .map((el) => (el as HTMLElement).dataset.userId ?? '')
      .sort(),
  );
}

export async function click(p: Peer, cls: string): Promise<void> {
  await p.page.click(`wx-button[class$="--${cls}"], wx-button[class*="--${cls} "]`);
}
