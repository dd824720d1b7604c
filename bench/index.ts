/**
 * `npm run bench`: setData cost per room event, the shipped size, call timings in the preview on loopback, and
 * the signing service under load (`npm run bench:server` alone). Numbers go into the README.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runSetDataBench } from './setdata';
import { byArea, measureModules, measureSize, SIZE_BUDGETS } from './size';
import { runPreviewBench } from './preview';
import { runSmallStreamBench } from './small-stream';
import { runServerBench } from './server';
import { BEFORE_2945742, runRenderBench } from './render';
import { runSpeakerBench } from './speakers';

const ROOT = path.resolve(__dirname, '..');

function table(headers: string[], rows: Array<Array<string | number>>): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells: Array<string | number>) =>
    '| ' + cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |';
  return [line(headers), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join(
    '\n',
  );
}

async function main(): Promise<void> {
  console.log('## setData per room event (RoomController, grid template)\n');
  const rows = await runSetDataBench();
  console.log(
    table(
      ['users in room', 'event', 'setData calls', 'bytes', 'µs / event'],
      rows.map((r) => [r.size, r.event, r.calls, r.bytes, r.microsPerEvent]),
    ),
  );

  console.log('\n## Audio levels: 16 talking users for a minute (WeChat notifications every 100 ms)\n');
  const sp = await runSpeakerBench(16, 60);
  console.log(
    table(
      ['users', 'notifications / s', 'audio_volume / s', 'speaking flips / s', 'setData / s', 'bytes / s'],
      [
        [
          sp.users,
          sp.notificationsPerSecond,
          sp.audioVolumeEventsPerSecond,
          sp.flipsPerSecond,
          sp.setDataPerSecond,
          sp.bytesPerSecond,
        ],
      ],
    ),
  );

  if (!fs.existsSync(path.join(ROOT, 'dist/wx'))) {
    console.log('\n(dist/ missing: run `npm run build` for the size table)');
  } else {
    console.log('\n## Shipped component package (bundled, minified: components/webrtc-room + templates)\n');
    const sizes = measureSize(ROOT);
    console.log(
      table(
        ['platform', 'kind', 'files', 'raw bytes', 'gzip -9 bytes', 'budget'],
        sizes.map((r) => [
          r.platform,
          r.kind,
          r.files,
          r.raw,
          r.gzip,
          SIZE_BUDGETS[r.kind] === undefined
            ? ''
            : `${Math.round(SIZE_BUDGETS[r.kind])} (${r.gzip <= SIZE_BUDGETS[r.kind] ? 'within' : 'OVER'})`,
        ]),
      ),
    );
    console.log('\n## What the component script (index.js) is made of: minified bytes per area\n');
    const wxModules = await measureModules(ROOT, 'wx');
    const ttModules = await measureModules(ROOT, 'tt');
    const ttAreas = byArea(ttModules);
    console.log(
      table(
        ['area', 'WeChat bytes', 'Douyin bytes'],
        byArea(wxModules).map((a, i) => [a.area, a.bytes, ttAreas[i].bytes]),
      ),
    );
    console.log(
      '\nLargest modules (WeChat): ' +
        wxModules
          .slice(0, 10)
          .map((m) => `${m.module} ${m.bytes}`)
          .join(', '),
    );
    const kb = (platform: string, kind: string) =>
      ((sizes.find((r) => r.platform === platform && r.kind === kind)?.gzip ?? 0) / 1024).toFixed(1);
    const wxOff = Number(kb('wx', 'chat off (total)'));
    const wxRoom = Number(kb('wx', 'room, nothing to report'));
    console.log(
      `\nGoal: WeChat chat off <= 12 KB gzip -> ${wxOff} KB (${wxOff <= 12 ? 'met' : 'NOT met'}; ` +
        `an English room without extras.js and nothing to report ${wxRoom} KB); ` +
        `Douyin chat off ${kb('tt', 'chat off (total)')} KB; chat on: WeChat ${kb('wx', 'chat on (total)')} KB, ` +
        `Douyin ${kb('tt', 'chat on (total)')} KB`,
    );

    console.log(
      '\n## Render storm through the component (simulator, grid, 40 users, 2,500 events, bursts of 5)\n',
    );
    const after = runRenderBench(path.join(ROOT, 'dist/wx'));
    const beforeRoot = process.env.BENCH_BEFORE_ROOT;
    const before = beforeRoot ? runRenderBench(beforeRoot) : BEFORE_2945742;
    const f = (n: number) => n.toFixed(2);
    console.log(
      table(
        ['tree', 'ms / event (wall, median of 3)', 'CPU ms / event (median of 3)'],
        [
          [
            beforeRoot ? `before (${beforeRoot})` : 'before (2945742, recorded)',
            f(before.msPerEvent),
            f(before.cpuMsPerEvent),
          ],
          ['after (dist/wx)', f(after.msPerEvent), f(after.cpuMsPerEvent)],
        ],
      ),
    );
    console.log(
      `\nGoal: >= 2x faster per event -> CPU ${f(before.cpuMsPerEvent / after.cpuMsPerEvent)}x, ` +
        `wall ${f(before.msPerEvent / after.msPerEvent)}x (wall time is noisy on a shared machine)`,
    );
  }

  console.log('\n## Preview on loopback (Chromium, fake devices)\n');
  const { table: previewTable } = await runPreviewBench();
  console.log(previewTable);

  console.log('\n## Small streams: one page of a 6-party grid in the preview (Chromium, fake devices)\n');
  const { table: smallTable } = await runSmallStreamBench();
  console.log(smallTable);

  console.log('\n## Signing service on loopback (autocannon, 50 connections)\n');
  const { table: serverTable } = await runServerBench();
  console.log(serverTable);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
