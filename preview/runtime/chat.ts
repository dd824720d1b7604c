/**
 * A local stand-in for `@tencentcloud/chat` in the browser preview: the same `create`, `EVENT`, `TYPES` and
 * message shapes as the real SDK (toolchain.md §5) as far as <webrtc-room> uses them, talking to the room
 * emulator's chat relay (emulator/chat.ts) over its own WebSocket to `/rtc` instead of Tencent's servers.
 *
 * The demo loads the SDK with a dynamic `require('@tencentcloud/chat')` that no bundler follows; esbuild's
 * iife `__require` then calls a global `require` when there is one. This module defines that global: it
 * returns the stand-in for exactly that name and throws for anything else. Phones still get the real SDK.
 */
import type { ChatWireMessage, ClientMessage, ServerMessage } from '../../emulator/protocol';
import {
  ChatEmitter,
  chatError,
  NETWORK,
  NOT_LOGGED_IN,
  outgoingMessage,
  PARAM,
  toMessage,
  wireMessage,
  type ChatError,
  type StandInMessage,
} from './chat-base';
import { emulatorUrl, onNetDrop, whenOnline } from './rtc';
import { EVENT, TYPES } from './chat-sdk-constants';

export { EVENT, TYPES };
export type { ChatError, StandInMessage } from './chat-base';

/** delay before a lost chat connection reconnects */
const RECONNECT_MS = 500;
/**
 * group system notices after which a group is no longer this user's, as in the SDK (its _onMemberKicked,
 * _onGroupDismissed and, for 21, onAVChatRoomMemberBanned): kicked out (4), dismissed (5), kicked out of an
 * AVChatRoom with a ban (21); a recycled one (11) the SDK keeps (its rejoin finds none)
 */
const GROUP_ENDED = [4, 5, 21];

class StandInChat extends ChatEmitter {
  private ws: WebSocket | null = null;
  private pending = new Map<
    number,
    { resolve: (d: Record<string, unknown>) => void; reject: (e: ChatError) => void }
  >();
  private rid = 0;
  private user = '';
  private sig = '';
  private ready = false;
  private retry: ReturnType<typeof setTimeout> | null = null;
  /** logged in and not logged out / kicked: a lost connection reconnects */
  private online = false;
  private readonly groups = new Set<string>();
  private stopDrop: () => void;

  constructor(readonly SDKAppID: number) {
    super();
    this.stopDrop = onNetDrop(() => this.ws?.close());
  }

  // ---------------------------------------------------------------- the connection
  private open(): Promise<WebSocket> {
    return whenOnline().then(
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(emulatorUrl());
          ws.onopen = () => {
            this.ws = ws;
            resolve(ws);
          };
          ws.onerror = () =>
            reject(chatError(NETWORK, `chat: cannot reach the emulator at ${emulatorUrl()}`));
          ws.onmessage = (e) => {
            if (this.ws === ws) this.onMessage(JSON.parse(String(e.data)) as ServerMessage);
          };
          ws.onclose = () => this.onClose(ws);
        }),
    );
  }

  private request(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(chatError(NETWORK, 'chat: not connected'));
    }
    const rid = ++this.rid;
    return new Promise((resolve, reject) => {
      this.pending.set(rid, { resolve, reject });
      ws.send(JSON.stringify({ ...body, t: 'im', rid } as ClientMessage));
    });
  }

  private onMessage(msg: ServerMessage): void {
    if (msg.t === 'im_ack') {
      const p = this.pending.get(msg.rid);
      if (!p) return;
      this.pending.delete(msg.rid);
      if (msg.code === 0) p.resolve(msg.data ?? {});
      else p.reject(chatError(msg.code, msg.message));
    } else if (msg.t === 'im_msg') {
      if (!this.user) return;
      // like the SDK: a group dismissed or kicked out of is no longer one of ours (a reconnect does not rejoin it)
      for (const m of msg.messages) {
        const g =
          (m.payload as { operationType?: unknown; groupProfile?: { groupID?: unknown } } | null) ?? {};
        if (
          m.type === TYPES.MSG_GRP_SYS_NOTICE &&
          GROUP_ENDED.includes(g.operationType as number) &&
          typeof g.groupProfile?.groupID === 'string'
        )
          this.groups.delete(g.groupProfile.groupID);
      }
      this.emit(
        EVENT.MESSAGE_RECEIVED,
        msg.messages.map((m) => toMessage(m, 'in')),
      );
    } else if (msg.t === 'im_kicked') {
      this.kickedOut(msg.type);
    }
  }

  /** Detaches and closes the socket (no reconnect follows); pending requests fail. */
  private closeSocket(): void {
    const ws = this.ws;
    this.ws = null;
    this.failPending();
    ws?.close(1000);
  }

  private failPending(): void {
    for (const p of this.pending.values()) p.reject(chatError(NETWORK, 'chat: the connection closed'));
    this.pending.clear();
  }

  private onClose(ws: WebSocket): void {
    if (this.ws !== ws) return;
    this.ws = null;
    this.failPending();
    if (!this.online) return;
    this.emit(EVENT.NET_STATE_CHANGE, { state: TYPES.NET_STATE_DISCONNECTED });
    this.retryLater();
  }

  /** One reconnect at a time: a connection lost during a reconnect's login schedules one more, not two. */
  private retryLater(): void {
    if (this.retry || !this.online) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.reconnect();
    }, RECONNECT_MS);
  }

  /** Like the SDK: reconnect, log in again with the same UserSig, rejoin the group. */
  private async reconnect(): Promise<void> {
    if (!this.online || this.ws) return;
    this.emit(EVENT.NET_STATE_CHANGE, { state: TYPES.NET_STATE_CONNECTING });
    try {
      await this.open();
      if (!this.online) {
        this.closeSocket();
        return;
      }
      await this.request({ op: 'login', sdkAppID: this.SDKAppID, userID: this.user, userSig: this.sig });
      for (const g of [...this.groups])
        await this.request({ op: 'join', groupID: g, type: TYPES.GRP_AVCHATROOM });
      this.emit(EVENT.NET_STATE_CHANGE, { state: TYPES.NET_STATE_CONNECTED });
    } catch (e) {
      const code = (e as ChatError).code;
      if (code !== NETWORK) {
        // the login is gone for good (e.g. the UserSig expired meanwhile)
        return this.kickedOut(code === 70001 ? TYPES.KICKED_OUT_USERSIG_EXPIRED : TYPES.KICKED_OUT_REST_API);
      }
      // the network is still down (the emulator closed the connection without answering): try again
      this.closeSocket();
      this.retryLater();
    }
  }

  /** The login ended for good: no reconnect, and the page hears KICKED_OUT with its type. */
  private kickedOut(type: string): void {
    this.online = false;
    this.closeSocket();
    this.reset();
    this.emit(EVENT.KICKED_OUT, { type });
  }

  private reset(): void {
    this.user = '';
    this.sig = '';
    this.ready = false;
    this.groups.clear();
  }

  // ---------------------------------------------------------------- the API
  async login(o: {
    userID: string;
    userSig: string;
  }): Promise<{ code: number; data: { repeatLogin: boolean } }> {
    const userID = o?.userID;
    const userSig = o?.userSig;
    if (typeof userID !== 'string' || !userID || typeof userSig !== 'string' || !userSig) {
      throw chatError(PARAM, 'login needs userID and userSig');
    }
    if (this.user) {
      if (this.user === userID) return { code: 0, data: { repeatLogin: true } };
      throw chatError(PARAM, `already logged in as ${this.user}: log out first`);
    }
    if (!this.ws) await this.open();
    try {
      await this.request({ op: 'login', sdkAppID: this.SDKAppID, userID, userSig });
    } catch (e) {
      this.closeSocket();
      throw e;
    }
    this.user = userID;
    this.sig = userSig;
    this.online = true;
    this.emit(EVENT.NET_STATE_CHANGE, { state: TYPES.NET_STATE_CONNECTED });
    // the SDK syncs after login and then reports ready
    setTimeout(() => {
      if (this.user !== userID || this.ready) return;
      this.ready = true;
      this.emit(EVENT.SDK_READY);
    });
    return { code: 0, data: { repeatLogin: false } };
  }

  async logout(): Promise<{ code: number; data: Record<string, never> }> {
    if (!this.user) return { code: 0, data: {} };
    this.online = false;
    await this.request({ op: 'logout' }).catch(() => undefined);
    this.reset();
    this.closeSocket();
    this.emit(EVENT.SDK_NOT_READY);
    return { code: 0, data: {} };
  }

  async joinGroup(o: {
    groupID: string;
    type?: string;
  }): Promise<{ code: number; data: Record<string, unknown> }> {
    if (!this.user) throw chatError(NOT_LOGGED_IN, 'joinGroup: not logged in');
    const data = await this.request({ op: 'join', groupID: o?.groupID, type: o?.type });
    this.groups.clear(); // one AVChatRoom per user
    this.groups.add(o.groupID);
    return { code: 0, data };
  }

  /** An AVChatRoom (the emulator's chat has no other group type); its creator still joins it, as with the SDK. */
  async createGroup(o: {
    type: string;
    groupID: string;
    name: string;
  }): Promise<{ code: number; data: Record<string, unknown> }> {
    if (!this.user) throw chatError(NOT_LOGGED_IN, 'createGroup: not logged in');
    const data = await this.request({ op: 'create', groupID: o?.groupID, type: o?.type, name: o?.name });
    return { code: 0, data };
  }

  async quitGroup(groupID: string): Promise<{ code: number; data: { groupID: string } }> {
    if (!this.user) throw chatError(NOT_LOGGED_IN, 'quitGroup: not logged in');
    await this.request({ op: 'quit', groupID });
    this.groups.delete(groupID);
    return { code: 0, data: { groupID } };
  }

  createTextMessage(o: { to: string; conversationType: string; payload: { text: string } }): StandInMessage {
    if (typeof o?.payload?.text !== 'string')
      throw chatError(PARAM, 'createTextMessage: payload.text must be a string');
    return this.create(TYPES.MSG_TEXT, o, { text: o.payload.text });
  }

  createCustomMessage(o: {
    to: string;
    conversationType: string;
    payload: { data?: string; description?: string; extension?: string };
  }): StandInMessage {
    const p = o?.payload ?? {};
    return this.create(TYPES.MSG_CUSTOM, o, {
      data: p.data ?? '',
      description: p.description ?? '',
      extension: p.extension ?? '',
    });
  }

  private create(
    type: string,
    o: { to: string; conversationType: string; cloudCustomData?: string },
    payload: unknown,
  ): StandInMessage {
    if (!this.user) throw chatError(NOT_LOGGED_IN, 'creating a message: not logged in');
    return outgoingMessage(this.user, type, o, payload);
  }

  async sendMessage(m: StandInMessage): Promise<{ code: number; data: { message: StandInMessage } }> {
    if (!this.user) throw chatError(NOT_LOGGED_IN, 'sendMessage: not logged in');
    try {
      const data = await this.request({ op: 'send', message: wireMessage(m) });
      const stamped = data.message as ChatWireMessage | undefined;
      if (stamped) Object.assign(m, { from: stamped.from, time: stamped.time });
      m.status = 'success';
      return { code: 0, data: { message: m } };
    } catch (e) {
      m.status = 'fail';
      throw e;
    }
  }

  getLoginUser(): string {
    return this.user;
  }

  isReady(): boolean {
    return this.ready;
  }

  setLogLevel(): void {
    /* the stand-in has no log levels */
  }

  async destroy(): Promise<void> {
    await this.logout();
    this.stopDrop();
    this.listeners.clear();
    instances.delete(this.SDKAppID);
  }
}

const instances = new Map<number, StandInChat>();

/** `create({SDKAppID})`: the same instance per SDKAppID, like the real SDK. */
function create(o: { SDKAppID: number }): StandInChat {
  const id = Number(o?.SDKAppID);
  if (!Number.isInteger(id) || id <= 0) throw chatError(PARAM, 'create: SDKAppID must be a positive integer');
  let c = instances.get(id);
  if (!c) {
    c = new StandInChat(id);
    instances.set(id, c);
  }
  return c;
}

/** The module, as `import TencentCloudChat from '@tencentcloud/chat'` gives it. */
export const TencentCloudChat = { create, EVENT, TYPES, VERSION: 'preview-stand-in' };

export const CHAT_MODULE = '@tencentcloud/chat';

/** What esbuild's `__require` falls back to for a require it could not bundle. */
export function previewRequire(name: string): unknown {
  if (name === CHAT_MODULE) return TencentCloudChat;
  throw new Error(
    `[preview] require("${name}"): the browser preview bundles every module statically and only stands in for "${CHAT_MODULE}"`,
  );
}

const G = globalThis as { require?: unknown };
if (typeof G.require === 'undefined') G.require = previewRequire;
