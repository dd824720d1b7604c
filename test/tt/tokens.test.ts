import { TtTokens } from '../../utils/platform/tt/tokens';

/** A session entered with `userSig`, its join sent. */
function joinedWith(userSig: string): TtTokens {
  const t = new TtTokens();
  t.enter(userSig);
  expect(t.join('unused')).toBe(userSig);
  return t;
}

test('the expiry of the token the engine holds and the session enters with is heard once', () => {
  const t = joinedWith('a');
  expect(t.expiring()).toBe(true);
  expect(t.expiring()).toBe(false);
  // a re-entry with the same token: the engine warns again, the session heard it already
  t.enter('a');
  t.join('a');
  expect(t.expiring()).toBe(false);
});

test('no session, or no token held: nothing to hear', () => {
  const t = new TtTokens();
  expect(t.expiring()).toBe(false);
  // a join that went out before the session's enter() (none): the page's credential
  expect(t.join('p')).toBe('p');
  expect(t.expiring()).toBe(false);
  t.enter('p');
  t.newEngine();
  expect(t.expiring()).toBe(false);
});

test('updateToken: the engine holds the new token (when still the one), the session enters with it', () => {
  const t = joinedWith('a');
  t.updated('b', true);
  expect(t.expiring()).toBe(true);
  // sent to an engine replaced since: that engine's token is not the one the current engine holds
  const u = joinedWith('a');
  u.updated('b', false);
  expect(u.expiring()).toBe(false);
  expect(u.join('x')).toBe('b');
  expect(u.expiring()).toBe(true);
  // after the session's end: nothing becomes the session's
  const v = joinedWith('a');
  v.end();
  v.updated('b', true);
  expect(v.expiring()).toBe(false);
  expect(v.join('p')).toBe('p');
});

test('renewed with no join out: the next join takes it, the old one is no longer warned of', () => {
  const t = joinedWith('a');
  t.renew('b', false);
  expect(t.expiring()).toBe(false);
  expect(t.joined()).toBe(undefined);
  expect(t.join('x')).toBe('b');
  expect(t.expiring()).toBe(true);
});

test('renewed while a join is out: its success hands it over once, the session’s from then on', () => {
  const t = joinedWith('a');
  t.renew('b', true);
  // still the old one until the join answered
  expect(t.expiring()).toBe(true);
  const u = joinedWith('a');
  u.renew('b', true);
  expect(u.joined()).toBe('b');
  expect(u.joined()).toBe(undefined);
  expect(u.expiring()).toBe(false);
  u.updated('b', true);
  expect(u.expiring()).toBe(true);
});

test('a renewed token refused by updateToken: the session goes on with the one it joined with', () => {
  const t = joinedWith('a');
  t.renew('b', true);
  expect(t.joined()).toBe('b');
  t.refused('b', 'a');
  expect(t.expiring()).toBe(true);
  // renewed again meanwhile: the newer one stays the session's
  const u = joinedWith('a');
  u.renew('b', true);
  u.joined();
  u.renew('c', false);
  u.refused('b', 'a');
  expect(u.join('x')).toBe('c');
});

test('a join that fails: the next entry is the page’s, its renewal is dropped with enter()', () => {
  const t = joinedWith('a');
  t.renew('b', true);
  t.enter('b');
  expect(t.joined()).toBe(undefined);
  expect(t.join('x')).toBe('b');
});

test('outside a session nothing is renewed; the end forgets the warned token and a renewal', () => {
  const t = new TtTokens();
  t.renew('b', false);
  expect(t.join('p')).toBe('p');
  const u = joinedWith('a');
  expect(u.expiring()).toBe(true);
  u.renew('b', true);
  u.end();
  expect(u.joined()).toBe(undefined);
  // a new session with the same token hears of it again
  u.enter('a');
  u.join('a');
  expect(u.expiring()).toBe(true);
});
