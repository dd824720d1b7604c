/**
 * WeChat context calls the page's pause() / resume() make (LivePusherContext and every LivePlayerContext): a
 * failure is error -15 naming the call with the client's text, never lost; the session stays as it was.
 */
import { settle } from './behaviour/driver';
import { type WxFake } from './helpers/wx-fake';
import { Mounted, mountRoom, nativeViews } from './helpers/mp';
import { enterWx, previewStopDroppedWhileHidden, useWxRoomLifecycle, WX_IDENTITY } from './helpers/wx-room';

let wxf: WxFake;
let m: Mounted;

useWxRoomLifecycle(
  (f) => (wxf = f),
  () => m,
);

type Cb = { fail?: (e: unknown) => void; success?: (e: unknown) => void };
const failWith = (errMsg: string, errCode?: number) => (o: Cb) => o.fail?.({ errMsg, errCode });

const minus15 = (api: string, text: string, rawCode = 0) => ({
  tag: 'error',
  code: -15,
  detail: { message: `${api} failed: ${text}`, rawCode, platformMessage: text },
});

describe('pause() / resume(): a failing context call is error -15, the room goes on', () => {
  test.each(['pause', 'resume'] as const)('LivePusherContext.%s fails', async (op) => {
    m = await enterWx();
    wxf.pusher[op].mockImplementationOnce(failWith(`${op}:fail not pushing`, 10004));
    m.inst[op]();
    await settle();
    expect(m.events).toEqual([minus15(`LivePusherContext.${op}`, `${op}:fail not pushing`, 10004)]);
    expect(m.inst.data.phase).toBe('in_room');
    // the next call works and says nothing
    m.inst[op]();
    await settle();
    expect(wxf.pusher[op]).toHaveBeenCalledTimes(2);
    expect(m.events).toHaveLength(1);
  });

  test.each(['pause', 'resume'] as const)("a remote user's LivePlayerContext.%s fails", async (op) => {
    m = await enterWx({}, { bob: { video: true, audio: true } });
    // bob's player, as the adapter will find it
    const id = String(nativeViews(m.room, 'live-player')[0].id);
    wxf.createLivePlayerContext(id);
    const p = wxf.players.get(id)!;
    p[op].mockImplementationOnce(failWith(`operateLivePlayer:fail ${op}`));
    m.inst[op]();
    await settle();
    expect(p[op]).toHaveBeenCalledTimes(1);
    expect(m.events).toEqual([minus15(`LivePlayerContext.${op}`, `operateLivePlayer:fail ${op}`)]);
    expect(m.inst.data.phase).toBe('in_room');
    expect(m.inst.getRemoteUsers()).toEqual([
      { userID: 'bob', hasVideo: true, hasAudio: true, hasAuxVideo: false },
    ]);
  });

  test('only players that exist are called: a user with nothing to play has no live-player to fail', async () => {
    m = await enterWx({}, { bob: { video: true }, carol: {} });
    const views = nativeViews(m.room, 'live-player').map((v) => String(v.id));
    expect(views).toHaveLength(1);
    expect(m.inst.data.tileCount).toBe(2);
    wxf.createLivePlayerContext.mockClear();
    m.inst.pause();
    m.inst.resume();
    await settle();
    expect(wxf.createLivePlayerContext.mock.calls.map((c) => c[0])).toEqual([...views, ...views]);
    expect(m.events).toEqual([]);
  });

  test('a failure answering after the session ended reaches no one', async () => {
    m = await enterWx();
    let late: ((e: unknown) => void) | undefined;
    wxf.pusher.pause.mockImplementationOnce((o: Cb) => (late = o.fail));
    m.inst.pause();
    await m.inst.stop();
    await settle();
    m.events.length = 0;
    late?.({ errMsg: 'pause:fail stopped' });
    await settle();
    expect(late).toBeDefined();
    expect(m.events).toEqual([]);
    expect(m.inst.data.phase).toBe('idle');
  });
});

describe('the lobby preview: a stopPreview that fails or is dropped does not leave the camera on silently', () => {
  const hide = () => (m.room as any).triggerPageLifeTime('hide');
  const show = () => (m.room as any).triggerPageLifeTime('show');

  test('stopPreview() failing: error -15 naming it (the camera may still be on)', async () => {
    m = mountRoom({ ...WX_IDENTITY });
    await m.inst.startPreview();
    await settle();
    wxf.pusher.stopPreview.mockImplementationOnce((o: Cb) =>
      setTimeout(() => o.fail?.({ errMsg: 'operateLivePusher:fail busy' }), 0),
    );
    await m.inst.stopPreview();
    jest.advanceTimersByTime(1);
    await settle();
    expect(m.events).toEqual([minus15('LivePusherContext.stopPreview', 'operateLivePusher:fail busy')]);
    expect(m.inst.data.phase).toBe('idle');
  });

  test('stopPreview() on a hidden page that never answers: made again on show, once, silently', async () => {
    m = await previewStopDroppedWhileHidden(wxf);
    expect(wxf.pusher.stopPreview).toHaveBeenCalledTimes(1);
    show();
    await settle();
    expect(wxf.pusher.stopPreview).toHaveBeenCalledTimes(2);
    expect(wxf.pusher.stop).not.toHaveBeenCalled();
    hide();
    show();
    expect(wxf.pusher.stopPreview).toHaveBeenCalledTimes(2);
    expect(m.events).toEqual([]);
  });

  test('after a session that pushed (no preview running), a failing stopPreview says nothing', async () => {
    m = await enterWx();
    wxf.pusher.stopPreview.mockImplementation(failWith('operateLivePusher:fail not previewing'));
    await m.inst.stop();
    await settle();
    expect(m.events).toEqual([{ tag: 'exit_room', code: 0, detail: { reason: 'left' } }]);
  });
});
