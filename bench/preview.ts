/**
 * Preview numbers (issue 6): in the browser preview on loopback,
 *   - start() → enter_room (the component's own elapsed time, and wall clock in the page)
 *   - a peer's join (user_join) → its first remote video frame in the other page
 * as the median of several runs, and the room emulator's fan-out cost per event at 2, 8 and 16 peers.
 * `runPreviewBench()` is called by bench/index.ts; `node -r esbuild-register bench/preview.ts` runs it alone.
 */
import { WebSocket } from 'ws';
import { createEmulator, type ServerMessage } from '../emulator';
import { closePeer, openPeer, startHarness, waitForPlaying, type Peer } from '../test/e2e/helpers';

export interface PreviewBenchRow {
  metric: string;
  median: number;
  min: number;
  max: number;
  unit: string;
  runs: number;
}

export interface PreviewBenchResult {
  rows: PreviewBenchRow[];
  table: string;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function row(metric: string, xs: number[], unit: string, digits = 0): PreviewBenchRow {
  const r = (x: number): number => Number(x.toFixed(digits));
  return {
    metric,
    median: r(median(xs)),
    min: r(Math.min(...xs)),
    max: r(Math.max(...xs)),
    unit,
    runs: xs.length,
  };
}

type Ev = { t: number; tag: string; code: number; detail: { userID?: string } };
const roomEvents = (p: Peer): Promise<Ev[]> =>
  p.page.evaluate(() => (globalThis as unknown as { __roomEvents?: Ev[] }).__roomEvents ?? []);

async function browserRuns(runs: number): Promise<PreviewBenchRow[]> {
  const h = await startHarness('wx');
  const own: number[] = [];
  const wall: number[] = [];
  const join: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const room = `&room=${9100 + i}`;
      const a = await openPeer(h, `bench-a${i}`, room, 'harness');
      await a.page.waitForFunction(
        () =>
          (globalThis as unknown as { __roomEvents?: Ev[] }).__roomEvents?.some(
            (e) => e.tag === 'enter_room',
          ),
        null,
        { polling: 10, timeout: 20000 },
      );
      const evs = await roomEvents(a);
      const enter = evs.find((e) => e.tag === 'enter_room')!;
      const startedAt = await a.page.evaluate(
        () => (globalThis as unknown as { __startCalledAt: number }).__startCalledAt,
      );
      own.push(enter.code);
      wall.push(enter.t - startedAt);
      const b = await openPeer(h, `bench-b${i}`, room, 'harness');
      await waitForPlaying(a, [b.user]);
      const joined = (await roomEvents(a)).find((e) => e.tag === 'user_join' && e.detail.userID === b.user)!;
      const frame = await a.page.evaluate(
        (u) =>
          (
            globalThis as unknown as { __previewMarks?: Array<{ what: string; user: string; t: number }> }
          ).__previewMarks?.find((m) => m.what === 'first-frame' && m.user === u)?.t ?? 0,
        b.user,
      );
      join.push(frame - joined.t);
      await Promise.all([closePeer(a), closePeer(b)]);
    }
  } finally {
    await h.close();
  }
  return [
    row('start() → enter_room (component elapsed)', own, 'ms'),
    row('start() → enter_room (page wall clock)', wall, 'ms'),
    row('peer join → first remote frame', join, 'ms'),
  ];
}

/** N peers in one emulator room; one peer toggles its mic `events` times; cost per event. */
async function fanout(peers: number, events: number): Promise<{ serverUs: number; e2eMs: number }> {
  const samples: number[] = [];
  const emu = createEmulator({
    verifyUserSig: () => ({ ok: true }),
    onFanout: ({ ns }) => samples.push(ns),
    heartbeatMs: 60000,
  });
  await emu.listen(0, '127.0.0.1');
  const clients: WebSocket[] = [];
  const counts: number[] = [];
  let waiting: { need: number; got: number; done: () => void } | null = null;
  try {
    for (let i = 0; i < peers; i++) {
      const ws = new WebSocket(emu.url);
      await new Promise((r) => ws.once('open', r));
      counts.push(0);
      ws.on('message', (raw) => {
        const m = JSON.parse(raw.toString()) as ServerMessage;
        if (m.t === 'event' && m.code === 1034 && waiting && i > 0) {
          if (++waiting.got === waiting.need) waiting.done();
        }
      });
      ws.send(
        JSON.stringify({
          t: 'join',
          model: 'trtc',
          sdkAppID: 1,
          roomID: 1,
          userID: `p${i}`,
          userSig: 'x',
          audio: true,
          video: true,
        }),
      );
      clients.push(ws);
    }
    // let the joins settle (everyone has seen everyone)
    await new Promise((r) => setTimeout(r, 100));
    samples.length = 0;
    const e2e: number[] = [];
    for (let k = 0; k < events; k++) {
      const t0 = process.hrtime.bigint();
      await new Promise<void>((resolve) => {
        waiting = { need: peers - 1, got: 0, done: resolve };
        clients[0].send(JSON.stringify({ t: 'update', audio: k % 2 === 1 }));
      });
      e2e.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return { serverUs: median(samples) / 1000, e2eMs: median(e2e) };
  } finally {
    for (const c of clients) c.terminate();
    await emu.close();
  }
}

function format(rows: PreviewBenchRow[]): string {
  const head = ['metric', 'median', 'min', 'max', 'unit', 'runs'];
  const body = rows.map((r) => [
    r.metric,
    String(r.median),
    String(r.min),
    String(r.max),
    r.unit,
    String(r.runs),
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string =>
    '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join(' | ') + ' |';
  return [
    line(head),
    '|' + w.map((n, i) => (i === 0 ? '-'.repeat(n + 2) : '-'.repeat(n + 1) + ':')).join('|') + '|',
    ...body.map(line),
  ].join('\n');
}

export async function runPreviewBench(
  opts: { runs?: number; events?: number } = {},
): Promise<PreviewBenchResult> {
  const runs = opts.runs ?? 5;
  const events = opts.events ?? 200;
  const rows = await browserRuns(runs);
  for (const n of [2, 8, 16]) {
    const server: number[] = [];
    const e2e: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await fanout(n, events);
      server.push(r.serverUs);
      e2e.push(r.e2eMs);
    }
    rows.push(row(`emulator fan-out, ${n} peers: server send loop per event`, server, 'µs', 1));
    rows.push(row(`emulator fan-out, ${n} peers: update → all ${n - 1} others received`, e2e, 'ms', 2));
  }
  return { rows, table: format(rows) };
}

if (require.main === module) {
  runPreviewBench()
    .then((r) => console.log(r.table))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
