import {
  buildPushUrl,
  defaultPlayUrl,
  getParam,
  parseUrl,
  setParam,
  withStreamType,
} from '../utils/platform/wx/url';

const base = {
  sdkAppID: 1400000001,
  userID: 'alice',
  userSig: 'a+b/c=',
  privateMapKey: '',
  scene: 'rtc' as const,
  role: 'anchor' as const,
};

test('numeric room push URL, values encoded, recvmode from autoSubscribe', () => {
  expect(buildPushUrl({ ...base, roomID: 42 }, { autoSubscribe: true })).toBe(
    'room://cloud.tencent.com/rtc?sdkappid=1400000001&roomid=42&userid=alice&usersig=a%2Bb%2Fc%3D&appscene=videocall&recvmode=1',
  );
  expect(buildPushUrl({ ...base, roomID: 42 }, { autoSubscribe: false })).toContain('&recvmode=4');
});

test('string room, live scene and privateMapKey', () => {
  const url = buildPushUrl(
    { ...base, strRoomID: 'room #1&x', scene: 'live', privateMapKey: 'pmk==' },
    { autoSubscribe: true },
  );
  expect(url).toBe(
    'room://cloud.tencent.com/rtc?sdkappid=1400000001&strroomid=room%20%231%26x&userid=alice&usersig=a%2Bb%2Fc%3D&appscene=live&privatemapkey=pmk%3D%3D&recvmode=1',
  );
  expect(getParam(url, 'strroomid')).toBe('room #1&x');
  expect(url).not.toContain('&roomid=');
});

test('small stream edits only the streamtype parameter, even when the userID contains "main"', () => {
  const play = 'room://cloud.tencent.com/rtc?userid=mainuser&streamtype=main';
  expect(withStreamType(play, 'small')).toBe('room://cloud.tencent.com/rtc?userid=mainuser&streamtype=small');
  expect(withStreamType('room://cloud.tencent.com/rtc?userid=x', 'small')).toBe(
    'room://cloud.tencent.com/rtc?userid=x&streamtype=small',
  );
});

test('parse/setParam keep other parameters and their order', () => {
  const u = 'room://h/p?a=1&b=x%20y&c';
  expect(parseUrl(u)).toEqual({
    base: 'room://h/p',
    params: [
      ['a', '1'],
      ['b', 'x y'],
      ['c', ''],
    ],
  });
  expect(setParam(u, 'B', 'z')).toBe('room://h/p?a=1&b=z&c=');
  expect(getParam('room://h/p?bad=%E0%A4%A', 'bad')).toBe('%E0%A4%A');
});

test('default play URL', () => {
  expect(defaultPlayUrl('a b', 'aux')).toBe('room://cloud.tencent.com/rtc?userid=a%20b&streamtype=aux');
});
