/**
 * A real call in Chromium through the demo pages: the built dist/wx (or dist/tt) <webrtc-room> in the browser preview,
 * the local signing service and the room emulator, fake camera/mic, WebRTC over loopback.
 * Assertions read the pages' own DOM (videos, the status line, the demo's event log).
 */
import { describeChat } from './chat-suite';
import {
  action,
  allLogLines,
  closePeer,
  countLog,
  logLines,
  newPage,
  openPeer,
  playingUsers,
  remoteTiles,
  startHarness,
  statusText,
  videoProgress,
  waitForLog,
  waitForPlaying,
  waitForRemoteAudio,
  waitForStatus,
  type Harness,
  type Peer,
} from './helpers';

/** How many `error -2` lines the page ever logged (all of them, not the 40 its ring shows: helpers.ts recordLog). */
const refusals = (p: Peer): Promise<number> => countLog(p, 'error -2');

const moreRefusals = (p: Peer, before: number) =>
  p.page.waitForFunction(
    (n) =>
      ((window as unknown as { __e2eLog?: string[] }).__e2eLog ?? []).filter((l) => l.startsWith('error -2 '))
        .length > n,
    before,
    { timeout: 15000, polling: 50 },
  );

/** The same call, checked the same way, on either build. */
export function describeCall(platform: 'wx' | 'tt'): void {
  jest.setTimeout(45000);

  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(platform);
  }, 60000);

  afterAll(async () => {
    await h?.close();
  });

  const members = (suffix: string): string[] =>
    (h.server.emulator.rooms().find((r) => r.key.endsWith(suffix))?.members ?? [])
      .map((m) => m.userID)
      .sort();

  describe(`${platform === 'wx' ? 'WeChat' : 'Douyin'} build in the browser preview (demo pages)`, () => {
    let peers: Peer[] = [];

    test('three pages in one room (one entering through the entry page): each plays the other two', async () => {
      // alice goes through pages/index: types room and user, taps "Enter room"
      const page = await newPage(h);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(h.base);
      await page.fill('wx-input[data-field="room"] input', '7001');
      await page.fill('wx-input[data-field="userID"] input', 'alice');
      await page.check('wx-switch input >> nth=0'); // "Debug log": the room page then shows the event log
      await page.click('wx-button[class$="--enter"]');
      await page.waitForSelector('.mp-page[data-route="pages/room/index"]');
      const alice: Peer = { user: 'alice', page, errors };
      const others = await Promise.all(['bob', 'carol'].map((u) => openPeer(h, u, '&roomID=7001')));
      peers = [alice, ...others];
      await Promise.all(peers.map((p) => waitForStatus(p, /^in room/)));
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
        expect(await statusText(p)).toMatch(/2 remote$/);
        expect(p.errors).toEqual([]);
      }
      expect(members(platform === 'wx' ? ':n:7001' : ':7001')).toEqual(['alice', 'bob', 'carol']);
    });

    // WeChat: the preview's live-pusher/live-player report WebRTC audio levels as bindaudiovolumenotify;
    // Douyin: the tt stand-in's onRtcChatSpeakersChanged lists who is heard now (real levels, like the host)
    test(
      platform === 'wx'
        ? 'real audio levels drive the speaking ring on the other pages'
        : 'the speakers list drives the speaking ring on the other pages',
      async () => {
        const [, bob, carol] = peers;
        await Promise.all(
          [bob, carol].map((p) =>
            p.page.waitForSelector('[class*="wr-tile--remote"] [class*="wr-speaking"]', {
              state: 'attached',
            }),
          ),
        );
        for (const p of peers) expect(p.errors).toEqual([]);
      },
    );

    test('snapshot: the demo shows the local frame (WeChat); Douyin reports -2', async () => {
      const [alice] = peers;
      await action(alice, 'snapshot');
      if (platform === 'wx') {
        const src = await alice.page.waitForFunction(
          () =>
            (document.querySelector('wx-image[data-field="shot"]') as HTMLElement | null)?.style
              .backgroundImage ?? '',
        );
        expect(String(await src.jsonValue())).toMatch(/^url\("data:image\/jpeg;base64,/);
      } else {
        await waitForLog(alice, 'error', { code: -2 });
      }
      await action(alice, 'sound');
      expect(await alice.page.textContent('wx-button[data-action="sound"]')).toContain('Earpiece');
      await action(alice, 'sound');
      expect(alice.errors).toEqual([]);
    });

    test('sendMessage: a wave reaches the other pages as a message event (WeChat); Douyin reports -2', async () => {
      const [alice, bob, carol] = peers;
      await action(alice, 'wave');
      if (platform === 'wx') {
        await Promise.all([bob, carol].map((p) => waitForLog(p, 'message', { userID: 'alice' })));
        const line = (await allLogLines(bob)).find((l) => l.startsWith('message '));
        expect(line).toBe('message 0 {"userID":"alice","payload":"{\\"wave\\":\\"alice\\"}"}');
      } else {
        await waitForLog(alice, 'error', { code: -2 });
      }
    });

    test('the message box sends what is typed in the stream; the others show it (WeChat); Douyin reports -2', async () => {
      const [alice, bob] = peers;
      const before = await refusals(alice);
      await alice.page.fill('wx-input[data-field="sei-input"] input', 'hello from alice');
      await action(alice, 'sei-send');
      if (platform === 'wx') {
        await bob.page.waitForFunction(
          () => document.querySelector('[data-field="sei-last"]')?.textContent === 'alice: hello from alice',
        );
      } else {
        await moreRefusals(alice, before);
      }
    });

    test('the music button plays background music (WeChat: bgm_start, the button says stop); Douyin reports -2', async () => {
      const [alice] = peers;
      const before = await refusals(alice);
      await action(alice, 'bgm');
      if (platform === 'wx') {
        await waitForLog(alice, 'bgm_start');
        await alice.page.waitForFunction(() =>
          document.querySelector('wx-button[data-action="bgm"]')?.textContent?.includes('Stop music'),
        );
        await action(alice, 'bgm');
        await alice.page.waitForFunction(
          () => document.querySelector('wx-button[data-action="bgm"]')?.textContent?.trim() === 'Music',
        );
      } else {
        await moreRefusals(alice, before);
      }
      expect(alice.errors).toEqual([]);
    });

    test('followSpeaker: the big view goes to whoever still talks when the other one mutes', async () => {
      const [alice, bob, carol] = peers;
      const mainOf = (p: Peer, user: string) =>
        p.page.waitForFunction(
          (u) => document.querySelector('[class*="wr-tile--main"]')?.getAttribute('data-user-id') === u,
          user,
          { timeout: 15000 },
        );
      await action(bob, 'mute');
      await mainOf(alice, 'carol');
      await action(bob, 'mute'); // unmute
      await action(carol, 'mute');
      await mainOf(alice, 'bob');
      await action(carol, 'mute'); // unmute
      for (const p of peers) expect(p.errors).toEqual([]);
    });

    test('mute and camera-off reach the other pages', async () => {
      const [alice, bob, carol] = peers;
      await action(alice, 'mute');
      // Douyin cannot tell a muted microphone from silence: audio_available stays 1 there (README)
      if (platform === 'wx') {
        await Promise.all(
          [bob, carol].map((p) => waitForLog(p, 'audio_available', { code: 0, userID: 'alice' })),
        );
      }
      await action(alice, 'camera');
      await Promise.all(
        [bob, carol].map((p) => waitForLog(p, 'video_available', { code: 0, userID: 'alice' })),
      );
      await action(alice, 'camera');
      await Promise.all(
        [bob, carol].map((p) => waitForLog(p, 'video_available', { code: 1, userID: 'alice' })),
      );
      await Promise.all([bob, carol].map((p) => waitForPlaying(p, ['alice', p === bob ? 'carol' : 'bob'])));
      const alice$ = h.server.emulator
        .rooms()
        .find((r) => r.key.endsWith(platform === 'wx' ? ':n:7001' : ':7001'))
        ?.members.find((m) => m.userID === 'alice');
      expect(alice$).toMatchObject({ audio: false, video: true });
    });

    test('with the camera off the others still hear the user', async () => {
      const [alice, bob, carol] = peers;
      await action(alice, 'mute'); // unmute
      if (platform === 'wx') {
        await Promise.all(
          [bob, carol].map((p) => waitForLog(p, 'audio_available', { code: 1, userID: 'alice' })),
        );
      }
      await action(alice, 'camera');
      await Promise.all(
        [bob, carol].map((p) => waitForLog(p, 'video_available', { code: 0, userID: 'alice' })),
      );
      // Douyin unmounts the view of a user without video: the room's audio must not go with it
      await Promise.all([bob, carol].map((p) => waitForRemoteAudio(p, 'alice')));
      await action(alice, 'camera');
      await Promise.all([bob, carol].map((p) => waitForPlaying(p, ['alice', p === bob ? 'carol' : 'bob'])));
      await waitForRemoteAudio(bob, 'alice');
    });

    test('switching template in the live room keeps every remote video element playing', async () => {
      const [, bob] = peers;
      // tag the video elements that play now; a re-created native view would come with new, untagged ones
      const tag = () =>
        bob.page.evaluate(() =>
          [...document.querySelectorAll('wx-live-player, wx-rtc-room[data-role="remote"]')].map((el) => {
            const v = el.querySelector('video') as (HTMLVideoElement & { __mark?: string }) | null;
            if (v && !v.__mark) v.__mark = (el as HTMLElement).dataset.userId;
            return v?.__mark ?? '';
          }),
        );
      const before = (await tag()).sort();
      expect(before).toEqual(['alice', 'carol']);
      for (const expected of ['bigsmall', 'float']) {
        await action(bob, 'template');
        await bob.page.waitForFunction(
          (t) => !!document.querySelector(`[class*="wr-room--${t}"]`),
          expected,
          { polling: 50 },
        );
        // each video plays on past where it was (a bounded wait, not a fixed interval: see videoProgress)
        const still = await videoProgress(bob);
        expect(still.map((v) => v.mark).sort()).toEqual(before);
        for (const v of still)
          expect(v).toMatchObject({ width: expect.any(Number), attached: true, advancing: true });
        expect(still.every((v) => v.width > 0)).toBe(true);
      }
    });

    test('a page that leaves disappears from the others', async () => {
      const [alice, bob, carol] = peers;
      await action(carol, 'leave');
      await Promise.all([alice, bob].map((p) => waitForLog(p, 'user_leave', { userID: 'carol' })));
      for (const p of [alice, bob]) {
        await p.page.waitForFunction(
          () =>
            ![...document.querySelectorAll('wx-live-player, wx-rtc-room[data-role="remote"]')].some(
              (e) => (e as HTMLElement).dataset.userId === 'carol',
            ),
          null,
          { polling: 50 },
        );
        expect(await remoteTiles(p)).not.toContain('carol');
      }
      await closePeer(carol);
    });

    test('a closed tab (no goodbye) is noticed by the others', async () => {
      const [alice, bob] = peers;
      await closePeer(bob);
      await waitForLog(alice, 'user_leave', { userID: 'bob' }, 10000);
      await alice.page.waitForFunction(
        () =>
          ![...document.querySelectorAll('wx-live-player, wx-rtc-room[data-role="remote"]')].some(
            (e) => (e as HTMLElement).dataset.userId === 'bob',
          ),
        null,
        { polling: 50 },
      );
      await closePeer(alice);
    });

    test('a bad UserSig gets error -9 and enters nothing', async () => {
      const ok = await openPeer(h, 'dave', '&roomID=7002');
      await waitForStatus(ok, /^in room/);
      const bad = await openPeer(h, 'mallory', '&roomID=7002&userSig=forged-user-sig');
      await waitForLog(bad, 'error', { code: -9 });
      expect(await statusText(bad)).toMatch(/^error -9/);
      expect((await allLogLines(bad)).some((l) => l.startsWith('enter_room '))).toBe(false);
      expect(await remoteTiles(bad)).toEqual([]);
      expect(members(platform === 'wx' ? ':n:7002' : ':7002')).toEqual(['dave']);
      expect((await allLogLines(ok)).some((l) => l.startsWith('user_join '))).toBe(false);
      await Promise.all([closePeer(ok), closePeer(bad)]);
    });

    test('a duplicate userID kicks the older page', async () => {
      const first = await openPeer(h, 'erin', '&roomID=7003');
      const other = await openPeer(h, 'frank', '&roomID=7003');
      await waitForPlaying(first, ['frank']);
      const second = await openPeer(h, 'erin', '&roomID=7003');
      await waitForStatus(second, /^in room/);
      await waitForLog(first, 'kicked_out').catch(async (e: Error) => {
        const log = (await logLines(first)).filter((l) => !l.startsWith('net_status')).slice(0, 8);
        throw new Error(
          `the older page never reported kicked_out (${e.message.split('\n')[0]}); its log:\n  ${log.join('\n  ')}`,
        );
      });
      expect(await statusText(first)).toMatch(/^(kicked out|left the room)/);
      await waitForPlaying(other, ['erin']);
      await waitForPlaying(second, ['frank']);
      expect(members(platform === 'wx' ? ':n:7003' : ':7003')).toEqual(['erin', 'frank']);
      await Promise.all([first, other, second].map(closePeer));
    });

    test('string rooms work too', async () => {
      const a = await openPeer(h, 'gina', '&strRoomID=team-standup');
      const b = await openPeer(h, 'hank', '&strRoomID=team-standup');
      await Promise.all([waitForPlaying(a, ['hank']), waitForPlaying(b, ['gina'])]);
      expect(members(platform === 'wx' ? ':s:team-standup' : ':team-standup')).toEqual(['gina', 'hank']);
      await Promise.all([a, b].map(closePeer));
    });
  });

  describeChat(() => h, platform);
}
