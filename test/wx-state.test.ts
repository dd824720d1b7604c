import { netQuality, parsePusherError, parsePusherState } from '../utils/platform/wx/state';
import { userlist } from './helpers/wx-fake';

test('1018 entered, 1019 reason 0 exited, non-zero kicked', () => {
  expect(parsePusherState(1018, 'onEnterRoom success, time cost[120]')).toMatchObject([{ type: 'entered' }]);
  expect(parsePusherState(1019, 'onExitRoom reason[0]')).toMatchObject([{ type: 'exited', reason: 0 }]);
  expect(parsePusherState(1019, '')).toMatchObject([{ type: 'exited', reason: 0 }]);
  expect(parsePusherState(1019, 'onExitRoom reason[1]')).toMatchObject([
    { type: 'kicked', reason: 1, message: 'onExitRoom reason[1]' },
  ]);
});

test('1022 is an enter failure; -100018 inside it is a credential error', () => {
  expect(parsePusherState(1022, 'onEnterRoom failed, error code[-100018]')).toMatchObject([
    { type: 'enter_failed', code: -9, rawCode: -100018, message: 'onEnterRoom failed, error code[-100018]' },
  ]);
  expect(parsePusherState(1022, 'onEnterRoom failed, error code[-3308]')[0]).toMatchObject({
    code: -10,
    rawCode: -3308,
  });
  expect(parsePusherState(-3301, 'x')[0]).toMatchObject({ type: 'enter_failed', code: -10, rawCode: -3301 });
});

test('1031-1034 user lists', () => {
  expect(parsePusherState(1031, userlist([{ userid: 'a' }, { userid: 'b' }]))).toMatchObject([
    { type: 'user_join', userID: 'a' },
    { type: 'user_join', userID: 'b' },
  ]);
  expect(parsePusherState(1032, userlist([{ userid: 'a' }]))).toMatchObject([
    { type: 'user_leave', userID: 'a' },
  ]);
  expect(
    parsePusherState(
      1033,
      userlist([
        {
          userid: 'a',
          playurl: 'room://cloud.tencent.com/rtc?userid=a&streamtype=aux',
          streamtype: 'aux',
          hasvideo: 1,
        },
      ]),
    ),
  ).toMatchObject([
    {
      type: 'video',
      userID: 'a',
      streamType: 'aux',
      available: true,
      url: 'room://cloud.tencent.com/rtc?userid=a&streamtype=aux',
    },
  ]);
  expect(parsePusherState(1034, userlist([{ userid: 'a', hasaudio: false }]))).toMatchObject([
    { type: 'audio', userID: 'a', available: false, url: undefined },
  ]);
  // the payload may already be an object
  expect(parsePusherState(1031, { userlist: [{ userid: 'c' }] })).toMatchObject([
    { type: 'user_join', userID: 'c' },
  ]);
});

describe("a reported playurl reaches the room only as that user's TRTC play URL for that stream", () => {
  const ok = (id: string, st: string) => `room://cloud.tencent.com/rtc?userid=${id}&streamtype=${st}`;
  test('the documented forms are kept as reported', () => {
    expect(
      parsePusherState(1033, userlist([{ userid: 'bob', playurl: ok('bob', 'main'), hasvideo: 1 }])),
    ).toEqual([
      { type: 'video', userID: 'bob', streamType: 'main', available: true, url: ok('bob', 'main') },
    ]);
    const old = 'room://rtc.tencent.com?userid=bob&streamtype=aux';
    expect(
      parsePusherState(1033, userlist([{ userid: 'bob', playurl: old, streamtype: 'aux', hasvideo: 1 }])),
    ).toMatchObject([{ type: 'video', streamType: 'aux', url: old }]);
    expect(
      parsePusherState(1034, userlist([{ userid: 'bob', playurl: ok('bob', 'main'), hasaudio: 1 }])),
    ).toEqual([{ type: 'audio', userID: 'bob', available: true, url: ok('bob', 'main') }]);
  });

  test.each([
    ['another user', ok('carol', 'main')],
    ['another user sharing a prefix', ok('bobby', 'main')],
    ['another stream type', ok('bob', 'aux')],
    ['the small stream for a main report', ok('bob', 'small')],
    ['javascript:', 'javascript:alert(1)'],
    ['rtmp elsewhere', 'rtmp://evil.example.com/live/bob'],
    ['https elsewhere', 'https://evil.example.com/?userid=bob&streamtype=main'],
    ['the legacy room host without /rtc', 'room://cloud.tencent.com?userid=bob&streamtype=main'],
    ['another host', 'room://cloud.tencent.com.evil.example/rtc?userid=bob&streamtype=main'],
    ['an extra key', ok('bob', 'main') + '&recvmode=1'],
    ['a __proto__ key', ok('bob', 'main') + '&__proto__=x'],
    ['a second userid', ok('bob', 'main') + '&userid=carol'],
    ['an encoded separator', 'room://cloud.tencent.com/rtc?userid=bob%26streamtype%3Dmain&streamtype=main'],
    ['a fragment', ok('bob', 'main') + '#x'],
    ['overlong', ok('bob', 'main') + '&x=' + 'a'.repeat(5000)],
    ['not a string', { href: ok('bob', 'main') }],
    ['a number', 42],
  ])('%s: a warning naming the user, and no url', (_what, playurl) => {
    expect(
      parsePusherState(1033, userlist([{ userid: 'bob', playurl, streamtype: 'main', hasvideo: 1 }])),
    ).toEqual([
      {
        type: 'warning',
        rawCode: 1033,
        message: 'malformed 1033 payload: playurl of bob is not its play URL; ignored',
        i18n: { key: 'warn.malformed.playurl', params: { code: 1033, userID: 'bob' } },
      },
      { type: 'video', userID: 'bob', streamType: 'main', available: true, url: undefined },
    ]);
    expect(parsePusherState(1034, userlist([{ userid: 'bob', playurl, hasaudio: 1 }]))).toMatchObject([
      { type: 'warning', rawCode: 1034 },
      { type: 'audio', userID: 'bob', available: true, url: undefined },
    ]);
  });

  test('a __proto__ user gets its own URL only', () => {
    const id = '__proto__';
    expect(
      parsePusherState(1033, `{"userlist":[{"userid":"${id}","playurl":"${ok(id, 'main')}","hasvideo":1}]}`),
    ).toEqual([{ type: 'video', userID: id, streamType: 'main', available: true, url: ok(id, 'main') }]);
  });
});

test('malformed payloads are warnings, never crashes', () => {
  expect(parsePusherState(1031, '{not json')).toMatchObject([
    { type: 'warning', rawCode: 1031, message: 'malformed 1031 payload: not JSON' },
  ]);
  expect(parsePusherState(1033, '{}')).toMatchObject([
    { type: 'warning', rawCode: 1033, message: 'malformed 1033 payload: no userlist' },
  ]);
  const mixed = parsePusherState(1031, userlist([{ userid: 'a' }, { nope: 1 }, null as never]));
  expect(mixed[0]).toMatchObject({ type: 'warning', rawCode: 1031 });
  expect(mixed.slice(1)).toMatchObject([{ type: 'user_join', userID: 'a' }]);
});

test('failures and lifecycle codes', () => {
  expect(parsePusherState(-1301, '')[0]).toMatchObject({ type: 'error', code: -4, rawCode: -1301 });
  expect(parsePusherState(-1302, '')[0]).toMatchObject({ type: 'error', code: -5, rawCode: -1302 });
  expect(parsePusherState(-1307, '')[0]).toMatchObject({ type: 'connection_lost', rawCode: -1307 });
  expect(parsePusherState(1021, '')[0]).toMatchObject({ type: 'connection_lost', rawCode: 1021 });
  expect(parsePusherState(-100018, 'bad sig')[0]).toMatchObject({
    type: 'error',
    code: -9,
    rawCode: -100018,
    message: 'bad sig',
  });
  expect(parsePusherState(5000, '')).toMatchObject([{ type: 'suspended' }]);
  expect(parsePusherState(5001, '')).toMatchObject([{ type: 'floating_closed' }]);
  expect(parsePusherState(1020, userlist([]))).toMatchObject([]);
  expect(parsePusherState(1002, 'push started')).toMatchObject([]);
  expect(parsePusherState(-1303, 'encode')).toMatchObject([
    { type: 'warning', rawCode: -1303, message: 'encode' },
  ]);
});

test('binderror 10001/10002 is permission denied', () => {
  expect(parsePusherError(10001, '')).toMatchObject({
    type: 'error',
    code: -7,
    rawCode: 10001,
    reason: 'permission',
  });
  expect(parsePusherError(10002, 'no mic')).toMatchObject({ code: -7, message: 'no mic' });
  expect(parsePusherError(1, 'x')).toMatchObject({ type: 'warning', rawCode: 1, message: 'x' });
});

test('net quality grades', () => {
  expect(netQuality({})).toBe(0);
  expect(netQuality({ netSpeed: 0, videoBitrate: 0, audioBitrate: 0, netJitter: 5 })).toBe(6);
  expect(netQuality({ netSpeed: 900, netJitter: 10 })).toBe(1);
  expect(netQuality({ netSpeed: 900, netJitter: 45 })).toBe(2);
  expect(netQuality({ netSpeed: 900, netJitter: 80 })).toBe(3);
  expect(netQuality({ netSpeed: 900, netJitter: 150 })).toBe(4);
  expect(netQuality({ netSpeed: 900, netJitter: 500 })).toBe(5);
  expect(netQuality({ netSpeed: 900 })).toBe(0);
});
