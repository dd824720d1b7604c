/**
 * A Douyin `tt` for tests, implementing the documented RtcRoomContext (douyin-rtc.md §2-3) faithfully:
 * object-form createRtcRoomContext({appId}), async `{success, fail, complete}` callbacks with
 * `{errMsg: '<api>:ok'}` / `{errMsg: '<api>:fail …', errNo}`, full-list membership events that include the
 * local user, on…/off… listener pairs, 21100 on a second join, 115910 after the engine is destroyed.
 * Remote users are scripted with `join/leave/video/audio/screen`.
 */
import { compareVersion } from '../../utils/core/version';

export type MemberListName = 'chat' | 'video' | 'speakers' | 'screen';

const LIST_EVENT: Record<MemberListName, string> = {
  chat: 'onRtcChatMembersChanged',
  video: 'onRtcVideoMembersChanged',
  speakers: 'onRtcChatSpeakersChanged',
  screen: 'onRtcPublishScreenMembersChanged',
};

export const EVENT_NAMES = [
  'onRtcChatMembersChanged',
  'onRtcVideoMembersChanged',
  'onRtcChatSpeakersChanged',
  'onRtcPublishScreenMembersChanged',
  'onRtcChatInterrupted',
  'onRtcStateChange',
  'onRtcStateChanged',
  'onRoomTokenWillExpire',
] as const;

const METHODS = [
  'joinRtcRoom',
  'exitRtcRoom',
  'changeVideoCapture',
  'changeAudioCapture',
  'switchCamera',
  'updateToken',
  'changeUserVisibility',
  'changeScreenSubscribeState',
  'changeStreamPublishState',
  'changeStreamSubscribeState',
  'setVideoEncoderConfig',
  'setAudioPlaybackDevice',
] as const;
export type MethodName = (typeof METHODS)[number];

export interface Failure {
  errMsg: string;
  errNo?: number;
  errorCode?: number;
}

interface RemoteMedia {
  video: boolean;
  audio: boolean;
  screen: boolean;
}

type Opts = Record<string, unknown> & {
  success?: (r: unknown) => void;
  fail?: (e: Failure) => void;
  complete?: (r: unknown) => void;
};

type Listener = (...args: unknown[]) => void;

export interface TtFakeOptions {
  SDKVersion?: string;
  /** methods/events this "base library" lacks (deleted from every context) */
  missing?: string[];
}

export class FakeRtcContext {
  /** every method call, callbacks stripped */
  readonly calls: Array<[MethodName, Record<string, unknown>]> = [];
  readonly listeners = new Map<string, Set<Listener>>();
  /** the room this engine is in (after joinRtcRoom success) */
  room: {
    roomId: string;
    userId: string;
    token: string;
    autoPublish: boolean;
    autoSubscribe: boolean;
  } | null = null;
  capture = { video: 0, audio: 0 };
  visible = true;
  publishing = false;
  camera: 'front' | 'back' = 'front';
  destroyed = false;
  private failures = new Map<string, Failure[]>();
  private lastLists: Partial<Record<MemberListName, string>> = {};

  constructor(
    readonly appId: string,
    private readonly fake: TtFake,
    missing: readonly string[],
  ) {
    const self = this as unknown as Record<string, unknown>;
    for (const m of METHODS) {
      if (missing.includes(m)) continue;
      self[m] = jest.fn((o: Opts) => this.invoke(m, o ?? {}));
    }
    for (const ev of EVENT_NAMES) {
      if (missing.includes(ev)) continue;
      const off = 'off' + ev.slice(2);
      self[ev] = jest.fn((cb: Listener) => {
        if (!this.listeners.has(ev)) this.listeners.set(ev, new Set());
        this.listeners.get(ev)!.add(cb);
      });
      self[off] = jest.fn((cb: Listener) => {
        this.listeners.get(ev)?.delete(cb);
      });
    }
  }

  /** the next call of `method` fails with this result */
  failNext(method: MethodName, failure: Failure): void {
    if (!this.failures.has(method)) this.failures.set(method, []);
    this.failures.get(method)!.push(failure);
  }

  count(ev: string): number {
    return this.listeners.get(ev)?.size ?? 0;
  }

  /** listeners still registered, over every event */
  totalListeners(): number {
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }

  callsOf(method: MethodName): Array<Record<string, unknown>> {
    return this.calls.filter(([m]) => m === method).map(([, a]) => a);
  }

  emit(ev: string, payload?: unknown): void {
    for (const cb of [...(this.listeners.get(ev) ?? [])]) cb(payload);
  }

  private invoke(method: MethodName, o: Opts): void {
    const { success, fail, complete, ...args } = o;
    this.calls.push([method, args]);
    const done = (res: { errMsg: string } | Failure, ok: boolean) =>
      void Promise.resolve().then(() => {
        if (ok) success?.(res);
        else fail?.(res as Failure);
        complete?.(res);
      });
    const failWith = (f: Failure) => done(f, false);
    if (this.destroyed) {
      return failWith({
        errMsg: `${method}:fail engine has been destroyed,please invoke tt.createRtcRoomContext create new engine`,
        errorCode: 115910,
      });
    }
    if (method === 'exitRtcRoom' && this.fake.exitDelayMs > 0) {
      // a real exit is a round trip: the engine is still in the room until it answers
      setTimeout(() => {
        const r = this.run(method, args);
        if (r) failWith(r);
        else done({ errMsg: `${method}:ok` }, true);
      }, this.fake.exitDelayMs);
      return;
    }
    if (method === 'joinRtcRoom' && this.fake.holdJoins > 0) {
      // the test answers this join itself (`answerJoin`), in whatever order it needs
      this.fake.holdJoins--;
      this.fake.heldJoins.push((failure) => {
        const r = failure ?? this.run(method, args);
        if (r) return failWith(r);
        done({ errMsg: `${method}:ok` }, true);
        void Promise.resolve().then(() => this.publishLists());
      });
      return;
    }
    if (method === 'joinRtcRoom' && this.fake.joinDelayMs > 0 && !this.failures.get(method)?.length) {
      // a real join is a round trip too: the engine is in the room once it answers, whatever came meanwhile
      setTimeout(() => {
        const r = this.fake.joinFailures.shift() ?? this.run(method, args);
        if (r) return failWith(r);
        done({ errMsg: `${method}:ok` }, true);
        void Promise.resolve().then(() => this.publishLists());
      }, this.fake.joinDelayMs);
      return;
    }
    const scope = method === 'changeVideoCapture' ? 'camera' : method === 'changeAudioCapture' ? 'mic' : null;
    if (scope && args.state === 1 && this.fake.asking.has(scope)) {
      // the system prompt is open: the capture starts (and the call answers) once the user answered it;
      // calls that need no permission (state 0) meanwhile take effect at once
      this.fake.prompts.push((granted) => {
        if (!granted) this.fake.deny.add(scope);
        const r = this.run(method, args);
        if (r) failWith(r);
        else done({ errMsg: `${method}:ok` }, true);
      });
      return;
    }
    const scripted =
      this.failures.get(method)?.shift() ??
      (method === 'joinRtcRoom' ? this.fake.joinFailures.shift() : undefined);
    if (scripted) return failWith(scripted);
    const r = this.run(method, args);
    if (r) return failWith(r);
    // the member lists may come before the join's own answer
    if (method === 'joinRtcRoom' && this.fake.listsBeforeJoinAnswer) this.publishLists();
    done({ errMsg: `${method}:ok` }, true);
    if (method === 'joinRtcRoom' || method === 'changeVideoCapture' || method === 'changeAudioCapture') {
      void Promise.resolve().then(() => this.publishLists());
    }
  }

  /** the documented semantics; a Failure for what the platform rejects */
  private run(method: MethodName, a: Record<string, unknown>): Failure | null {
    const str = (k: string) => typeof a[k] === 'string' && a[k] !== '';
    const state = (k = 'state') => a[k] === 0 || a[k] === 1;
    const param = (what: string): Failure => ({
      errMsg: `${method}:fail ${what}`,
      errNo: 20000,
    });
    switch (method) {
      case 'joinRtcRoom': {
        if (!str('roomId') || !str('userId') || !str('token'))
          return param('params.roomId, params.userId and params.token should be string');
        if (this.room || this.fake.inRoom.has(a.userId as string))
          return {
            errMsg: `joinRtcRoom:fail user ${String(a.userId)} is already in the room ${this.room?.roomId ?? ''}`,
            errNo: 21100,
          };
        if (this.fake.invalidTokens.has(a.token as string))
          return { errMsg: 'joinRtcRoom:fail invalid token', errNo: 21101 };
        // roomConfig is read from base library 2.68.0 on: an older engine publishes and subscribes everything
        const cfg = (
          compareVersion(this.fake.system.SDKVersion, '2.68.0') >= 0 ? (a.roomConfig ?? {}) : {}
        ) as {
          autoPublish?: boolean;
          autoSubscribe?: boolean;
        };
        this.room = {
          roomId: a.roomId as string,
          userId: a.userId as string,
          token: a.token as string,
          autoPublish: cfg.autoPublish !== false,
          autoSubscribe: cfg.autoSubscribe !== false,
        };
        this.publishing = this.room.autoPublish;
        this.fake.inRoom.add(this.room.userId);
        return null;
      }
      case 'exitRtcRoom':
        if (!str('roomId')) return param('params.roomId should be string');
        if (this.room) this.fake.inRoom.delete(this.room.userId);
        this.room = null;
        this.lastLists = {};
        return null;
      case 'changeVideoCapture':
        if (!state()) return param('expect params.state to be one of 0, 1');
        if (a.state === 1 && this.fake.deny.has('camera'))
          return { errMsg: 'changeVideoCapture:fail auth deny', errNo: 10200 };
        if (a.state === 1 && this.fake.privacy === 'not_agreed')
          return { errMsg: 'changeVideoCapture:fail privacy permission is not authorized', errNo: 10201 };
        this.capture.video = a.state as number;
        return null;
      case 'changeAudioCapture':
        if (!state()) return param('expect params.state to be one of 0, 1');
        if (a.state === 1 && this.fake.deny.has('mic'))
          return { errMsg: 'changeAudioCapture:fail auth deny', errorCode: 115990 };
        if (a.state === 1 && this.fake.privacy === 'not_agreed')
          return { errMsg: 'changeAudioCapture:fail privacy permission is not authorized', errNo: 10201 };
        this.capture.audio = a.state as number;
        return null;
      case 'switchCamera':
        if (a.camera !== 'front' && a.camera !== 'back')
          return {
            errMsg: `switchCamera:fail expect params.camera to be one of "back", "front", but got ${String(a.camera)}`,
            errorCode: 172299,
          };
        this.camera = a.camera;
        return null;
      case 'updateToken':
        if (!str('token')) return param('params.token should be string');
        if (this.fake.invalidTokens.has(a.token as string))
          return { errMsg: 'updateToken:fail invalid token', errNo: 21101, errorCode: 115902 };
        if (this.room) this.room.token = a.token as string;
        return null;
      case 'changeUserVisibility':
        if (typeof a.visible !== 'boolean') return param('params.visible should be boolean');
        this.visible = a.visible;
        return null;
      case 'changeStreamPublishState':
        if (!state()) return param('expect params.state to be one of 0, 1');
        this.publishing = a.state === 1;
        return null;
      case 'changeStreamSubscribeState':
      case 'changeScreenSubscribeState':
        if (!state() || !str('userId') || !['audio', 'video', 'both'].includes(a.streamType as string))
          return {
            errMsg: `${method}:fail params.userId should be string, but got ${typeof a.userId}`,
            errorCode: 115999,
          };
        return null;
      default:
        return null;
    }
  }

  /** The four lists as the platform sees them (local user included); only changed lists fire. */
  publishLists(order: readonly MemberListName[] = this.fake.order): void {
    if (!this.room || this.destroyed) return;
    const me = this.room.userId;
    const lists: Record<MemberListName, string[]> = { chat: [], video: [], speakers: [], screen: [] };
    if (this.visible) lists.chat.push(me);
    if (this.visible && this.publishing && this.capture.video) lists.video.push(me);
    if (this.visible && this.publishing && this.capture.audio) lists.speakers.push(me);
    for (const [id, m] of this.fake.remotes) {
      lists.chat.push(id);
      if (m.video) lists.video.push(id);
      if (m.audio) lists.speakers.push(id);
      if (m.screen) lists.screen.push(id);
    }
    for (const name of order) {
      const key = JSON.stringify(lists[name]);
      if (this.lastLists[name] === key && !this.fake.repeatLists) continue;
      this.lastLists[name] = key;
      this.emit(LIST_EVENT[name], { userIdList: [...lists[name]] });
    }
  }
}

export class TtFake {
  readonly contexts: FakeRtcContext[] = [];
  readonly remotes = new Map<string, RemoteMedia>();
  /** user ids in some room on this "device" (a second join fails with 21100) */
  readonly inRoom = new Set<string>();
  readonly invalidTokens = new Set<string>();
  /** answers for the next joinRtcRoom calls on any context, in order */
  readonly joinFailures: Failure[] = [];
  /** 'camera' / 'mic': the user refuses the system prompt */
  readonly deny = new Set<'camera' | 'mic'>();
  privacy: 'agreed' | 'not_agreed' = 'agreed';
  /** the user's answer to the privacy agreement popup (tt.requirePrivacyAuthorize) */
  agreesToPrivacy = true;
  /** tt.requirePrivacyAuthorize: the popup when not agreed yet (success once agreed, fail when declined) */
  readonly requirePrivacyAuthorize = jest.fn((o: { success?: () => void; fail?: (e: unknown) => void }) => {
    if (this.privacy === 'not_agreed' && this.agreesToPrivacy) this.privacy = 'agreed';
    void Promise.resolve().then(() =>
      this.privacy === 'agreed'
        ? o.success?.()
        : o.fail?.({ errMsg: 'requirePrivacyAuthorize:fail auth deny', errNo: 10200 }),
    );
  });
  /** tt.openSetting: the settings page, where camera and microphone can be switched on (never the privacy agreement) */
  readonly openSetting = jest.fn((o: { success?: (r: unknown) => void }) => {
    this.deny.clear();
    void Promise.resolve().then(() =>
      o.success?.({ errMsg: 'openSetting:ok', authSetting: { 'scope.camera': true, 'scope.record': true } }),
    );
  });
  /** 'camera' / 'mic' not decided yet: the first capture call asking for it waits for `answerPrompt` */
  readonly asking = new Set<'camera' | 'mic'>();
  /** capture calls waiting for the user's answer, in call order */
  readonly prompts: Array<(granted: boolean) => void> = [];
  /** the order the platform fires the four lists in */
  order: MemberListName[] = ['chat', 'video', 'speakers', 'screen'];
  /** fire every list on every change, changed or not */
  repeatLists = false;
  /** exitRtcRoom answers (and leaves) only after this many ms (fake timers) */
  exitDelayMs = 0;
  /** the member lists of a join fire before its success callback */
  listsBeforeJoinAnswer = false;
  /** joinRtcRoom answers (and joins) only after this many ms (fake timers) */
  joinDelayMs = 0;
  /** the next this many joinRtcRoom calls wait for `answerJoin` (in the room only once answered) */
  holdJoins = 0;
  /** held joins, in call order */
  readonly heldJoins: Array<(failure?: Failure) => void> = [];
  /** createRtcRoomContext throws this (e.g. 116183 platform auth deny) */
  createError: Failure | null = null;
  readonly system: { SDKVersion: string; platform: string };
  readonly createRtcRoomContext: jest.Mock;
  readonly missing: string[];

  constructor(opts: TtFakeOptions = {}) {
    this.system = { SDKVersion: opts.SDKVersion ?? '3.20.0', platform: 'android' };
    this.missing = opts.missing ?? [];
    this.createRtcRoomContext = jest.fn((o: { appId?: unknown }) => {
      if (this.createError) {
        const e = Object.assign(new Error(this.createError.errMsg), this.createError);
        throw e;
      }
      if (!o || typeof o !== 'object' || typeof o.appId !== 'string') {
        throw Object.assign(new Error('createRtcRoomContext:fail params.appId should be string'), {
          errMsg: 'createRtcRoomContext:fail params.appId should be string',
          errNo: 20000,
        });
      }
      const ctx = new FakeRtcContext(o.appId, this, this.missing);
      this.contexts.push(ctx);
      return ctx;
    });
  }

  /** the newest context */
  get ctx(): FakeRtcContext {
    const c = this.contexts[this.contexts.length - 1];
    if (!c) throw new Error('no RtcRoomContext created yet');
    return c;
  }

  /** the user answers every open permission prompt; later calls for those scopes no longer ask */
  answerPrompt(granted: boolean): void {
    this.asking.clear();
    for (const answer of this.prompts.splice(0)) answer(granted);
  }

  /** the oldest held join answers now: it joins (success), or fails with `failure` */
  answerJoin(failure?: Failure): void {
    const answer = this.heldJoins.shift();
    if (!answer) throw new Error('no held joinRtcRoom');
    answer(failure);
  }

  /** install as the global `tt` */
  install(): this {
    (globalThis as Record<string, unknown>).tt = {
      createRtcRoomContext: this.createRtcRoomContext,
      getSystemInfoSync: () => ({ ...this.system }),
      requirePrivacyAuthorize: this.requirePrivacyAuthorize,
      openSetting: this.openSetting,
    };
    return this;
  }

  uninstall(): void {
    delete (globalThis as Record<string, unknown>).tt;
  }

  private changed(): void {
    for (const c of this.contexts) c.publishLists();
  }

  join(userID: string, media: Partial<RemoteMedia> = {}): void {
    this.remotes.set(userID, { video: false, audio: false, screen: false, ...media });
    this.changed();
  }

  leave(userID: string): void {
    this.remotes.delete(userID);
    this.changed();
  }

  media(userID: string, patch: Partial<RemoteMedia>): void {
    const m = this.remotes.get(userID);
    if (!m) throw new Error(`${userID} is not in the room`);
    Object.assign(m, patch);
    this.changed();
  }

  /** the engine drops the call (the platform stops sending lists until the next join) */
  interrupt(errNo = 10400, errMsg = 'rtc chat interrupted'): void {
    const ctx = this.ctx;
    if (ctx.room) this.inRoom.delete(ctx.room.userId);
    ctx.room = null;
    ctx.emit('onRtcChatInterrupted', { errNo, errMsg });
  }

  /**
   * The room's token ran out without an updateToken (Volcengine TOKEN_EXPIRED): the engine removes the user with
   * -1009, by `via`, and the token is refused from now on (a join with it fails with 21101).
   */
  expireToken(via: 'onRtcChatInterrupted' | 'onRtcStateChanged', errMsg = 'token expired'): void {
    const ctx = this.ctx;
    if (ctx.room) this.invalidTokens.add(ctx.room.token);
    if (via === 'onRtcChatInterrupted') return this.interrupt(-1009, errMsg);
    if (ctx.room) this.inRoom.delete(ctx.room.userId);
    ctx.room = null;
    ctx.emit(via, { errNo: -1009, errMsg, data: {} });
  }

  /**
   * The token's publish privilege ended (Volcengine: a stream being published stops, as in emulator/volc.ts
   * `applyRights`): the engine stops publishing and the lists drop the local user's media; a later updateToken
   * does not publish again by itself (platform-facts.md (c)).
   */
  lapsePublish(): void {
    this.ctx.publishing = false;
    this.ctx.publishLists();
  }

  /** the host destroyed the engine (e.g. the container went away): every call now fails with 115910 */
  destroyEngine(): void {
    const ctx = this.ctx;
    if (ctx.room) this.inRoom.delete(ctx.room.userId);
    ctx.room = null;
    ctx.destroyed = true;
  }
}
