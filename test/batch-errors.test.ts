import { SetDataBatcher } from '../utils/core/batch';
import { componentError, invalidParam, localizeError, platformMsg } from '../utils/core/errors';
import { ErrorCode, roomError } from '../utils/core/events';
import { checkUserID } from '../utils/core/validate';

describe('SetDataBatcher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function make(derived: () => Record<string, unknown> | null = () => null) {
    const setData = jest.fn((_p: Record<string, unknown>, cb?: () => void) => cb?.());
    const b = new SetDataBatcher(
      setData,
      { setTimeout, clearTimeout: (h) => clearTimeout(h as number) },
      16,
      derived,
    );
    return { b, setData };
  }

  test('everything queued within the window is one setData', () => {
    const { b, setData } = make();
    b.queue({ a: 1 });
    b.queue({ b: 2, a: 3 });
    jest.advanceTimersByTime(15);
    expect(setData).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(setData.mock.calls).toEqual([[{ a: 3, b: 2 }, undefined]]);
  });

  test('flush() sends now with derived data, and runs the callback even when nothing changed', () => {
    let dirty = true;
    const { b, setData } = make(() => (dirty ? ((dirty = false), { view: 1 }) : null));
    const after = jest.fn();
    b.queue({ a: 1 });
    b.flush(after);
    expect(setData.mock.calls[0][0]).toEqual({ a: 1, view: 1 });
    expect(after).toHaveBeenCalledTimes(1);
    b.flush(after);
    expect(setData).toHaveBeenCalledTimes(1);
    expect(after).toHaveBeenCalledTimes(2);
    jest.advanceTimersByTime(100);
    expect(setData).toHaveBeenCalledTimes(1);
  });

  test('close() drops everything and leaves no timer', () => {
    const { b, setData } = make();
    b.queue({ a: 1 });
    b.close();
    b.queue({ b: 2 });
    jest.advanceTimersByTime(100);
    expect(setData).not.toHaveBeenCalled();
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('component errors', () => {
  test('componentError renders English now and keeps the key for later', () => {
    const e = componentError(ErrorCode.ENTER_FAILED, 'enter.timeout', { ms: 15000 }, 0);
    expect(e.detail).toEqual({ message: 'no answer from the room within 15000 ms', rawCode: 0 });
    expect(localizeError(e, 'zh-CN').detail).toEqual({ message: '15000 毫秒内房间无响应', rawCode: 0 });
    expect(localizeError(e, 'en')).toBe(e);
  });

  test("a platform's own text: a translated summary by code, its words in platformMessage", () => {
    const e = roomError(
      ErrorCode.ALREADY_IN_ROOM,
      'joinRtcRoom:fail user a is already in the room r',
      21100,
      { reason: 'permission' },
    );
    expect(localizeError(e, 'zh-CN').detail).toEqual({
      message: '已在房间中',
      platformMessage: 'joinRtcRoom:fail user a is already in the room r',
      rawCode: 21100,
      reason: 'permission',
    });
    const en = localizeError(e, 'en');
    expect(en.detail.message).toBe('already in the room');
    // localizing what is already localized changes nothing (the same object)
    expect(localizeError(en, 'en')).toBe(en);
    expect(platformMsg(12345, 'x')).toEqual({ key: 'warn.platform', params: { text: 'x' } });
  });

  test('invalidParam turns a validation failure into -1 with the field and its key', () => {
    const r = checkUserID('a b', 'wx');
    if (r.ok) throw new Error('expected a failure');
    const e = invalidParam(r.error);
    expect(e.code).toBe(-1);
    expect(e.detail).toEqual({
      field: 'userID',
      rawCode: 0,
      message: 'userID "a b" must be 1-32 letters, digits, "_" or "-"',
    });
    expect(localizeError(e, 'zh-CN').detail.message).toBe('userID "a b" 只能是 1-32 个字母、数字、“_”或“-”');
  });
});
