/**
 * The Douyin stand-in's room audio without a browser: which subscriptions `tt.createRtcRoomContext` asks the
 * emulator for (autoSubscribe) as the member list and the publishers' streams change. The session is a fake that
 * records them; in the browser the audio itself is covered by test/e2e/media.tt.test.ts.
 */
import type { ServerMessage } from '../emulator/protocol';

interface FakeSub {
  userID: string;
  kinds?: string[];
  pc: { connectionState: string; remoteDescription: unknown } | null;
  closed: boolean;
  close(): void;
}
interface FakeSession {
  userID: string;
  joined: boolean;
  subs: FakeSub[];
  emit(msg: ServerMessage): void;
}

const mockSessions: FakeSession[] = [];

jest.mock('j-component', () => ({ register: () => undefined }));
jest.mock('../preview/runtime/media', () => ({ relabel: () => undefined, labelCameraEnabled: () => false }));
jest.mock('../preview/runtime/tt-local', () => ({
  refused: () => false,
  local: {
    stream: null,
    audio: true,
    video: true,
    watchers: new Set(),
    get: () => Promise.resolve({}),
    apply: () => undefined,
  },
}));
jest.mock('../preview/runtime/rtc', () => ({
  RemoteFeed: class {},
  Session: class {
    userID = '';
    joined = false;
    closedByUs = false;
    subs: FakeSub[] = [];
    private listeners = new Set<(m: ServerMessage) => void>();
    constructor() {
      mockSessions.push(this as unknown as FakeSession);
    }
    on(fn: (m: ServerMessage) => void) {
      this.listeners.add(fn);
      return () => this.listeners.delete(fn);
    }
    emit(msg: ServerMessage) {
      if (msg.t === 'joined') this.joined = true;
      for (const fn of [...this.listeners]) fn(msg);
    }
    open(j: { userId: string }) {
      this.userID = j.userId;
      return Promise.resolve();
    }
    subscribe(userID: string, _onTrack: unknown, _onState: unknown, kinds?: string[]) {
      const sub: FakeSub = {
        userID,
        kinds,
        pc: { connectionState: 'new', remoteDescription: null },
        closed: false,
        close() {
          sub.closed = true;
          sub.pc = null;
        },
      };
      this.subs.push(sub);
      return sub;
    }
    leave() {
      this.joined = false;
    }
    update() {}
    send() {}
  },
}));

import { createRtcRoomContext } from '../preview/runtime/tt';

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};
const members = (...userIdList: string[]): ServerMessage => ({
  t: 'tt',
  name: 'onRtcChatMembersChanged',
  data: { userIdList },
});
const stream = (userId: string, audio: boolean, video = false): ServerMessage => ({
  t: 'stream',
  userId,
  audio,
  video,
  screen: false,
});

async function joined(): Promise<{ ctx: any; s: FakeSession }> {
  const ctx = createRtcRoomContext({ appId: 'app' });
  ctx.joinRtcRoom({ roomId: 'r', userId: 'me', token: 't' });
  await flush();
  const s = mockSessions[mockSessions.length - 1];
  s.emit({ t: 'joined', cost: 0, userID: 'me' });
  return { ctx, s };
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('the tt stand-in subscribes to a user’s audio when it starts publishing', () => {
  test('a subscription refused while the user published nothing is asked again when it publishes, once', async () => {
    const { ctx, s } = await joined();
    // an audience member: in the room, publishing nothing; the emulator drops the subscription (no offer)
    s.emit(members('me', 'fan'));
    expect(s.subs.map((x) => [x.userID, x.kinds])).toEqual([['fan', ['audio']]]);
    // a refusal is not retried: no loop, however long nothing comes
    jest.advanceTimersByTime(60_000);
    expect(s.subs).toHaveLength(1);
    // promoted to anchor (or a publish right restored): it publishes its microphone
    s.emit(stream('fan', true));
    expect(s.subs).toHaveLength(2);
    expect(s.subs[0].closed).toBe(true);
    expect(s.subs[1]).toMatchObject({ userID: 'fan', kinds: ['audio'], closed: false });
    jest.advanceTimersByTime(60_000);
    expect(s.subs).toHaveLength(2);
    ctx.exitRtcRoom({});
  });

  test('an answered subscription is kept across a stop and a restart; a stop alone asks nothing', async () => {
    const { ctx, s } = await joined();
    s.emit(members('me', 'star'));
    s.subs[0].pc!.remoteDescription = { type: 'offer' };
    s.emit(stream('star', false, true));
    s.emit(stream('star', true, true));
    expect(s.subs).toHaveLength(1);
    expect(s.subs[0].closed).toBe(false);
    // a refused one and a stream that carries no audio: nothing to hear, nothing asked
    s.emit(members('me', 'star', 'quiet'));
    expect(s.subs).toHaveLength(2);
    s.emit(stream('quiet', false, true));
    expect(s.subs).toHaveLength(2);
    ctx.exitRtcRoom({});
  });

  test('only members the page hears: not one unsubscribed, not one outside the member list (__proto__)', async () => {
    const { ctx, s } = await joined();
    s.emit(members('me', 'muted'));
    ctx.changeStreamSubscribeState({ userId: 'muted', state: 0, streamType: 'audio' });
    expect(s.subs[0].closed).toBe(true);
    s.emit(stream('muted', true));
    s.emit(stream('__proto__', true));
    s.emit(stream('constructor', true));
    expect(s.subs).toHaveLength(1);
    // after the room was left, a late frame changes nothing
    const before = s.subs.length;
    ctx.exitRtcRoom({});
    s.emit(stream('muted', true));
    expect(s.subs).toHaveLength(before);
  });
});
