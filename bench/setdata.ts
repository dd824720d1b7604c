/**
 * setData cost of room events: calls and bytes per event at several room sizes, driven through the real
 * RoomController with a recording host and a manual clock (no real timers, fully deterministic).
 */
import type { AdapterEvent, PlatformAdapter } from '../utils/platform/adapter';
import { BATCH_WINDOW_MS, RoomController } from '../utils/room/controller';

class ManualTimers {
  now = 0;
  private seq = 0;
  private queue = new Map<number, { at: number; fn: () => void }>();
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = ++this.seq;
    this.queue.set(id, { at: this.now + ms, fn });
    return id;
  };
  clearTimeout = (h: unknown): void => {
    this.queue.delete(h as number);
  };
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.queue.entries()]
        .filter(([, t]) => t.at <= until)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.queue.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
    }
    this.now = until;
  }
}

function quietAdapter(): PlatformAdapter {
  return {
    platform: 'wx',
    rebuildHiddenPlayers: false,
    checkSupport: () => null,
    ensurePermissions: () => Promise.resolve(),
    maxPlayers: 8,
    enterView: () => ({ pushUrl: 'room://bench', devicePosition: 'front' as const }),
    showVideo: () => undefined,
    enter: () => undefined,
    exit: () => undefined,
    applyLocal: () => undefined,
    switchCamera: () => Promise.resolve(),
    pause: () => undefined,
    resume: () => undefined,
    subscribe: () => undefined,
    updateUserSig: () => Promise.resolve('reenter' as const),
    startPreview: () => undefined,
    stopPreview: () => undefined,
    openSetting: () => Promise.resolve({ camera: true, mic: true }),
    language: () => 'en',
    handleNative: () => undefined,
    destroy: () => undefined,
  };
}

export interface SetDataRow {
  size: number;
  event: string;
  calls: number;
  bytes: number;
  microsPerEvent: number;
}

async function roomOf(size: number) {
  const timers = new ManualTimers();
  const calls: Array<Record<string, unknown>> = [];
  const adapter = quietAdapter();
  const ctl = new RoomController(
    adapter,
    {
      setData: (patch, cb) => {
        calls.push(patch);
        cb?.();
      },
      emit: () => undefined,
      timers,
      now: () => timers.now,
      log: () => undefined,
    },
    { sdkAppID: 1400000001, userID: 'me', userSig: 'sig', roomID: 1, template: 'grid' },
  );
  const started = ctl.start();
  await Promise.resolve();
  await Promise.resolve();
  timers.advance(BATCH_WINDOW_MS);
  ctl.onAdapterEvent({ type: 'entered' });
  await started;
  const send = (evs: AdapterEvent[]) => {
    for (const ev of evs) ctl.onAdapterEvent(ev);
    timers.advance(BATCH_WINDOW_MS);
  };
  for (let i = 0; i < size; i++) send(joinBurst(`user${i}`));
  calls.length = 0;
  return { ctl, calls, send };
}

function joinBurst(userID: string): AdapterEvent[] {
  const url = `room://cloud.tencent.com/rtc?userid=${userID}&streamtype=main`;
  return [
    { type: 'user_join', userID },
    { type: 'video', userID, streamType: 'main', available: true, url },
    { type: 'audio', userID, available: true, url },
  ];
}

const SCENARIOS: Array<[string, (size: number) => AdapterEvent[]]> = [
  ['join (1031+1033+1034)', () => joinBurst('newcomer')],
  ['leave (1032)', (size) => [{ type: 'user_leave', userID: `user${Math.floor(size / 2)}` }]],
  [
    'video off (1033)',
    (size) => [{ type: 'video', userID: `user${size - 1}`, streamType: 'main', available: false }],
  ],
  ['audio off (1034)', (size) => [{ type: 'audio', userID: `user${size - 1}`, available: false }]],
];

export async function runSetDataBench(sizes = [1, 4, 16, 50], repeats = 200): Promise<SetDataRow[]> {
  const rows: SetDataRow[] = [];
  for (const size of sizes) {
    for (const [name, make] of SCENARIOS) {
      const { calls, send } = await roomOf(size);
      send(make(size));
      const bytes = calls.reduce((n, c) => n + JSON.stringify(c).length, 0);
      const count = calls.length;
      // CPU cost: fresh rooms, the same event, many times
      let total = 0;
      for (let r = 0; r < repeats; r++) {
        const room = await roomOf(size);
        const evs = make(size);
        const t0 = process.hrtime.bigint();
        room.send(evs);
        total += Number(process.hrtime.bigint() - t0);
      }
      rows.push({
        size,
        event: name,
        calls: count,
        bytes,
        microsPerEvent: Math.round(total / repeats / 100) / 10,
      });
    }
  }
  return rows;
}
