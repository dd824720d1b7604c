/** The demo's own catalog (pages/i18n.ts): both languages say the same things with the same parameters. */
import { DEMO_CATALOG, demoLang, fmt, reconnectingText } from '../pages/i18n';

const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('zh-CN and en have the same keys and the same {parameters}, and every zh-CN text is translated', () => {
  const en = DEMO_CATALOG.en;
  const zh = DEMO_CATALOG['zh-CN'];
  expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  for (const k of Object.keys(en) as Array<keyof typeof en>) {
    expect({ k, p: params(zh[k]) }).toEqual({ k, p: params(en[k]) });
    if (!/^\{?\w*\}?$/.test(en[k])) expect({ k, same: zh[k] === en[k] }).toEqual({ k, same: false });
  }
});

test("the language switch is the component's: 'zh-CN' / 'en' as given, otherwise the system language", () => {
  expect(demoLang('zh-CN', 'en-US')).toBe('zh-CN');
  expect(demoLang('en', 'zh_CN')).toBe('en');
  expect(demoLang('', 'zh_CN')).toBe('zh-CN');
  expect(demoLang(undefined, 'zh-Hant')).toBe('zh-CN');
  expect(demoLang('', 'en')).toBe('en');
  expect(demoLang('fr', '')).toBe('en');
  expect(fmt(DEMO_CATALOG['zh-CN'].inRoomAfter, { ms: 42 })).toBe('已进房（42 毫秒）');
  expect(fmt('{a} {b}', { a: 1 })).toBe('1 {b}');
});

test('the reconnecting status names a re-entry by its reason and counts the retries', () => {
  const en = DEMO_CATALOG.en;
  expect(reconnectingText(en, 0, { reason: 'credential' })).toBe('rejoining with the new credential…');
  expect(reconnectingText(en, 0, { reason: 'suspended' })).toBe('rejoining after the app was suspended…');
  expect(reconnectingText(en, 2, {})).toBe('reconnecting (attempt 2)…');
  expect(reconnectingText(en, 1, { reason: 'credential' })).toBe('reconnecting (attempt 1)…');
  expect(reconnectingText(DEMO_CATALOG['zh-CN'], 0, null)).toBe('正在重连（第 0 次）…');
});
