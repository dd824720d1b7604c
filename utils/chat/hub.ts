/**
 * The SDK instance shared by every session of one (SDK module, SDKAppID): `create()` returns the same instance
 * for the same SDKAppID, so sessions never own it. Reference-counted login and group holds, and one queue of
 * SDK lifecycle calls (login, joinGroup, quitGroup, logout) so a quick stop → start never logs the new session out.
 */
import { utf8Bytes } from './credentials';
import { IMError, imError, IMErrorCode } from './events';
import {
  ALREADY_MEMBER,
  GROUP_MISSING,
  GROUP_TAKEN,
  joinStatus,
  sdkCode,
  sdkMessage,
  USERSIG_EXPIRED,
} from './sdk';
import type { ChatInstance, ChatSDK, SDKListener } from './sdk';

export interface GroupHold {
  groupID: string;
  count: number;
  /** resolves with the join status, rejects with an IMError */
  join: Promise<string>;
}

export type SDKEventKind = 'message' | 'kicked' | 'net' | 'error' | 'replaced' | 'lost';

export interface SessionLink {
  /** `lost`: a renewal failed, `{stage: 'login' | 'join', e}` (the SDK's failure) */
  onSDKEvent(kind: SDKEventKind, data: unknown): void;
}

interface HubSet {
  hubs: Map<number, SharedChat>;
  /** the last queued operation of a hub that already closed (the next hub starts after it) */
  tails: Map<number, Promise<void>>;
}

/** A group's name is at most 30 bytes (the SDK's createGroup): the group ID, cut to whole characters. */
function groupName(groupID: string): string {
  const chars = Array.from(groupID);
  while (utf8Bytes(chars.join('')) > 30) chars.pop();
  return chars.join('');
}

/** Per SDK module: explicit, keyed and reference-counted; tests pass fresh fake modules. */
const HUBS = new WeakMap<ChatSDK, HubSet>();

export class SharedChat {
  readonly chat: ChatInstance;
  readonly sessions = new Set<SessionLink>();
  private queue: Promise<void>;
  private userID = '';
  private login: Promise<void> | null = null;
  private ownsLogin = false;
  private ready = false;
  private readyWaiters: Array<() => void> = [];
  private readonly groups = new Map<string, GroupHold>();
  private readonly handlers: Array<[string, SDKListener]> = [];
  /** a renewal is replacing the login (1) or rejoining (2): its connection changes are not the pages' */
  private renewPhase = 0;
  /** settles when the last renewal did (never rejects): sends wait for it */
  renewal: Promise<void> = Promise.resolve();

  constructor(
    readonly sdk: ChatSDK,
    readonly sdkAppID: number,
    after: Promise<void>,
  ) {
    this.queue = after;
    this.chat = sdk.create({ SDKAppID: sdkAppID });
    const E = sdk.EVENT;
    this.listen(E.SDK_READY, () => {
      this.ready = true;
      this.wake();
    });
    this.listen(E.SDK_NOT_READY, () => {
      this.ready = false;
    });
    this.listen(E.MESSAGE_RECEIVED, (e) => this.fan('message', e.data));
    this.listen(E.NET_STATE_CHANGE, (e) => this.renewPhase || this.fan('net', e.data));
    this.listen(E.ERROR, (e) => this.fan('error', e.data));
    this.listen(E.KICKED_OUT, (e) => {
      this.ready = false;
      // the old UserSig expiring while the renewal replaces it: the renewal is the answer
      if (this.renewPhase === 1 && Object(e.data).type === USERSIG_EXPIRED) return;
      // the SDK has logged this user out: nothing to quit or log out any more
      this.login = null;
      this.userID = '';
      this.ownsLogin = false;
      this.groups.clear();
      this.wake();
      this.fan('kicked', e.data);
    });
  }

  static acquire(sdk: ChatSDK, sdkAppID: number, link: SessionLink): SharedChat {
    let set = HUBS.get(sdk);
    if (!set) {
      set = { hubs: new Map(), tails: new Map() };
      HUBS.set(sdk, set);
    }
    let hub = set.hubs.get(sdkAppID);
    if (!hub) {
      hub = new SharedChat(sdk, sdkAppID, set.tails.get(sdkAppID) ?? Promise.resolve());
      set.hubs.set(sdkAppID, hub);
    }
    hub.sessions.add(link);
    return hub;
  }

  private listen(name: string, fn: SDKListener): void {
    this.chat.on(name, fn);
    this.handlers.push([name, fn]);
  }

  /** Whoever waits for SDK_READY goes on (and checks why: ready, kicked or released). */
  private wake(): void {
    const w = this.readyWaiters;
    this.readyWaiters = [];
    w.forEach((f) => f());
  }

  /** To each session, in order; one that a handler of another stopped meanwhile gets nothing more. */
  private fan(kind: SDKEventKind, data: unknown): void {
    for (const s of Array.from(this.sessions)) if (this.sessions.has(s)) s.onSDKEvent(kind, data);
  }

  /** Runs SDK lifecycle calls one at a time, in call order. */
  private enqueue<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op);
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Logs in once per user; later sessions of the same user share it. */
  ensureLogin(userID: string, userSig: string): Promise<void> {
    if (this.userID && this.userID !== userID) {
      return Promise.reject(
        imError(
          IMErrorCode.USER_CONFLICT,
          `SDKAppID ${this.sdkAppID} is already used by "${this.userID}" in another component on this page; the chat SDK has one user per SDKAppID`,
        ),
      );
    }
    if (this.login) return this.login;
    this.userID = userID;
    const login = this.enqueue(async () => {
      const current = String(this.chat.getLoginUser?.() ?? '');
      if (current && current !== userID) {
        throw imError(
          IMErrorCode.USER_CONFLICT,
          `the app is logged in to chat as "${current}"; this component cannot log in as "${userID}"`,
        );
      }
      if (current === userID) {
        // the app logged in itself: use that login and leave it alone at the end
        this.ownsLogin = false;
        if (this.chat.isReady?.()) this.ready = true;
        return;
      }
      let res: unknown;
      try {
        res = await this.chat.login({ userID, userSig });
      } catch (e) {
        throw imError(IMErrorCode.LOGIN_FAILED, `chat login failed: ${sdkMessage(e)}`, sdkCode(e));
      }
      const repeat = (res as { data?: { repeatLogin?: boolean } } | null)?.data?.repeatLogin === true;
      this.ownsLogin = !repeat;
      if (repeat && this.chat.isReady?.()) this.ready = true;
    });
    this.login = login;
    login.catch(() => {
      if (this.login === login) {
        this.login = null;
        this.userID = '';
      }
    });
    return login;
  }

  /**
   * A newer UserSig for the login this hub made. The SDK reads a UserSig only in login() (a login while logged
   * in is a `repeatLogin` that keeps the old one) and has no call to renew it, so: logout, login with it, wait
   * for SDK_READY and join the held group again the way the first join does (joinOrCreate: a group gone meanwhile
   * is created again, a refusal is the first join's error; a dismissed one is no longer held: `forget`), in the
   * queue (sends wait for it: `renewal`). A failure is fanned out as `lost`. The app's own login (or one the SDK
   * called a repeat) is the app's to renew.
   */
  renew(userSig: string): Promise<void> {
    const login = this.login;
    return (this.renewal = this.enqueue(async () => {
      // the login under way settles first; one that failed, or was kicked or released since, is not renewed
      const ok = await login?.then(
        () => true,
        () => false,
      );
      const gone = () => this.login !== login;
      if (!ok || gone() || !this.ownsLogin) return;
      this.renewPhase = 1;
      let stage: 'login' | 'join' = 'login';
      try {
        await this.chat.logout().catch(() => undefined);
        this.ready = false;
        if (gone()) return;
        await this.chat.login({ userID: this.userID, userSig });
        this.renewPhase = 2;
        stage = 'join';
        await this.waitReady();
        for (const groupID of this.groups.keys()) {
          if (gone()) return;
          await this.joinOrCreate(groupID);
        }
      } catch (e) {
        if (gone()) return;
        if (stage === 'login') {
          this.login = null;
          this.userID = '';
          this.ownsLogin = false;
        }
        this.groups.clear();
        this.fan('lost', { stage, e });
      } finally {
        this.renewPhase = 0;
      }
    }));
  }

  waitReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Joins a group once; later holders get 'AlreadyInGroup'. */
  joinGroup(groupID: string): { hold: GroupHold; status: Promise<string> } {
    const held = this.groups.get(groupID);
    if (held) {
      held.count++;
      return { hold: held, status: held.join.then(() => 'AlreadyInGroup') };
    }
    // one AVChatRoom per user: joining another makes the SDK leave the current one
    for (const [other, hold] of Array.from(this.groups)) {
      this.forget(hold);
      this.fan('replaced', { oldGroup: other, newGroup: groupID });
    }
    const join = this.enqueue(() => this.joinOrCreate(groupID));
    const hold: GroupHold = { groupID, count: 1, join };
    this.groups.set(groupID, hold);
    join.catch(() => {
      if (this.groups.get(groupID) === hold) this.groups.delete(groupID);
    });
    return { hold, status: join };
  }

  /**
   * Joins the group, creating it when the cloud has none (10010 / 10015), in the queue (the first join, and a
   * renewal's rejoin): resolves with the join status, rejects with an IMError (JOIN_FAILED; a group that waits for
   * admin approval is not joined).
   */
  private async joinOrCreate(groupID: string): Promise<string> {
    const type = this.sdk.TYPES.GRP_AVCHATROOM;
    let creating = false;
    try {
      const res = await this.chat.joinGroup({ groupID, type }).catch(async (e: unknown) => {
        // the cloud has no group until someone creates it; its creator joins it like anyone (toolchain.md §5)
        if (!GROUP_MISSING.includes(sdkCode(e)) || !this.chat.createGroup) throw e;
        creating = true;
        await this.chat.createGroup({ type, groupID, name: groupName(groupID) }).catch((c: unknown) => {
          if (!GROUP_TAKEN.includes(sdkCode(c))) throw c;
        });
        creating = false;
        return this.chat.joinGroup({ groupID, type });
      });
      const status = joinStatus(res);
      if (status === 'WaitAdminApproval') {
        throw imError(
          IMErrorCode.JOIN_FAILED,
          `joining group ${groupID} waits for admin approval; the room's group must be an AVChatRoom`,
        );
      }
      return status;
    } catch (e) {
      if (e instanceof IMError) throw e;
      if (sdkCode(e) === ALREADY_MEMBER) return 'AlreadyInGroup';
      throw imError(
        IMErrorCode.JOIN_FAILED,
        `${creating ? 'creating' : 'joining'} group ${groupID} failed: ${sdkMessage(e)}`,
        sdkCode(e),
      );
    }
  }

  /**
   * The group is no longer this login's (dismissed, or replaced by another AVChatRoom): no longer held, so no
   * renewal joins (and so creates) it again, no release quits it.
   */
  forget(hold: GroupHold): void {
    if (this.groups.get(hold.groupID) === hold) this.groups.delete(hold.groupID);
    hold.count = 0;
  }

  /** Drops one hold; the last one quits the group (after its join settled). */
  releaseGroup(hold: GroupHold): Promise<void> {
    if (this.groups.get(hold.groupID) !== hold || hold.count <= 0) return Promise.resolve();
    hold.count--;
    if (hold.count > 0) return Promise.resolve();
    this.groups.delete(hold.groupID);
    return this.enqueue(() =>
      hold.join.then(
        () => this.chat.quitGroup(hold.groupID).then(() => undefined),
        () => undefined,
      ),
    ).catch(() => undefined);
  }

  /** A session leaves; the last one logs out (if we logged in) and removes every listener. */
  release(link: SessionLink): Promise<void> {
    if (!this.sessions.delete(link) || this.sessions.size > 0) return Promise.resolve();
    for (const [name, fn] of this.handlers) this.chat.off(name, fn);
    this.handlers.length = 0;
    this.wake();
    const login = this.login;
    const set = HUBS.get(this.sdk);
    const done = this.enqueue(async () => {
      if (!login) return;
      try {
        await login;
      } catch {
        return;
      }
      if (this.ownsLogin) await this.chat.logout();
    }).catch(() => undefined);
    if (set && set.hubs.get(this.sdkAppID) === this) {
      set.hubs.delete(this.sdkAppID);
      set.tails.set(this.sdkAppID, done);
      void done.then(() => {
        if (set.tails.get(this.sdkAppID) === done) set.tails.delete(this.sdkAppID);
      });
    }
    this.login = null;
    this.userID = '';
    return done;
  }
}
