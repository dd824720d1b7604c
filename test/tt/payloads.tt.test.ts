/**
 * What the Douyin host hands the component's listeners is read as untrusted input: member lists whose entries
 * are not Douyin user IDs, codes that come as strings, an error text that names a room. Nothing of it reaches a
 * native view or a native call unvalidated, nothing is dropped without a word, nothing throws in a callback.
 */
import { nativeViews } from '../helpers/mp';
import { settle } from '../behaviour/driver';
import { TtDriver, useTtDriverLifecycle } from '../behaviour/tt-driver';

let d: TtDriver;

useTtDriverLifecycle(() => d);

async function enter() {
  d = new TtDriver();
  await d.enter();
  d.clearEvents();
}

describe('member lists', () => {
  test('entries that are no Douyin user ID are dropped with one warning; prototype names are users', async () => {
    await enter();
    const ctx = d.fake.ctx;
    const junk = [42, null, '', 'x'.repeat(129), 'a b', '{{userID}}', { id: 'eve' }];
    ctx.emit('onRtcChatMembersChanged', {
      userIdList: ['alice', 'bob', ...junk, '__proto__', 'constructor'],
    });
    ctx.emit('onRtcVideoMembersChanged', { userIdList: ['bob', 'a b', '__proto__'] });
    await settle();
    const warned = (event: string, count: number) => ({
      tag: 'warning',
      code: 0,
      detail: { message: `malformed ${event} payload: ${count} entries without userid` },
    });
    const joined = (userID: string) => [
      { tag: 'user_join', code: 0, detail: { userID } },
      { tag: 'audio_available', code: 1, detail: { userID } },
    ];
    expect(d.events()).toEqual([
      warned('onRtcChatMembersChanged', 7),
      ...joined('bob'),
      ...joined('__proto__'),
      ...joined('constructor'),
      warned('onRtcVideoMembersChanged', 1),
      { tag: 'video_available', code: 1, detail: { userID: 'bob', streamType: 'main' } },
      { tag: 'video_available', code: 1, detail: { userID: '__proto__', streamType: 'main' } },
    ]);
    expect(d.tiles()).toBe(3);
    expect(
      nativeViews(d.m.room, 'rtc-room')
        .filter((a) => a['data-role'] === 'remote')
        .map((a) => a['user-id'] ?? a.userId),
    ).toEqual(['bob', '__proto__']);
  });
});

describe('codes', () => {
  test('a removal code given as a string is a removal: kicked_out, exit_room, no re-entry', async () => {
    await enter();
    d.fake.ctx.emit('onRtcChatInterrupted', { errNo: '-1006', errMsg: 'kicked by the server' });
    await settle();
    await d.advance(10000);
    expect(d.events().map((e) => [e.tag, e.code])).toEqual([
      ['kicked_out', -1006],
      ['exit_room', -1006],
    ]);
    expect(d.entryCalls()).toBe(1);
  });

  test('the same by onRtcStateChanged', async () => {
    await enter();
    d.fake.ctx.emit('onRtcStateChanged', { errNo: '-1011', errMsg: 'room dismissed', data: {} });
    await settle();
    expect(d.events().map((e) => [e.tag, e.code])).toEqual([
      ['kicked_out', -1011],
      ['exit_room', -1011],
    ]);
  });

  test('an errNo that is no number at all neither throws nor changes the room', async () => {
    await enter();
    const ctx = d.fake.ctx;
    expect(() => ctx.emit('onRtcStateChanged', { errNo: Symbol('x'), errMsg: 'odd' })).not.toThrow();
    expect(() => ctx.emit('onRtcChatInterrupted', { errNo: Symbol('x') })).not.toThrow();
    expect(() => ctx.emit('onRtcStateChanged', 'odd')).not.toThrow();
    await settle();
    expect(d.events().map((e) => e.tag)).not.toContain('exit_room');
  });
});

describe('a room named by an error text', () => {
  test.each([
    ['no Douyin room ID: the session end leaves its own room, not that text', '../{{x}}\u0000', '1234'],
    ['a valid room: that room is left', 'r-9', 'r-9'],
  ])('21100 naming %s', async (_what, named, left) => {
    d = new TtDriver();
    d.fake.joinFailures.push({
      errMsg: `joinRtcRoom:fail user alice is already in the room ${named}`,
      errNo: 21100,
    });
    d.mount();
    const started = d.start();
    await settle();
    await expect(started).rejects.toMatchObject({ code: -11 });
    await settle();
    expect(d.fake.ctx.callsOf('exitRtcRoom')).toEqual([{ roomId: left }]);
  });
});
