/**
 * The faults phones produce, on the real built component in the browser preview: each scenario is injected
 * through the emulator's control API (emulator/control.ts) or the preview's network switch, and checked on the
 * pages' own DOM and event logs.
 */
import {
  logLines,
  openPeer,
  startHarness,
  waitForLog,
  waitForPlaying,
  waitForStatus,
  type Harness,
  type Peer,
} from './helpers';

/** The page's remote <video> elements, tagged so a re-created native view shows up untagged. */
function tagVideos(p: Peer): Promise<string[]> {
  return p.page.evaluate(() =>
    [...document.querySelectorAll('wx-live-player, wx-rtc-room[data-role="remote"]')].map((el) => {
      const v = el.querySelector('video') as (HTMLVideoElement & { __mark?: string }) | null;
      if (v && !v.__mark) v.__mark = 'before:' + ((el as HTMLElement).dataset.userId ?? '');
      return v?.__mark ?? '';
    }),
  );
}

export function describeFaults(platform: 'wx' | 'tt'): void {
  jest.setTimeout(60000);
  let h: Harness;
  const opened: Peer[] = [];
  const open = async (user: string, query: string, search = ''): Promise<Peer> => {
    const p = await openPeer(h, user, query, 'demo', search);
    opened.push(p);
    return p;
  };

  beforeAll(async () => {
    h = await startHarness(platform);
  }, 60000);

  afterEach(async () => {
    await Promise.all(
      opened.splice(0).map((p) =>
        p.page
          .context()
          .close()
          .catch(() => undefined),
      ),
    );
  });

  afterAll(async () => {
    await h?.close();
  });

  describe(`${platform === 'wx' ? 'WeChat' : 'Douyin'} build under faults`, () => {
    test('a connection drop right after a peer joins: the remote video comes back live in the same view', async () => {
      const alice = await open('alice', '&roomID=7101');
      await waitForStatus(alice, /^in room/);
      const bob = await open('bob', '&roomID=7101');
      // bob's player for alice exists (maybe without a frame yet) when bob's connection drops
      await waitForLog(bob, 'user_join', { userID: 'alice' });
      await bob.page.waitForSelector('wx-live-player, wx-rtc-room[data-role="remote"]');
      expect(await tagVideos(bob)).toEqual(['before:alice']);
      await bob.page.evaluate(() =>
        (globalThis as unknown as { __PREVIEW_NET__: { drop(): void } }).__PREVIEW_NET__.drop(),
      );
      await waitForLog(bob, 'reconnecting');
      await waitForLog(bob, 'reconnected');
      await Promise.all([waitForPlaying(bob, ['alice']), waitForPlaying(alice, ['bob'])]);
      // the same native view plays again (no rebuild needed) and its frames keep coming
      expect(await tagVideos(bob)).toEqual(['before:alice']);
      const advancing = await bob.page.evaluate(async () => {
        const v = document.querySelector(
          'wx-live-player video, wx-rtc-room[data-role="remote"] video',
        ) as HTMLVideoElement;
        const t0 = v.currentTime;
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 300)));
        return v.currentTime > t0;
      });
      expect(advancing).toBe(true);
      expect(await waitForStatus(bob, /^in room/)).toMatch(/1 remote$/);
      // no "weak network" left over from the dead connection
      expect((await logLines(bob)).filter((l) => l.startsWith('net_status 6'))).toEqual([]);
    });
  });
}
