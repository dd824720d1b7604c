import { ViewFailures } from '../../utils/platform/tt/view-failures';

test('one view is one report per session; a new session reports it again', () => {
  const v = new ViewFailures();
  v.members('video', ['bob']);
  expect(v.report('remote', 'bob', 'main')).toBe(true);
  expect(v.report('remote', 'bob', 'main')).toBe(false);
  expect(v.report('remote', 'bob', 'aux')).toBe(true);
  expect(v.report('local', 'alice', 'main')).toBe(true);
  expect(v.report('local', 'alice', 'main')).toBe(false);
  v.clear(false);
  expect(v.report('local', 'alice', 'main')).toBe(true);
  // the member lists outlive clear(false): bob is still in the room, his view is remembered again
  expect(v.report('remote', 'bob', 'main')).toBe(true);
  expect(v.report('remote', 'bob', 'main')).toBe(false);
});

test('a user in no member list is not remembered; one who left and came back has new views', () => {
  const v = new ViewFailures();
  v.members('video', ['bob']);
  v.members('audio', ['bob', '__proto__']);
  expect(v.report('remote', 'bob', 'main')).toBe(true);
  v.members('video', []);
  // still in the audio list: the same view
  expect(v.report('remote', 'bob', 'main')).toBe(false);
  v.members('audio', ['__proto__']);
  // gone from every list: forgotten, and a late failure of the view on its way out is not remembered
  expect(v.report('remote', 'bob', 'main')).toBe(true);
  expect(v.report('remote', 'bob', 'main')).toBe(true);
  v.members('video', ['bob']);
  expect(v.report('remote', 'bob', 'main')).toBe(true);
  expect(v.report('remote', 'bob', 'main')).toBe(false);
  expect(v.report('remote', '__proto__', 'main')).toBe(true);
  expect(v.report('remote', '__proto__', 'main')).toBe(false);
  v.clear(true);
  // no lists: nobody remote is present
  expect(v.report('remote', '__proto__', 'main')).toBe(true);
  expect(v.report('remote', '__proto__', 'main')).toBe(true);
});
