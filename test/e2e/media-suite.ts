/**
 * The preview's audio in a real call (Chromium, WebRTC over loopback), through the harness page:
 *   - sound mode: the earpiece plays a remote far quieter and in mono (WeChat live-player `sound-mode`,
 *     Douyin `setAudioPlaybackDevice`), measured at the page's Web Audio output;
 *   - background music (WeChat): playBGM mixes the file into what the pusher publishes (the other page's level
 *     for that user rises), with bgm_start / bgm_progress / bgm_complete, and bgm_error for a bad URL;
 *   - who is speaking (Douyin): the host's speakers list from real levels: a peer with a tone gets the ring,
 *     a silent one does not;
 *   - a peer publishing nothing on entry (Douyin) is heard once it starts (the stand-in subscribes on publish).
 * `?mic=tone` / `?mic=silent` give each peer a known microphone.
 */
import {
  closePeer,
  events,
  openPeer,
  remoteAudio,
  startHarness,
  waitForEvent,
  waitForPlaying,
  waitForRemoteAudio,
  type Harness,
  type Peer,
} from './helpers';

type Ev = { t: number; tag: string; code: number; detail: Record<string, unknown> };

/**
 * The loudest level this page plays of `user` (sampled every 50 ms from 200 ms on: the analyser's window still
 * holds what played before a change), with its mode and channels. Sampled for `ms` (a fixed window: what a test
 * asserts must NOT be loud); with `above`, then on until a level above it is seen, up to `timeout` (a bounded
 * wait: on a loaded machine the page's audio can starve for a while; a test asserting sound is present).
 */
function outputOf(
  p: Peer,
  user: string,
  { ms = 1000, above, timeout = 10000 }: { ms?: number; above?: number; timeout?: number } = {},
): Promise<{ peak: number; mode: string; channels: number }> {
  return p.page.evaluate(
    async ([u, window, over, limit]) => {
      type Out = { userId: string; level: number; mode: string; channels: number };
      const g = globalThis as unknown as { __PREVIEW_OUTPUT__: () => Out[] };
      let peak = 0;
      let last: Out | undefined;
      const start = Date.now();
      for (;;) {
        last = g.__PREVIEW_OUTPUT__().find((o) => o.userId === u);
        const t = Date.now() - start - 200;
        if (t >= 0) peak = Math.max(peak, last?.level ?? 0);
        if (t >= window && (over === null || peak > over || t >= limit)) break;
        await new Promise((r) => setTimeout(r, 50)); // a sampling interval
      }
      return { peak, mode: last?.mode ?? '', channels: last?.channels ?? 0 };
    },
    [user, ms, above ?? null, timeout] as const,
  );
}

/** Waits until this page plays `user` in `mode`. */
async function waitForMode(p: Peer, user: string, mode: 'ear' | 'speaker'): Promise<void> {
  await p.page.waitForFunction(
    ([u, m]) =>
      (globalThis as unknown as { __PREVIEW_OUTPUT__: () => Array<{ userId: string; mode: string }> })
        .__PREVIEW_OUTPUT__()
        .some((o) => o.userId === u && o.mode === m),
    [user, mode] as const,
    { timeout: 5000, polling: 50 },
  );
}

/** Sets a property of the harness page (the page's own setData, as the app would). */
function setPageData(p: Peer, data: Record<string, unknown>): Promise<void> {
  return p.page.evaluate((d) => {
    const pages = (
      globalThis as unknown as { getCurrentPages(): Array<{ setData(d: unknown): void }> }
    ).getCurrentPages();
    pages[pages.length - 1].setData(d);
  }, data);
}

/** Calls a method of the page's <webrtc-room>: resolves with {ok} or {code} of the rejection. */
function callRoom(p: Peer, method: string, ...args: unknown[]): Promise<{ ok: boolean; code?: number }> {
  return p.page.evaluate(
    async ([m, a]) => {
      const room = (
        globalThis as unknown as { __room(): Record<string, (...x: unknown[]) => Promise<void>> }
      ).__room();
      try {
        await room[m](...a);
        return { ok: true };
      } catch (e) {
        return { ok: false, code: (e as { code?: number }).code };
      }
    },
    [method, args] as const,
  );
}

const entered = (p: Peer) => p.page.waitForSelector('[data-phase="entered"]', { timeout: 20000 });

/** The loudest volume `user` had in this page's audio_volume events after `since` (WeChat). */
async function volumeOf(p: Peer, user: string, since: number): Promise<number> {
  let v = 0;
  for (const e of (await events(p)) as Ev[]) {
    if (e.tag !== 'audio_volume' || e.t < since) continue;
    for (const x of e.detail.volumes as Array<{ userID: string; volume: number }>)
      if (x.userID === user) v = Math.max(v, x.volume);
  }
  return v;
}

export function describeMedia(platform: 'wx' | 'tt'): void {
  jest.setTimeout(60000);
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(platform);
  }, 60000);
  afterAll(() => h?.close());

  test('sound mode: the earpiece plays a remote far quieter and in mono, the loudspeaker at full', async () => {
    const room = platform === 'wx' ? '&room=9701' : '&room=9702';
    const a = await openPeer(h, 'alice', room, 'harness', 'mic=tone');
    const b = await openPeer(h, 'bob', room, 'harness', 'mic=silent');
    await Promise.all([entered(a), entered(b)]);
    await waitForRemoteAudio(b, 'alice', 20000);
    await b.page.waitForFunction(
      () =>
        (globalThis as unknown as { __PREVIEW_OUTPUT__: () => Array<{ userId: string; level: number }> })
          .__PREVIEW_OUTPUT__()
          .some((o) => o.userId === 'alice' && o.level > 0.1),
      null,
      { timeout: 15000, polling: 50 },
    );
    const speaker = await outputOf(b, 'alice', { above: 0.15 });
    expect(speaker.mode).toBe('speaker');
    expect(speaker.peak).toBeGreaterThan(0.15); // the tone is 0.3
    await setPageData(b, { soundMode: 'ear' });
    await waitForMode(b, 'alice', 'ear');
    // heard at all (a bounded wait), over a generous fixed window for how loud it gets at most
    const ear = await outputOf(b, 'alice', { ms: 2000, above: 0 });
    expect(ear.channels).toBe(1);
    expect(ear.peak).toBeGreaterThan(0);
    expect(ear.peak).toBeLessThan(speaker.peak * 0.2);
    await setPageData(b, { soundMode: 'speaker' });
    await waitForMode(b, 'alice', 'speaker');
    expect((await outputOf(b, 'alice', { above: 0.15 })).peak).toBeGreaterThan(0.15);
    expect([...a.errors, ...b.errors]).toEqual([]);
    await Promise.all([closePeer(a), closePeer(b)]);
  });

  if (platform === 'wx') {
    test('picture-in-picture (push): navigating forward moves the remote view into the floating window, still playing; back brings it home', async () => {
      const a = await openPeer(h, 'pia', '&room=9707', 'harness', 'mic=silent');
      const b = await openPeer(h, 'pib', '&room=9707', 'harness', 'mic=silent');
      await Promise.all([entered(a), entered(b)]);
      await waitForPlaying(b, ['pia']);
      const pipModeIs = (m: string) =>
        b.page.waitForSelector(`wx-live-player[data-preview-pip-mode="${m}"]`, { state: 'attached' });
      await setPageData(b, { pipMode: 'push' });
      await pipModeIs('push');
      const nav = (to: 'forward' | 'back') =>
        b.page.evaluate((d) => {
          const w = (globalThis as unknown as { wx: Record<string, (o: unknown) => void> }).wx;
          if (d === 'forward') w.navigateTo({ url: '/pages/index/index' });
          else w.navigateBack({ delta: 1 });
        }, to);
      await nav('forward');
      expect(await waitForEvent(b, 'pip_enter', { userID: 'pia' })).toMatchObject({
        detail: { userID: 'pia', streamType: 'main' },
      });
      // the same <video> plays on in the floating window while the room page is hidden
      await b.page.waitForFunction(
        () => {
          const v = document.querySelector('#mp-pip video') as HTMLVideoElement | null;
          return !!v && !v.paused && v.videoWidth > 0 && v.offsetWidth > 0;
        },
        null,
        { timeout: 10000, polling: 100 },
      );
      await nav('back');
      await waitForEvent(b, 'pip_leave', { userID: 'pia' });
      expect(await b.page.evaluate(() => document.querySelectorAll('#mp-pip video').length)).toBe(0);
      await waitForPlaying(b, ['pia']);
      // without the mode, navigating forward leaves the view where it is
      await setPageData(b, { pipMode: '' });
      await pipModeIs('');
      await nav('forward');
      await nav('back');
      expect((await events(b)).filter((e) => e.tag === 'pip_enter')).toHaveLength(1);
      expect([...a.errors, ...b.errors]).toEqual([]);
      await Promise.all([closePeer(a), closePeer(b)]);
    });

    test('background music: mixed into what the pusher publishes, with start / progress / complete, then stop ends the events', async () => {
      const a = await openPeer(h, 'amy', '&room=9703', 'harness', 'mic=silent');
      const b = await openPeer(h, 'ben', '&room=9703', 'harness', 'mic=silent');
      await Promise.all([entered(a), entered(b)]);
      await waitForRemoteAudio(b, 'amy', 20000);
      const before = Date.now();
      // the silent microphone: nobody hears amy
      await waitForEvent(b, 'audio_volume', {}, 10000).catch(() => undefined);
      expect(await volumeOf(b, 'amy', 0)).toBeLessThan(5);
      expect(await callRoom(a, 'playBGM', '/_preview/bgm.wav')).toEqual({ ok: true });
      await waitForEvent(a, 'bgm_start');
      const progress = (await waitForEvent(a, 'bgm_progress')) as Ev;
      expect(progress.detail.duration).toBe(4);
      expect(progress.detail.progress).toBeGreaterThan(0);
      // the other page hears it: amy's level there rises
      await b.page.waitForFunction(
        ([since]) =>
          ((globalThis as unknown as { __roomEvents?: Ev[] }).__roomEvents ?? []).some(
            (e) =>
              e.tag === 'audio_volume' &&
              e.t >= since &&
              (e.detail.volumes as Array<{ userID: string; volume: number }>).some(
                (x) => x.userID === 'amy' && x.volume >= 30,
              ),
          ),
        [before] as const,
        { timeout: 10000, polling: 50 },
      );
      await waitForEvent(a, 'bgm_complete', {}, 10000);
      // once more, stopped halfway: no event after the stop, and amy goes quiet again at ben's
      expect(await callRoom(a, 'playBGM', '/_preview/bgm.wav')).toEqual({ ok: true });
      const n = (await events(a)).filter((e) => e.tag === 'bgm_progress').length;
      await a.page.waitForFunction(
        (k) =>
          ((globalThis as unknown as { __roomEvents?: Ev[] }).__roomEvents ?? []).filter(
            (e) => e.tag === 'bgm_progress',
          ).length > k,
        n,
        { timeout: 5000, polling: 50 },
      );
      expect(await callRoom(a, 'stopBGM')).toEqual({ ok: true });
      const stoppedAt = Date.now();
      await b.page.waitForFunction(
        () => {
          const o = (
            globalThis as unknown as { __PREVIEW_OUTPUT__: () => Array<{ userId: string; level: number }> }
          )
            .__PREVIEW_OUTPUT__()
            .find((x) => x.userId === 'amy');
          return !!o && o.level < 0.01;
        },
        null,
        { timeout: 10000, polling: 50 },
      );
      // a progress interval later still nothing
      await a.page.waitForFunction((t) => Date.now() > t + 1500, stoppedAt, { polling: 100 });
      const late = (await events(a)).filter(
        (e) => (e.tag === 'bgm_progress' || e.tag === 'bgm_complete') && (e as Ev).t > stoppedAt + 50,
      );
      expect(late).toEqual([]);
      expect([...a.errors, ...b.errors]).toEqual([]);
      await Promise.all([closePeer(a), closePeer(b)]);
    });

    test('small stream: grid thumbnails play the publisher’s small encoding (~90 px short side); without encsmall the main one', async () => {
      const room = '&room=9706&template=grid';
      const viewer = await openPeer(h, 'vic', room + '&smallStream=1', 'harness', 'mic=silent');
      await entered(viewer);
      const pubs: Peer[] = [];
      // one after the other: the grid orders tiles by join, and the first remote tile plays the main stream
      for (const [u, small] of [
        ['pia', true],
        ['pat', true],
        ['pip', false],
      ] as const) {
        const p = await openPeer(h, u, room + (small ? '&smallStream=1' : ''), 'harness', 'mic=silent');
        await entered(p);
        await viewer.page.waitForSelector(`wx-live-player[data-user-id="${u}"]`, {
          state: 'attached',
          timeout: 15000,
        });
        pubs.push(p);
      }
      const sizes = () =>
        viewer.page.evaluate(() =>
          Object.fromEntries(
            [...document.querySelectorAll('wx-live-player')].map((el) => {
              const v = el.querySelector('video') as HTMLVideoElement;
              const e = el as HTMLElement;
              return [
                e.dataset.userId ?? '',
                { stream: e.dataset.previewStream, short: Math.min(v.videoWidth, v.videoHeight) },
              ];
            }),
          ),
        );
      await viewer.page.waitForFunction(
        () =>
          [...document.querySelectorAll('wx-live-player video')].every(
            (v) => (v as HTMLVideoElement).videoWidth > 0,
          ),
        null,
        { timeout: 20000, polling: 100 },
      );
      // the small encoding settles within a few frames
      await viewer.page.waitForFunction(
        () => {
          const v = document.querySelector(
            'wx-live-player[data-user-id="pat"] video',
          ) as HTMLVideoElement | null;
          return !!v && Math.min(v.videoWidth, v.videoHeight) <= 120;
        },
        null,
        { timeout: 15000, polling: 100 },
      );
      const s = await sizes();
      expect(s.pia.stream).toBe('main');
      expect(s.pat.stream).toBe('small');
      expect(s.pat.short).toBeLessThanOrEqual(90); // 90, or less while the encoder adapts to a busy CPU
      // the main streams (640×480 or 480×640 at the source) stay far larger, even when a busy CPU scales them
      expect(s.pia.short).toBeGreaterThan(2 * s.pat.short);
      expect(s.pip.stream).toBe('small'); // asked for, but pip encodes no small stream: its main one comes
      expect(s.pip.short).toBeGreaterThan(2 * s.pat.short);
      expect([...viewer.errors, ...pubs.flatMap((p) => p.errors)]).toEqual([]);
      await Promise.all([viewer, ...pubs].map(closePeer));
    });

    test('background music: an unreachable or undecodable URL is bgm_error and a -15 rejection', async () => {
      const a = await openPeer(h, 'ann', '&room=9704', 'harness', 'mic=silent');
      await entered(a);
      expect(await callRoom(a, 'playBGM', '/_preview/missing.wav')).toEqual({ ok: false, code: -15 });
      const e1 = (await waitForEvent(a, 'bgm_error')) as Ev;
      expect(String(e1.detail.message)).toContain('HTTP 404');
      expect(await callRoom(a, 'playBGM', '/')).toEqual({ ok: false, code: -15 }); // an HTML page
      await a.page.waitForFunction(
        () =>
          ((globalThis as unknown as { __roomEvents?: Ev[] }).__roomEvents ?? []).filter(
            (e) => e.tag === 'bgm_error',
          ).length === 2,
        null,
        { timeout: 5000, polling: 50 },
      );
      const errs = (await events(a)).filter((e) => e.tag === 'bgm_error');
      expect(String(errs[1].detail.message)).toContain('cannot decode');
      expect((await events(a)).some((e) => e.tag === 'bgm_start')).toBe(false);
      expect(a.errors).toEqual([]);
      await closePeer(a);
    });
  }

  if (platform === 'tt') {
    test('a peer that entered publishing nothing (muted, camera off) is heard once it unmutes', async () => {
      const room = '&room=9708';
      const quiet = await openPeer(h, 'fay', room + '&muted=1&camera=0', 'harness', 'mic=tone');
      const ear = await openPeer(h, 'gus', room, 'harness', 'mic=silent');
      await Promise.all([quiet, ear].map(entered));
      // gus asked for fay's sound on entering; she published nothing, so nothing came
      await ear.page.waitForFunction(
        () =>
          (globalThis as unknown as { __PREVIEW_AUDIO__: () => Promise<Array<{ userId: string }>> })
            .__PREVIEW_AUDIO__()
            .then((rows) => rows.some((r) => r.userId === 'fay')),
        null,
        { timeout: 10000, polling: 100 },
      );
      expect((await remoteAudio(ear, 'fay'))?.live).toBeFalsy();
      // on stage: she unmutes; gus hears her without anyone re-entering
      await setPageData(quiet, { muted: false });
      await waitForRemoteAudio(ear, 'fay', 20000);
      expect([...quiet.errors, ...ear.errors]).toEqual([]);
      await Promise.all([quiet, ear].map(closePeer));
    });

    test('who is speaking: the speakers list from real levels, a peer with a tone has the ring, a silent one not', async () => {
      const room = '&room=9705&states=speaking';
      const talk = await openPeer(h, 'carol', room, 'harness', 'mic=tone');
      const quiet = await openPeer(h, 'dave', room, 'harness', 'mic=silent');
      const ear = await openPeer(h, 'erin', room, 'harness', 'mic=silent');
      await Promise.all([talk, quiet, ear].map(entered));
      const ring = (u: string) => `[class*="wr-tile--remote"][data-user-id="${u}"] [class*="wr-speaking"]`;
      await ear.page.waitForSelector(ring('carol'), { state: 'attached', timeout: 20000 });
      await waitForRemoteAudio(ear, 'dave', 20000);
      // while carol talks, dave never gets the ring (sampled over two seconds)
      const daveRinged = await ear.page.evaluate(async (sel) => {
        for (let i = 0; i < 20; i++) {
          if (document.querySelector(sel)) return true;
          await new Promise((r) => setTimeout(r, 100)); // a sampling interval
        }
        return false;
      }, ring('dave'));
      expect(daveRinged).toBe(false);
      expect(await ear.page.$(ring('carol'))).not.toBeNull();
      // the local user is in the list too: carol's own tile rings on her page, not dave's on his
      await talk.page.waitForSelector('[class*="wr-tile--local"] [class*="wr-speaking"]', {
        state: 'attached',
        timeout: 10000,
      });
      expect(await quiet.page.$('[class*="wr-tile--local"] [class*="wr-speaking"]')).toBeNull();
      // carol stops: the ring goes after the hold
      await setPageData(talk, { muted: true });
      await ear.page.waitForSelector(ring('carol'), { state: 'detached', timeout: 10000 });
      expect([...talk.errors, ...quiet.errors, ...ear.errors]).toEqual([]);
      await Promise.all([talk, quiet, ear].map(closePeer));
    });
  }
}
