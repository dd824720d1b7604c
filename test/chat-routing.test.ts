/** utils/chat/routing.ts: one MESSAGE_RECEIVED batch → this room's IMEvents (pure; the session's use: chat.test.ts). */
import type { IMEvent } from '../utils/chat/events';
import { routeMessages } from '../utils/chat/routing';
import { incoming, TYPES } from './helpers/chat-fake';

/** room 1234's session, in its group (or not) */
const route = (data: unknown, log: jest.Mock = jest.fn(), inGroup = true): IMEvent[] => {
  const events: IMEvent[] = [];
  routeMessages({
    data,
    groupID: '1234',
    userID: 'alice',
    inGroup,
    types: TYPES,
    log,
    sink: (ev) => events.push(ev),
  });
  return events;
};

const notice = (groupID: string) =>
  incoming({
    type: TYPES.MSG_GRP_SYS_NOTICE,
    conversationType: TYPES.CONV_SYSTEM,
    to: '@TIM#SYSTEM',
    payload: { operationType: 5, operatorID: 'admin', groupProfile: { groupID } },
  });

test('group, C2C and notices of this group become one event each, in that order; other groups and kinds none', () => {
  const log = jest.fn();
  const batch = [
    notice('1234'),
    incoming({ conversationType: TYPES.CONV_C2C, to: 'alice', payload: { text: 'psst' } }),
    incoming({ payload: { text: 'hi' } }),
    incoming({ to: '5678', payload: { text: 'elsewhere' } }),
    notice('5678'),
    incoming({ conversationType: 'OTHER', payload: { text: 'unknown kind' } }),
  ];
  const events = route(batch, log);
  expect(events.map((e) => e.tag)).toEqual(['big_group_msg_notify', 'msg_notify', 'group_system_notify']);
  expect(events[0]).toMatchObject({
    code: 0,
    detail: { groupID: '1234', messages: [{ payload: { text: 'hi' } }] },
  });
  expect(events[1]).toMatchObject({
    code: 0,
    detail: { messages: [{ to: 'alice', payload: { text: 'psst' } }] },
  });
  expect(events[1].detail).not.toHaveProperty('groupID');
  expect(events[2]).toMatchObject({
    detail: {
      groupID: '1234',
      messages: [{ payload: { operationType: 5, groupProfile: { groupID: '1234' } } }],
    },
  });
  expect((events[2].detail as { messages: unknown[] }).messages).toHaveLength(1);
  expect(log).not.toHaveBeenCalled();
});

test("not in the group (left, replaced): its messages are not the room's; C2C and notices still are", () => {
  const batch = [incoming({}), incoming({ conversationType: TYPES.CONV_C2C, to: 'alice' }), notice('1234')];
  const events = route(batch, jest.fn(), false);
  expect(events.map((e) => e.tag)).toEqual(['msg_notify', 'group_system_notify']);
});

test('a message of an unknown shape is dropped and logged; a batch that is not a list, or has nothing, is no event', () => {
  const log = jest.fn();
  const bad = { type: 'TIMTextElem', payload: { text: 42 } };
  expect(route([bad, incoming({ to: 'elsewhere' })], log)).toEqual([]);
  expect(log).toHaveBeenCalledWith('chat: dropped a message of an unknown shape', bad);
  for (const data of [undefined, null, 'x', { length: 1, 0: incoming({}) }, []]) {
    expect(route(data, log)).toEqual([]);
  }
});

test("it says why a notice ends this group's chat: dismissed (5), recycled (11), this user kicked out (4, 21 with a ban); not another group's, user's, notice or a tip", () => {
  const says = (data: unknown) =>
    routeMessages({
      data,
      groupID: '1234',
      userID: 'alice',
      inGroup: true,
      types: TYPES,
      log: jest.fn(),
      sink: () => undefined,
    });
  const sys = (operationType: number, groupID = '1234', userIDList?: string[]) => ({
    ...notice(groupID),
    payload: { operationType, operatorID: 'admin', groupProfile: { groupID }, userIDList },
  });
  expect(says([incoming({}), notice('1234')])).toBe('dismissed');
  expect(says([sys(11)])).toBe('recycled');
  // the kick notice is the kicked member's own (no list), or names it
  expect(says([sys(4)])).toBe('kicked');
  expect(says([sys(4, '1234', ['bob', 'alice'])])).toBe('kicked');
  // out of an AVChatRoom with a ban (21): the same, for this user only
  expect(says([sys(21)])).toBe('kicked');
  expect(says([sys(21, '1234', ['alice'])])).toBe('kicked');
  expect(says([sys(21, '1234', ['bob'])])).toBe('');
  expect(says([sys(21, '5678')])).toBe('');
  expect(says([sys(21), sys(5)])).toBe('dismissed');
  // the group ending says more than this user leaving it
  expect(says([sys(4), sys(11)])).toBe('recycled');
  expect(says([sys(5), sys(4)])).toBe('dismissed');
  // another user kicked, another group's kick, dismissal or recycling: nothing ends
  expect(says([sys(4, '1234', ['bob'])])).toBe('');
  expect(says([sys(4, '5678'), sys(11, '5678'), notice('5678'), incoming({})])).toBe('');
  expect(says([sys(6)])).toBe('');
  // a tip (a member removed: 3, 4, 5 are tips of other kinds) is the group's, not a notice
  for (const op of [3, 4, 5, 11, 21]) {
    const tip = incoming({ type: TYPES.MSG_GRP_TIP, payload: { operationType: op, userIDList: ['alice'] } });
    expect(says([tip])).toBe('');
  }
  expect(says('not a list')).toBe('');
});
