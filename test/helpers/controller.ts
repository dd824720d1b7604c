/**
 * A RoomController on a FakeAdapter with a recording host (setData, events), for the tests of the pure room core
 * (jest's timers, fake in those suites).
 */
import { BATCH_WINDOW_MS, RoomController, RoomProps } from '../../utils/room/controller';
import type { RoomEvent } from '../../utils/core/events';
import { WxRoomController } from '../../utils/room/wx-room';
import { FakeAdapter } from './fake-adapter';

export interface ControllerRig {
  adapter: FakeAdapter;
  events: RoomEvent[];
  setData: jest.Mock;
  ctl: RoomController;
}

export function controllerRig(props: RoomProps, platform: 'wx' | 'tt' = 'wx'): ControllerRig {
  const adapter = new FakeAdapter(platform);
  const events: RoomEvent[] = [];
  const setData = jest.fn((_patch: Record<string, unknown>, cb?: () => void) => cb?.());
  // the room each platform's component drives (components/webrtc-room/platform*.ts `Room`)
  const Room = platform === 'wx' ? WxRoomController : RoomController;
  const ctl = new Room(
    adapter,
    {
      setData,
      emit: (e) => events.push(e),
      timers: { setTimeout, clearTimeout: (h) => clearTimeout(h as number) },
      now: () => Date.now(),
      log: () => undefined,
    },
    props,
  );
  adapter.sink = ctl.onAdapterEvent;
  return { adapter, events, setData, ctl };
}

/** Lets pending promises run, then one batch window (or `ms`) of fake time. */
export async function tick(ms = BATCH_WINDOW_MS): Promise<void> {
  await Promise.resolve();
  await Promise.resolve();
  jest.advanceTimersByTime(ms);
  await Promise.resolve();
}
