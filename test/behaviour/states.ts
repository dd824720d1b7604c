/**
 * Issue 7: every visible state renders in every template on both platforms, through the shared drivers
 * (WeChat live-pusher events / Douyin RtcRoomContext fake), and state changes add no setData of their own.
 */
import type { Driver } from './driver';
import { settle } from './driver';
import { TtDriver } from './tt-driver';
import { WxDriver } from './wx-driver';

const TEMPLATES = ['bigsmall', 'float', 'grid', 'custom'];
const RECTS = {
  local: { left: 0, top: 0, width: 100, height: 100 },
  bob: { left: 100, top: 0, width: 100, height: 100 },
};

let d: Driver | null = null;

function make(platform: 'wx' | 'tt'): Driver {
  return platform === 'wx' ? new WxDriver() : new TtDriver();
}

const texts = (sel: string) =>
  d!.m.room.querySelectorAll(sel).map((n: any) => (n.dom.textContent ?? '').trim());

/**
 * One test file per platform (wcc compiles one root per file; toolchain.md S3), same scenarios.
 */
export function defineStateMatrix(platform: 'wx' | 'tt'): void {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    try {
      d?.m.host.detach();
    } catch {
      // already detached
    }
    if (d instanceof TtDriver) d.fake.uninstall();
    d = null;
    jest.useRealTimers();
  });

  for (const template of TEMPLATES) {
    test(`${platform} · ${template}: waiting, camera off, muted, reconnecting, left`, async () => {
      d = make(platform);
      d.mount({
        template,
        customRects: RECTS,
        lang: 'en',
        userID: 'alice',
        states: 'entering,waiting,reconnecting,ended,cameraOff,muted,weak',
      });
      await d.start();
      await settle();
      expect(texts('.wr-banner')).toEqual(['Waiting for others to join']);
      d.remoteJoin('bob', { audio: false, video: false });
      await d.flush();
      expect(texts('.wr-banner')).toEqual([]);
      expect(texts('.wr-tile--remote .wr-initials')).toEqual(['BO']);
      // Douyin cannot tell a muted remote microphone from silence: no remote muted badge there
      expect(texts('.wr-tile--remote .wr-badge--muted')).toEqual(platform === 'tt' ? [] : ['Muted']);
      d.remoteMedia('bob', { video: true, audio: true });
      await d.flush();
      expect(texts('.wr-tile--remote .wr-initials')).toEqual([]);
      expect(texts('.wr-tile--remote .wr-badge')).toEqual([]);
      d.setProps({ muted: true, enableCamera: false });
      await d.flush();
      expect(texts('.wr-tile--local .wr-initials')).toEqual(['AL']);
      expect(texts('.wr-tile--local .wr-badge--muted')).toEqual(['Muted']);
      d.loseConnection();
      await d.flush();
      expect(texts('.wr-banner')).toEqual(['Connection lost, reconnecting…']);
      await d.m.inst.stop();
      await d.flush();
      expect(texts('.wr-banner')).toEqual(['You left the room']);
    });
  }

  test(`${platform}: zh-CN texts, and states="" shows none`, async () => {
    d = make(platform);
    d.mount({ lang: 'zh-CN', states: 'entering,waiting,reconnecting,ended,cameraOff,muted,weak' });
    await d.start();
    await settle();
    expect(texts('.wr-banner')).toEqual(['等待其他人加入']);
    d.setProps({ states: '' });
    await d.flush();
    expect(texts('.wr-banner')).toEqual([]);
  });

  test(`${platform}: a remote joining adds exactly one setData, with or without states on`, async () => {
    for (const states of ['', 'entering,waiting,reconnecting,ended,cameraOff,muted,weak']) {
      d = make(platform);
      d.mount({ states });
      await d.start();
      await settle();
      const spy = jest.spyOn(d.m.inst, 'setData');
      d.remoteJoin('bob', { audio: true, video: false });
      await d.flush();
      expect(spy).toHaveBeenCalledTimes(1);
      d.m.host.detach();
      if (d instanceof TtDriver) d.fake.uninstall();
      d = null;
    }
  });
}
