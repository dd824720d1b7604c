import { ErrorCode } from '../../utils/core/events';
import { mapTtError, thrownToFailure, TT_ERROR_CODES } from '../../utils/platform/tt/errors';

describe('mapTtError: the documented errNo / errorCode table', () => {
  const table: Array<[number, number, string | undefined]> = [
    [10200, ErrorCode.PERMISSION_DENIED, 'permission'],
    [115990, ErrorCode.PERMISSION_DENIED, 'permission'],
    [10201, ErrorCode.PERMISSION_DENIED, 'privacy'],
    [10202, ErrorCode.PERMISSION_DENIED, 'privacy_undeclared'],
    [20000, ErrorCode.INVALID_PARAM, undefined],
    [115999, ErrorCode.INVALID_PARAM, undefined],
    [21101, ErrorCode.CREDENTIAL_REJECTED, undefined],
    [115902, ErrorCode.CREDENTIAL_REJECTED, undefined],
    [21102, ErrorCode.ENTER_FAILED, undefined],
    [115903, ErrorCode.ENTER_FAILED, undefined],
    [21100, ErrorCode.ALREADY_IN_ROOM, undefined],
    [115901, ErrorCode.ALREADY_IN_ROOM, undefined],
    [115910, ErrorCode.ENGINE_DESTROYED, undefined],
    [116183, ErrorCode.NOT_SUPPORTED, undefined],
    [10101, ErrorCode.NOT_SUPPORTED, undefined],
    [21200, ErrorCode.NOT_SUPPORTED, undefined],
    [21301, ErrorCode.NOT_SUPPORTED, undefined],
  ];
  test.each(table)('errNo %i → %i (%s)', (errNo, code, reason) => {
    const m = mapTtError({ errNo, errMsg: `x:fail ${errNo}` });
    expect(m.code).toBe(code);
    expect(m.rawCode).toBe(errNo);
    expect(m.message).toBe(`x:fail ${errNo}`);
    expect(m.reason).toBe(reason);
  });

  test('the table has exactly the issue codes', () => {
    expect(Object.keys(TT_ERROR_CODES).map(Number).sort()).toEqual(table.map(([n]) => n).sort());
  });

  test('errorCode is used when errNo is absent or unknown; rawCode says which decided', () => {
    expect(mapTtError({ errMsg: 'changeAudioCapture:fail auth deny', errorCode: 115990 })).toEqual({
      code: ErrorCode.PERMISSION_DENIED,
      rawCode: 115990,
      message: 'changeAudioCapture:fail auth deny',
      reason: 'permission',
    });
    expect(mapTtError({ errMsg: 'x:fail', errNo: 1, errorCode: 115902 }).code).toBe(
      ErrorCode.CREDENTIAL_REJECTED,
    );
    expect(mapTtError({ errMsg: 'x:fail', errNo: 1, errorCode: 115902 }).rawCode).toBe(115902);
  });

  test('115901 / 115903 (undocumented numbers, a guessed meaning): the errMsg decides when it names a failure', () => {
    // no Douyin page describes them (docs/platform-facts.md (d)): the platform's own text outranks the guess
    expect(mapTtError({ errorCode: 115901, errMsg: 'joinRtcRoom:fail invalid token' })).toEqual({
      code: ErrorCode.CREDENTIAL_REJECTED,
      rawCode: 115901,
      message: 'joinRtcRoom:fail invalid token',
    });
    expect(
      mapTtError({ errorCode: 115903, errMsg: 'joinRtcRoom:fail user a is already in the room r' }).code,
    ).toBe(ErrorCode.ALREADY_IN_ROOM);
    expect(mapTtError({ errNo: 115903, errMsg: 'joinRtcRoom:fail auth deny' }).reason).toBe('permission');
    // a text that names nothing: the guess stands
    expect(mapTtError({ errorCode: 115901, errMsg: 'joinRtcRoom:fail 3' }).code).toBe(
      ErrorCode.ALREADY_IN_ROOM,
    );
    expect(mapTtError({ errorCode: 115903, errMsg: 'joinRtcRoom:fail 3' }).code).toBe(ErrorCode.ENTER_FAILED);
    // a documented number keeps deciding over its text
    expect(
      mapTtError({ errNo: 21100, errorCode: 115901, errMsg: 'joinRtcRoom:fail invalid token' }).code,
    ).toBe(ErrorCode.ALREADY_IN_ROOM);
  });

  test('codes without a documented number are recognised by the message', () => {
    const by = (errMsg: string) => mapTtError({ errMsg }).code;
    expect(by('joinRtcRoom:fail user a is already in the room r')).toBe(ErrorCode.ALREADY_IN_ROOM);
    expect(by('joinRtcRoom:fail engine has been destroyed,please invoke tt.createRtcRoomContext')).toBe(
      ErrorCode.ENGINE_DESTROYED,
    );
    expect(by('createRtcRoomContext:fail platform auth deny')).toBe(ErrorCode.NOT_SUPPORTED);
    expect(by('updateToken:fail invalid token')).toBe(ErrorCode.CREDENTIAL_REJECTED);
    expect(
      mapTtError({ errMsg: 'changeVideoCapture:fail privacy permission is not authorized' }).reason,
    ).toBe('privacy');
    expect(
      mapTtError({ errMsg: 'changeVideoCapture:fail api scope is not declared in the privacy agreement' })
        .reason,
    ).toBe('privacy_undeclared');
    expect(by('something:fail else')).toBeNull();
  });

  test('-1 names the component property the platform complained about', () => {
    expect(mapTtError({ errNo: 20000, errMsg: 'joinRtcRoom:fail params.token should be string' }).field).toBe(
      'userSig',
    );
    expect(
      mapTtError({ errNo: 20000, errMsg: 'joinRtcRoom:fail params.userId should be string' }).field,
    ).toBe('userID');
    expect(
      mapTtError(
        { errNo: 20000, errMsg: 'joinRtcRoom:fail params.roomId invalid' },
        { roomField: 'strRoomID' },
      ).field,
    ).toBe('strRoomID');
    expect(mapTtError({ errNo: 20000, errMsg: 'joinRtcRoom:fail' }, { api: 'joinRtcRoom' }).field).toBe(
      'joinRtcRoom',
    );
    expect(mapTtError({ errNo: 21101, errMsg: 'x' }).field).toBeUndefined();
  });

  test('garbage in: no crash, a generic message', () => {
    expect(mapTtError(undefined, { api: 'exitRtcRoom' })).toEqual({
      code: null,
      rawCode: 0,
      message: 'exitRtcRoom:fail',
    });
    expect(mapTtError({ errNo: '21101', errMsg: 'x' }).code).toBe(ErrorCode.CREDENTIAL_REJECTED);
  });
});

test('thrownToFailure reads errNo, errMsg or the number in the message', () => {
  expect(thrownToFailure({ errMsg: 'a', errNo: 116183 })).toEqual({ errMsg: 'a', errNo: 116183 });
  expect(thrownToFailure(new Error('createRtcRoomContext:fail 116183 platform auth deny'))).toEqual({
    errMsg: 'createRtcRoomContext:fail 116183 platform auth deny',
    errNo: 116183,
  });
  expect(thrownToFailure('boom')).toEqual({ errMsg: 'boom' });
});
