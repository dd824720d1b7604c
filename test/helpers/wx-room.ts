/** A WeChat room entered through the real component (pusher 1018), with remote users announced by 1031/1033/1034. */
import { settle } from '../behaviour/driver';
import { installWx, userlist, type WxFake } from './wx-fake';
import { fire, mountRoom, Mounted } from './mp';

export const WX_IDENTITY = { sdkAppID: 1400000001, userID: 'alice', userSig: 'sig-alice', roomID: 1234 };

/** 1031, then 1033 (video) and 1034 (audio) as the client sends them. */
export function announce(m: Mounted, userID: string, media: { video?: boolean; audio?: boolean }): void {
  fire(m.room, '#pusher', 'statechange', { code: 1031, message: userlist([{ userid: userID }]) });
  const playurl = `room://cloud.tencent.com/rtc?userid=${userID}&streamtype=main`;
  if (media.video) {
    fire(m.room, '#pusher', 'statechange', {
      code: 1033,
      message: userlist([{ userid: userID, playurl, streamtype: 'main', hasvideo: true }]),
    });
  }
  if (media.audio) {
    fire(m.room, '#pusher', 'statechange', {
      code: 1034,
      message: userlist([{ userid: userID, hasaudio: true }]),
    });
  }
}

/** Mounts with the identity and `props`, enters, announces `users`; the event log then starts empty. */
export async function enterWx(
  props: Record<string, unknown> = {},
  users: Record<string, { video?: boolean; audio?: boolean }> = {},
  opts: { keepEvents?: boolean } = {},
): Promise<Mounted> {
  const m = mountRoom({ ...WX_IDENTITY, ...props });
  const started = m.inst.start();
  await settle();
  fire(m.room, '#pusher', 'statechange', { code: 1018, message: 'onEnterRoom success, time cost[10]' });
  await started;
  for (const [id, media] of Object.entries(users)) announce(m, id, media);
  await settle();
  if (!opts.keepEvents) m.events.length = 0;
  return m;
}

/**
 * The lobby (a preview, not in the room) whose stopPreview() the page, hidden meanwhile, never answers: mounted
 * with the identity, previewing, hidden, stopPreview() called once and dropped.
 */
export async function previewStopDroppedWhileHidden(wxf: WxFake): Promise<Mounted> {
  const m = mountRoom({ ...WX_IDENTITY });
  await m.inst.startPreview();
  await settle();
  (m.room as any).triggerPageLifeTime('hide');
  wxf.pusher.stopPreview.mockImplementationOnce(() => undefined);
  await m.inst.stopPreview();
  await settle();
  return m;
}

/**
 * The lifecycle the WeChat component test files share: fake timers and a fresh `wx` fake (handed to `setFake`)
 * before each test, the mounted room (`current`) detached and real timers back after it.
 */
export function useWxRoomLifecycle(setFake: (f: WxFake) => void, current: () => Mounted | undefined): void {
  beforeEach(() => {
    jest.useFakeTimers();
    setFake(installWx());
  });
  afterEach(() => {
    current()?.host.detach();
    jest.useRealTimers();
  });
}
