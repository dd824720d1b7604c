/**
 * Small streams (issue 15): bytes received in a 6-party grid in the browser preview, with and without
 * `enableSmallStream`. One viewer page and five publishing pages (WeChat build, Chromium, fake devices) enter
 * one room, the viewer in the grid template; its received bytes (RTCPeerConnection inbound-rtp bytesReceived
 * over all its subscriptions, `__PREVIEW_NET__.received()`) are counted over a fixed window once it plays every
 * tile of its first grid page (3 remotes; the 2 on the next page play audio only, their video is not pulled),
 * in 3 rounds that alternate without / with (the median run of each mode is shown, and each round's ratio).
 * With the property on, each publisher also encodes its small stream (encsmall: ~90 px short side, 15 fps,
 * 100 kbps) and grid tiles after the first remote play it. The publishers subscribe to nothing
 * (`autoSubscribe` off): every party pulling from every other one means 30 encoders on one machine, more than
 * two cores can run; the viewer receives what any page of the room receives.
 * `runSmallStreamBench()` is called by bench/index.ts; `node -r esbuild-register bench/small-stream.ts` runs it alone.
 */
import { closePeer, openPeer, startHarness, type Harness, type Peer } from '../test/e2e/helpers';

export interface SmallStreamRun {
  smallStream: boolean;
  peers: number;
  windowS: number;
  /** video + audio bytes the viewer received in the window */
  bytes: number;
  videoBytes: number;
  kbps: number;
  /** what the viewer plays: the short side of each remote video, and which stream */
  views: Array<{ userID: string; stream: string; short: number }>;
}

export interface SmallStreamResult {
  /** the median run of each mode (by bytes) */
  off: SmallStreamRun;
  on: SmallStreamRun;
  /** median bytes with / median bytes without */
  ratio: number;
  /** with / without of each round (the modes alternate, so a round shares the machine's load) */
  rounds: number[];
  table: string;
}

type Rx = { video: number; audio: number };
const received = (p: Peer): Promise<Rx> =>
  p.page.evaluate(() =>
    (globalThis as unknown as { __PREVIEW_NET__: { received(): Promise<Rx> } }).__PREVIEW_NET__.received(),
  );

async function oneRun(
  h: Harness,
  smallStream: boolean,
  room: number,
  peers: number,
  windowMs: number,
): Promise<SmallStreamRun> {
  const pages: Peer[] = [];
  const q = `&room=${room}&template=grid${smallStream ? '&smallStream=1' : ''}`;
  try {
    const viewer = await openPeer(h, `ssv${smallStream ? 1 : 0}`, q, 'harness', 'mic=silent');
    await viewer.page.waitForSelector('[data-phase="entered"]', { timeout: 30000 });
    pages.push(viewer);
    for (let i = 1; i < peers; i++) {
      const p = await openPeer(
        h,
        `ss${smallStream ? 1 : 0}-${i}`,
        q + '&autoSubscribe=0',
        'harness',
        'mic=silent',
      );
      await p.page.waitForSelector('[data-phase="entered"]', { timeout: 30000 });
      pages.push(p);
    }
    // the viewer plays every remote of its first grid page
    await viewer.page.waitForFunction(
      (n) => {
        const playing = [...document.querySelectorAll('wx-live-player')].filter(
          (el) => ((el.querySelector('video') as HTMLVideoElement | null)?.videoWidth ?? 0) > 0,
        );
        return playing.length >= n;
      },
      Math.min(peers - 1, 3),
      { timeout: 60000, polling: 200 },
    );
    // bandwidth estimation ramps up over the first seconds of a connection
    await new Promise((r) => setTimeout(r, 4000));
    const before = await received(viewer);
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, windowMs));
    const after = await received(viewer);
    const windowS = (Date.now() - t0) / 1000;
    const video = after.video - before.video;
    const audio = after.audio - before.audio;
    const views = await viewer.page.evaluate(() =>
      [...document.querySelectorAll('wx-live-player')]
        .filter((el) => ((el.querySelector('video') as HTMLVideoElement | null)?.videoWidth ?? 0) > 0)
        .map((el) => {
          const v = el.querySelector('video') as HTMLVideoElement;
          const e = el as HTMLElement;
          return {
            userID: e.dataset.userId ?? '',
            stream: e.dataset.previewStream ?? '',
            short: Math.min(v.videoWidth, v.videoHeight),
          };
        }),
    );
    const bytes = video + audio;
    return {
      smallStream,
      peers,
      windowS: Number(windowS.toFixed(1)),
      bytes,
      videoBytes: video,
      kbps: Math.round((bytes * 8) / 1000 / windowS),
      views,
    };
  } finally {
    await Promise.all(pages.map(closePeer));
  }
}

function format(off: SmallStreamRun, on: SmallStreamRun, ratio: number, rounds: number[]): string {
  const views = (r: SmallStreamRun) => r.views.map((v) => `${v.stream} ${v.short}p`).join(', ') || '–';
  const row = (label: string, r: SmallStreamRun) =>
    `| ${label} | ${Math.round(r.bytes / 1000)} kB | ${r.kbps} kbps | ${views(r)} |`;
  return [
    `| ${off.peers}-party grid, one page, ~${Math.round(off.windowS)} s (median of ${rounds.length}) | bytes received | rate | tiles playing (stream, short side) |`,
    '|---|---|---|---|',
    row('without `enableSmallStream`', off),
    row('with `enableSmallStream`', on),
    `| with / without | ${ratio.toFixed(2)} | per round: ${rounds.map((r) => r.toFixed(2)).join(', ')} | |`,
  ].join('\n');
}

/** The README's figure (both languages): bytes without / with, and the ratio. */
export function smallStreamFigure(r: Pick<SmallStreamResult, 'off' | 'on' | 'ratio' | 'rounds'>): string {
  const kb = (b: number) => `${Math.round(b / 1000)} kB`;
  const rounds = r.rounds.map((x) => x.toFixed(2)).join(', ');
  return `${kb(r.off.bytes)} / ${kb(r.on.bytes)} (${r.ratio.toFixed(2)}×; per round ${rounds})`;
}

const medianRun = (runs: SmallStreamRun[]): SmallStreamRun =>
  [...runs].sort((a, b) => a.bytes - b.bytes)[runs.length >> 1];

export async function runSmallStreamBench(
  opts: { peers?: number; windowMs?: number; rounds?: number } = {},
): Promise<SmallStreamResult> {
  const peers = opts.peers ?? 6;
  const windowMs = opts.windowMs ?? 8000;
  const n = opts.rounds ?? 3;
  // a busy machine: pings answered late must not drop the pages as lost
  const h = await startHarness('wx', { heartbeatMs: 5000, heartbeatMisses: 6 });
  try {
    const offs: SmallStreamRun[] = [];
    const ons: SmallStreamRun[] = [];
    for (let i = 0; i < n; i++) {
      offs.push(await oneRun(h, false, 9600 + 2 * i, peers, windowMs));
      ons.push(await oneRun(h, true, 9601 + 2 * i, peers, windowMs));
    }
    const off = medianRun(offs);
    const on = medianRun(ons);
    const ratio = on.bytes / Math.max(1, off.bytes);
    const rounds = offs.map((o, i) => ons[i].bytes / Math.max(1, o.bytes));
    return { off, on, ratio, rounds, table: format(off, on, ratio, rounds) };
  } finally {
    await h.close();
  }
}

if (require.main === module) {
  runSmallStreamBench()
    .then((r) => console.log(r.table))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
