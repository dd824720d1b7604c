/** @jest-environment node */
/**
 * The preview page at phone and laptop sizes (issue 14): the mini-program fits the window (a phone frame,
 * scaled, on a laptop), with the entry page's "Enter room" and the room page's controls and chat input on
 * screen. Screenshots go to .build/preview-sizes/ for a look.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { REPO, startHarness, type Harness } from './helpers';

jest.setTimeout(60000);

const OUT = path.join(REPO, '.build/preview-sizes');
const SIZES = [
  { width: 375, height: 667 },
  { width: 1280, height: 800 },
];

/** Whether the element is inside the window, whole (its box after the frame's scaling). */
async function onScreen(page: Page, selector: string): Promise<{ box: unknown; inside: boolean }> {
  const el = await page.waitForSelector(selector, { state: 'visible' });
  const box = await el.boundingBox();
  const vp = page.viewportSize() ?? { width: 0, height: 0 };
  const inside =
    !!box &&
    box.x >= 0 &&
    box.y >= 0 &&
    box.x + box.width <= vp.width + 0.5 &&
    box.y + box.height <= vp.height + 0.5;
  return { box, inside };
}

describe.each(['wx', 'tt'] as const)('%s build: the preview page at phone and laptop sizes', (platform) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(platform);
    fs.mkdirSync(OUT, { recursive: true });
  }, 60000);
  afterAll(async () => {
    await h?.close();
  });

  test.each(SIZES)(
    '$width×$height: Enter room, the controls and the chat input are on screen',
    async (vp) => {
      const ctx = await h.browser.newContext({ viewport: vp });
      h.contexts.push(ctx);
      const page = await ctx.newPage();
      await page.goto(h.base);
      expect(await onScreen(page, 'wx-button[class$="--enter"]')).toMatchObject({ inside: true });
      await page.screenshot({ path: path.join(OUT, `${platform}-entry-${vp.width}x${vp.height}.png`) });
      await page.close();
      const room = await ctx.newPage();
      await room.goto(
        `${h.base}#/pages/room/index?userID=size${vp.width}&roomID=7201&enableIM=1&template=grid`,
      );
      await room.waitForFunction(
        () => /^in room/.test(document.querySelector('[data-field="status"]')?.textContent ?? ''),
        null,
        { polling: 50, timeout: 20000 },
      );
      await room.screenshot({ path: path.join(OUT, `${platform}-room-${vp.width}x${vp.height}.png`) });
      for (const sel of [
        'wx-button[data-action="mute"]',
        'wx-button[data-action="leave"]',
        'wx-input[class$="--input"]',
      ]) {
        expect({ sel, ...(await onScreen(room, sel)) }).toMatchObject({ sel, inside: true });
      }
      // the mini-program is as wide as a phone: on a laptop it is a frame, not a 1280 px wide page
      const root = await room.evaluate(() => {
        const r = document.getElementById('mp-root')!.getBoundingClientRect();
        return { width: r.width, height: r.height };
      });
      if (vp.width > 540) {
        expect(root.width).toBeLessThan(vp.width / 2);
        expect(root.height).toBeLessThanOrEqual(vp.height);
      } else expect(root).toEqual(vp);
      await ctx.close();
    },
  );
});
