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
  /** where this platform's preview is served (`/` for wx, `/tt/` for tt) */
  base: string;
  platform: 'wx' | 'tt';
  contexts: BrowserContext[];
  close(): Promise<void>;
}

/**
 * `opts` (benches): a heartbeat that tolerates a saturated CPU (many pages in one browser miss 500 ms pings and
 * would be dropped as lost), and extra browser flags.
 */
export async function startHarness(
  platform: 'wx' | 'tt' = 'wx',
  opts: { heartbeatMs?: number; heartbeatMisses?: number; args?: string[] } = {},
): Promise<Harness> {
  const executablePath = requireChromium();
  const root = requireDist(platform);
  const out = path.join(REPO, '.build/preview-e2e', platform);
  await buildPreview({ root, out, platform, overlay: path.join(REPO, 'test/fixtures/preview/harness') });
  const server = await startPreviewServer({
    dirs: { [platform]: out },
    emulator: { heartbeatMs: opts.heartbeatMs ?? 500, heartbeatMisses: opts.heartbeatMisses ?? 2 },
  });
  const args = opts.args ? [...CHROMIUM_ARGS, ...opts.args] : CHROMIUM_ARGS;
  const browser = await chromium.launch({ executablePath, args });
  const contexts: BrowserContext[] = [];
  return {
    browser,
    server,
    base: server.url + (platform === 'tt' ? 'tt/' : ''),
    platform,
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
  /** the page's console lines from the start (the component's debug log among them), for pages from openPeer */
  console?: string[];
}

/**
 * Opens a page as `user` in its own browser context (a page in a shared context renders at 2-3 fps).
 * `demo`: the demo room page (`pages/room/index`, debug log on); `harness`: the test harness page.
 * `search`: preview flags on the page address, e.g. `camera=label` (labelled synthetic camera), `deny=camera`.
 * `viewport`: the window's size (a phone's, 360×640, unless given).
 */
export async function openPeer(
  h: Harness,
  user: string,
  query = '',
  kind: 'demo' | 'harness' = 'demo',
  search = '',
  viewport?: { width: number; height: number },
): Promise<Peer> {
  const page = await newPage(h, viewport);
  const errors: string[] = [];
  const lines: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => lines.push(m.text()));
  if (process.env.E2E_DEBUG) page.on('console', (m) => process.stdout.write(`[${user}] ${m.text()}\n`));
  const route =
    kind === 'demo'
      ? `pages/room/index?userID=${encodeURIComponent(user)}&template=grid&debug=1${query}`
      : `pages/harness/index?userID=${encodeURIComponent(user)}${query}`;
  await page.goto(`${h.base}${search ? '?' + search : ''}#/${route}`);
  return { user, page, errors, console: lines };
}

export async function newPage(h: Harness, viewport = { width: 360, height: 640 }): Promise<Page> {
  const ctx = await h.browser.newContext({ viewport });
  h.contexts.push(ctx);
  const page = await ctx.newPage();
  await page.addInitScript(recordLog); // the demo room page's every log line (allLogLines); nothing on others
  return page;
}

/**
 * The demo page's event log (newest first, as it shows it: its ring lists the lines oldest first and its CSS
 * reverses them): `tag code {json detail}` per line.
 */
export function logLines(p: Peer): Promise<string[]> {
  return p.page.evaluate(() =>
    [...document.querySelectorAll('[class$="--log-line"]')].map((e) => e.textContent ?? '').reverse(),
  );
}

/**
 * The lines the page logged since `before` (the count of its full record, `allLogLines(p).length`), newest
 * first: exact however many lines the page's 40-line ring has dropped meanwhile.
 */
export async function logSince(p: Peer, before: number): Promise<string[]> {
  const all = await allLogLines(p);
  return all.slice(0, all.length - before);
}

/**
 * Runs in each page (newPage) before its scripts: every line the demo page logs passes through its
 * `logPatch(line)` (pages/room/index.ts), so the `Page()` the preview runtime installs is wrapped to wrap that
 * method of the page definition; `window.__e2eLog` then holds every line the page ever wrote, oldest first, while
 * the page's ring shows only the last 40. `__e2eLogHooked` says the wrap took (a renamed method would leave the
 * record empty, and every count 0).
 */
function recordLog(): void {
  type Def = Record<string, unknown>;
  const w = window as unknown as { __e2eLog: string[]; __e2eLogHooked: boolean };
  w.__e2eLog = [];
  w.__e2eLogHooked = false;
  let installed: ((def: Def) => unknown) | undefined;
  Object.defineProperty(window, 'Page', {
    configurable: true,
    get: () => installed,
    set(page: (def: Def) => unknown) {
      installed = (def: Def) => {
        const logPatch = def.logPatch;
        if (typeof logPatch === 'function') {
          w.__e2eLogHooked = true;
          def.logPatch = function (this: unknown, line: string): unknown {
            w.__e2eLog.push(line);
            return logPatch.call(this, line);
          };
        }
        return page(def);
      };
    },
  });
}

/**
 * Every line the demo page logged since it loaded, newest first (as `logLines`), not only the 40 its ring still
 * shows: for counting events over a long test. Throws when the recorder did not take (recordLog).
 */
export async function allLogLines(p: Peer): Promise<string[]> {
  const r = await p.page.evaluate(() => {
    const w = window as unknown as { __e2eLog?: string[]; __e2eLogHooked?: boolean };
    return { hooked: w.__e2eLogHooked === true, lines: [...(w.__e2eLog ?? [])].reverse() };
  });
  if (!r.hooked) throw new Error(`${p.user}: the log recorder is not installed (the demo page's logPatch)`);
  return r.lines;
}

/** How many lines the demo page ever logged with this tag (`tag code detail`), over its whole life. */
export async function countLog(p: Peer, tag: string): Promise<number> {
  return (await allLogLines(p)).filter((l) => l.startsWith(tag + ' ')).length;
}

/**
 * Waits until the demo page has logged a RoomEvent with this tag (and code / userID when given): in its full
 * record (recordLog) when the recorder took, so a line the 40-line ring already dropped still counts; in the
 * ring otherwise. Returns the newest such line.
 */
export async function waitForLog(
  p: Peer,
  tag: string,
  match: { code?: number; userID?: string } = {},
  timeout = 15000,
): Promise<string> {
  const h = await p.page.waitForFunction(
    ([t, code, uid]) => {
      const w = window as unknown as { __e2eLog?: string[]; __e2eLogHooked?: boolean };
      const lines = w.__e2eLogHooked
        ? [...(w.__e2eLog ?? [])]
        : [...document.querySelectorAll('[class$="--log-line"]')].map((e) => e.textContent ?? '');
      return lines.reverse().find((l) => {
        const m = /^(\S+) (-?\d+) (.*)$/.exec(l);
        if (!m || m[1] !== t) return false;
        if (code !== null && Number(m[2]) !== code) return false;
        if (uid !== null && !m[3].includes(`"userID":"${uid}"`)) return false;
        return true;
      });
    },
    [tag, match.code ?? null, match.userID ?? null] as const,
    { timeout, polling: 50 },
  );
  return (await h.jsonValue()) as string;
}

export function statusText(p: Peer): Promise<string> {
  return p.page.evaluate(() => document.querySelector('[data-field="status"]')?.textContent ?? '');
}

export async function waitForStatus(p: Peer, re: RegExp, timeout = 15000): Promise<string> {
  await p.page.waitForFunction(
    (src) => new RegExp(src).test(document.querySelector('[data-field="status"]')?.textContent ?? ''),
    re.source,
    { timeout, polling: 50 },
  );
  return statusText(p);
}

/** Clicks a demo control (`data-action` on the room page's buttons). */
export async function action(p: Peer, name: string): Promise<void> {
  await p.page.click(`wx-button[data-action="${name}"]`);
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

/** The user IDs whose remote video is actually playing in this page (a <video> with frames and a live track). */
export function playingUsers(p: Peer): Promise<string[]> {
  return p.page.evaluate(() =>
    [...document.querySelectorAll('wx-live-player, wx-rtc-room[data-role="remote"]')]
      .filter((el) => {
        const v = el.querySelector('video');
        const t = (v?.srcObject as MediaStream | null)?.getVideoTracks()[0];
        return (
          !!v && v.videoWidth > 0 && t?.readyState === 'live' && (el as HTMLElement).offsetParent !== null
        );
      })
      .map((el) => (el as HTMLElement).dataset.userId ?? '')
      .sort(),
  );
}

export async function waitForPlaying(p: Peer, users: string[], timeout = 20000): Promise<void> {
  const want = [...users].sort();
  await p.page.waitForFunction(
    (w) => {
      const got = [...document.querySelectorAll('wx-live-player, wx-rtc-room[data-role="remote"]')]
        .filter((el) => {
          const v = el.querySelector('video');
          // frames arrived and still arrive: a frozen element keeps its videoWidth after its track ended
          const t = (v?.srcObject as MediaStream | null)?.getVideoTracks()[0];
          return (
            !!v && v.videoWidth > 0 && t?.readyState === 'live' && (el as HTMLElement).offsetParent !== null
          );
        })
        .map((el) => (el as HTMLElement).dataset.userId ?? '')
        .sort();
      return JSON.stringify(got) === JSON.stringify(w);
    },
    want,
    { timeout, polling: 50 },
  );
}

export interface VideoProgress {
  /** the element's `__mark` (set by a test that tagged it), '' when untagged */
  mark: string;
  width: number;
  /** still in the page (a re-created native view comes with a new element) */
  attached: boolean;
  /** played past the position it had when sampled */
  advancing: boolean;
}

/**
 * Samples where each remote <video> of the page is now, then waits (up to `timeout`) until every one of them has
 * played past that point: a frozen or a replaced element never does, a playing one does however loaded the
 * machine is. Returns each sampled element's state after the wait (the caller asserts on it).
 */
export async function videoProgress(p: Peer, timeout = 10000): Promise<VideoProgress[]> {
  type Sampled = { __sampled?: Array<{ v: HTMLVideoElement; t0: number }> };
  await p.page.evaluate(() => {
    (globalThis as Sampled).__sampled = [
      ...document.querySelectorAll('wx-live-player video, wx-rtc-room[data-role="remote"] video'),
    ].map((v) => ({ v: v as HTMLVideoElement, t0: (v as HTMLVideoElement).currentTime }));
  });
  await p.page
    .waitForFunction(
      () => ((globalThis as Sampled).__sampled ?? []).every((s) => s.v.currentTime > s.t0),
      null,
      { timeout, polling: 50 },
    )
    .catch(() => undefined); // not within the timeout: the states below say which one did not advance
  return p.page.evaluate(() =>
    ((globalThis as Sampled).__sampled ?? []).map(({ v, t0 }) => ({
      mark: (v as HTMLVideoElement & { __mark?: string }).__mark ?? '',
      width: v.videoWidth,
      attached: v.isConnected,
      advancing: v.currentTime > t0,
    })),
  );
}

/**
 * Waits until `cond()` holds in the test process (the emulator's state), polling every 50 ms for at most `timeout`;
 * then throws, naming `what` was waited for.
 */
export async function until(
  what: string,
  cond: () => boolean | Promise<boolean>,
  timeout = 15000,
): Promise<void> {
  const end = Date.now() + timeout;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`not within ${timeout} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50)); // a polling interval, not a fixed wait for an outcome
  }
}

/** The tiles (remote players) present in the page's DOM, by user ID. */
export function remoteTiles(p: Peer): Promise<string[]> {
  return p.page.evaluate(() =>
    [...document.querySelectorAll('wx-live-player, wx-rtc-room[data-role="remote"]')]
      .map((el) => (el as HTMLElement).dataset.userId ?? '')
      .sort(),
  );
}

export async function click(p: Peer, cls: string): Promise<void> {
  await p.page.click(`wx-button[class$="--${cls}"], wx-button[class*="--${cls} "]`);
}

export interface RemoteAudio {
  /** the element that plays this user's sound is playing, unmuted */
  playing: boolean;
  /** its audio track is live and receiving (not `muted`) */
  live: boolean;
  /** inbound audio bytes (Douyin room audio; null where the preview does not expose them) */
  bytes: number | null;
}

/**
 * How this page plays `user`'s sound: Douyin through the room's own `<audio>` per remote (`__PREVIEW_AUDIO__`),
 * WeChat through the user's `<live-player>`; both leave the page through Web Audio (`__PREVIEW_OUTPUT__`).
 */
export function remoteAudio(p: Peer, user: string): Promise<RemoteAudio | null> {
  return p.page.evaluate(async (u) => {
    type Stats = {
      userId: string;
      bytes: number;
      playing: boolean;
      track: { readyState: string; muted: boolean } | null;
    };
    const g = globalThis as unknown as {
      __PREVIEW_AUDIO__: () => Promise<Stats[]>;
      __PREVIEW_RUNTIME__: { platform: string };
    };
    if (g.__PREVIEW_RUNTIME__.platform === 'tt') {
      const s = (await g.__PREVIEW_AUDIO__()).find((x) => x.userId === u);
      if (!s) return null;
      return {
        playing: s.playing,
        live: s.track?.readyState === 'live' && !s.track.muted,
        bytes: s.bytes,
      };
    }
    const v = document.querySelector(`wx-live-player[data-user-id="${u}"] video`) as HTMLVideoElement | null;
    if (!v) return null;
    const t = (v.srcObject as MediaStream | null)?.getAudioTracks()[0];
    // the player's sound leaves through Web Audio (the preview's AudioOut), its element stays muted
    const out = (
      globalThis as unknown as { __PREVIEW_OUTPUT__: () => Array<{ userId: string; playing: boolean }> }
    )
      .__PREVIEW_OUTPUT__()
      .find((o) => o.userId === u);
    return { playing: !!out?.playing, live: t?.readyState === 'live' && !t.muted, bytes: null };
  }, user);
}

/** Waits until this page plays `user`'s sound live (and, where measurable, audio bytes keep arriving). */
export async function waitForRemoteAudio(p: Peer, user: string, timeout = 10000): Promise<RemoteAudio> {
  const until = Date.now() + timeout;
  let first: RemoteAudio | null = null;
  for (;;) {
    const last = await remoteAudio(p, user);
    if (last?.playing && last.live) {
      if (last.bytes === null) return last;
      if (first?.bytes != null && last.bytes > first.bytes) return last;
      first ??= last;
    }
    if (Date.now() > until) {
      throw new Error(`${p.user} does not play ${user}'s audio: ${JSON.stringify(last)}`);
    }
    await p.page.waitForTimeout(100); // a polling interval, not a fixed wait for an outcome
  }
}

/**
 * In the page, as an app would: a fresh credential from the signing service for `roomID`, signed in as the page
 * is (the preview's `wx.login` / `tt.login` code for its user), handed to the room's `updateUserSig`. 'same' when
 * the service signed the UserSig the room already had (one signed within the same second).
 */
export function renewUserSig(p: Peer, platform: 'wx' | 'tt', roomID: number): Promise<'ok' | 'same'> {
  return p.page.evaluate(
    async ([api, room]) => {
      type Login = { login(o: { success(r: { code: string }): void; fail(e: unknown): void }): void };
      const login = (globalThis as unknown as Record<string, Login>)[api];
      const code = await new Promise<string>((ok, no) =>
        login.login({ success: (x) => ok(x.code), fail: no }),
      );
      const json = { 'content-type': 'application/json' };
      const session = await fetch('/api/login', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ platform: api, code }),
      });
      const { token } = (await session.json()) as { token: string };
      const r = await fetch('/api/credentials', {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${token}` },
        body: JSON.stringify({ platform: api, roomID: room }),
      });
      const c = (await r.json()) as { userSig: string };
      type Room = { updateUserSig(s: string): Promise<void>; data: { userSig: string } };
      const rt = (
        globalThis as unknown as {
          __PREVIEW_RUNTIME__: { stack: Array<{ instance: { selectComponent(s: string): Room } }> };
        }
      ).__PREVIEW_RUNTIME__;
      const el = rt.stack[rt.stack.length - 1].instance.selectComponent('#room');
      const before = el.data.userSig;
      await el.updateUserSig(c.userSig);
      return before === c.userSig ? 'same' : 'ok';
    },
    [platform, roomID] as const,
  );
}
