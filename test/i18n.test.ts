import { CATALOG, LANGS, normalizeLang, t, uiTexts } from '../utils/core/i18n';
import { RoomController, RoomProps } from '../utils/room/controller';
import { FakeAdapter } from './helpers/fake-adapter';
import type { RoomEvent } from '../utils/core/events';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('zh-CN and en have the same keys and the same placeholders', () => {
  const en = CATALOG.en;
  const zh = CATALOG['zh-CN'];
  expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  for (const k of Object.keys(en) as Array<keyof typeof en>) {
    expect([k, placeholders(zh[k])]).toEqual([k, placeholders(en[k])]);
    expect(zh[k].trim()).not.toBe('');
  }
  expect(LANGS).toEqual(['zh-CN', 'en']);
});

test('language normalization and interpolation', () => {
  expect(normalizeLang('zh_CN')).toBe('zh-CN');
  expect(normalizeLang('zh-Hant')).toBe('zh-CN');
  expect(normalizeLang('en-US')).toBe('en');
  expect(normalizeLang(undefined)).toBe('en');
  expect(t('en', 'support.sdk', { version: '2.9.0', min: '2.10.0' })).toBe(
    'base library 2.9.0 is older than 2.10.0',
  );
  expect(t('zh-CN', 'support.sdk', { version: '2.9.0', min: '2.10.0' })).toBe('基础库 2.9.0 低于 2.10.0');
  expect(uiTexts('zh-CN').entering).toBe('正在进入房间…');
  expect(uiTexts('en').permissionOpen).toBe('Open settings');
});

describe('RoomEvent messages follow lang', () => {
  let events: RoomEvent[];
  let setData: jest.Mock;
  function make(props: RoomProps, systemLanguage = 'en') {
    const adapter = new FakeAdapter('wx');
    adapter.systemLanguage = systemLanguage;
    events = [];
    setData = jest.fn((_p: Record<string, unknown>, cb?: () => void) => cb?.());
    const ctl = new RoomController(
      adapter,
      {
        setData,
        emit: (e) => events.push(e),
        timers: { setTimeout, clearTimeout: (h) => clearTimeout(h as number) },
        now: () => 0,
        log: () => undefined,
      },
      props,
    );
    adapter.sink = ctl.onAdapterEvent;
    return { ctl, adapter };
  }
  const base: RoomProps = { sdkAppID: 1400000001, userID: 'bad id', userSig: 's', roomID: 1 };

  test('the system language is the default; lang overrides it; the rejection carries the same message', async () => {
    const { ctl } = make(base, 'zh_CN');
    const err = await ctl.start().catch((e) => e);
    expect(events[0]).toEqual({
      tag: 'error',
      code: -1,
      detail: { field: 'userID', rawCode: 0, message: 'userID "bad id" 只能是 1-32 个字母、数字、“_”或“-”' },
    });
    expect(err.detail).toEqual(events[0].detail);
    const en = make({ ...base, lang: 'en' }, 'zh_CN');
    await en.ctl.start().catch(() => undefined);
    expect(events[0].detail).toMatchObject({
      message: 'userID "bad id" must be 1-32 letters, digits, "_" or "-"',
    });
  });

  test('switching lang at run time changes the visible texts (one key) and later messages', async () => {
    jest.useFakeTimers();
    const { ctl, adapter } = make({ ...base, userID: 'alice', lang: 'en' });
    jest.advanceTimersByTime(20);
    expect(setData.mock.calls[0][0].texts.waiting).toBe('Waiting for others to join');
    setData.mockClear();
    ctl.setProps({ ...base, userID: 'alice', lang: 'zh-CN' });
    jest.advanceTimersByTime(20);
    expect(setData).toHaveBeenCalledTimes(1);
    expect(Object.keys(setData.mock.calls[0][0])).toEqual(['texts']);
    expect(setData.mock.calls[0][0].texts.waiting).toBe('等待其他人加入');
    const p = ctl.start();
    await Promise.resolve();
    await Promise.resolve();
    jest.advanceTimersByTime(20);
    adapter.emit({
      type: 'enter_failed',
      code: -9,
      rawCode: -100018,
      message: 'onEnterRoom failed, error code[-100018]',
    });
    await p.catch(() => undefined);
    expect(events.pop()?.detail).toMatchObject({
      message: '凭证被拒绝',
      platformMessage: 'onEnterRoom failed, error code[-100018]',
    });
    // entering again: warnings of the running session reach the page in the new language
    void ctl.start().catch(() => undefined);
    await Promise.resolve();
    await Promise.resolve();
    adapter.emit({
      type: 'warning',
      rawCode: 1031,
      message: 'x',
      i18n: { key: 'warn.malformed.json', params: { code: 1031 } },
    });
    expect(events.pop()).toEqual({
      tag: 'warning',
      code: 1031,
      detail: { message: '1031 事件内容格式错误：不是 JSON' },
    });
    jest.useRealTimers();
  });
});
