/**
 * The faults phones produce, on the real built component in the browser preview: each scenario is injected
 * through the emulator's control API (emulator/control.ts) or the preview's network switch, and checked on the
 * pages' own DOM and event logs.
 */
import { controlClient, type ControlClient } from '../../emulator';
import { createVolcToken } from '../../server/index';
import {
  allLogLines,
  countLog,
  logLines,
  logSince,
  openPeer,
  playingUsers,
  remoteTiles,
  renewUserSig,
  startHarness,
  statusText,
  videoProgress,
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

  let control: ControlClient;
  const wx = platform === 'wx';
  const room = (id: number): string => (wx ? `:n:${id}` : `:${id}`);
  const members = async (id: number): Promise<string[]> =>
    ((await control.rooms()).find((r) => r.key.endsWith(room(id)))?.members ?? [])
      .map((m) => m.userID)
      .sort();
  /** every line the page ever logged with this tag, not the 40 its ring still shows (helpers.ts recordLog) */
  const count = countLog;

  beforeAll(async () => {
    h = await startHarness(platform);
    control = controlClient(h.server.url);
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
      expect(await videoProgress(bob)).toEqual([
        { mark: 'before:alice', width: expect.any(Number), attached: true, advancing: true },
      ]);
      expect(await waitForStatus(bob, /^in room/)).toMatch(/1 remote$/);
      // no "weak network" left over from the dead connection
      expect((await allLogLines(bob)).filter((l) => l.startsWith('net_status 6'))).toEqual([]);
    });

    test('connection loss injected by the control API: reconnecting, reconnected, the video back on both sides', async () => {
      const a = await open('ann', '&roomID=7102');
      const b = await open('ben', '&roomID=7102');
      await Promise.all([waitForPlaying(a, ['ben']), waitForPlaying(b, ['ann'])]);
      expect(await control.inject({ kind: 'drop', user: 'ben', outageMs: 1500 })).toEqual(['ben']);
      await waitForLog(b, 'reconnecting');
      await waitForLog(a, 'user_leave', { userID: 'ben' });
      await waitForLog(b, 'reconnected', {}, 20000);
      await Promise.all([waitForPlaying(a, ['ben']), waitForPlaying(b, ['ann'])]);
      expect(await members(7102)).toEqual(['ann', 'ben']);
      expect(await count(b, 'enter_room')).toBe(1);
    });

    test('kicked with a reason: kicked_out, exit_room once, no re-entry', async () => {
      const a = await open('kay', '&roomID=7103');
      const b = await open('lee', '&roomID=7103');
      await waitForPlaying(a, ['lee']);
      await waitForStatus(b, /^in room/); // a kick while still entering is an entry failure, not kicked_out
      await control.inject({ kind: 'kick', user: 'lee', reason: 3 });
      await waitForLog(b, 'kicked_out');
      await waitForLog(b, 'exit_room');
      await waitForLog(a, 'user_leave', { userID: 'lee' });
      expect(await waitForStatus(b, /^kicked out/)).toMatch(/^kicked out/);
      // no re-entry: the emulator never sees lee again
      // a window for something NOT to happen: the first reconnect attempt would come after 1 s (2.5 s: on a loaded
      // machine a late timer must not slip past the window and pass unseen)
      await a.page.waitForTimeout(2500);
      expect(await members(7103)).toEqual(['kay']);
      expect(await count(b, 'exit_room')).toBe(1);
      expect(await count(b, 'reconnecting')).toBe(0);
    });

    test('a recorded trace replayed against the component: video before enter, leave before removal', async () => {
      const a = await open('tia', '&roomID=7104');
      await waitForStatus(a, /^in room/);
      if (wx) {
        await control.replay('tia', 'wx-video-before-enter');
        await waitForLog(a, 'user_join', { userID: 'trace-peer' });
        await waitForLog(a, 'user_leave', { userID: 'trace-peer' });
        expect(await count(a, 'user_join')).toBe(1);
        await control.replay('tia', 'wx-duplicates-and-1020');
        await waitForLog(a, 'audio_available', { userID: 'trace-dup' });
        // a window for what must NOT come: the trace's last events (duplicates) come within 150 ms of this one
        await a.page.waitForTimeout(1000);
        const lines = (await allLogLines(a)).filter((l) => l.includes('trace-dup'));
        expect(lines.filter((l) => l.startsWith('user_join ')).length).toBe(1);
        expect(lines.filter((l) => l.startsWith('video_available 1')).length).toBe(1);
        expect(lines.filter((l) => l.startsWith('audio_available 1')).length).toBe(1);
      } else {
        await control.replay('tia', 'tt-token-and-interruption');
        await waitForLog(a, 'reconnecting');
        await waitForLog(a, 'reconnected', {}, 20000);
      }
    });

    test('an outage longer than every attempt: error -6 after the last one, the room shows it, no member left', async () => {
      const a = await open('gus', '&roomID=7108');
      const b = await open('gil', '&roomID=7108');
      await waitForPlaying(a, ['gil']);
      await waitForStatus(b, /^in room/);
      await control.inject({ kind: 'drop', user: 'gil', outageMs: 120000 });
      await waitForLog(b, 'reconnecting');
      // five attempts after 1 + 2 + 4 + 8 + 16 s, each refused at once by the "network"
      await waitForLog(b, 'error', { code: -6 }, 45000);
      expect(await waitForStatus(b, /^error -6/)).toMatch(/^error -6/);
      expect(await count(b, 'reconnecting')).toBe(5);
      expect(await count(b, 'reconnected')).toBe(0);
      expect(await count(b, 'exit_room')).toBe(1);
      expect(await members(7108)).toEqual(['gus']);
      expect(await remoteTiles(b)).toEqual([]);
      await control.inject({ kind: 'clear', user: 'gil' });
    }, 60000);

    test('suspension and resume: the page comes back into the call by itself', async () => {
      const a = await open('sue', '&roomID=7109');
      const b = await open('sam', '&roomID=7109');
      await Promise.all([waitForPlaying(a, ['sam']), waitForPlaying(b, ['sue'])]);
      await control.inject({ kind: 'suspend', user: 'sam' });
      if (!wx) await control.inject({ kind: 'hide', user: 'sam' });
      if (wx) await waitForLog(a, 'user_leave', { userID: 'sam' });
      await control.inject({ kind: 'show', user: 'sam' });
      await Promise.all([waitForPlaying(a, ['sam']), waitForPlaying(b, ['sue'])]);
      expect(await waitForStatus(b, /^in room/)).toMatch(/1 remote$/);
      expect((await allLogLines(b)).some((l) => l.startsWith('error '))).toBe(false);
      expect(await members(7109)).toEqual(['sam', 'sue']);
    });

    test('an expiring credential is replaced with updateUserSig and the call goes on', async () => {
      const a = await open('eva', '&roomID=7110');
      const b = await open('eli', '&roomID=7110');
      await waitForPlaying(a, ['eli']);
      await waitForStatus(b, /^in room/);
      if (wx) {
        // WeChat has no "will expire" event: the live-pusher takes a new UserSig by re-entering
        // a UserSig is signed to the second: one signed in the entry's second would be the same one
        await b.page.waitForTimeout(1100);
        expect(await renewUserSig(b, platform, 7110)).toBe('ok');
        await waitForLog(b, 'reconnected');
        // a UserSig that expires in the room anyway: TRTC checks it on entering only, so the call goes on
        const before = (await allLogLines(b)).length;
        await control.inject({ kind: 'credential_expired', user: 'eli' });
        await b.page.waitForTimeout(1000); // a window for what must NOT come (generous: a loaded machine)
        expect((await logSince(b, before)).filter((l) => /^(error|warning|exit_room) /.test(l))).toEqual([]);
        expect(await members(7110)).toEqual(['eli', 'eva']);
        // until the next entry: the re-entry after a loss is refused (-100018, 1022): error -9, the session ends
        await control.inject({ kind: 'drop', user: 'eli' });
        await waitForLog(b, 'error', { code: -9 });
        await waitForLog(a, 'user_leave', { userID: 'eli' });
      } else {
        // the demo answers the notice as a page should: a new token from the signing service, updateUserSig
        await control.inject({ kind: 'token_will_expire', user: 'eli' });
        await waitForLog(b, 'token_will_expire');
        await waitForLog(b, 'updateUserSig', { code: 0 });
        await a.page.waitForTimeout(1000); // a window for what must NOT come (generous: a loaded machine)
        expect((await allLogLines(b)).some((l) => l.startsWith('error ') || l.startsWith('warning '))).toBe(
          false,
        );
        expect(await count(b, 'reconnecting')).toBe(0);
        await waitForPlaying(a, ['eli']);
        // an expired token removes the user (-1009): the session ends with -9, no re-entry with the dead token
        await control.inject({ kind: 'credential_expired', user: 'eli' });
        await waitForLog(a, 'user_leave', { userID: 'eli' });
        await waitForLog(b, 'error', { code: -9 });
        await waitForLog(b, 'exit_room');
        expect(await count(b, 'reconnecting')).toBe(0);
      }
    });

    test('an audience credential cannot publish: switching to anchor publishes nothing', async () => {
      const a = await open('ana', '&roomID=7111');
      await waitForStatus(a, /^in room/);
      const v = await open('viv', '&roomID=7111&role=audience');
      await waitForPlaying(v, ['ana']);
      // WeChat (scene rtc): TRTC has no audience there, viv is in the room's list; Douyin: an audience member is
      // invisible (changeUserVisibility false) until it turns anchor
      if (wx) await waitForLog(a, 'user_join', { userID: 'viv' });
      await v.page.click('wx-button[data-action="role"]');
      if (!wx) await waitForLog(a, 'user_join', { userID: 'viv' });
      if (!wx) await waitForLog(v, 'warning', { code: -1002 });
      else await v.page.waitForTimeout(1500); // WeChat's 6001 is informational: nothing to wait for
      expect(
        (await control.rooms())
          .find((r) => r.key.endsWith(room(7111)))
          ?.members.find((m) => m.userID === 'viv'),
      ).toMatchObject({ audio: false, video: false });
      expect(await playingUsers(a)).toEqual([]);
      expect((await allLogLines(a)).some((l) => l.startsWith('video_available 1') && l.includes('viv'))).toBe(
        false,
      );
    });

    // Douyin has no network-quality event, no 1019 and no player state: these are WeChat's
    if (wx) {
      test('WeChat: a network change (1021) re-enters; 1020 noise and duplicated events change nothing', async () => {
        const a = await open('nia', '&roomID=7112');
        const b = await open('nic', '&roomID=7112');
        await Promise.all([waitForPlaying(a, ['nic']), waitForPlaying(b, ['nia'])]);
        await waitForStatus(b, /^in room/);
        await control.inject({ kind: 'noise_1020', user: 'nic', everyMs: 100 });
        await control.inject({ kind: 'duplicate', user: 'nic' });
        await control.inject({ kind: 'network_change', user: 'nic' });
        await waitForLog(b, 'reconnecting');
        await waitForLog(b, 'reconnected');
        await Promise.all([waitForPlaying(a, ['nic']), waitForPlaying(b, ['nia'])]);
        expect(await waitForStatus(b, /^in room/)).toMatch(/1 remote$/);
        // the re-entry's 1031/1033/1034 arrive twice and 1020 lists keep coming: still one join of nia
        expect(
          (await allLogLines(b)).filter((l) => l.startsWith('user_join ') && l.includes('"nia"')).length,
        ).toBe(1);
        await control.inject({ kind: 'clear', user: 'nic' });
      });

      test('WeChat: iOS-style exit without 1019 still ends with exit_room once', async () => {
        const a = await open('ios', '&roomID=7105');
        await waitForStatus(a, /^in room/);
        await control.inject({ kind: 'ios', user: 'ios' });
        await a.page.click('wx-button[data-action="leave"]');
        await waitForLog(a, 'exit_room');
        await a.page.waitForTimeout(1000); // a window for what must NOT come (generous: a loaded machine)
        expect(await count(a, 'exit_room')).toBe(1);
        expect(await members(7105)).toEqual([]);
        await control.inject({ kind: 'clear', user: 'ios' });
      });

      test('WeChat: a weak network shows the badge on the tile and goes away when cleared', async () => {
        const a = await open('wen', '&roomID=7106');
        const b = await open('wes', '&roomID=7106');
        await waitForPlaying(a, ['wes']);
        await control.inject({ kind: 'weak', user: 'wen', quality: 5, target: 'wes', videoBitrate: 60 });
        await waitForLog(a, 'net_status', { code: 5, userID: 'wes' });
        await a.page.waitForSelector('[class*="wr-badge--weak"]', { timeout: 10000 });
        await control.inject({ kind: 'weak', user: 'wen', quality: 0, target: 'wes' });
        await a.page.waitForSelector('[class*="wr-badge--weak"]', { state: 'detached', timeout: 10000 });
        expect(b.errors).toEqual([]);
      });

      test('WeChat: a failing player is rebuilt and plays again', async () => {
        const a = await open('pia', '&roomID=7107');
        await open('pio', '&roomID=7107');
        await waitForPlaying(a, ['pio']);
        expect(await tagVideos(a)).toEqual(['before:pio']);
        await control.inject({ kind: 'player_fail', user: 'pia', target: 'pio' });
        await waitForLog(a, 'warning', { code: -2301 });
        await waitForPlaying(a, ['pio']);
        // a new native view: its <video> carries no tag from before
        const marks = await a.page.evaluate(() =>
          [...document.querySelectorAll('wx-live-player video')].map(
            (v) => (v as HTMLVideoElement & { __mark?: string }).__mark ?? '',
          ),
        );
        expect(marks).toEqual(['']);
      });

      test('WeChat: a black screen (sound, no first frame) is warned about after 5 s and the rebuilt player plays', async () => {
        const a = await open('bka', '&roomID=7194');
        await waitForLog(a, 'enter_room');
        expect(await control.inject({ kind: 'black', user: 'bka', target: 'bko' })).toEqual(['bka']);
        await open('bko', '&roomID=7194');
        // the first player of bko: its sound, never a frame shown, no 2003
        await a.page.waitForSelector('wx-live-player[data-preview-black="1"]', {
          state: 'attached',
          timeout: 15000,
        });
        expect(await tagVideos(a)).toEqual(['before:bko']);
        await waitForLog(a, 'warning', { code: 2003, userID: 'bko' }, 15000);
        // rebuilt: a new native view (untagged <video>) that shows its first frame
        await a.page.waitForSelector('wx-live-player[data-preview-black="0"][data-preview-playing="1"]', {
          state: 'attached',
          timeout: 15000,
        });
        await waitForPlaying(a, ['bko']);
        const marks = await a.page.evaluate(() =>
          [...document.querySelectorAll('wx-live-player video')].map(
            (v) => (v as HTMLVideoElement & { __mark?: string }).__mark ?? '',
          ),
        );
        expect(marks).toEqual(['']);
        expect((await allLogLines(a)).filter((l) => l.startsWith('warning 2003 ')).length).toBe(1);
      }, 40000);

      test('WeChat: a player that keeps reporting quality 6 in the room is rebuilt after 5 reports', async () => {
        const a = await open('dna', '&roomID=7190');
        await open('dno', '&roomID=7190');
        await waitForPlaying(a, ['dno']);
        expect(await tagVideos(a)).toEqual(['before:dno']);
        await control.inject({ kind: 'weak', user: 'dna', quality: 6, target: 'dno' });
        await waitForLog(a, 'net_status', { code: 6, userID: 'dno' });
        await waitForLog(a, 'warning', { code: 6 }, 20000);
        await control.inject({ kind: 'weak', user: 'dna', quality: 0, target: 'dno' });
        await waitForPlaying(a, ['dno']);
        const marks = await a.page.evaluate(() =>
          [...document.querySelectorAll('wx-live-player video')].map(
            (v) => (v as HTMLVideoElement & { __mark?: string }).__mark ?? '',
          ),
        );
        expect(marks).toEqual(['']);
      }, 40000);

      test('WeChat: the camera permission taken back in the room: error -7 and the guide; "Open settings" brings the video back', async () => {
        const a = await open('pra', '&roomID=7192');
        const b = await open('prb', '&roomID=7192');
        await Promise.all([waitForPlaying(a, ['prb']), waitForPlaying(b, ['pra'])]);
        await control.inject({ kind: 'permission_revoked', user: 'prb', scope: 'camera' });
        await waitForLog(b, 'error', { code: -7 });
        await b.page.waitForSelector('[class*="wr-guide__open"]');
        // the camera stopped: the others see its video go
        await waitForLog(a, 'video_available', { code: 0, userID: 'prb' });
        expect(await statusText(b)).toMatch(/camera or microphone not allowed/);
        await b.page.click('[class*="wr-guide__open"]');
        await b.page.waitForSelector('[class*="wr-guide__open"]', { state: 'detached' });
        // the page hears the grant: the demo's status line is the call's again, its Retry button gone
        await waitForLog(b, 'permission_granted', { code: 0 });
        expect(await waitForStatus(b, /^in room/)).toMatch(/^in room/);
        expect(await b.page.$('wx-button[data-action="retry"]')).toBeNull();
        await waitForPlaying(a, ['prb']);
        expect(
          (await control.rooms())
            .find((r) => r.key.endsWith(room(7192)))
            ?.members.find((m) => m.userID === 'prb'),
        ).toMatchObject({ audio: true, video: true });
        expect(await count(b, 'exit_room')).toBe(0);
        expect(
          (await allLogLines(b)).filter((l) => l.startsWith('error ')).map((l) => l.split(' ')[1]),
        ).toEqual(['-7']);
      });

      test('WeChat on Android: a player created while the app is in the background is rebuilt on show and plays', async () => {
        const a = await open('ada', '&roomID=7193');
        await waitForStatus(a, /^in room/);
        await control.inject({ kind: 'android', user: 'ada' });
        await control.inject({ kind: 'hide', user: 'ada' });
        await open('adb', '&roomID=7193');
        await waitForLog(a, 'user_join', { userID: 'adb' });
        // made while hidden: on Android it never plays
        await a.page.waitForSelector('wx-live-player[data-preview-broken="1"]', { state: 'attached' });
        await control.inject({ kind: 'show', user: 'ada' });
        await waitForPlaying(a, ['adb']);
        expect(await a.page.$$('wx-live-player[data-preview-broken="1"]')).toHaveLength(0);
        expect(await remoteTiles(a)).toEqual(['adb']);
        await control.inject({ kind: 'clear', user: 'ada' });
      });
    } else {
      test('Douyin: a publish right that lapsed comes back with the renewed token: the anchor publishes again and the peer gets its video', async () => {
        const a = await open('pua', '&roomID=7113');
        const b = await open('pub', '&roomID=7113');
        await Promise.all([waitForPlaying(a, ['pub']), waitForPlaying(b, ['pua'])]);
        await waitForStatus(b, /^in room/);
        // a token whose publish privilege ends in 2 s (the token itself lasts): the signing service grants
        // publishing as long as the token, so it is minted here with the preview's keys (the emulator's verifier's)
        const keys = h.server.signing.credentials.volc;
        if (!keys) throw new Error('the preview has no Douyin keys');
        const now = Math.floor(Date.now() / 1000);
        const short = createVolcToken({
          appId: keys.appId,
          appKey: keys.appKey,
          roomId: '7113',
          userId: 'pub',
          expireAt: now + 600,
          privileges: { publish: now + 2, subscribe: now + 600 },
        });
        await b.page.evaluate(async (token) => {
          type Room = { updateUserSig(s: string): Promise<void> };
          const rt = (
            globalThis as unknown as {
              __PREVIEW_RUNTIME__: { stack: Array<{ instance: { selectComponent(s: string): Room } }> };
            }
          ).__PREVIEW_RUNTIME__;
          await rt.stack[rt.stack.length - 1].instance.selectComponent('#room').updateUserSig(token);
        }, short);
        // the right lapses: the stream stops (-1002 to the anchor), the peer sees its video go
        await waitForLog(b, 'warning', { code: -1002 }, 10000);
        await waitForLog(a, 'video_available', { code: 0, userID: 'pub' });
        expect(await members(7113)).toEqual(['pua', 'pub']);
        // the page renews its token as a page should (token_will_expire: the signing service's anchor token)
        await control.inject({ kind: 'token_will_expire', user: 'pub' });
        await waitForLog(b, 'updateUserSig', { code: 0 });
        // the right is back, and the component publishes again: the peer plays its video in the room
        await waitForPlaying(a, ['pub']);
        expect(
          (await control.rooms())
            .find((r) => r.key.endsWith(room(7113)))
            ?.members.find((m) => m.userID === 'pub'),
        ).toMatchObject({ audio: true, video: true });
        expect(
          (await allLogLines(a)).filter((l) => l.startsWith('video_available 1 ') && l.includes('"pub"'))
            .length,
        ).toBe(2);
        expect(await count(b, 'reconnecting')).toBe(0);
        expect(await count(b, 'exit_room')).toBe(0);
      }, 60000);

      test('Douyin: an engine the host destroyed: error -13 at the next call, the session ends, start() enters with a new one', async () => {
        const a = await open('eda', '&roomID=7191');
        const b = await open('edb', '&roomID=7191');
        await Promise.all([waitForPlaying(a, ['edb']), waitForPlaying(b, ['eda'])]);
        expect(await control.inject({ kind: 'engine_destroyed', user: 'edb' })).toEqual(['edb']);
        // gone from the room without a word to the page
        await waitForLog(a, 'user_leave', { userID: 'edb' });
        expect(await members(7191)).toEqual(['eda']);
        // the page's next call (the camera button) is the first it hears of it
        await b.page.click('wx-button[data-action="camera"]');
        await waitForLog(b, 'error', { code: -13 });
        await waitForLog(b, 'exit_room');
        expect(await count(b, 'reconnecting')).toBe(0);
        // entering again makes a new context (a new engine): the call is back on both sides
        await b.page.evaluate(() => {
          type Room = { start(): Promise<unknown> };
          const rt = (
            globalThis as unknown as {
              __PREVIEW_RUNTIME__: { stack: Array<{ instance: { selectComponent(s: string): Room } }> };
            }
          ).__PREVIEW_RUNTIME__;
          void rt.stack[rt.stack.length - 1].instance.selectComponent('#room').start();
        });
        await waitForLog(a, 'user_join', { userID: 'edb' });
        // the cloud has it in the room; the join's answer reaches the page a moment later
        for (let i = 0; i < 200 && (await count(b, 'enter_room')) < 2; i++) await b.page.waitForTimeout(50);
        expect(await count(b, 'enter_room')).toBe(2);
        await waitForPlaying(b, ['eda']);
        expect(await members(7191)).toEqual(['eda', 'edb']);
        // one -13 for the one engine, whatever else the ended session tried on it
        const lines = await allLogLines(b);
        expect(lines.filter((l) => l.startsWith('error ')).map((l) => l.split(' ')[1])).toEqual(['-13']);
      });
    }

    test('the counts and waits read every line the page logged, not the 40 its ring still shows', async () => {
      const p = await open('ring', '&roomID=7199');
      await waitForStatus(p, /^in room/);
      // 45 lines through the page's own log (the path every event line takes): more than the ring holds
      await p.page.evaluate(() => {
        const rt = (
          globalThis as unknown as {
            __PREVIEW_RUNTIME__: { stack: Array<{ instance: { log(line: string): void } }> };
          }
        ).__PREVIEW_RUNTIME__;
        const page = rt.stack[rt.stack.length - 1].instance;
        for (let i = 0; i < 45; i++) page.log(`ring_probe 0 {"i":${i}}`);
      });
      const ring = await logLines(p);
      expect(ring).toHaveLength(40);
      expect(ring.filter((l) => l.startsWith('ring_probe ')).length).toBe(40);
      expect(await count(p, 'ring_probe')).toBe(45);
      expect(await count(p, 'enter_room')).toBe(1);
      // the record agrees with the ring where the ring still shows them, newest first (a status line the room
      // logs meanwhile may come before them in either)
      const all = await allLogLines(p);
      const probes = all.filter((l) => l.startsWith('ring_probe '));
      const shown = ring.filter((l) => l.startsWith('ring_probe '));
      expect(probes.slice(0, shown.length)).toEqual(shown);
      expect(probes[0]).toBe('ring_probe 0 {"i":44}');
      expect(probes[44]).toBe('ring_probe 0 {"i":0}');
      expect(all[all.length - 1]).not.toMatch(/^ring_probe /);
      // waitForLog finds a line the ring dropped (the first probe, and the entry itself), the newest of a tag
      await p.page.evaluate(() => {
        const rt = (
          globalThis as unknown as {
            __PREVIEW_RUNTIME__: { stack: Array<{ instance: { log(line: string): void } }> };
          }
        ).__PREVIEW_RUNTIME__;
        rt.stack[rt.stack.length - 1].instance.log('ring_mark 0 {"userID":"first"}');
        for (let i = 0; i < 45; i++) rt.stack[rt.stack.length - 1].instance.log(`ring_fill 0 {"i":${i}}`);
      });
      expect((await logLines(p)).some((l) => l.startsWith('ring_mark '))).toBe(false);
      expect(await waitForLog(p, 'ring_mark', { userID: 'first' }, 2000)).toBe(
        'ring_mark 0 {"userID":"first"}',
      );
      expect(await waitForLog(p, 'enter_room', {}, 2000)).toMatch(/^enter_room \d+ /);
      expect(await waitForLog(p, 'ring_probe', {}, 2000)).toBe('ring_probe 0 {"i":44}');
    });
  });
}
