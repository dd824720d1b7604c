/** The shared behaviour scenarios on WeChat (live-pusher / live-player). */
import { scenarios } from './behaviour/scenarios';
import { WxDriver } from './behaviour/wx-driver';

let d: WxDriver | null = null;

beforeEach(() => {
  jest.useFakeTimers();
});

afterEach(() => {
  try {
    d?.m.host.detach();
  } catch {
    // already detached or never mounted
  }
  d = null;
  jest.useRealTimers();
});

describe('behaviour on WeChat', () => {
  for (const s of scenarios) {
    test(s.name, async () => {
      d = new WxDriver();
      await s.run(d);
    });
  }
});
