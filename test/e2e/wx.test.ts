/** @jest-environment node */
/**
 * A real call in Chromium: the built dist/wx <webrtc-room> in the browser preview, the local signing service
 * and the room emulator, fake camera/mic, WebRTC over loopback. Assertions read the pages' own DOM.
 */
import {
  click,
  closePeer,
  events,
  openPeer,
  playingUsers,
  remoteTiles,
  startHarness,
  waitForEvent,
  waitForPlaying,
  type Harness,
  type Peer,
} from './helpers';

jest.setTimeout(45000);

let h: Harness;

beforeAll(async () => {
  h = await startHarness('wx');
}, 60000);

afterAll(async () => {
  await h?.close();
});

describe('WeChat build in the browser preview', () => {
  let peers: Peer[] = [];
  const room = '&room=7001';

  test('three pages in one room: each plays the other two', async () => {
    peers = await Promise.all(['alice', 'bob', 'carol'].map((u) => openPeer(h, u, room)));
    await Promise.all(peers.map((p) => waitForEvent(p, 'enter_room')));
    await Promise.all(
      peers.map((p) =>
        waitForPlaying(
          p,
          peers.filter((q) => q !== p).map((q) => q.user),
        ),
      ),
    );
    for (const p of peers) {
      expect(await playingUsers(p)).toEqual(
        peers
          .filter((q) => q !== p)
          .map((q) => q.user)
          .sort(),
      );
      expect(p.errors).toEqual([]);
    }
    expect(
      h.server.emulator
        .rooms()
        .find((r) => r.key.endsWith(':n:7001'))
        ?.members.map((m) => m.userID)
        .sort(),
    ).toEqual(['alice', 'bob', 'carol']);
  });

  test('mute and camera-off reach the other pages', async () => {
    const [alice, bob, carol] = peers;
    await click(alice, 'btn-mute');
    await Promise.all(
      [bob, carol].map((p) => waitForEvent(p, 'audio_available', { userID: 'alice', code: 0 })),
    );
    await click(alice, 'btn-camera');
    await Promise.all(
      [bob, carol].map((p) => waitForEvent(p, 'video_available', { userID: 'alice', code: 0 })),
    );
    // and back on
    await click(alice, 'btn-camera');
    await Promise.all(
      [bob, carol].map((p) => waitForEvent(p, 'video_available', { userID: 'alice', code: 1 })),
    );
    const member = h.server.emulator
      .rooms()
      .find((r) => r.key.endsWith(':n:7001'))
      ?.members.find((m) => m.userID === 'alice');
    expect(member).toMatchObject({ audio: false, video: true });
  });

  test('a page that leaves disappears from the others', async () => {
    const [alice, bob, carol] = peers;
    await click(carol, 'btn-leave');
    await Promise.all([alice, bob].map((p) => waitForEvent(p, 'user_leave', { userID: 'carol' })));
    for (const p of [alice, bob]) {
      await p.page.waitForFunction(
        () =>
          ![...document.querySelectorAll('wx-live-player')].some(
            (e) => (e as HTMLElement).dataset.userId === 'carol',
          ),
        null,
        {
          polling: 50,
        },
      );
      expect(await remoteTiles(p)).not.toContain('carol');
    }
    await closePeer(carol);
  });

  test('a closed tab (no goodbye) is noticed by the others', async () => {
    const [alice, bob] = peers;
    await closePeer(bob);
    await waitForEvent(alice, 'user_leave', { userID: 'bob' }, 10000);
    expect(await remoteTiles(alice)).not.toContain('bob');
    await closePeer(alice);
  });

  test('a bad UserSig gets error -9 and enters nothing', async () => {
    const ok = await openPeer(h, 'dave', '&room=7002');
    await waitForEvent(ok, 'enter_room');
    const bad = await openPeer(h, 'mallory', '&room=7002&sig=bad');
    const err = (await waitForEvent(bad, 'error')) as { code: number };
    expect(err.code).toBe(-9);
    const evs = await events(bad);
    expect(evs.some((e) => e.tag === 'enter_room')).toBe(false);
    expect(await remoteTiles(bad)).toEqual([]);
    expect(
      h.server.emulator
        .rooms()
        .find((r) => r.key.endsWith(':n:7002'))
        ?.members.map((m) => m.userID),
    ).toEqual(['dave']);
    expect((await events(ok)).some((e) => e.tag === 'user_join')).toBe(false);
    await Promise.all([closePeer(ok), closePeer(bad)]);
  });

  test('a duplicate userID kicks the older page', async () => {
    const first = await openPeer(h, 'erin', '&room=7003');
    const other = await openPeer(h, 'frank', '&room=7003');
    await waitForPlaying(first, ['frank']);
    const second = await openPeer(h, 'erin', '&room=7003');
    await waitForEvent(second, 'enter_room');
    await waitForEvent(first, 'kicked_out');
    await waitForPlaying(other, ['erin']);
    await waitForPlaying(second, ['frank']);
    expect(
      h.server.emulator
        .rooms()
        .find((r) => r.key.endsWith(':n:7003'))
        ?.members.map((m) => m.userID)
        .sort(),
    ).toEqual(['erin', 'frank']);
    await Promise.all([first, other, second].map(closePeer));
  });

  test('string rooms work too', async () => {
    const a = await openPeer(h, 'gina', '&strRoom=team-standup');
    const b = await openPeer(h, 'hank', '&strRoom=team-standup');
    await Promise.all([waitForPlaying(a, ['hank']), waitForPlaying(b, ['gina'])]);
    expect(h.server.emulator.rooms().some((r) => r.key.endsWith(':s:team-standup'))).toBe(true);
    await Promise.all([a, b].map(closePeer));
  });
});
