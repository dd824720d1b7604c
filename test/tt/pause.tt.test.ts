/**
 * pause() / resume() on Douyin, which has no pause: the local capture goes off while paused and comes back on
 * resume. A pause lasts as long as its session: a re-entry (a reconnect, a credential re-entry) enters paused,
 * a pause or resume while entering takes effect once the join answers, and the next session starts unpaused.
 */
import { RECONNECT_DELAYS } from '../../utils/room/controller';
import { settle } from '../behaviour/driver';
import { TtDriver, useTtDriverLifecycle } from '../behaviour/tt-driver';

let d: TtDriver;

useTtDriverLifecycle(() => d);

async function enter(opts: ConstructorParameters<typeof TtDriver>[0] = {}) {
  d = new TtDriver(opts);
  await d.enter();
}

const captureOn = (calls: Array<[string, Record<string, unknown>]>) =>
  calls.filter(([m, a]) => /Capture$/.test(m) && a.state === 1);
const allCalls = () => d.fake.contexts.flatMap((c) => c.calls);
const ON = { camera: true, mic: true, publishing: true };
const OFF = { camera: false, mic: false, publishing: true };

test('a reconnect of a paused session re-enters with the capture off; resume() turns it on', async () => {
  await enter();
  d.m.inst.pause();
  await settle();
  expect(d.local()).toEqual(OFF);
  d.fake.ctx.calls.length = 0;
  d.loseConnection();
  await settle();
  await d.advance(RECONNECT_DELAYS[0]);
  expect(d.events().map((e) => e.tag)).toContain('reconnected');
  expect(d.fake.ctx.callsOf('joinRtcRoom')).toHaveLength(1);
  // the camera never came on: not before the join, not after it
  expect(captureOn(d.fake.ctx.calls)).toEqual([]);
  expect(d.local()).toEqual(OFF);
  d.m.inst.resume();
  await settle();
  expect(d.local()).toEqual(ON);
});

test('a credential re-entry (no updateToken) of a paused session stays paused', async () => {
  await enter({ missing: ['updateToken'] });
  d.m.inst.pause();
  await settle();
  d.fake.ctx.calls.length = 0;
  await d.m.inst.updateUserSig('token-2');
  await d.advance(1000);
  expect(d.fake.ctx.callsOf('joinRtcRoom')).toEqual([expect.objectContaining({ token: 'token-2' })]);
  expect(captureOn(d.fake.ctx.calls)).toEqual([]);
  expect(d.local()).toEqual(OFF);
});

test('pause() while entering: once the join answers the capture is off; resume() turns it on', async () => {
  d = new TtDriver();
  d.fake.holdJoins = 1;
  d.mount();
  const started = d.start();
  await settle();
  expect(d.fake.ctx.callsOf('joinRtcRoom')).toHaveLength(1);
  d.m.inst.pause();
  await settle();
  d.fake.answerJoin();
  await settle();
  await started;
  await settle();
  expect(d.local()).toEqual(OFF);
  d.m.inst.resume();
  await settle();
  expect(d.local()).toEqual(ON);
});

test('pause() then resume() while entering: the capture is on in the room', async () => {
  d = new TtDriver();
  d.fake.holdJoins = 1;
  d.mount();
  const started = d.start();
  await settle();
  d.m.inst.pause();
  d.m.inst.resume();
  await settle();
  d.fake.answerJoin();
  await settle();
  await started;
  await settle();
  expect(d.local()).toEqual(ON);
});

test('a pause ends with its session: after stop(), pause() and start() enter with the capture on', async () => {
  await enter();
  d.m.inst.pause();
  await settle();
  await d.m.inst.stop();
  await settle();
  d.m.inst.pause();
  await settle();
  const started = d.start();
  await settle();
  await started;
  await settle();
  expect(d.local()).toEqual(ON);
  expect(captureOn(allCalls()).length).toBeGreaterThanOrEqual(2);
});

test('a role change while paused changes publishing and visibility at once; the capture waits for resume()', async () => {
  await enter();
  d.m.inst.pause();
  await settle();
  d.setProps({ role: 'audience' });
  await settle();
  // others no longer see an audience member, paused or not
  expect(d.fake.ctx.visible).toBe(false);
  expect(d.local()).toEqual({ camera: false, mic: false, publishing: false });
  d.setProps({ role: 'anchor' });
  await settle();
  expect(d.fake.ctx.visible).toBe(true);
  expect(d.local()).toEqual(OFF);
  d.m.inst.resume();
  await settle();
  expect(d.local()).toEqual(ON);
});
