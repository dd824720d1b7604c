/**
 * In-room chat on the Tencent Cloud Chat SDK (`@tencentcloud/chat`), platform-free.
 *
 * The SDK module is injected (the package never imports it: it is 725 KB and most apps do not chat), and
 * typed by the small interface below, which matches the documented API. A `ChatSession` belongs to one
 * component instance and emits `IMEvent` details `{tag, code, detail}`.
 *
 * `create({SDKAppID})` returns the same SDK instance for the same SDKAppID, so sessions never own it:
 * they share a reference-counted `SharedChat` per (SDK module, SDKAppID) that logs in once, joins each
 * group once, quits a group when its last session leaves it and logs out when its last session stops.
 * Every SDK lifecycle call (login, joinGroup, quitGroup, logout) runs through one queue per SDKAppID so a
 * quick stop → start never logs the new session out.
 */
import type { Logger } from './logger';

// ------------------------------------------------------------------ the SDK, as far as we use it

/** A message as the SDK delivers it (`EVENT.MESSAGE_RECEIVED` data, `sendMessage` result). */
export interface SDKMessage {
  ID: string;
  type: string;
  payload: unknown;
  conversationType: string;
  to: string;
  from: string;
  time: number;
  flow?: string;
  nick?: string;
  avatar?: string;
  cloudCustomData?: string;
}

export interface SDKEvent {
  name?: string;
  data?: unknown;
}

export type SDKListener = (event: SDKEvent) => void;

interface CreateMessageOptions<P> {
  to: string;
  conversationType: string;
  payload: P;
}

/** What `create()` returns. */
export interface ChatInstance {
  login(options: { userID: string; userSig: string }): Promise<unknown>;
  logout(): Promise<unknown>;
  joinGroup(options: { groupID: string; type?: string }): Promise<unknown>;
  quitGroup(groupID: string): Promise<unknown>;
  createTextMessage(options: CreateMessageOptions<{ text: string }>): unknown;
  createCustomMessage(
    options: CreateMessageOptions<{ data: string; description?: string; extension?: string }>,
  ): unknown;
  sendMessage(message: never): Promise<unknown>;
  on(eventName: string, handler: SDKListener, context?: unknown): void;
  off(eventName: string, handler: SDKListener, context?: unknown): void;
  getLoginUser?(): unknown;
  isReady?(): boolean;
}

/** The module itself: `import TencentCloudChat from '@tencentcloud/chat'` satisfies it. */
export interface ChatSDK {
  create(options: { SDKAppID: number }): ChatInstance;
  EVENT: {
    SDK_READY: string;
    SDK_NOT_READY: string;
    MESSAGE_RECEIVED: string;
    KICKED_OUT: string;
    NET_STATE_CHANGE: string;
    ERROR: string;
  };
  TYPES: {
    GRP_AVCHATROOM: string;
    CONV_GROUP: string;
    CONV_C2C: string;
    CONV_SYSTEM: string;
  };
}

/** Whether a value looks like the chat SDK module (what `registerChat` accepts). */
export function isChatSDK(v: unknown): v is ChatSDK {
  const m = v as Partial<ChatSDK> | null | undefined;
  return (
    !!m &&
    typeof m.create === 'function' &&
    typeof m.EVENT === 'object' &&
    m.EVENT !== null &&
    typeof m.EVENT.MESSAGE_RECEIVED === 'string' &&
    typeof m.TYPES === 'object' &&
    m.TYPES !== null &&
    typeof m.TYPES.GRP_AVCHATROOM === 'string'
  );
}

// ------------------------------------------------------------------ the public event contract

/** Stable IM error codes (documented in the README; never renumber). Room codes are -1..-19. */
export const IMErrorCode = {
  /** `enableIM` is on but no chat SDK was registered (`registerChat` / `setChatSDK`) */
  NOT_REGISTERED: -20,
  /** missing or invalid credential, group ID or message argument; `detail.field` names it */
  INVALID_PARAM: -21,
  /** login failed; `detail.rawCode` is the SDK's code (e.g. 70001 UserSig expired) */
  LOGIN_FAILED: -22,
  /** joining the room's group failed */
  JOIN_FAILED: -23,
  /** a send before the session is logged in and in the group, or after stop / kicked */
  NOT_LOGGED_IN: -24,
  /** text (after trimming) or custom message is empty */
  EMPTY_MESSAGE: -25,
  /** the payload is over MAX_MESSAGE_BYTES */
  MESSAGE_TOO_LARGE: -26,
  /** the SDK rejected sendMessage; `detail.rawCode` is its code */
  SEND_FAILED: -27,
  /** the SDK's own ERROR event */
  SDK_ERROR: -28,
  /** another component (or the app) holds this SDKAppID logged in as a different userID */
  USER_CONFLICT: -29,
  /** another component made this user join a different AVChatRoom (one per user at a time) */
  GROUP_REPLACED: -30,
} as const;

/**
 * Largest text or custom payload we send, in UTF-8 bytes: Tencent Cloud Chat limits one message to 12 KB
 * (text + custom data + description + extension count together). The server counts its own envelope too,
 * so a payload right at the limit can still come back as SEND_FAILED (SDK code 80002).
 */
export const MAX_MESSAGE_BYTES = 12 * 1024;
/** Tencent Cloud Chat group IDs are at most 48 bytes. */
export const MAX_GROUP_ID_BYTES = 48;

/** A received or sent message, as pages get it. */
export interface IMMessage {
  ID: string;
  /** TIMTextElem, TIMCustomElem, TIMGroupTipElem, TIMGroupSystemNoticeElem, … */
  type: string;
  /** GROUP, C2C or @TIM#SYSTEM */
  conversationType: string;
  from: string;
  to: string;
  nick: string;
  avatar: string;
  /** seconds since the epoch, as the SDK gives it */
  time: number;
  /** in (received) or out (sent) */
  flow: string;
  /** text: {text}; custom: {data, description, extension}; tips and notices: the SDK's payload, untouched */
  payload: unknown;
  cloudCustomData: string;
}

export type ConnectionState = 'connected' | 'connecting' | 'disconnected';

export interface IMErrorDetail {
  message: string;
  /** the SDK's code, or 0 when the component found the problem itself */
  rawCode: number;
  field?: string;
}

export interface IMEventMap {
  /** code 0 on success; otherwise the SDK's code (also followed by `error` LOGIN_FAILED / USER_CONFLICT) */
  login_event: { userID: string; message?: string };
  /** code 0 when in the group, including when the user already was (status AlreadyInGroup) */
  join_group_event: { groupID: string; status?: string; message?: string };
  connection_event: { state: ConnectionState };
  /** messages of this room's group (text, custom, group tips) */
  big_group_msg_notify: { groupID: string; messages: IMMessage[] };
  /** one-to-one messages */
  msg_notify: { messages: IMMessage[] };
  /** system notices about this room's group (dismissed, removed from the group, …) */
  group_system_notify: { groupID: string; messages: IMMessage[] };
  /** multipleAccount, multipleDevice, userSigExpired or REST_API_Kick; the session is logged out */
  kicked: { type: string };
  error: IMErrorDetail;
}

export type IMEventTag = keyof IMEventMap;

export type IMEvent = {
  [K in IMEventTag]: { tag: K; code: number; detail: IMEventMap[K] };
}[IMEventTag];

export function imEvent<K extends IMEventTag>(tag: K, code: number, detail: IMEventMap[K]): IMEvent {
  return { tag, code, detail } as IMEvent;
}

/** What send methods and `start()` reject with; `tag/code/detail` equal the `error` event's. */
export class IMError extends Error {
  readonly tag = 'error' as const;
  readonly code: number;
  readonly detail: IMErrorDetail;
  constructor(code: number, detail: IMErrorDetail) {
    super(detail.message);
    this.name = 'IMError';
    this.code = code;
    this.detail = detail;
  }
  toEvent(): IMEvent {
    return imEvent('error', this.code, this.detail);
  }
}

export function imError(code: number, message: string, rawCode = 0, field?: string): IMError {
  return new IMError(code, field === undefined ? { message, rawCode } : { message, rawCode, field });
}

// ------------------------------------------------------------------ helpers

/** UTF-8 length without TextEncoder (not on every mini-program base library). */
export function utf8Bytes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

function sdkCode(e: unknown): number {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'number' ? c : Number(c) || 0;
}

function sdkMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  const m = (e as { message?: unknown } | null)?.message;
  return typeof m === 'string' ? m : String(e);
}

export function toIMMessage(m: SDKMessage): IMMessage {
  return {
    ID: String(m.ID ?? ''),
    type: String(m.type ?? ''),
    conversationType: String(m.conversationType ?? ''),
    from: String(m.from ?? ''),
    to: String(m.to ?? ''),
    nick: m.nick ?? '',
    avatar: m.avatar ?? '',
    time: typeof m.time === 'number' ? m.time : 0,
    flow: m.flow ?? '',
    payload: m.payload,
    cloudCustomData: m.cloudCustomData ?? '',
  };
}

/** The group a system notice is about (`payload.groupProfile.groupID`), or ''. */
function noticeGroup(m: SDKMessage): string {
  const p = m.payload as { groupProfile?: { groupID?: unknown } } | null | undefined;
  const g = p?.groupProfile?.groupID;
  return typeof g === 'string' ? g : '';
}

/** JoinedSuccess / AlreadyInGroup / WaitAdminApproval from a joinGroup result. */
function joinStatus(res: unknown): string {
  const s = (res as { data?: { status?: unknown } } | null)?.data?.status;
  return typeof s === 'string' ? s : 'JoinedSuccess';
}

/** SDK error 10013: already a member of the group. */
const ALREADY_MEMBER = 10013;

// ------------------------------------------------------------------ credentials

export interface ChatCredentials {
  sdkAppID: number;
  userID: string;
  userSig: string;
  groupID: string;
}

/** `imConfig` property: explicit chat credentials (required on Douyin, optional overrides on WeChat). */
export interface IMConfig {
  sdkAppID?: number | string;
  userID?: string;
  userSig?: string;
  /** defaults to the room ID as a string */
  groupID?: string;
}

export type CheckedCredentials = { ok: true; value: ChatCredentials } | { ok: false; error: IMError };

/**
 * The chat credentials for a component: on WeChat the room's TRTC sdkAppID/userID/userSig (each
 * overridable by `imConfig`); on Douyin the room token is a Volcengine token, so `imConfig.sdkAppID` and
 * `imConfig.userSig` are required (userID defaults to the room's). `roomKey` is the room ID as a string.
 */
export function chatCredentials(
  room: { sdkAppID?: unknown; userID?: unknown; userSig?: unknown },
  roomKey: string | null,
  imConfig: IMConfig | null | undefined,
  platform: 'wx' | 'tt',
): CheckedCredentials {
  const cfg = imConfig ?? {};
  const bad = (field: string, message: string): CheckedCredentials => ({
    ok: false,
    error: imError(IMErrorCode.INVALID_PARAM, message, 0, field),
  });
  if (platform === 'tt' && (cfg.sdkAppID === undefined || cfg.userSig === undefined)) {
    return bad(
      cfg.sdkAppID === undefined ? 'imConfig.sdkAppID' : 'imConfig.userSig',
      'on Douyin the room token is not a chat UserSig: set imConfig = {sdkAppID, userSig} (Tencent Cloud Chat credentials)',
    );
  }
  const rawApp = cfg.sdkAppID ?? room.sdkAppID;
  const app = typeof rawApp === 'string' && /^\d+$/.test(rawApp) ? Number(rawApp) : rawApp;
  if (typeof app !== 'number' || !Number.isInteger(app) || app <= 0) {
    return bad(
      cfg.sdkAppID !== undefined ? 'imConfig.sdkAppID' : 'sdkAppID',
      'chat needs a positive integer SDKAppID',
    );
  }
  const userID = cfg.userID ?? room.userID;
  if (typeof userID !== 'string' || userID === '') {
    return bad(cfg.userID !== undefined ? 'imConfig.userID' : 'userID', 'chat needs a non-empty userID');
  }
  const userSig = cfg.userSig ?? room.userSig;
  if (typeof userSig !== 'string' || userSig.trim() === '') {
    return bad(cfg.userSig !== undefined ? 'imConfig.userSig' : 'userSig', 'chat needs a non-empty UserSig');
  }
  const groupID = cfg.groupID ?? roomKey;
  if (typeof groupID !== 'string' || groupID === '') {
    return bad(
      cfg.groupID !== undefined ? 'imConfig.groupID' : 'roomID',
      'chat needs the room ID (roomID or strRoomID)',
    );
  }
  if (utf8Bytes(groupID) > MAX_GROUP_ID_BYTES) {
    return bad(
      cfg.groupID !== undefined ? 'imConfig.groupID' : 'strRoomID',
      `chat group IDs are at most ${MAX_GROUP_ID_BYTES} bytes; use a shorter room ID or set imConfig.groupID`,
    );
  }
  return { ok: true, value: { sdkAppID: app, userID, userSig, groupID } };
}

// ------------------------------------------------------------------ the shared SDK instance

interface GroupHold {
  groupID: string;
  count: number;
  /** resolves with the join status, rejects with an IMError */
  join: Promise<string>;
}

interface SessionLink {
  onSDKEvent(kind: 'message' | 'kicked' | 'net' | 'error' | 'replaced', data: unknown): void;
}

interface HubSet {
  hubs: Map<number, SharedChat>;
  /** the last queued operation of a hub that already closed (the next hub starts after it) */
  tails: Map<number, Promise<void>>;
}

/** Per SDK module: explicit, keyed and reference-counted; tests pass fresh fake modules. */
const HUBS = new WeakMap<ChatSDK, HubSet>();

class SharedChat {
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
      const w = this.readyWaiters;
      this.readyWaiters = [];
      w.forEach((f) => f());
    });
    this.listen(E.SDK_NOT_READY, () => {
      this.ready = false;
    });
    this.listen(E.MESSAGE_RECEIVED, (e) => this.fan('message', e.data));
    this.listen(E.NET_STATE_CHANGE, (e) => this.fan('net', e.data));
    this.listen(E.ERROR, (e) => this.fan('error', e.data));
    this.listen(E.KICKED_OUT, (e) => {
      // the SDK has logged this user out: nothing to quit or log out any more
      this.login = null;
      this.userID = '';
      this.ownsLogin = false;
      this.ready = false;
      this.groups.clear();
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

  private fan(kind: 'message' | 'kicked' | 'net' | 'error', data: unknown): void {
    for (const s of Array.from(this.sessions)) s.onSDKEvent(kind, data);
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
      this.groups.delete(other);
      hold.count = 0;
      this.fanReplaced(other, groupID);
    }
    const join = this.enqueue(async () => {
      try {
        const res = await this.chat.joinGroup({ groupID, type: this.sdk.TYPES.GRP_AVCHATROOM });
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
          `joining group ${groupID} failed: ${sdkMessage(e)}`,
          sdkCode(e),
        );
      }
    });
    const hold: GroupHold = { groupID, count: 1, join };
    this.groups.set(groupID, hold);
    join.catch(() => {
      if (this.groups.get(groupID) === hold) this.groups.delete(groupID);
    });
    return { hold, status: join };
  }

  private fanReplaced(oldGroup: string, newGroup: string): void {
    for (const s of Array.from(this.sessions)) s.onSDKEvent('replaced', { oldGroup, newGroup });
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
    this.readyWaiters = [];
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

// ------------------------------------------------------------------ the session

export type ChatState = 'idle' | 'starting' | 'ready' | 'failed' | 'kicked';
export type IMSink = (ev: IMEvent) => void;

type Target = { to: string; conversationType: string };

/** One component's chat: login, the room's group, events, sending. */
export class ChatSession {
  private hub: SharedChat | null = null;
  private hold: GroupHold | null = null;
  private creds: ChatCredentials | null = null;
  private running: Promise<void> | null = null;
  private token = 0;
  private _state: ChatState = 'idle';
  private loggedIn = false;
  private readonly link: SessionLink;

  constructor(
    private readonly sdk: ChatSDK,
    private readonly sink: IMSink,
    private readonly log: Logger = () => undefined,
  ) {
    this.link = { onSDKEvent: (kind, data) => this.onSDKEvent(kind, data) };
  }

  get state(): ChatState {
    return this._state;
  }

  get groupID(): string {
    return this.creds?.groupID ?? '';
  }

  /**
   * Log in (shared per SDKAppID), wait for SDK ready, join the group. Resolves once in the group (or when a
   * stop() cancels it); rejects with the IMError that was also emitted. Same credentials again: no-op.
   */
  start(creds: ChatCredentials): Promise<void> {
    const same =
      this.creds &&
      this.creds.sdkAppID === creds.sdkAppID &&
      this.creds.userID === creds.userID &&
      this.creds.userSig === creds.userSig &&
      this.creds.groupID === creds.groupID;
    if (same && this.running && (this._state === 'starting' || this._state === 'ready')) return this.running;
    const previous = this.hub ? this.stop() : Promise.resolve();
    const token = ++this.token;
    this.creds = { ...creds };
    this._state = 'starting';
    const hub = SharedChat.acquire(this.sdk, creds.sdkAppID, this.link);
    this.hub = hub;
    const live = () => token === this.token;
    const run = (async () => {
      await previous;
      if (!live()) return;
      let stage: 'login' | 'join' = 'login';
      try {
        await hub.ensureLogin(creds.userID, creds.userSig);
        if (!live()) return;
        this.loggedIn = true;
        this.log('chat: logged in as', creds.userID);
        this.sink(imEvent('login_event', 0, { userID: creds.userID }));
        await hub.waitReady();
        if (!live()) return;
        stage = 'join';
        const { hold, status } = hub.joinGroup(creds.groupID);
        this.hold = hold;
        const how = await status;
        if (!live()) return;
        this._state = 'ready';
        this.log('chat: in group', creds.groupID, how);
        this.sink(imEvent('join_group_event', 0, { groupID: creds.groupID, status: how }));
      } catch (e) {
        if (!live()) return;
        const err =
          e instanceof IMError
            ? e
            : imError(
                stage === 'login' ? IMErrorCode.LOGIN_FAILED : IMErrorCode.JOIN_FAILED,
                sdkMessage(e),
                sdkCode(e),
              );
        this._state = 'failed';
        const code = err.detail.rawCode || err.code;
        if (stage === 'login') {
          this.sink(imEvent('login_event', code, { userID: creds.userID, message: err.message }));
        } else {
          this.sink(imEvent('join_group_event', code, { groupID: creds.groupID, message: err.message }));
        }
        this.sink(err.toEvent());
        void this.release();
        throw err;
      }
    })();
    this.running = run;
    return run;
  }

  /** Quit the group and log out (each only when this was the last holder). Idempotent. */
  stop(): Promise<void> {
    this.token++;
    this.running = null;
    if (this._state !== 'kicked') this._state = 'idle';
    return this.release();
  }

  private release(): Promise<void> {
    const hub = this.hub;
    const hold = this.hold;
    this.hub = null;
    this.hold = null;
    this.loggedIn = false;
    if (!hub) return Promise.resolve();
    const quit = hold ? hub.releaseGroup(hold) : Promise.resolve();
    const out = hub.release(this.link);
    return Promise.all([quit, out]).then(() => undefined);
  }

  private onSDKEvent(kind: 'message' | 'kicked' | 'net' | 'error' | 'replaced', data: unknown): void {
    if (kind === 'message') return this.onMessages(data);
    if (kind === 'net') {
      const state = (data as { state?: unknown } | null)?.state;
      if (state === 'connected' || state === 'connecting' || state === 'disconnected') {
        this.sink(imEvent('connection_event', 0, { state }));
      }
      return;
    }
    if (kind === 'error') {
      this.sink(
        imEvent('error', IMErrorCode.SDK_ERROR, { message: sdkMessage(data), rawCode: sdkCode(data) }),
      );
      return;
    }
    if (kind === 'replaced') {
      const { oldGroup, newGroup } = data as { oldGroup: string; newGroup: string };
      if (this.creds?.groupID !== oldGroup || !this.hold) return;
      this.hold = null;
      this._state = 'failed';
      this.sink(
        imError(
          IMErrorCode.GROUP_REPLACED,
          `left group ${oldGroup}: this user joined AVChatRoom ${newGroup} from another component (one AVChatRoom per user)`,
        ).toEvent(),
      );
      return;
    }
    // kicked: the SDK logged the user out
    if (!this.hub) return;
    this.token++;
    this.running = null;
    this._state = 'kicked';
    this.loggedIn = false;
    this.hold = null;
    const type = (data as { type?: unknown } | null)?.type;
    this.sink(imEvent('kicked', 0, { type: typeof type === 'string' ? type : String(type ?? '') }));
  }

  private onMessages(data: unknown): void {
    if (!this.loggedIn || !Array.isArray(data)) return;
    const T = this.sdk.TYPES;
    const groupID = this.creds?.groupID ?? '';
    const group: IMMessage[] = [];
    const c2c: IMMessage[] = [];
    const notices: IMMessage[] = [];
    for (const m of data as SDKMessage[]) {
      if (!m || typeof m !== 'object') continue;
      if (m.conversationType === T.CONV_GROUP) {
        if (m.to === groupID && this.hold) group.push(toIMMessage(m));
      } else if (m.conversationType === T.CONV_C2C) {
        c2c.push(toIMMessage(m));
      } else if (m.conversationType === T.CONV_SYSTEM) {
        if (noticeGroup(m) === groupID) notices.push(toIMMessage(m));
      }
      // other groups belong to other components (or the app's own chat): not this room's
    }
    if (group.length) this.sink(imEvent('big_group_msg_notify', 0, { groupID, messages: group }));
    if (c2c.length) this.sink(imEvent('msg_notify', 0, { messages: c2c }));
    if (notices.length) this.sink(imEvent('group_system_notify', 0, { groupID, messages: notices }));
  }

  // ---------------------------------------------------------------- sending

  sendTextMessage(text: unknown): Promise<IMMessage> {
    return this.sendText(this.groupTarget(), text);
  }

  sendCustomMessage(payload: unknown): Promise<IMMessage> {
    return this.sendCustom(this.groupTarget(), payload);
  }

  sendC2CTextMessage(userID: unknown, text: unknown): Promise<IMMessage> {
    const to = this.c2cTarget(userID);
    return to instanceof IMError ? Promise.reject(to) : this.sendText(to, text);
  }

  sendC2CCustomMessage(userID: unknown, payload: unknown): Promise<IMMessage> {
    const to = this.c2cTarget(userID);
    return to instanceof IMError ? Promise.reject(to) : this.sendCustom(to, payload);
  }

  private groupTarget(): Target | null {
    return this.creds ? { to: this.creds.groupID, conversationType: this.sdk.TYPES.CONV_GROUP } : null;
  }

  private c2cTarget(userID: unknown): Target | IMError {
    if (typeof userID !== 'string' || userID === '') {
      return imError(IMErrorCode.INVALID_PARAM, 'userID must be a non-empty string', 0, 'userID');
    }
    return { to: userID, conversationType: this.sdk.TYPES.CONV_C2C };
  }

  private sendText(target: Target | null, text: unknown): Promise<IMMessage> {
    if (typeof text !== 'string') {
      return Promise.reject(imError(IMErrorCode.INVALID_PARAM, 'text must be a string', 0, 'text'));
    }
    if (text.trim() === '') return Promise.reject(imError(IMErrorCode.EMPTY_MESSAGE, 'text is empty'));
    const size = utf8Bytes(text);
    if (size > MAX_MESSAGE_BYTES) return Promise.reject(tooLarge(size));
    return this.dispatch(target, (chat, t) => chat.createTextMessage({ ...t, payload: { text } }));
  }

  private sendCustom(target: Target | null, payload: unknown): Promise<IMMessage> {
    const p = payload as { data?: unknown; description?: unknown; extension?: unknown } | null;
    if (!p || typeof p !== 'object') {
      return Promise.reject(
        imError(
          IMErrorCode.INVALID_PARAM,
          'custom message needs {data, description?, extension?}',
          0,
          'data',
        ),
      );
    }
    for (const k of ['data', 'description', 'extension'] as const) {
      if (p[k] !== undefined && typeof p[k] !== 'string') {
        return Promise.reject(
          imError(IMErrorCode.INVALID_PARAM, `${k} must be a string (JSON.stringify objects)`, 0, k),
        );
      }
    }
    const data = (p.data as string | undefined) ?? '';
    const description = (p.description as string | undefined) ?? '';
    const extension = (p.extension as string | undefined) ?? '';
    if (data === '' && description === '' && extension === '') {
      return Promise.reject(imError(IMErrorCode.EMPTY_MESSAGE, 'custom message is empty'));
    }
    const size = utf8Bytes(data) + utf8Bytes(description) + utf8Bytes(extension);
    if (size > MAX_MESSAGE_BYTES) return Promise.reject(tooLarge(size));
    return this.dispatch(target, (chat, t) =>
      chat.createCustomMessage({ ...t, payload: { data, description, extension } }),
    );
  }

  private dispatch(
    target: Target | null,
    create: (chat: ChatInstance, t: Target) => unknown,
  ): Promise<IMMessage> {
    const hub = this.hub;
    const ready =
      target?.conversationType === this.sdk.TYPES.CONV_GROUP ? this._state === 'ready' : this.loggedIn;
    if (!hub || !target || !ready) {
      return Promise.reject(
        imError(
          IMErrorCode.NOT_LOGGED_IN,
          this._state === 'kicked'
            ? 'chat is logged out (kicked); call start() again'
            : 'chat is not ready: enable enableIM, call start() and wait for join_group_event',
        ),
      );
    }
    let message: unknown;
    try {
      message = create(hub.chat, target);
    } catch (e) {
      return Promise.reject(
        imError(IMErrorCode.SEND_FAILED, `creating the message failed: ${sdkMessage(e)}`, sdkCode(e)),
      );
    }
    return hub.chat.sendMessage(message as never).then(
      (res) => {
        const sent =
          (res as { data?: { message?: SDKMessage } } | null)?.data?.message ?? (message as SDKMessage);
        return toIMMessage(sent);
      },
      (e: unknown) => {
        throw imError(IMErrorCode.SEND_FAILED, `sending failed: ${sdkMessage(e)}`, sdkCode(e));
      },
    );
  }
}

function tooLarge(size: number): IMError {
  return imError(
    IMErrorCode.MESSAGE_TOO_LARGE,
    `message is ${size} bytes; the limit is ${MAX_MESSAGE_BYTES} bytes (12 KB, UTF-8)`,
  );
}
