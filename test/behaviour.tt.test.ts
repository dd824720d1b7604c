/** The shared behaviour scenarios on Douyin (RtcRoomContext + <rtc-room>). */
import { scenarios } from './behaviour/scenarios';
import { TtDriver } from './behaviour/tt-driver';

let d: TtDriver | null = null;

beforeEach(() => {
  jest.useFakeTimers();
});

afterEach(() => {
  try {
    d?.m.host.detach();
  } catch {
    // already detached or never mounted
  }
  d?.fake.uninstall();
  d = null;
  jest.useRealTimers();
});

describe('behaviour on Douyin', () => {
  for (const s of scenarios) {
    test(s.name, async () => {
      d = new TtDriver();
      await s.run(d);
    });
  }
});
