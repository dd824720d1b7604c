import {
  checkCustomRects,
  checkDisplayProps,
  checkEnterParams,
  checkMediaProps,
  checkRoom,
  checkRoomID,
  checkSdkAppID,
  checkStrRoomID,
  checkUserID,
  roomKey,
  checkSmallView,
  isCssLength,
} from '../utils/core/validate';
import { MEDIA_DEFAULTS } from '../utils/room/props';

describe('userID', () => {
  test.each([
    ['alice', 'wx', true],
    ['a_b-C9', 'wx', true],
    ['x'.repeat(32), 'wx', true],
    ['x'.repeat(33), 'wx', false],
    ['a.b', 'wx', false],
    ['张三', 'wx', false],
    ['a b', 'wx', false],
    ['', 'wx', false],
    ['a@b.c_d-e', 'tt', true],
    ['x'.repeat(128), 'tt', true],
    ['x'.repeat(129), 'tt', false],
    ['a b', 'tt', false],
  ] as const)('%s on %s → %s', (id, platform, ok) => {
    expect(checkUserID(id, platform).ok).toBe(ok);
  });
  test('non-string is rejected with the field', () => {
    expect(checkUserID(42, 'wx')).toMatchObject({
      ok: false,
      error: { field: 'userID', message: expect.stringContaining('required') },
    });
  });
});

describe('roomID', () => {
  test.each([
    [1, 1],
    [4294967294, 4294967294],
    ['1234', 1234],
    [' 77 ', 77],
  ])('%p → %p', (v, n) => expect(checkRoomID(v)).toEqual({ ok: true, value: n }));
  test.each([0, -1, 4294967295, 1.5, '12a', '', NaN, null, {}])('%p is rejected', (v) => {
    const r = checkRoomID(v);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.field).toBe('roomID');
  });
});

describe('strRoomID', () => {
  test('the documented character set passes on WeChat', () => {
    expect(checkStrRoomID('a Z 0!#$%&()+-:;<=.>?@[]^_{}|~,', 'wx').ok).toBe(true);
  });
  test.each(['', 'x'.repeat(65), 'a/b', 'a*b', '房间'])('%p is rejected on WeChat', (v) => {
    expect(checkStrRoomID(v, 'wx').ok).toBe(false);
  });
  test('Douyin room ids follow the Volcengine rule', () => {
    expect(checkStrRoomID('room.1@x', 'tt').ok).toBe(true);
    expect(checkStrRoomID('room 1', 'tt').ok).toBe(false);
  });
});

describe('checkRoom', () => {
  test('both set is an error naming strRoomID', () => {
    expect(checkRoom(12, 'abc', 'wx')).toMatchObject({
      ok: false,
      error: { field: 'strRoomID', message: 'set either roomID or strRoomID, not both' },
    });
  });
  test('neither set names roomID', () => {
    expect(checkRoom(0, '', 'wx')).toMatchObject({
      ok: false,
      error: { field: 'roomID', message: 'roomID or strRoomID is required' },
    });
  });
  test('string room alone', () =>
    expect(checkRoom(0, 'abc', 'wx')).toEqual({ ok: true, value: { strRoomID: 'abc' } }));
  test('roomKey', () => {
    expect(roomKey({ roomID: 12 })).toBe('12');
    expect(roomKey({ strRoomID: 'x' })).toBe('x');
  });
});

describe('sdkAppID', () => {
  test('WeChat wants a positive integer; a numeric string is converted', () => {
    expect(checkSdkAppID(1400000001, 'wx')).toEqual({ ok: true, value: 1400000001 });
    expect(checkSdkAppID('1400000001', 'wx')).toEqual({ ok: true, value: 1400000001 });
    expect(checkSdkAppID(0, 'wx').ok).toBe(false);
    expect(checkSdkAppID('abc', 'wx').ok).toBe(false);
  });
  test('Douyin wants the 24-character Volcengine AppId', () => {
    expect(checkSdkAppID('618a0ef784f0cc00c33bd7fc', 'tt').ok).toBe(true);
    expect(checkSdkAppID(1400000001, 'tt').ok).toBe(false);
    expect(checkSdkAppID('618a0ef784f0cc00c33bd7f', 'tt').ok).toBe(false);
  });
});

describe('checkEnterParams', () => {
  const good = { sdkAppID: 1400000001, userID: 'alice', userSig: 'sig', roomID: '42' };
  test('normalizes and fills defaults', () => {
    expect(checkEnterParams(good, 'wx')).toEqual({
      ok: true,
      value: {
        sdkAppID: 1400000001,
        userID: 'alice',
        userSig: 'sig',
        roomID: 42,
        privateMapKey: '',
        scene: 'rtc',
        role: 'anchor',
      },
    });
  });
  test.each([
    [{ sdkAppID: 0 }, 'sdkAppID'],
    [{ userID: '' }, 'userID'],
    [{ userSig: '  ' }, 'userSig'],
    [{ roomID: 0 }, 'roomID'],
    [{ strRoomID: 'x' }, 'strRoomID'],
    [{ scene: 'meeting' }, 'scene'],
    [{ role: 'host' }, 'role'],
    [{ privateMapKey: 5 }, 'privateMapKey'],
  ])('%p → field %s', (patch, field) => {
    const r = checkEnterParams({ ...good, ...patch }, 'wx');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.field).toBe(field);
  });
});

describe('checkMediaProps', () => {
  test('defaults pass', () => expect(checkMediaProps({})).toBeNull());
  test.each([
    [{ beauty: 10 }, 'beauty'],
    [{ whiteness: -1 }, 'whiteness'],
    [{ aspect: '16:9' }, 'aspect'],
    [{ minBitrate: 0 }, 'minBitrate'],
    [{ minBitrate: 900, maxBitrate: 800 }, 'minBitrate'],
    [{ role: 'viewer' }, 'role'],
  ])('%p → %s', (p, field) => expect(checkMediaProps(p)?.field).toBe(field));
  test("an unset bitrate is checked as the component's default (MEDIA_DEFAULTS): the pair agrees with the room", () => {
    const { minBitrate, maxBitrate } = MEDIA_DEFAULTS;
    expect(checkMediaProps({ minBitrate: maxBitrate })).toBeNull();
    expect(checkMediaProps({ minBitrate: maxBitrate + 1 })?.field).toBe('minBitrate');
    expect(checkMediaProps({ maxBitrate: minBitrate })).toBeNull();
    expect(checkMediaProps({ maxBitrate: minBitrate - 1 })?.field).toBe('minBitrate');
  });
});

describe('checkDisplayProps', () => {
  test('known states and languages pass', () => {
    expect(checkDisplayProps({ states: 'entering, waiting,weak', lang: 'zh-CN' })).toBeNull();
    expect(checkDisplayProps({ states: '', lang: '' })).toBeNull();
  });
  test('an unknown state or language names the field', () => {
    expect(checkDisplayProps({ states: 'entering,sparkles' })).toMatchObject({
      field: 'states',
      message: expect.stringContaining('"sparkles"'),
    });
    expect(checkDisplayProps({ lang: 'fr' })).toMatchObject({ field: 'lang' });
    expect(checkDisplayProps({ states: 3 })).toMatchObject({ field: 'states' });
  });
});

describe('CSS lengths (customRects, smallView*)', () => {
  test('numbers, lengths with a unit, 0 and calc() pass', () => {
    for (const v of [0, 12.5, -3, '0', '30%', '12px', '120rpx', '-2.5em', '.5vw', '4vh', 'calc(100% - 24px)'])
      expect([v, isCssLength(v)]).toEqual([v, true]);
  });
  test('nothing that could add a declaration, no unitless or spaced values, no non-finite numbers', () => {
    for (const v of [
      '10px;display:none',
      'calc(1px);z-index:9',
      '1px 2px',
      ' 30%',
      '30',
      'wide',
      'url(x)',
      '"30%"',
      '',
      NaN,
      Infinity,
      null,
      {},
    ])
      expect([v, isCssLength(v)]).toEqual([v, false]);
  });
  test('smallView*: unset is the default, a bad one names the property', () => {
    expect(checkSmallView('smallViewLeft', undefined)).toEqual({ ok: true, value: '66%' });
    expect(checkSmallView('smallViewHeight', '')).toEqual({ ok: true, value: '30%' });
    expect(checkSmallView('smallViewTop', '12rpx')).toEqual({ ok: true, value: '12rpx' });
    expect(checkSmallView('smallViewTop', 12)).toEqual({ ok: true, value: '12px' });
    expect(checkSmallView('smallViewWidth', '1px;opacity:0')).toMatchObject({
      ok: false,
      error: { field: 'smallViewWidth', message: 'smallViewWidth must be a number (px) or a CSS length' },
    });
  });
});

describe('checkCustomRects', () => {
  test('null, px numbers and CSS strings pass', () => {
    expect(checkCustomRects(null)).toBeNull();
    expect(
      checkCustomRects({ local: { left: 0, top: '10vw', width: '50%', height: 200, zIndex: 2 } }),
    ).toBeNull();
  });
  test('the offending rectangle field is named', () => {
    expect(checkCustomRects([])).toMatchObject({ field: 'customRects' });
    expect(checkCustomRects({ bob: 5 })).toMatchObject({ field: 'customRects.bob' });
    expect(checkCustomRects({ bob: { left: 0, top: 0, width: '', height: 1 } })).toMatchObject({
      field: 'customRects.bob.width',
    });
    expect(checkCustomRects({ bob: { left: 0, top: '0;opacity:0', width: 1, height: 1 } })).toMatchObject({
      field: 'customRects.bob.top',
    });
    expect(checkCustomRects({ bob: { left: 0, top: 0, width: 1, height: 1, zIndex: 'top' } })).toMatchObject({
      field: 'customRects.bob.zIndex',
    });
  });
  test('zIndex is an integer in [-999, 999], as its error says', () => {
    const z = (zIndex: unknown) =>
      checkCustomRects({ bob: { left: 0, top: 0, width: 1, height: 1, zIndex } });
    for (const ok of [-999, -1, 0, 999]) expect(z(ok)).toBeNull();
    for (const bad of [1000, -1000, 1e9, 2.5, Infinity, NaN])
      expect(z(bad)).toMatchObject({
        field: 'customRects.bob.zIndex',
        message: expect.stringContaining('-999'),
      });
  });
});
