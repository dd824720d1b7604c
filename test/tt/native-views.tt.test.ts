/**
 * Native view lifecycle on Douyin: the local `<rtc-room mode="camera">` is created once it has a camera to show
 * and then lives as long as the session (or lobby preview) does. A role or camera flip never destroys and
 * re-creates it: while there is nothing to show it is parked out of sight with its capture released
 * (changeVideoCapture 0), so it neither keeps the camera open nor shows a stale frame.
 */
import { nativeAttrs } from '../helpers/mp';
import { settle } from '../behaviour/driver';
import { TtDriver, useTtDriverLifecycle } from '../behaviour/tt-driver';

let d: TtDriver;

useTtDriverLifecycle(() => d);

async function enter(props: Record<string, unknown> = {}) {
  d = new TtDriver();
  await d.enter(props);
}

/** the local <rtc-room>'s node, or null when there is none */
const localNode = () =>
  d.m.room.querySelectorAll('.wr-tile--local .wr-media').map((n: any) => n._exparserNode)[0] ?? null;
const localStyle = () => String(nativeAttrs(d.m.room, 'local-view').style ?? '');
const captures = () => d.fake.ctx.callsOf('changeVideoCapture').map((a) => a.state);

describe('the local rtc-room across role and camera flips', () => {
  test('anchor → audience → anchor: the same view, parked and capture off while audience', async () => {
    await enter();
    const view = localNode();
    expect(view === null).toBe(false);
    expect(localStyle()).toBe('');
    expect(captures()).toEqual([1]);
    d.setProps({ role: 'audience' });
    await settle();
    expect(localNode() === view).toBe(true);
    // out of sight (never display:none: a hidden native view breaks on some hosts) and the camera released
    expect(localStyle()).toContain('opacity:0');
    expect(captures()).toEqual([1, 0]);
    expect(d.local()).toEqual({ camera: false, mic: false, publishing: false });
    d.setProps({ role: 'anchor' });
    await settle();
    expect(localNode() === view).toBe(true);
    expect(localStyle()).toBe('');
    expect(captures()).toEqual([1, 0, 1]);
    expect(d.local()).toEqual({ camera: true, mic: true, publishing: true });
    expect(nativeAttrs(d.m.room, 'local-view')).toMatchObject({ userId: 'alice', mode: 'camera' });
  });

  test('enableCamera off and on in the room keeps the view too', async () => {
    await enter();
    const view = localNode();
    d.setProps({ enableCamera: false });
    await settle();
    expect(localNode() === view).toBe(true);
    expect(localStyle()).toContain('opacity:0');
    expect(captures()).toEqual([1, 0]);
    d.setProps({ enableCamera: true });
    await settle();
    expect(localNode() === view).toBe(true);
    expect(captures()).toEqual([1, 0, 1]);
  });

  test('an audience entry creates no local view until the role becomes anchor; then it stays', async () => {
    await enter({ role: 'audience' });
    expect(localNode() === null).toBe(true);
    d.setProps({ role: 'anchor' });
    await settle();
    const view = localNode();
    expect(view === null).toBe(false);
    d.setProps({ role: 'audience' });
    await settle();
    expect(localNode() === view).toBe(true);
    expect(captures()).toEqual([0, 1, 0]);
  });

  test('the view goes when the session ends; the next session creates it again', async () => {
    await enter();
    const view = localNode();
    d.setProps({ role: 'audience' });
    await settle();
    await d.m.inst.stop();
    await settle();
    expect(localNode() === null).toBe(true);
    expect(d.local()).toMatchObject({ camera: false, mic: false });
    d.setProps({ role: 'anchor' });
    const again = d.start();
    await settle();
    await again;
    await settle();
    expect(localNode() === null).toBe(false);
    expect(localNode() === view).toBe(false);
  });

  test('lobby preview: camera off or audience releases the capture (the view parked), camera back turns it on', async () => {
    d = new TtDriver();
    d.mount();
    await d.m.inst.startPreview();
    await settle();
    const view = localNode();
    expect(captures()).toEqual([1]);
    d.setProps({ enableCamera: false });
    await settle();
    expect(captures()).toEqual([1, 0]);
    expect(localNode() === view).toBe(true);
    expect(localStyle()).toContain('opacity:0');
    d.setProps({ enableCamera: true });
    await settle();
    expect(captures()).toEqual([1, 0, 1]);
    d.setProps({ role: 'audience' });
    await settle();
    expect(captures()).toEqual([1, 0, 1, 0]);
    expect(d.local().camera).toBe(false);
    expect(localNode() === view).toBe(true);
  });

  test('from the lobby preview into the room: one view', async () => {
    d = new TtDriver();
    d.mount();
    await d.m.inst.startPreview();
    await settle();
    const view = localNode();
    expect(view === null).toBe(false);
    const started = d.start();
    await settle();
    await started;
    d.setProps({ role: 'audience' });
    await settle();
    d.setProps({ role: 'anchor' });
    await settle();
    expect(localNode() === view).toBe(true);
  });
});
