/**
 * A WeChat session that ends while the page is hidden (kicked 1019 reason≠0, UserSig rejected -100018): the
 * session ends at once (state, events exactly once) and its pusher is stopped now, but a LivePusherContext call
 * on a hidden page may be dropped or fail (shared/reference/wechat-trtc.md §2.6 "exitRoom must not be called while
 * minimised", §4 #2, §5.6): a stop that answered no success is made again on show, with no second event.
 */
import { settle } from './behaviour/driver';
import { type WxFake } from './helpers/wx-fake';
import { fire, Mounted, nativeAttrs, nativeViews } from './helpers/mp';
import { enterWx, previewStopDroppedWhileHidden, useWxRoomLifecycle } from './helpers/wx-room';
import { ENTER_TIMEOUT_MS, RECONNECT_DELAYS } from '../utils/room/controller';

let wxf: WxFake;
let m: Mounted;

useWxRoomLifecycle(
  (f) => (wxf = f),
  () => m,
);

const hide = () => (m.room as any).triggerPageLifeTime('hide');
const show = () => (m.room as any).triggerPageLifeTime('show');

type Outcome = 'answered' | 'dropped' | 'failed';

/** What the hidden page's stop() does: succeed, never answer, or fail. */
function stopWhileHidden(outcome: Outcome): void {
  if (outcome === 'answered') return;
  wxf.pusher.stop.mockImplementationOnce((o: { fail?: (e: unknown) => void }) => {
    if (outcome === 'failed') o.fail?.({ errMsg: 'operateLivePusher:fail page hidden' });
  });
}

const KICKED = [
  {
    tag: 'kicked_out',
    code: 1,
    detail: { reason: 'removed from the room by the server', platformMessage: 'onExitRoom reason[1]' },
  },
  { tag: 'exit_room', code: 1, detail: { reason: 'kicked' } },
];
const REJECTED = [
  {
    tag: 'error',
    code: -9,
    detail: { message: 'credential rejected', rawCode: -100018, platformMessage: 'userSig expired' },
  },
  { tag: 'exit_room', code: -100018, detail: { reason: 'lost' } },
];

describe('the session ends while the page is hidden: at once for the page, its stop made sure of on show', () => {
  test.each([
    ['kick (1019 reason 1)', 'answered', 1, { code: 1019, message: 'onExitRoom reason[1]' }, KICKED],
    ['kick (1019 reason 1)', 'dropped', 2, { code: 1019, message: 'onExitRoom reason[1]' }, KICKED],
    ['kick (1019 reason 1)', 'failed', 2, { code: 1019, message: 'onExitRoom reason[1]' }, KICKED],
    ['-100018 (UserSig rejected)', 'answered', 1, { code: -100018, message: 'userSig expired' }, REJECTED],
    ['-100018 (UserSig rejected)', 'dropped', 2, { code: -100018, message: 'userSig expired' }, REJECTED],
    ['-100018 (UserSig rejected)', 'failed', 2, { code: -100018, message: 'userSig expired' }, REJECTED],
  ] as const)(
    'hidden → %s → show, the stop while hidden %s: %d stop calls',
    async (_n, outcome, stops, code, events) => {
      m = await enterWx({}, { bob: { video: true, audio: true } });
      expect(nativeViews(m.room, 'live-player')).toHaveLength(1);
      hide();
      stopWhileHidden(outcome);
      fire(m.room, '#pusher', 'statechange', code);
      await settle();
      // ended now: the events once, the room idle, its views gone, the pusher asked to stop
      expect(m.events).toEqual(events);
      expect(m.inst.data.phase).toBe('idle');
      expect(nativeAttrs(m.room, 'pusher')).toMatchObject({ url: '', enableCamera: false, enableMic: false });
      expect(nativeViews(m.room, 'live-player')).toHaveLength(0);
      expect(wxf.pusher.stop).toHaveBeenCalledTimes(1);
      // late reports of the ended session change nothing while hidden
      fire(m.room, '#pusher', 'statechange', { code: 1019, message: 'onExitRoom reason[0]' });
      fire(m.room, '#pusher', 'statechange', { code: -1307, message: 'lost' });
      jest.advanceTimersByTime(ENTER_TIMEOUT_MS * 2);
      await settle();
      expect(wxf.pusher.stop).toHaveBeenCalledTimes(1);
      // on show: a stop that answered no success is made again, once; nothing more reaches the page
      show();
      await settle();
      expect(wxf.pusher.stop).toHaveBeenCalledTimes(stops);
      expect(wxf.pusher.stopPreview).toHaveBeenCalledTimes(stops);
      hide();
      show();
      jest.advanceTimersByTime(RECONNECT_DELAYS[0] * 2);
      await settle();
      expect(wxf.pusher.stop).toHaveBeenCalledTimes(stops);
      expect(wxf.pusher.start).toHaveBeenCalledTimes(1);
      expect(m.events).toEqual(events);
      expect(m.inst.data.phase).toBe('idle');
      expect(nativeViews(m.room, 'live-player')).toHaveLength(0);
    },
  );

  test('the stop made again on show fails too: error -15 naming it, once', async () => {
    m = await enterWx();
    hide();
    stopWhileHidden('dropped');
    fire(m.room, '#pusher', 'statechange', { code: 1019, message: 'onExitRoom reason[1]' });
    await settle();
    m.events.length = 0;
    wxf.pusher.stop.mockImplementationOnce((o: { fail?: (e: unknown) => void }) =>
      o.fail?.({ errMsg: 'operateLivePusher:fail busy', errCode: 10004 }),
    );
    show();
    await settle();
    expect(m.events).toEqual([
      {
        tag: 'error',
        code: -15,
        detail: {
          message: 'LivePusherContext.stop failed: operateLivePusher:fail busy',
          rawCode: 10004,
          platformMessage: 'operateLivePusher:fail busy',
        },
      },
    ]);
    expect(m.inst.data.phase).toBe('idle');
  });

  test('stop() on a visible page whose stop fails: exit_room, then error -15 (the devices may be held)', async () => {
    m = await enterWx();
    // the client answers after the call returns
    wxf.pusher.stop.mockImplementationOnce((o: { fail?: (e: unknown) => void }) =>
      setTimeout(() => o.fail?.({ errMsg: 'operateLivePusher:fail busy' }), 0),
    );
    await m.inst.stop();
    jest.advanceTimersByTime(1);
    await settle();
    expect(m.events).toEqual([
      { tag: 'exit_room', code: 0, detail: { reason: 'left' } },
      {
        tag: 'error',
        code: -15,
        detail: {
          message: 'LivePusherContext.stop failed: operateLivePusher:fail busy',
          rawCode: 0,
          platformMessage: 'operateLivePusher:fail busy',
        },
      },
    ]);
  });

  test('a new start() while still hidden after a dropped stop: show stops nothing of the new session', async () => {
    m = await enterWx();
    hide();
    stopWhileHidden('dropped');
    fire(m.room, '#pusher', 'statechange', { code: 1019, message: 'onExitRoom reason[1]' });
    await settle();
    const again = m.inst.start();
    again.catch(() => undefined);
    await settle();
    expect(wxf.pusher.start).toHaveBeenCalledTimes(2);
    show();
    fire(m.room, '#pusher', 'statechange', { code: 1018, message: 'onEnterRoom success, time cost[10]' });
    await expect(again).resolves.toMatchObject({ elapsed: expect.any(Number) });
    await settle();
    expect(wxf.pusher.stop).toHaveBeenCalledTimes(1);
    expect(m.inst.data.phase).toBe('in_room');
  });
});

describe('detached while hidden after the session ended: an unconfirmed stop is made again on detach', () => {
  test.each([
    ['answered', 1, 1],
    ['dropped', 2, 2],
    ['failed', 2, 2],
  ] as const)(
    'the stop while hidden %s: %d stop calls after detach, silently',
    async (outcome, stops, previews) => {
      m = await enterWx();
      hide();
      stopWhileHidden(outcome);
      fire(m.room, '#pusher', 'statechange', { code: 1019, message: 'onExitRoom reason[1]' });
      await settle();
      expect(wxf.pusher.stop).toHaveBeenCalledTimes(1);
      m.events.length = 0;
      // the page goes away without being shown again (a redirect while in the background)
      wxf.pusher.stop.mockImplementationOnce((o: { fail?: (e: unknown) => void }) =>
        o.fail?.({ errMsg: 'operateLivePusher:fail detached' }),
      );
      m.host.detach();
      await settle();
      expect(wxf.pusher.stop).toHaveBeenCalledTimes(stops);
      expect(wxf.pusher.stopPreview).toHaveBeenCalledTimes(previews);
      expect(m.events).toEqual([]);
    },
  );

  test("the lobby's stopPreview dropped while hidden: made again on detach", async () => {
    m = await previewStopDroppedWhileHidden(wxf);
    expect(wxf.pusher.stopPreview).toHaveBeenCalledTimes(1);
    m.host.detach();
    await settle();
    expect(wxf.pusher.stopPreview).toHaveBeenCalledTimes(2);
    expect(wxf.pusher.stop).not.toHaveBeenCalled();
    expect(m.events).toEqual([]);
  });

  test('detached in the room: one stop, no second one', async () => {
    m = await enterWx();
    hide();
    m.host.detach();
    await settle();
    expect(wxf.pusher.stop).toHaveBeenCalledTimes(1);
  });
});

describe('background music while the page is hidden: held and applied on show, in order', () => {
  /** LivePusherContext BGM methods that record each call's arguments and answer success. */
  function bgmApis(): Array<[string, Record<string, unknown>]> {
    const calls: Array<[string, Record<string, unknown>]> = [];
    for (const api of ['playBGM', 'stopBGM', 'pauseBGM', 'resumeBGM', 'setBGMVolume']) {
      (wxf.pusher as any)[api] = jest.fn((o: Record<string, unknown> & { success?: () => void }) => {
        const { success: _s, fail: _f, ...args } = o;
        calls.push([api, args]);
        o.success?.();
      });
    }
    return calls;
  }

  test('playBGM() and setBGMVolume() while hidden: no pusher call until show, then both in order', async () => {
    m = await enterWx();
    const calls = bgmApis();
    hide();
    const played = m.inst.playBGM('https://example.com/a.mp3');
    const volume = m.inst.setBGMVolume(0.5);
    await settle();
    expect(calls).toEqual([]);
    show();
    await expect(played).resolves.toBeUndefined();
    await expect(volume).resolves.toBeUndefined();
    expect(calls).toEqual([
      ['playBGM', { url: 'https://example.com/a.mp3' }],
      ['setBGMVolume', { volume: 0.5 }],
    ]);
    expect(m.events).toEqual([]);
  });

  test('the session ends before show: never played, -14, and no bgm_error after the kick', async () => {
    m = await enterWx();
    const calls = bgmApis();
    hide();
    const played = m.inst.playBGM('https://example.com/a.mp3');
    played.catch(() => undefined);
    fire(m.room, '#pusher', 'statechange', { code: 1019, message: 'onExitRoom reason[1]' });
    await settle();
    await expect(played).rejects.toMatchObject({ code: -14 });
    show();
    await settle();
    expect(calls).toEqual([]);
    expect(m.events.map((e) => e.tag)).toEqual(['kicked_out', 'exit_room']);
  });
});
