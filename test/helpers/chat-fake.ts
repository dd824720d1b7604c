/**
 * A hand-written fake of `@tencentcloud/chat` at its documented API (toolchain.md §5): the same EVENT and
 * TYPES values, `create()` returning the same instance per SDKAppID, login → SDK_READY, joinGroup statuses,
 * one AVChatRoom per user, logout clearing groups. The real SDK opens a socket in create(): never load it.
 */

import { EVENT, TYPES } from '../../preview/runtime/chat-sdk-constants';

export { EVENT, TYPES };

type Listener = (event: { name: string; data: unknown }) => void;

/** An SDK error as the SDK rejects with it. */
export function sdkError(code: number, message: string): Error & { code: number } {
  return Object.assign(new Error(message), { code });
}

export interface FakeChat {
  SDKAppID: number;
  /** '' when logged out */
  loginUser: string;
  isReadyNow: boolean;
  groups: Set<string>;
  listeners: Map<string, Set<Listener>>;
  /** messages given to sendMessage */
  sent: any[];
  /** emit SDK_READY automatically after login (default true) */
  autoReady: boolean;
  login: jest.Mock;
  logout: jest.Mock;
  joinGroup: jest.Mock;
  quitGroup: jest.Mock;
  createGroup: jest.Mock;
  createTextMessage: jest.Mock;
  createCustomMessage: jest.Mock;
  sendMessage: jest.Mock;
  on: jest.Mock;
  off: jest.Mock;
  getLoginUser: jest.Mock;
  isReady: jest.Mock;
  destroy: jest.Mock;
  /** test controls */
  emit(name: string, data?: unknown): void;
  listenerCount(): number;
}

export interface ChatFake {
  /** the module: pass to registerChat / setChatSDK / new ChatSession */
  sdk: { create: jest.Mock; EVENT: typeof EVENT; TYPES: typeof TYPES };
  instances: Map<number, FakeChat>;
  /** the instance for an SDKAppID (created by the code under test) */
  chat(sdkAppID?: number): FakeChat;
}

let seq = 0;

function fakeInstance(SDKAppID: number): FakeChat {
  const c = {} as FakeChat;
  Object.assign(c, {
    SDKAppID,
    loginUser: '',
    isReadyNow: false,
    groups: new Set<string>(),
    listeners: new Map<string, Set<Listener>>(),
    sent: [],
    autoReady: true,
  });
  c.emit = (name, data) => {
    for (const fn of Array.from(c.listeners.get(name) ?? [])) fn({ name, data });
  };
  c.listenerCount = () => Array.from(c.listeners.values()).reduce((n, s) => n + s.size, 0);
  c.on = jest.fn((name: string, fn: Listener) => {
    let s = c.listeners.get(name);
    if (!s) c.listeners.set(name, (s = new Set()));
    s.add(fn);
  });
  c.off = jest.fn((name: string, fn: Listener) => {
    c.listeners.get(name)?.delete(fn);
  });
  c.getLoginUser = jest.fn(() => c.loginUser);
  c.isReady = jest.fn(() => c.isReadyNow);
  c.login = jest.fn(async ({ userID, userSig }: { userID: string; userSig: string }) => {
    if (!userSig) throw sdkError(2000, 'userSig is required');
    if (c.loginUser === userID) return { code: 0, data: { repeatLogin: true } };
    c.loginUser = userID;
    if (c.autoReady) {
      // the real SDK syncs after login and then fires SDK_READY
      void Promise.resolve().then(() => {
        if (c.loginUser !== userID) return;
        c.isReadyNow = true;
        c.emit(EVENT.SDK_READY);
      });
    }
    return { code: 0, data: { repeatLogin: false } };
  });
  c.logout = jest.fn(async () => {
    c.loginUser = '';
    c.isReadyNow = false;
    c.groups.clear();
    c.emit(EVENT.SDK_NOT_READY);
    return { code: 0, data: {} };
  });
  c.joinGroup = jest.fn(async ({ groupID, type }: { groupID: string; type?: string }) => {
    if (!c.loginUser) throw sdkError(2024, 'not logged in');
    if (c.groups.has(groupID)) return { code: 0, data: { status: TYPES.JOIN_STATUS_ALREADY_IN_GROUP } };
    if (type === TYPES.GRP_AVCHATROOM) c.groups.clear(); // one AVChatRoom per user
    c.groups.add(groupID);
    return { code: 0, data: { status: TYPES.JOIN_STATUS_SUCCESS, group: { groupID } } };
  });
  c.createGroup = jest.fn(async ({ groupID, type }: { groupID: string; type: string; name: string }) => {
    if (!c.loginUser) throw sdkError(2024, 'not logged in');
    return { code: 0, data: { group: { groupID, type } } };
  });
  c.quitGroup = jest.fn(async (groupID: string) => {
    c.groups.delete(groupID);
    return { code: 0, data: { groupID } };
  });
  const create =
    (type: string) =>
    (o: { to: string; conversationType: string; payload: unknown }): Record<string, unknown> => {
      if (!c.loginUser) throw sdkError(2024, 'not logged in');
      return {
        ID: `msg-${++seq}`,
        type,
        payload: o.payload,
        conversationType: o.conversationType,
        conversationID: o.conversationType + o.to,
        to: o.to,
        from: c.loginUser,
        flow: 'out',
        time: 1700000000 + seq,
        status: 'unSend',
        nick: '',
        avatar: '',
      };
    };
  c.createTextMessage = jest.fn(create(TYPES.MSG_TEXT));
  c.createCustomMessage = jest.fn(create(TYPES.MSG_CUSTOM));
  c.sendMessage = jest.fn(async (m: Record<string, unknown>) => {
    c.sent.push(m);
    return { code: 0, data: { message: { ...m, status: 'success' } } };
  });
  c.destroy = jest.fn(async () => undefined);
  return c;
}

export function createChatFake(): ChatFake {
  const instances = new Map<number, FakeChat>();
  const sdk = {
    create: jest.fn(({ SDKAppID }: { SDKAppID: number }) => {
      let c = instances.get(SDKAppID);
      if (!c) instances.set(SDKAppID, (c = fakeInstance(SDKAppID)));
      return c;
    }),
    EVENT,
    TYPES,
  };
  return {
    sdk,
    instances,
    chat(sdkAppID?: number) {
      const c = sdkAppID === undefined ? instances.values().next().value : instances.get(sdkAppID);
      if (!c) throw new Error(`no chat instance for ${sdkAppID ?? 'any SDKAppID'}`);
      return c;
    },
  };
}

/** A received message as the SDK delivers it. */
export function incoming(
  over: Partial<{
    ID: string;
    type: string;
    conversationType: string;
    to: string;
    from: string;
    time: number;
    payload: unknown;
    nick: string;
  }>,
): Record<string, unknown> {
  return {
    ID: `in-${++seq}`,
    type: TYPES.MSG_TEXT,
    conversationType: TYPES.CONV_GROUP,
    to: '1234',
    from: 'bob',
    flow: 'in',
    time: 1700000100,
    nick: 'Bob',
    avatar: '',
    payload: { text: 'hi' },
    ...over,
  };
}

/** A message as the component hands it to the page (normalized: every field present, in the chat events). */
export function delivered(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ID: 'x',
    type: 'TIMTextElem',
    conversationType: 'GROUP',
    from: 'bob',
    to: '1234',
    nick: '',
    avatar: '',
    time: 1,
    flow: 'in',
    payload: { text: 'hi' },
    cloudCustomData: '',
    ...over,
  };
}

/**
 * A group system notice as the SDK delivers it to this member (alice), from an admin about group 1234:
 * operationType 4 kicked, 5 dismissed, 11 recycled. `payload` adds to or replaces its payload fields.
 */
export function groupNotice(
  operationType: number,
  payload: Record<string, unknown> = {},
  over: Parameters<typeof incoming>[0] = {},
): Record<string, unknown> {
  return incoming({
    type: TYPES.MSG_GRP_SYS_NOTICE,
    conversationType: TYPES.CONV_SYSTEM,
    to: 'alice',
    from: '@TIM#SYSTEM',
    ...over,
    payload: { operationType, operatorID: 'admin', groupProfile: { groupID: '1234' }, ...payload },
  });
}

/** Every on() has a matching off() with the same handler. */
export function unbalancedListeners(c: FakeChat): string[] {
  const ons = c.on.mock.calls.map(([n, f]) => [n, f] as const);
  const offs = c.off.mock.calls.map(([n, f]) => [n, f] as const);
  return ons.filter(([n, f]) => !offs.some(([m, g]) => m === n && g === f)).map(([n]) => String(n));
}

/** Let promise chains settle (works with jest fake timers too). */
export async function settle(rounds = 30): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}
