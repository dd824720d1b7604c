/** @jest-environment node */
/**
 * The harness page (the bench's and the screenshots' peer) signs in like the demo: wx.login / tt.login →
 * /api/login → Bearer token → /api/credentials, and enters as the account it was opened for.
 */
import { closePeer, openPeer, startHarness, waitForPlaying, type Harness } from './helpers';

describe.each(['wx', 'tt'] as const)('harness page on the %s build', (platform) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(platform);
  }, 60_000);
  afterAll(() => h?.close());

  test('signs in, enters as the requested user and plays the other peer', async () => {
    const a = await openPeer(h, 'hana', '&room=9811', 'harness');
    const b = await openPeer(h, 'hugo', '&room=9811', 'harness');
    const phase = (p: typeof a) => p.page.locator('[data-phase]').first().textContent();
    await a.page
      .waitForSelector('[data-phase="entered"]', { timeout: 20000 })
      .catch(async (e: Error) => Promise.reject(new Error(`${e.message}\nphase: ${await phase(a)}`)));
    const entered = await a.page.evaluate(
      () =>
        (
          globalThis as unknown as { __roomEvents?: Array<{ tag: string; detail: { userID?: string } }> }
        ).__roomEvents?.find((e) => e.tag === 'enter_room')?.detail.userID,
    );
    expect(entered).toBe('hana');
    await waitForPlaying(a, ['hugo']);
    expect(a.errors).toEqual([]);
    await closePeer(a);
    await closePeer(b);
  }, 60_000);
});
