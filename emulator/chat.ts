/**
 * Chat relay: the emulator's stand-in for Tencent Cloud Chat, used by the preview's `@tencentcloud/chat`
 * stand-in (preview/runtime/chat.ts). One chat login per WebSocket: login (UserSig checked with the same
 * verifier as TRTC rooms), AVChatRoom groups that exist once a client created them (as in the cloud, a join
 * before that is 10010; a group outlives its members), one AVChatRoom per user, group messages fanned out to
 * the other members, C2C messages to the user's current login, and a second login of the same userID kicks
 * the first one (`multipleAccount`). Nothing is stored: a message to a user who is not logged in is dropped. An
 * account exists once it logged in (the emulator has no REST account import): a C2C to any other userID is
 * 20003, as the cloud answers one to an account that does not exist (docs/platform-facts.md (e)).
 */
import { createChatAdmin, type ChatAdmin } from './chat-admin';
import { clientMessageError, nowSec, relayedMessage } from './chat-message';
import { CHAT, CHAT_TYPES, type ChatRequest, type ChatWireMessage, type ServerMessage } from './protocol';

export interface ChatVerifyResult {
  ok: boolean;
  reason?: string;
  /** unix seconds the UserSig is valid until: the login is kicked out then (userSigExpired) */
  expireAt?: number;
}

/** One WebSocket as the relay sees it. */
export interface ChatConn {
  send(msg: ServerMessage): void;
  /** closes the socket (after a kick) */
  close(code: number, reason: string): void;
}

export interface ChatUser {
  conn: ChatConn;
  sdkAppID: number;
  userID: string;
  /** the UserSig it logged in with */
  userSig: string;
  /** group IDs (at most one AVChatRoom) */
  groups: Set<string>;
  /** the kick at the UserSig's expiry */
  expiry?: NodeJS.Timeout;
}

/** An AVChatRoom a client created: its owner, members by userID, and the users a kick keeps out until when (ms). */
export interface ChatGroup {
  owner: string;
  members: Map<string, ChatUser>;
  bans: Map<string, number>;
}

export interface ChatGroupSnapshot {
  sdkAppID: number;
  groupID: string;
  members: string[];
  /** the users a kick with a duration keeps out of it now (only when there are any) */
  banned?: string[];
}

/** The relay: the clients' requests (handle, drop), and the cloud's own actions (./chat-admin.ts). */
export interface ChatRelay extends ChatAdmin {
  handle(conn: ChatConn, req: ChatRequest): void;
  /** the connection closed: its login ends (no kick, no ack) */
  drop(conn: ChatConn): void;
  /** whether this connection is logged in (heartbeat bookkeeping) */
  loggedIn(conn: ChatConn): boolean;
  users(): Array<{ sdkAppID: number; userID: string; groups: string[] }>;
  groups(): ChatGroupSnapshot[];
}

export interface ChatRelayOptions {
  verifyUserSig: (p: { sdkAppID: number; userID: string; userSig: string }) => ChatVerifyResult;
  /** sends one message to many connections (the emulator counts fan-outs) */
  fanout: (targets: ChatConn[], msg: ServerMessage) => void;
  /** the kick close code */
  kickCloseCode: number;
  /** the close code of a lost network (an injected drop, a login during an outage) */
  networkCloseCode: number;
  /** the user's network is down (an injected outage): a login gets no answer, its connection closes */
  inOutage?: (userID: string) => boolean;
  /** AVChatRooms one SDKAppID may have (10036 beyond), default 1000 */
  maxGroups?: number;
}

/** Chat's UserSig error codes, from the verifier's reasons (server/trtc.ts verifyUserSig). */
export function sigErrorCode(reason: string | undefined): number {
  switch (reason) {
    case 'expired':
      return CHAT.SIG_EXPIRED;
    case 'bad-signature':
      return CHAT.SIG_VERIFY_FAILED;
    case 'userid-mismatch':
      return CHAT.SIG_USER_MISMATCH;
    case 'sdkappid-mismatch':
      return CHAT.SIG_APP_MISMATCH;
    default:
      return CHAT.SIG_INVALID;
  }
}

/** Tencent Cloud Chat limits one message to 12 KB. */
const MAX_GROUP_ID_BYTES = 48;
/** the SDK's createGroup: a name is at most 30 bytes */
const MAX_GROUP_NAME_BYTES = 30;

export function createChatRelay(opts: ChatRelayOptions): ChatRelay {
  const byConn = new Map<ChatConn, ChatUser>();
  /** `${sdkAppID}:${userID}` → the current login */
  const byUser = new Map<string, ChatUser>();
  /**
   * `${sdkAppID}:${groupID}` → the AVChatRoom a client created: its owner, members by userID, and the users a
   * kick with a duration keeps out, until when (ms; the group's own: a group dismissed takes its bans with it)
   */
  const groups = new Map<string, ChatGroup>();
  /** `${sdkAppID}:${userID}` of every account that ever logged in: the accounts that exist */
  const accounts = new Set<string>();
  const maxGroups = opts.maxGroups ?? 1000;
  let tipSeq = 0;

  /** users and groups are per app: `${sdkAppID}:${id}` */
  const appKey = (app: number, id: string): string => `${app}:${id}`;

  function ack(conn: ChatConn, rid: number, code = 0, message = 'ok', data?: Record<string, unknown>): void {
    conn.send(data ? { t: 'im_ack', rid, code, message, data } : { t: 'im_ack', rid, code, message });
  }

  const avRoom = (groupID: string) => ({ groupID, type: CHAT_TYPES.GRP_AVCHATROOM });

  function tip(u: ChatUser, groupID: string, operationType: number, operatorID = u.userID): ChatWireMessage {
    return {
      ID: `tip-${++tipSeq}`,
      type: CHAT_TYPES.MSG_GRP_TIP,
      conversationType: CHAT_TYPES.CONV_GROUP,
      to: groupID,
      from: '@TIM#SYSTEM',
      time: nowSec(),
      payload: { operationType, operatorID, userIDList: [u.userID] },
    };
  }

  function leaveGroup(u: ChatUser, groupID: string, kicked = false): void {
    u.groups.delete(groupID);
    const members = groups.get(appKey(u.sdkAppID, groupID))?.members;
    if (!members || members.get(u.userID) !== u) return;
    members.delete(u.userID);
    if (members.size === 0) return; // the group stays (an AVChatRoom ends when it is dismissed)
    // an admin's kick: the operator is the admin, the member removed is in userIDList
    const t = kicked
      ? tip(u, groupID, CHAT_TYPES.GRP_TIP_MBR_KICKED_OUT, 'administrator')
      : tip(u, groupID, CHAT_TYPES.GRP_TIP_MBR_QUIT);
    opts.fanout(
      [...members.values()].map((m) => m.conn),
      { t: 'im_msg', messages: [t] },
    );
  }

  function end(u: ChatUser): void {
    if (u.expiry) clearTimeout(u.expiry);
    for (const g of [...u.groups]) leaveGroup(u, g);
    byConn.delete(u.conn);
    const key = appKey(u.sdkAppID, u.userID);
    if (byUser.get(key) === u) byUser.delete(key);
  }

  /** The cloud ends a login: it hears why (KICKED_OUT type), then its connection closes. */
  function kickOut(u: ChatUser, type: string, reason: string): void {
    end(u);
    u.conn.send({ t: 'im_kicked', type });
    u.conn.close(opts.kickCloseCode, reason);
  }

  function login(conn: ChatConn, req: Extract<ChatRequest, { op: 'login' }>): void {
    const { rid } = req;
    const current = byConn.get(conn);
    if (current) {
      if (current.userID === req.userID && current.sdkAppID === req.sdkAppID) {
        return ack(conn, rid, 0, 'ok', { repeatLogin: true });
      }
      return ack(conn, rid, CHAT.PARAM, `already logged in as ${current.userID} on this connection`);
    }
    if (
      !Number.isInteger(req.sdkAppID) ||
      req.sdkAppID <= 0 ||
      typeof req.userID !== 'string' ||
      !req.userID
    ) {
      return ack(conn, rid, CHAT.PARAM, 'login needs a positive SDKAppID and a userID');
    }
    if (opts.inOutage?.(req.userID)) return conn.close(opts.networkCloseCode, 'network down');
    const userSig = String(req.userSig ?? '');
    const v = opts.verifyUserSig({ sdkAppID: req.sdkAppID, userID: req.userID, userSig });
    if (!v.ok)
      return ack(conn, rid, sigErrorCode(v.reason), `UserSig check failed: ${v.reason ?? 'invalid'}`);
    const key = appKey(req.sdkAppID, req.userID);
    const old = byUser.get(key);
    if (old) kickOut(old, CHAT_TYPES.KICKED_OUT_MULT_ACCOUNT, 'kicked');
    const u: ChatUser = { conn, sdkAppID: req.sdkAppID, userID: req.userID, userSig, groups: new Set() };
    byConn.set(conn, u);
    byUser.set(key, u);
    accounts.add(key);
    if (v.expireAt) {
      // Chat ends a login whose UserSig expires (KICKED_OUT, type userSigExpired)
      u.expiry = setTimeout(
        () => {
          if (byConn.get(conn) === u) kickOut(u, CHAT_TYPES.KICKED_OUT_USERSIG_EXPIRED, 'usersig expired');
        },
        Math.max(0, (v.expireAt + 1) * 1000 + 20 - Date.now()),
      );
      u.expiry.unref();
    }
    ack(conn, rid, 0, 'ok', { repeatLogin: false });
  }

  function join(u: ChatUser, rid: number, groupID: unknown): void {
    if (typeof groupID !== 'string' || !groupID || Buffer.byteLength(groupID) > MAX_GROUP_ID_BYTES) {
      return ack(u.conn, rid, CHAT.BAD_GROUP_ID, 'invalid group ID');
    }
    if (u.groups.has(groupID)) {
      return ack(u.conn, rid, 0, 'ok', {
        status: CHAT_TYPES.JOIN_STATUS_ALREADY_IN_GROUP,
        group: avRoom(groupID),
      });
    }
    const group = groups.get(appKey(u.sdkAppID, groupID));
    if (!group) return ack(u.conn, rid, CHAT.NO_GROUP, `group ${groupID} does not exist`);
    const { members, bans } = group;
    const until = bans.get(u.userID);
    if (until !== undefined && until > Date.now()) {
      const left = Math.ceil((until - Date.now()) / 1000);
      return ack(
        u.conn,
        rid,
        CHAT.KICK_BANNED,
        `kicked out of group ${groupID}: no rejoining for another ${left} s`,
      );
    }
    if (until !== undefined) bans.delete(u.userID);
    // one AVChatRoom per user: joining another leaves the current one
    for (const g of [...u.groups]) leaveGroup(u, g);
    const others = [...members.values()].map((m) => m.conn);
    members.set(u.userID, u);
    u.groups.add(groupID);
    ack(u.conn, rid, 0, 'ok', {
      status: CHAT_TYPES.JOIN_STATUS_SUCCESS,
      group: avRoom(groupID),
    });
    opts.fanout(others, { t: 'im_msg', messages: [tip(u, groupID, CHAT_TYPES.GRP_TIP_MBR_JOIN)] });
  }

  /** createGroup: an AVChatRoom owned by `u`, who still has to join it (as with the SDK). */
  function create(u: ChatUser, req: Extract<ChatRequest, { op: 'create' }>): void {
    const { rid, groupID } = req;
    if (!groupID || Buffer.byteLength(groupID) > MAX_GROUP_ID_BYTES) {
      return ack(u.conn, rid, CHAT.BAD_GROUP_ID, 'invalid group ID');
    }
    if (req.type !== CHAT_TYPES.GRP_AVCHATROOM) {
      return ack(u.conn, rid, CHAT.PARAM, `the emulator's chat has AVChatRoom groups only, not ${req.type}`);
    }
    if (!req.name || Buffer.byteLength(req.name) > MAX_GROUP_NAME_BYTES) {
      return ack(u.conn, rid, CHAT.PARAM, `a group name is 1-${MAX_GROUP_NAME_BYTES} bytes`);
    }
    const key = appKey(u.sdkAppID, groupID);
    const g = groups.get(key);
    if (g) {
      return g.owner === u.userID
        ? ack(u.conn, rid, CHAT.GROUP_ID_OWN, `group ${groupID} exists and is yours`)
        : ack(u.conn, rid, CHAT.GROUP_ID_TAKEN, `group ID ${groupID} is taken`);
    }
    let count = 0;
    for (const k of groups.keys()) if (k.startsWith(`${u.sdkAppID}:`)) count++;
    if (count >= maxGroups) return ack(u.conn, rid, CHAT.GROUP_QUOTA, 'too many AVChatRooms for this app');
    groups.set(key, { owner: u.userID, members: new Map(), bans: new Map() });
    ack(u.conn, rid, 0, 'ok', { group: avRoom(groupID) });
  }

  function sendMessage(u: ChatUser, rid: number, m: ChatWireMessage | undefined): void {
    const bad = clientMessageError(m);
    if (bad) return ack(u.conn, rid, bad.code, bad.message);
    const out = relayedMessage(m as ChatWireMessage, u.userID);
    let targets: ChatConn[];
    if (out.conversationType === CHAT_TYPES.CONV_GROUP) {
      const members = groups.get(appKey(u.sdkAppID, out.to))?.members;
      if (!members || members.get(u.userID) !== u) {
        return ack(u.conn, rid, CHAT.NOT_MEMBER, `not a member of group ${out.to}`);
      }
      targets = [...members.values()].filter((x) => x !== u).map((x) => x.conn);
    } else if (out.conversationType === CHAT_TYPES.CONV_C2C) {
      if (!accounts.has(appKey(u.sdkAppID, out.to))) {
        return ack(u.conn, rid, CHAT.NO_USER, `the recipient UserID ${out.to} is invalid or does not exist`);
      }
      const to = byUser.get(appKey(u.sdkAppID, out.to));
      targets = to && to !== u ? [to.conn] : [];
    } else {
      return ack(u.conn, rid, CHAT.PARAM, `unsupported conversationType ${String(out.conversationType)}`);
    }
    ack(u.conn, rid, 0, 'ok', { message: out });
    opts.fanout(targets, { t: 'im_msg', messages: [out] });
  }

  const admin = createChatAdmin({
    byUser,
    groups,
    appKey,
    avRoom,
    nextSeq: () => ++tipSeq,
    end,
    kickOut,
    leaveGroup,
    networkCloseCode: opts.networkCloseCode,
  });

  return {
    handle(conn, req) {
      const rid = Number(req.rid) || 0;
      if (req.op === 'login') return login(conn, req);
      const u = byConn.get(conn);
      if (!u) return ack(conn, rid, CHAT.NOT_LOGGED_IN, 'not logged in');
      switch (req.op) {
        case 'logout':
          end(u);
          return ack(conn, rid);
        case 'join':
          return join(u, rid, req.groupID);
        case 'create':
          return create(u, req);
        case 'quit':
          if (!u.groups.has(req.groupID)) {
            return ack(conn, rid, CHAT.NOT_MEMBER, `not a member of group ${String(req.groupID)}`);
          }
          leaveGroup(u, req.groupID);
          return ack(conn, rid, 0, 'ok', { groupID: req.groupID });
        case 'send':
          return sendMessage(u, rid, req.message);
        default:
          return ack(conn, rid, CHAT.PARAM, 'unknown chat request');
      }
    },
    ...admin,
    drop(conn) {
      const u = byConn.get(conn);
      if (u) end(u);
    },
    loggedIn(conn) {
      return byConn.has(conn);
    },
    users() {
      return [...byUser.values()].map((u) => ({
        sdkAppID: u.sdkAppID,
        userID: u.userID,
        groups: [...u.groups],
      }));
    },
    groups() {
      const now = Date.now();
      return [...groups.entries()].map(([key, { members, bans }]) => {
        const i = key.indexOf(':');
        const banned = [...bans].filter(([, until]) => until > now).map(([userID]) => userID);
        return {
          sdkAppID: Number(key.slice(0, i)),
          groupID: key.slice(i + 1),
          members: [...members.keys()].sort(),
          ...(banned.length ? { banned: banned.sort() } : {}),
        };
      });
    },
  };
}
