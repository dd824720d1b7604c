/**
 * Issue 7 on WeChat: lobby preview, visible room states, permission guide and language, through the real
 * component in miniprogram-simulate.
 */
import { settle } from './behaviour/driver';
import { installWx, userlist, WxFake } from './helpers/wx-fake';
import { fire, mountRoom, Mounted } from './helpers/mp';

const BASE = {
  sdkAppID: 1400000001,
  userID: 'alice_w',
  userSig: 'sig',
  roomID: 7,
  lang: 'en',
  muted: false,
  enableCamera: true,
  states: 'entering,waiting,reconnecting,ended,cameraOff,muted,weak',
};

let wxf: WxFake;
let m: Mounted;

const text = (sel: string) => (m.room.querySelector(sel)?.dom?.textContent ?? '').trim();
const has = (sel: string) => !!m.room.querySelector(sel);

beforeEach(() => {
  jest.useFakeTimers();
  wxf = installWx();
});
afterEach(() => {
  m?.host.detach();
  jest.useRealTimers();
});

async function enter(props: Record<string, unknown> = {}) {
  m = mountRoom({ ...BASE, ...props });
  const p = m.inst.start();
  await settle();
  fire(m.room, '#pusher', 'statechange', { code: 1018, message: '' });
  await p;
  await settle();
}

test('entering shows a spinner banner, alone in the room shows "waiting", with no extra setData', async () => {
  m = mountRoom(BASE);
  const setData = jest.spyOn(m.inst, 'setData');
  const p = m.inst.start();
  await settle();
  expect(text('.wr-banner--entering')).toBe('Joining…');
  expect(has('.wr-spinner')).toBe(true);
  fire(m.room, '#pusher', 'statechange', { code: 1018, message: '' });
  await p;
  await settle();
  expect(text('.wr-banner--waiting')).toBe('Waiting for others to join');
  // entering: one call (phase, push URL, devices on); entered: one call (phase)
  expect(setData.mock.calls.map((c) => Object.keys(c[0] as object).sort())).toEqual([
    ['devicePosition', 'phase', 'pusher.enableCamera', 'pusher.enableMic', 'pusher.url'],
    ['phase'],
  ]);
  fire(m.room, '#pusher', 'statechange', { code: 1031, message: userlist([{ userid: 'bob' }]) });
  await settle();
  expect(has('.wr-banner')).toBe(false);
});

test('remote camera off shows initials, no audio shows the muted badge; local muted/camera off too', async () => {
  await enter();
  fire(m.room, '#pusher', 'statechange', { code: 1031, message: userlist([{ userid: 'bob' }]) });
  await settle();
  const all = (sel: string) => m.room.querySelectorAll(sel).map((n: any) => n.dom.textContent);
  expect(all('.wr-initials')).toEqual(['BO']);
  expect(all('.wr-badge--muted')).toEqual(['Muted']);
  fire(m.room, '#pusher', 'statechange', {
    code: 1033,
    message: userlist([{ userid: 'bob', hasvideo: true }]),
  });
  fire(m.room, '#pusher', 'statechange', {
    code: 1034,
    message: userlist([{ userid: 'bob', hasaudio: true }]),
  });
  await settle();
  expect(all('.wr-initials')).toEqual([]);
  expect(all('.wr-badge--muted')).toEqual([]);
  m.setProps({ muted: true, enableCamera: false });
  await settle();
  expect(all('.wr-initials')).toEqual(['AW']);
  expect(all('.wr-badge--muted')).toEqual(['Muted']);
});

test('weak network badge follows net_status quality, for remote and local', async () => {
  await enter();
  fire(m.room, '#pusher', 'statechange', { code: 1031, message: userlist([{ userid: 'bob' }]) });
  fire(m.room, '#pusher', 'statechange', { code: 1034, message: userlist([{ userid: 'bob', hasaudio: 1 }]) });
  await settle();
  fire(m.room, '#player-0', 'netstatus', { info: { netSpeed: 100, netJitter: 400 } });
  fire(m.room, '#pusher', 'netstatus', { info: { netSpeed: 0, videoBitrate: 0, audioBitrate: 0 } });
  await settle();
  const weak = () => m.room.querySelectorAll('.wr-badge--weak').map((n: any) => n.dom.textContent);
  expect(weak()).toEqual(['Weak network', 'Weak network']);
  jest.advanceTimersByTime(1000);
  fire(m.room, '#player-0', 'netstatus', { info: { netSpeed: 900, netJitter: 5 } });
  await settle();
  expect(weak()).toEqual(['Weak network']);
});

test('reconnecting banner, then kicked message after a kick; each state can be turned off', async () => {
  await enter();
  fire(m.room, '#pusher', 'statechange', { code: -1307, message: '' });
  await settle();
  expect(text('.wr-banner--reconnecting')).toBe('Connection lost, reconnecting…');
  jest.advanceTimersByTime(1000);
  fire(m.room, '#pusher', 'statechange', { code: 1018, message: '' });
  fire(m.room, '#pusher', 'statechange', { code: 1019, message: 'onExitRoom reason[1]' });
  await settle();
  expect(text('.wr-banner--kicked')).toBe('You were removed from the room');
  m.setProps({ states: 'entering' });
  await settle();
  expect(has('.wr-banner')).toBe(false);
});

test('stop() shows "you left"; states="" shows nothing at all', async () => {
  await enter();
  await m.inst.stop();
  await settle();
  expect(text('.wr-banner--left')).toBe('You left the room');
  m.host.detach();
  await enter({ states: '', enableCamera: false });
  expect(has('.wr-banner')).toBe(false);
  expect(has('.wr-initials')).toBe(false);
});

test('language switch changes the visible text and later messages', async () => {
  await enter();
  expect(text('.wr-banner--waiting')).toBe('Waiting for others to join');
  m.setProps({ lang: 'zh-CN' });
  await settle();
  expect(text('.wr-banner--waiting')).toBe('等待其他人加入');
  m.events.length = 0;
  fire(m.room, '#pusher', 'error', { errCode: 10001, errMsg: '' });
  expect(m.events[0]).toEqual({
    tag: 'error',
    code: -7,
    detail: { message: '摄像头权限被拒绝', rawCode: 10001, reason: 'permission' },
  });
});

test('permission denied → guide → settings granted → entered', async () => {
  wxf.authSetting = {};
  wxf.deny.add('scope.camera');
  m = mountRoom(BASE);
  const first = m.inst.start();
  await settle();
  await expect(first).rejects.toMatchObject({ code: -7 });
  await settle();
  expect(text('.wr-guide__title')).toBe('Camera and microphone needed');
  const openSetting = jest.fn((o: { success: (r: unknown) => void }) =>
    o.success({ authSetting: { 'scope.camera': true, 'scope.record': true } }),
  );
  (globalThis as any).wx.openSetting = openSetting;
  wxf.deny.clear();
  wxf.authSetting = { 'scope.camera': true, 'scope.record': true };
  m.room.querySelector('.wr-guide__open').dispatchEvent('tap');
  await settle();
  expect(openSetting).toHaveBeenCalledTimes(1);
  expect(has('.wr-guide')).toBe(false);
  expect(wxf.pusher.start).toHaveBeenCalledTimes(1);
  fire(m.room, '#pusher', 'statechange', { code: 1018, message: '' });
  await settle();
  expect(m.events.map((e) => e.tag)).toEqual(['error', 'permission_granted', 'enter_room']);
  expect(m.events[1]).toEqual({ tag: 'permission_granted', code: 0, detail: {} });
});

test('camera taken back in the room (binderror 10001): the guide, then a grant in settings is permission_granted, no re-entry', async () => {
  await enter();
  m.events.length = 0;
  fire(m.room, '#pusher', 'error', { errCode: 10001, errMsg: 'camera refused' });
  await settle();
  expect(text('.wr-guide__title')).toBe('Camera and microphone needed');
  (globalThis as any).wx.openSetting = (o: { success: (r: unknown) => void }) =>
    o.success({ authSetting: { 'scope.camera': true, 'scope.record': true } });
  m.room.querySelector('.wr-guide__open').dispatchEvent('tap');
  await settle();
  expect(has('.wr-guide')).toBe(false);
  expect(m.events.map((e) => [e.tag, e.code])).toEqual([
    ['error', -7],
    ['permission_granted', 0],
  ]);
  expect(wxf.pusher.start).toHaveBeenCalledTimes(1);
});

test('a settings page that grants nothing is no permission_granted', async () => {
  await enter();
  m.events.length = 0;
  fire(m.room, '#pusher', 'error', { errCode: 10001, errMsg: '' });
  await settle();
  (globalThis as any).wx.openSetting = (o: { success: (r: unknown) => void }) =>
    o.success({ authSetting: { 'scope.camera': false, 'scope.record': true } });
  m.room.querySelector('.wr-guide__open').dispatchEvent('tap');
  await settle();
  expect(m.events.map((e) => e.tag)).toEqual(['error']);
  expect(has('.wr-guide')).toBe(true);
});

test('the guide can be dismissed, and turned off with permissionGuide=false (the event is still emitted)', async () => {
  wxf.authSetting = {};
  wxf.deny.add('scope.record');
  m = mountRoom({ ...BASE, permissionGuide: true });
  await m.inst.start().catch(() => undefined);
  await settle();
  m.room.querySelector('.wr-guide__dismiss').dispatchEvent('tap');
  await settle();
  expect(has('.wr-guide')).toBe(false);
  m.setProps({ permissionGuide: false });
  await m.inst.start().catch(() => undefined);
  await settle();
  expect(has('.wr-guide')).toBe(false);
  expect(m.events.filter((e) => e.code === -7)).toHaveLength(2);
});

test('lobby preview → start keeps the same local view; stop after preview-only is harmless', async () => {
  m = mountRoom(BASE);
  const pusherNode = m.room.querySelector('#pusher')._exparserNode;
  await m.inst.startPreview();
  await settle();
  expect(wxf.pusher.startPreview).toHaveBeenCalledTimes(1);
  expect(m.inst.data.phase).toBe('preview');
  await m.inst.stop();
  await settle();
  expect(wxf.pusher.stopPreview).toHaveBeenCalledTimes(1);
  expect(m.events).toEqual([]);
  await m.inst.startPreview();
  const p = m.inst.start();
  await settle();
  fire(m.room, '#pusher', 'statechange', { code: 1018, message: '' });
  await p;
  expect(wxf.pusher.start).toHaveBeenCalledTimes(1);
  expect(wxf.pusher.stopPreview).toHaveBeenCalledTimes(1);
  expect(m.room.querySelector('#pusher')._exparserNode).toBe(pusherNode);
  expect(m.events.map((e) => e.tag)).toEqual(['enter_room']);
});

test('lobby preview: the camera frontCamera asks for', async () => {
  m = mountRoom({ ...BASE, frontCamera: false });
  await m.inst.startPreview();
  await settle();
  expect(m.inst.data.devicePosition).toBe('back');
});

test('the local muted badge: an anchor who will join muted sees it in the lobby; an audience member never', async () => {
  m = mountRoom({ ...BASE, muted: true });
  await m.inst.startPreview();
  await settle();
  const badges = () =>
    m.room.querySelectorAll('.wr-tile--local .wr-badge--muted').map((n: any) => n.dom.textContent);
  expect(badges()).toEqual(['Muted']);
  m.setProps({ muted: false });
  await settle();
  expect(badges()).toEqual([]);
  m.host.detach();
  await enter({ muted: true, role: 'audience' });
  expect(badges()).toEqual([]);
});

test('an unknown state name or language is error -1 naming the field', async () => {
  await enter();
  m.events.length = 0;
  m.setProps({ states: 'entering,sparkles' });
  m.setProps({ lang: 'fr' });
  await settle();
  expect(m.events.map((e) => [e.tag, e.code, e.detail.field])).toEqual([
    ['error', -1, 'states'],
    ['error', -1, 'lang'],
  ]);
});

test('a malformed customRects is error -1 naming the rectangle field', async () => {
  await enter({ template: 'custom', customRects: { local: { left: 0, top: 0, width: 100, height: 100 } } });
  m.events.length = 0;
  m.setProps({ customRects: { bob: { left: 0, top: 0, width: 'wide', height: null } } });
  await settle();
  expect(m.events).toEqual([
    {
      tag: 'error',
      code: -1,
      detail: {
        field: 'customRects.bob.width',
        rawCode: 0,
        message: 'customRects.bob.width must be a number (px) or a CSS length',
      },
    },
  ]);
});

test('a customRects string that is not a CSS length never reaches a style (no added declarations)', async () => {
  await enter({ template: 'custom', customRects: { local: { left: 0, top: 0, width: 100, height: 100 } } });
  const style = () => m.room.querySelector('.wr-tile--local').dom.getAttribute('style') as string;
  const before = style();
  m.events.length = 0;
  for (const left of ['0;display:none', '10px; opacity: 0', '30', 'url(x)', 'calc(1px);z-index:9'])
    m.setProps({ customRects: { local: { left, top: 0, width: 100, height: 100 } } });
  await settle();
  expect(m.events.map((e) => [e.tag, e.code, e.detail.field])).toEqual(
    Array(5).fill(['error', -1, 'customRects.local.left']),
  );
  expect(style()).toBe(before);
  m.setProps({
    customRects: { local: { left: 'calc(100% - 24px)', top: '2vh', width: '50%', height: '12vw' } },
  });
  await settle();
  expect(m.events).toHaveLength(5);
  expect(style()).toMatch(/^left:calc\(100% - 24px\);top:2vh;width:50%;height:12vw;/);
});

describe('smallView*: only CSS lengths reach the local view', () => {
  const style = () => m.room.querySelector('.wr-tile--local').dom.getAttribute('style') as string;
  async function withRemote(props: Record<string, unknown>) {
    await enter(props);
    fire(m.room, '#pusher', 'statechange', { code: 1031, message: userlist([{ userid: 'bob' }]) });
    await settle();
  }

  test('a bad value at attach is error -1 naming it, and the default is used', async () => {
    await withRemote({ smallViewLeft: '10px;display:none', smallViewTop: '8%' });
    expect(m.events.filter((e) => e.tag === 'error')).toEqual([
      {
        tag: 'error',
        code: -1,
        detail: {
          field: 'smallViewLeft',
          rawCode: 0,
          message: 'smallViewLeft must be a number (px) or a CSS length',
        },
      },
    ]);
    expect(style()).toMatch(/^left:66%;top:8%;width:30%;height:30%;/);
  });

  test('a change applies; a bad change is error -1 and keeps the last good value; unset is the default', async () => {
    // the host binds only the properties it mounts with
    await withRemote({ smallViewTop: '4%', smallViewWidth: '30%', smallViewHeight: '30%' });
    m.events.length = 0;
    m.setProps({ smallViewWidth: '12vw', smallViewHeight: 'calc(30% + 10px)' });
    await settle();
    expect(style()).toMatch(/^left:66%;top:4%;width:12vw;height:calc\(30% \+ 10px\);/);
    m.setProps({ smallViewWidth: 'wide' });
    await settle();
    expect(m.events.map((e) => [e.tag, e.code, e.detail.field])).toEqual([['error', -1, 'smallViewWidth']]);
    expect(style()).toMatch(/width:12vw;/);
    // the same bad value again is no new change; another property's change does not repeat the error
    m.setProps({ smallViewTop: '6%' });
    await settle();
    expect(m.events).toHaveLength(1);
    expect(style()).toMatch(/^left:66%;top:6%;width:12vw;/);
    m.setProps({ smallViewWidth: '' });
    await settle();
    expect(style()).toMatch(/width:30%;/);
  });
});

test('an unknown state name or language given at attach is error -1 naming the field', () => {
  m = mountRoom({ ...BASE, states: 'entering,sparkles', lang: 'fr' });
  expect(m.events.map((e) => [e.tag, e.code, e.detail.field])).toEqual([['error', -1, 'states']]);
  m.host.detach();
  m = mountRoom({ ...BASE, lang: 'fr' });
  expect(m.events.map((e) => [e.tag, e.code, e.detail.field])).toEqual([['error', -1, 'lang']]);
});
