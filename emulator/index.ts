/**
 * Room emulator: a local stand-in for the TRTC cloud (WeChat) and Volcengine RTC (Douyin).
 * It keeps rooms and members, verifies credentials, tells members about each other and relays WebRTC
 * signalling; media flows peer-to-peer between the browsers. It also relays chat (emulator/chat.ts) for the
 * preview's `@tencentcloud/chat` stand-in, on separate connections to the same path.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { createChatRelay, type ChatConn, type ChatGroupSnapshot } from './chat';
import type { Fault, TraceEvent } from './faults';
import {
  CLOSE,
  EXIT_REASON,
  TRTC,
  VOLC,
  playUrl,
  type ClientFault,
  type ClientMessage,
  type Model,
  type ServerMessage,
  type TrtcJoin,
  type VolcEventName,
  type VolcJoin,
} from './protocol';

export * from './protocol';
export { sigErrorCode, type ChatGroupSnapshot } from './chat';
export {
  checkFault,
  checkTrace,
  FAULT_KINDS,
  type Fault,
  type FaultKind,
  type Trace,
  type TraceEvent,
} from './faults';
import { checkFrame } from './schema';
import { CONTROL_WS_PATH, controlUpgrade, handleControl } from './control';
export { controlClient, handleControl, shippedTraces, type ControlClient } from './control';

export interface VerifyResult {
  ok: boolean;
  reason?: string;
  /** unix seconds the credential is valid until (Volcengine: will-expire 30 s before, removal at it) */
  expireAt?: number;
}

/** A checked TRTC PrivateMapKey: who, which room, until when, which rights (TRTC_PRIVILEGE bits). */
export interface PrivateMapResult {
  ok: boolean;
  reason?: string;
  userID?: string;
  roomID?: number;
  strRoomID?: string;
  /** unix seconds */
  expireAt?: number;
  privileges?: number;
}

/** A checked Volcengine token with its privileges (each value its expiry in unix seconds, 0 = never). */
export interface VolcVerifyResult extends VerifyResult {
  privileges?: { publish?: number; subscribe?: number };
}

/** Per-process limits; every one protects the other members' calls from one bad or greedy socket. */
export interface EmulatorLimits {
  /** bad frames a socket may send (each answered with an error) before it is closed */
  maxBadFrames: number;
  /** bytes queued for one socket before it counts as not reading and is dropped */
  sendBufferBytes: number;
  /** frames per second a socket may send on average, and the burst it may send at once */
  ratePerSecond: number;
  rateBurst: number;
  /** a socket that has not joined a room (or logged in to chat) by then is closed */
  joinDeadlineMs: number;
  maxRooms: number;
  maxMembersPerRoom: number;
  maxSockets: number;
  /** the largest frame accepted (bigger ones close the socket, 1009) */
  maxFrameBytes: number;
}

export const DEFAULT_LIMITS: EmulatorLimits = {
  maxBadFrames: 5,
  sendBufferBytes: 1 << 20,
  ratePerSecond: 200,
  rateBurst: 1000,
  joinDeadlineMs: 10000,
  maxRooms: 1000,
  maxMembersPerRoom: 300,
  maxSockets: 4000,
  maxFrameBytes: 64 * 1024,
};

/** TRTC PrivateMapKey bits the emulator checks (server/trtc.ts TRTC_PRIVILEGE). */
const PRIV = {
  CREATE: 1,
  ENTER: 2,
  SEND_AUDIO: 4,
  RECV_AUDIO: 8,
  SEND_VIDEO: 16,
  RECV_VIDEO: 32,
  SEND_SUB: 64,
  RECV_SUB: 128,
};

export interface EmulatorOptions {
  /** Attach to this HTTP server (upgrade requests on `path`); otherwise the emulator listens on its own. */
  server?: http.Server;
  /** WebSocket path, default `/rtc`. */
  path?: string;
  /** TRTC: accept or refuse a UserSig. Default: refuse everything (a misconfigured emulator must not let anyone in). */
  verifyUserSig?: (p: { sdkAppID: number; userID: string; userSig: string }) => VerifyResult;
  /** TRTC: check a PrivateMapKey (signature, user); room, expiry and rights are checked by the emulator. */
  verifyPrivateMapKey?: (p: { sdkAppID: number; userID: string; privateMapKey: string }) => PrivateMapResult;
  /** TRTC: refuse entry without a PrivateMapKey (the console's "advanced permission control"). */
  requirePrivateMapKey?: boolean;
  /** Volcengine: accept or refuse a token for this room and user (with its privileges when it has them). */
  verifyVolcToken?: (p: { appID: string; roomId: string; userId: string; token: string }) => VolcVerifyResult;
  limits?: Partial<EmulatorLimits>;
  /** where the emulator reports what it refused or caught (default: stderr) */
  log?: (line: string) => void;
  /** Ping period; a member that misses `heartbeatMisses` pongs in a row is dropped. */
  heartbeatMs?: number;
  heartbeatMisses?: number;
  /** Called for every fan-out (one event sent to n members), for the bench. */
  onFanout?: (p: { recipients: number; ns: number }) => void;
}

interface Member {
  model: Model;
  room: Room;
  userID: string;
  ws: WebSocket;
  /** what the member publishes as the room sees it (only what its rights allow) */
  audio: boolean;
  video: boolean;
  screen: boolean;
  missed: number;
  rights: { sendAudio: boolean; sendVideo: boolean; sendSub: boolean; recv: boolean };
  timers: Set<NodeJS.Timeout>;
}

/** Per-user fault switches (faults.ts), kept until cleared so re-entries see them too. */
interface UserFaults {
  ios?: boolean;
  duplicate?: boolean;
  videoFirst?: boolean;
  noise?: NodeJS.Timeout;
  /** re-entries are refused until this time (ms) */
  outageUntil?: number;
  /** browser-side faults to repeat to a re-entered session */
  client: ClientFault[];
}

export interface EmulatorHealth {
  sockets: number;
  rooms: number;
  members: number;
  /** sockets closed, by why */
  closed: { badFrames: number; slow: number; rate: number; deadline: number; capacity: number };
  /** frames refused (each answered with an error) */
  refused: number;
  /** handler exceptions caught */
  caught: number;
}

interface Room {
  key: string;
  model: Model;
  members: Map<string, Member>;
}

export interface RoomSnapshot {
  key: string;
  members: Array<{ userID: string; audio: boolean; video: boolean; screen: boolean }>;
}

export interface Emulator {
  /** `ws://host:port/rtc` once listening. */
  readonly url: string;
  readonly port: number;
  listen(port?: number, host?: string): Promise<number>;
  close(): Promise<void>;
  rooms(): RoomSnapshot[];
  /** Dismiss a room: every member gets 1019 reason 2 (TRTC) / onRtcChatInterrupted (Volc). */
  dismiss(roomKey: string): void;
  /** Injects a fault (checked with checkFault first); returns the user IDs it reached. */
  inject(fault: Fault): string[];
  /** What the limits have done so far. */
  health(): EmulatorHealth;
  /** Fan-out counters since start (for the bench). */
  stats(): { fanouts: number; recipients: number; ns: number };
  /** Chat: logged-in users and AVChatRoom groups. */
  chat(): {
    users: Array<{ sdkAppID: number; userID: string; groups: string[] }>;
    groups: ChatGroupSnapshot[];
  };
}

/** A chat login's connection (one per WebSocket that sent a chat request). */
interface WsChatConn extends ChatConn {
  ws: WebSocket;
  missed: number;
}

function trtcRoomKey(j: TrtcJoin): string | null {
  if (typeof j.strRoomID === 'string' && j.strRoomID.length > 0) return `trtc:${j.sdkAppID}:s:${j.strRoomID}`;
  if (typeof j.roomID === 'number') return `trtc:${j.sdkAppID}:n:${j.roomID}`;
  return null;
}

/** Whether a fault's `room` names this room (its key, or the room ID at the end of the key). */
function roomMatches(room: Room, want: string | undefined): boolean {
  if (want === undefined) return true;
  if (room.key === want) return true;
  return room.key.endsWith(`:${want}`);
}

const unixNow = (): number => Math.floor(Date.now() / 1000);

/** One socket: what it is (room member, chat login, nothing yet) and what it has used of its budgets. */
interface Conn {
  ws: WebSocket;
  member: Member | null;
  joining: boolean;
  chat: WsChatConn;
  bad: number;
  tokens: number;
  refilled: number;
  deadline: NodeJS.Timeout | null;
}

export function createEmulator(opts: EmulatorOptions = {}): Emulator {
  const wsPath = opts.path ?? '/rtc';
  const heartbeatMs = opts.heartbeatMs ?? 1000;
  const heartbeatMisses = opts.heartbeatMisses ?? 2;
  const limits: EmulatorLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const log = opts.log ?? ((line: string) => process.stderr.write(`emulator: ${line}\n`));
  const verifyUserSig = opts.verifyUserSig ?? (() => ({ ok: false, reason: 'no verifier configured' }));
  const verifyVolcToken = opts.verifyVolcToken ?? (() => ({ ok: false, reason: 'no verifier configured' }));
  const verifyPrivateMapKey =
    opts.verifyPrivateMapKey ?? ((): PrivateMapResult => ({ ok: false, reason: 'no verifier configured' }));
  const rooms = new Map<string, Room>();
  const conns = new Map<WebSocket, Conn>();
  const userFaults = new Map<string, UserFaults>();
  /**
   * Members the client took out of the room after 5000 (suspended): the socket stays, the room no longer has
   * them; the client enters again by itself when the app is back in the foreground (wechat-trtc.md §2.4).
   */
  const suspended = new Set<Member>();
  const stats = { fanouts: 0, recipients: 0, ns: 0 };
  const health = {
    closed: { badFrames: 0, slow: 0, rate: 0, deadline: 0, capacity: 0 },
    refused: 0,
    caught: 0,
  };
  const ownServer = !opts.server;
  const server =
    opts.server ??
    http.createServer((req, res) => {
      // the control API (faults, health) on the emulator's own port; everything else is WebSocket only
      if (!handleControl(api, req, res)) res.writeHead(426).end('websocket only\n');
    });
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes });
  const controlWss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 });
  let port = 0;
  let host = '127.0.0.1';

  /** Runs a handler; an exception is logged and counted, never thrown into the event loop. */
  function guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      health.caught++;
      log(`${what} failed: ${(e as Error)?.stack ?? String(e)}`);
    }
  }

  const onUpgrade = (req: http.IncomingMessage, socket: import('stream').Duplex, head: Buffer): void => {
    guard('upgrade', () => {
      const pathname = (req.url ?? '').split('?')[0];
      if (pathname === CONTROL_WS_PATH) return controlUpgrade(api, controlWss, req, socket, head);
      if (pathname !== wsPath) return; // someone else's upgrade (or a 404 via the owner)
      if (conns.size >= limits.maxSockets) {
        health.closed.capacity++;
        socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    });
  };
  server.on('upgrade', onUpgrade);

  /** Queues a frame unless the socket already holds more than its send buffer: then it is dropped. */
  function deliver(ws: WebSocket, text: string): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount + text.length > limits.sendBufferBytes) {
      health.closed.slow++;
      log(`dropped a socket that does not read (${ws.bufferedAmount} bytes queued)`);
      ws.terminate(); // 'close' removes its member and tells the room
      return;
    }
    ws.send(text);
  }

  function send(ws: WebSocket, msg: ServerMessage): void {
    deliver(ws, JSON.stringify(msg));
  }

  function faultsOf(userID: string): UserFaults {
    let f = userFaults.get(userID);
    if (!f) {
      f = { client: [] };
      userFaults.set(userID, f);
    }
    return f;
  }

  /** Room events to a member, doubled when its `duplicate` fault is on. */
  function toMember(m: Member, msg: ServerMessage): void {
    const text = JSON.stringify(msg);
    deliver(m.ws, text);
    if (userFaults.get(m.userID)?.duplicate && (msg.t === 'event' || msg.t === 'tt')) deliver(m.ws, text);
  }

  /** Sends one message to many members and records the cost. */
  function fanout(targets: Array<{ ws: WebSocket; userID?: string }>, msg: ServerMessage): void {
    if (targets.length === 0) return;
    const t0 = process.hrtime.bigint();
    const text = JSON.stringify(msg);
    const room = msg.t === 'event' || msg.t === 'tt';
    for (const m of targets) {
      deliver(m.ws, text);
      if (room && m.userID !== undefined && userFaults.get(m.userID)?.duplicate) deliver(m.ws, text);
    }
    const ns = Number(process.hrtime.bigint() - t0);
    stats.fanouts++;
    stats.recipients += targets.length;
    stats.ns += ns;
    opts.onFanout?.({ recipients: targets.length, ns });
  }

  const chat = createChatRelay({
    verifyUserSig: (p) => verifyUserSig(p),
    fanout: (targets, msg) => fanout(targets as WsChatConn[], msg),
    kickCloseCode: CLOSE.KICKED,
  });

  function others(room: Room, self: Member): Member[] {
    return [...room.members.values()].filter((m) => m !== self);
  }

  function trtcEvent(code: number, list: unknown[]): ServerMessage {
    return { t: 'event', code, message: JSON.stringify({ userlist: list }) };
  }

  const videoItem = (m: Member, on: boolean, aux = false) => ({
    userid: m.userID,
    playurl: playUrl(m.userID, aux ? 'aux' : 'main'),
    streamtype: aux ? 'aux' : 'main',
    hasvideo: on,
  });
  const audioItem = (m: Member, on: boolean) => ({
    userid: m.userID,
    playurl: playUrl(m.userID),
    hasaudio: on,
  });

  function volcList(room: Room, w: 'chat' | 'video' | 'speakers' | 'screen'): ServerMessage {
    const all = [...room.members.values()];
    const [name, pick]: [VolcEventName, (m: Member) => boolean] =
      w === 'chat'
        ? ['onRtcChatMembersChanged', () => true]
        : w === 'video'
          ? ['onRtcVideoMembersChanged', (m) => m.video]
          : w === 'speakers'
            ? ['onRtcChatSpeakersChanged', (m) => m.audio]
            : ['onRtcPublishScreenMembersChanged', (m) => m.screen];
    return { t: 'tt', name, data: { userIdList: all.filter(pick).map((m) => m.userID) } };
  }

  /** Only the lists that changed, so a mute does not re-announce the membership. */
  function volcChanged(room: Room, which: Array<'chat' | 'video' | 'speakers' | 'screen'>): void {
    const all = [...room.members.values()];
    for (const w of which) fanout(all, volcList(room, w));
  }

  function endMember(m: Member): void {
    for (const t of m.timers) clearTimeout(t);
    m.timers.clear();
  }

  /** Removes a member and tells the others. */
  function removeMember(m: Member): void {
    const room = m.room;
    if (room.members.get(m.userID) !== m) return;
    endMember(m);
    room.members.delete(m.userID);
    const rest = [...room.members.values()];
    if (m.model === 'trtc') {
      if (m.video) fanout(rest, trtcEvent(TRTC.VIDEO, [videoItem(m, false)]));
      if (m.screen) fanout(rest, trtcEvent(TRTC.VIDEO, [videoItem(m, false, true)]));
      if (m.audio) fanout(rest, trtcEvent(TRTC.AUDIO, [audioItem(m, false)]));
      fanout(rest, trtcEvent(TRTC.USER_LEAVE, [{ userid: m.userID }]));
    } else if (rest.length > 0) {
      volcChanged(room, [
        'chat',
        ...(m.video ? (['video'] as const) : []),
        ...(m.audio ? (['speakers'] as const) : []),
        ...(m.screen ? (['screen'] as const) : []),
      ]);
    }
    if (room.members.size === 0) rooms.delete(room.key);
  }

  /** Ends a member's session from the cloud's side: the event it would get, then the socket closes. */
  function kick(m: Member, reason: number, volc?: { errNo: number; errMsg: string }): void {
    if (m.model === 'trtc') {
      send(m.ws, { t: 'event', code: TRTC.EXIT, message: `onExitRoom reason[${reason}]` });
    } else {
      const d =
        volc ??
        (reason === EXIT_REASON.KICKED
          ? { errNo: VOLC.DUPLICATE_LOGIN, errMsg: 'duplicate login: user joined from another device' }
          : reason === EXIT_REASON.DISMISSED
            ? { errNo: VOLC.ROOM_DISMISSED, errMsg: 'room dismissed' }
            : { errNo: VOLC.KICKED_OUT, errMsg: `kicked out by the server (reason ${reason})` });
      send(m.ws, { t: 'tt', name: 'onRtcChatInterrupted', data: d });
    }
    removeMember(m);
    const conn = conns.get(m.ws);
    if (conn) conn.member = null;
    m.ws.close(CLOSE.KICKED, reason === EXIT_REASON.KICKED ? 'kicked' : 'dismissed');
  }

  /** A lost connection as the network loses it: no goodbye, the socket just ends. */
  function cut(m: Member): void {
    removeMember(m);
    const conn = conns.get(m.ws);
    if (conn) conn.member = null;
    m.ws.close(CLOSE.NETWORK, 'network lost');
  }

  /** What a newcomer learns about the room (TRTC), in the order the client reports it. */
  function trtcIntro(m: Member, existing: Member[]): void {
    if (!existing.length) return;
    const enter = trtcEvent(
      TRTC.USER_ENTER,
      existing.map((e) => ({ userid: e.userID })),
    );
    const media: ServerMessage[] = [];
    const vids = existing.filter((e) => e.video);
    if (vids.length)
      media.push(
        trtcEvent(
          TRTC.VIDEO,
          vids.map((e) => videoItem(e, true)),
        ),
      );
    const scr = existing.filter((e) => e.screen);
    if (scr.length)
      media.push(
        trtcEvent(
          TRTC.VIDEO,
          scr.map((e) => videoItem(e, true, true)),
        ),
      );
    const auds = existing.filter((e) => e.audio);
    if (auds.length)
      media.push(
        trtcEvent(
          TRTC.AUDIO,
          auds.map((e) => audioItem(e, true)),
        ),
      );
    const first = userFaults.get(m.userID)?.videoFirst;
    for (const msg of first ? [...media, enter] : [enter, ...media]) toMember(m, msg);
  }

  /** What the room learns about a newcomer (TRTC); `video_first` members hear of the media first. */
  function trtcAnnounce(m: Member, existing: Member[]): void {
    const enter = trtcEvent(TRTC.USER_ENTER, [{ userid: m.userID }]);
    const media: ServerMessage[] = [];
    if (m.video) media.push(trtcEvent(TRTC.VIDEO, [videoItem(m, true)]));
    if (m.audio) media.push(trtcEvent(TRTC.AUDIO, [audioItem(m, true)]));
    const normal = existing.filter((e) => !userFaults.get(e.userID)?.videoFirst);
    const first = existing.filter((e) => userFaults.get(e.userID)?.videoFirst);
    for (const msg of [enter, ...media]) fanout(normal, msg);
    for (const msg of [...media, enter]) fanout(first, msg);
  }

  function newMember(
    model: Model,
    room: Room,
    userID: string,
    ws: WebSocket,
    rights: Member['rights'],
  ): Member {
    return {
      model,
      room,
      userID,
      ws,
      audio: false,
      video: false,
      screen: false,
      missed: 0,
      rights,
      timers: new Set(),
    };
  }

  function later(m: Member, ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      m.timers.delete(t);
      guard('timer', fn);
    }, ms);
    t.unref();
    m.timers.add(t);
  }

  /** Room and member caps; null when there is room. */
  function capacity(key: string): string | null {
    const room = rooms.get(key);
    if (!room && rooms.size >= limits.maxRooms) return `this emulator holds at most ${limits.maxRooms} rooms`;
    if (room && room.members.size >= limits.maxMembersPerRoom) {
      return `a room holds at most ${limits.maxMembersPerRoom} members`;
    }
    return null;
  }

  /** A join refused because the user's network is "down" (an injected outage). */
  function inOutage(userID: string): boolean {
    const until = userFaults.get(userID)?.outageUntil;
    return until !== undefined && Date.now() < until;
  }

  function joinTrtc(ws: WebSocket, j: TrtcJoin, t0: number): Member | null {
    const fail = (code: number, message: string): null => {
      send(ws, { t: 'join_failed', code, message });
      send(ws, { t: 'event', code, message });
      send(ws, { t: 'event', code: TRTC.ENTER_FAILED, message: `onEnterRoom failed, error code[${code}]` });
      ws.close(CLOSE.JOIN_FAILED, 'join failed');
      return null;
    };
    const key = trtcRoomKey(j);
    if (!key) return fail(-3316, 'invalid room or user parameters');
    if (inOutage(j.userID)) {
      ws.close(CLOSE.NETWORK, 'network down');
      return null;
    }
    const v = verifyUserSig({ sdkAppID: j.sdkAppID, userID: j.userID, userSig: j.userSig });
    if (!v.ok) return fail(TRTC.BAD_SIG, `userSig check failed: ${v.reason ?? 'invalid'}`);
    let privileges = 255;
    const pmk = j.privateMapKey ?? '';
    if (pmk !== '' || opts.requirePrivateMapKey) {
      if (pmk === '') return fail(TRTC.BAD_PRIVATE_MAP_KEY, 'privateMapKey is required in this application');
      const p = verifyPrivateMapKey({ sdkAppID: j.sdkAppID, userID: j.userID, privateMapKey: pmk });
      if (!p.ok)
        return fail(TRTC.BAD_PRIVATE_MAP_KEY, `privateMapKey check failed: ${p.reason ?? 'invalid'}`);
      const bound =
        j.strRoomID !== undefined && j.strRoomID !== ''
          ? p.strRoomID === j.strRoomID
          : p.strRoomID === undefined && p.roomID === j.roomID;
      if (!bound)
        return fail(TRTC.BAD_PRIVATE_MAP_KEY, 'privateMapKey check failed: issued for another room');
      if (p.expireAt !== undefined && unixNow() > p.expireAt) {
        return fail(TRTC.BAD_PRIVATE_MAP_KEY, 'privateMapKey check failed: expired');
      }
      privileges = p.privileges ?? 0;
      if (!(privileges & PRIV.ENTER)) {
        return fail(TRTC.BAD_PRIVATE_MAP_KEY, 'privateMapKey check failed: no right to enter the room');
      }
      if (!rooms.has(key) && !(privileges & PRIV.CREATE)) {
        return fail(TRTC.BAD_PRIVATE_MAP_KEY, 'privateMapKey check failed: no right to create the room');
      }
    }
    const full = capacity(key);
    if (full && !rooms.get(key)?.members.has(j.userID)) return fail(TRTC.ENTER_REFUSED, full);
    const old = rooms.get(key)?.members.get(j.userID);
    if (old) kick(old, EXIT_REASON.KICKED);
    const room = rooms.get(key) ?? { key, model: 'trtc' as const, members: new Map() };
    rooms.set(key, room);
    const m = newMember('trtc', room, j.userID, ws, {
      sendAudio: !!(privileges & PRIV.SEND_AUDIO),
      sendVideo: !!(privileges & PRIV.SEND_VIDEO),
      sendSub: !!(privileges & PRIV.SEND_SUB),
      recv: !!(privileges & (PRIV.RECV_AUDIO | PRIV.RECV_VIDEO)),
    });
    m.audio = j.audio && m.rights.sendAudio;
    m.video = j.video && m.rights.sendVideo;
    const existing = [...room.members.values()];
    room.members.set(m.userID, m);
    const cost = Date.now() - t0;
    send(ws, { t: 'joined', cost, userID: m.userID });
    send(ws, {
      t: 'event',
      code: TRTC.ENTER_OK,
      message: `onEnterRoom success, time cost[${Math.max(1, cost)}]`,
    });
    upstreamRefused(m, j);
    trtcIntro(m, existing);
    trtcAnnounce(m, existing);
    return m;
  }

  /** The publish rights a member asked for and does not have: the client's own warning, nothing published. */
  function upstreamRefused(m: Member, want: { audio?: boolean; video?: boolean; screen?: boolean }): void {
    const missing: string[] = [];
    if (want.video && !m.rights.sendVideo) missing.push('video');
    if (want.audio && !m.rights.sendAudio) missing.push('audio');
    if (m.model === 'trtc') {
      if (missing.length) {
        send(m.ws, {
          t: 'event',
          code: TRTC.UPSTREAM_IGNORED,
          message: `ignore upstream ${missing.join(' and ')}: the privateMapKey has no right to send it`,
        });
      }
      if (want.screen && !m.rights.sendSub) {
        send(m.ws, { t: 'event', code: TRTC.SCREEN_NOT_AUTHORIZED, message: 'no right to share the screen' });
      }
    } else if (missing.length || (want.screen && !m.rights.sendSub)) {
      send(m.ws, {
        t: 'tt',
        name: 'onRtcStateChanged',
        data: {
          errNo: VOLC.NO_PUBLISH_PERMISSION,
          errMsg: 'no publish permission: the token has no publish privilege',
          data: {},
        },
      });
    }
  }

  function joinVolc(ws: WebSocket, j: VolcJoin): Member | null {
    const fail = (errNo: number, errMsg: string): null => {
      send(ws, { t: 'join_failed', code: errNo, message: errMsg });
      ws.close(CLOSE.JOIN_FAILED, 'join failed');
      return null;
    };
    if (inOutage(j.userId)) {
      ws.close(CLOSE.NETWORK, 'network down');
      return null;
    }
    const v = verifyVolcToken({ appID: j.appID, roomId: j.roomId, userId: j.userId, token: j.token });
    if (!v.ok) return fail(VOLC.INVALID_TOKEN, 'joinRtcRoom:fail invalid token');
    const key = `volc:${j.appID}:${j.roomId}`;
    const full = capacity(key);
    if (full && !rooms.get(key)?.members.has(j.userId))
      return fail(VOLC.JOIN_FAILED, `joinRtcRoom:fail ${full}`);
    const old = rooms.get(key)?.members.get(j.userId);
    if (old) kick(old, EXIT_REASON.KICKED);
    const room = rooms.get(key) ?? { key, model: 'volc' as const, members: new Map() };
    rooms.set(key, room);
    const now = unixNow();
    const active = (exp: number | undefined): boolean => exp !== undefined && (exp === 0 || now <= exp);
    // a verifier without privileges (tests, older servers) grants everything, as a token with every right
    const pr = v.privileges;
    const canPublish = pr ? active(pr.publish) : true;
    const m = newMember('volc', room, j.userId, ws, {
      sendAudio: canPublish,
      sendVideo: canPublish,
      sendSub: canPublish,
      recv: pr ? active(pr.subscribe) : true,
    });
    m.audio = j.audio && canPublish;
    m.video = j.video && canPublish;
    room.members.set(m.userID, m);
    send(ws, { t: 'joined', cost: 0, userID: m.userID });
    const all = [...room.members.values()];
    for (const w of ['chat', 'video', 'speakers', 'screen'] as const) fanout(all, volcList(room, w));
    upstreamRefused(m, j);
    armExpiry(m, v.expireAt);
    return m;
  }

  /** Volcengine: onRoomTokenWillExpire 30 s before the token's expiry, removal (-1009) at it. */
  function armExpiry(m: Member, expireAt: number | undefined): void {
    if (!expireAt) return;
    const left = expireAt * 1000 - Date.now();
    later(m, Math.max(0, left - 30000), () =>
      send(m.ws, { t: 'tt', name: 'onRoomTokenWillExpire', data: {} }),
    );
    later(m, Math.max(0, left), () => kick(m, 0, { errNo: VOLC.TOKEN_EXPIRED, errMsg: 'token expired' }));
  }

  function update(m: Member, u: { audio?: boolean; video?: boolean; screen?: boolean }): void {
    upstreamRefused(m, {
      audio: u.audio === true && !m.audio,
      video: u.video === true && !m.video,
      screen: u.screen === true && !m.screen,
    });
    const changed: Array<'video' | 'speakers' | 'screen'> = [];
    const rest = others(m.room, m);
    const video = u.video === undefined ? m.video : u.video && m.rights.sendVideo;
    const screen = u.screen === undefined ? m.screen : u.screen && m.rights.sendSub;
    const audio = u.audio === undefined ? m.audio : u.audio && m.rights.sendAudio;
    if (video !== m.video) {
      m.video = video;
      changed.push('video');
      if (m.model === 'trtc') fanout(rest, trtcEvent(TRTC.VIDEO, [videoItem(m, m.video)]));
    }
    if (screen !== m.screen) {
      m.screen = screen;
      changed.push('screen');
      if (m.model === 'trtc') fanout(rest, trtcEvent(TRTC.VIDEO, [videoItem(m, m.screen, true)]));
    }
    if (audio !== m.audio) {
      m.audio = audio;
      changed.push('speakers');
      if (m.model === 'trtc') fanout(rest, trtcEvent(TRTC.AUDIO, [audioItem(m, m.audio)]));
    }
    if (m.model === 'volc' && changed.length) volcChanged(m.room, changed);
  }

  /** A frame this socket should not have sent: an error reply, and past the budget, the end of the socket. */
  function refuse(c: Conn, message: string, field?: string): void {
    health.refused++;
    send(c.ws, field === undefined ? { t: 'error', message } : { t: 'error', message, field });
    if (++c.bad >= limits.maxBadFrames && c.ws.readyState === WebSocket.OPEN) {
      health.closed.badFrames++;
      c.ws.close(CLOSE.BAD_MESSAGE, 'too many bad frames');
    }
  }

  /** Token bucket per socket; false when the frame is over the rate. */
  function withinRate(c: Conn): boolean {
    const now = Date.now();
    c.tokens = Math.min(limits.rateBurst, c.tokens + ((now - c.refilled) * limits.ratePerSecond) / 1000);
    c.refilled = now;
    if (c.tokens < 1) return false;
    c.tokens -= 1;
    return true;
  }

  function handle(c: Conn, msg: ClientMessage, t0: number): void {
    const ws = c.ws;
    if (c.member) c.member.missed = 0;
    c.chat.missed = 0;
    switch (msg.t) {
      case 'join':
        if (c.member || c.joining) return refuse(c, 'already joined on this connection');
        if (chat.loggedIn(c.chat)) return refuse(c, 'this connection is a chat login');
        c.joining = true;
        c.member = msg.model === 'volc' ? joinVolc(ws, msg) : joinTrtc(ws, msg, t0);
        if (c.member) clearDeadline(c);
        if (c.member) replayClientFaults(c.member);
        return;
      case 'update':
        if (c.member && suspended.has(c.member)) {
          // out of the room: remembered for the re-entry, announced to nobody
          const m = c.member;
          if (msg.audio !== undefined) m.audio = msg.audio && m.rights.sendAudio;
          if (msg.video !== undefined) m.video = msg.video && m.rights.sendVideo;
          if (msg.screen !== undefined) m.screen = msg.screen && m.rights.sendSub;
        } else if (c.member) update(c.member, msg);
        return;
      case 'leave':
        if (c.member) {
          const m = c.member;
          c.member = null;
          suspended.delete(m);
          removeMember(m);
          if (m.model === 'trtc' && !userFaults.get(m.userID)?.ios)
            send(ws, { t: 'event', code: TRTC.EXIT, message: `onExitRoom reason[${EXIT_REASON.NORMAL}]` });
          ws.close(CLOSE.LEFT, 'left');
        }
        return;
      case 'signal': {
        const m = c.member;
        if (!m || suspended.has(m)) return;
        const peer = m.room.members.get(msg.to);
        if (!peer) return;
        const data = msg.data as { kind?: string };
        if (data.kind === 'subscribe') {
          // a subscriber without the right to receive, or a publisher without the right to publish
          if (!m.rights.recv) {
            if (m.model === 'volc') {
              send(ws, {
                t: 'tt',
                name: 'onRtcStateChanged',
                data: { errNo: VOLC.NO_SUBSCRIBE_PERMISSION, errMsg: 'no subscribe permission', data: {} },
              });
            }
            return;
          }
          if (!peer.audio && !peer.video && !peer.screen) return;
        }
        send(peer.ws, { t: 'signal', from: m.userID, data: msg.data });
        return;
      }
      case 'ping':
        return send(ws, msg.id === undefined ? { t: 'pong' } : { t: 'pong', id: msg.id });
      case 'token': {
        const m = c.member;
        if (!m || m.model !== 'volc') return refuse(c, 'token updates are for Douyin room members');
        const appID = m.room.key.split(':')[1];
        const roomId = m.room.key.slice(`volc:${appID}:`.length);
        const v = verifyVolcToken({ appID, roomId, userId: m.userID, token: msg.token });
        if (!v.ok)
          return send(ws, {
            t: 'token',
            ok: false,
            code: VOLC.INVALID_TOKEN,
            message: 'updateToken:fail invalid token',
          });
        endMember(m);
        armExpiry(m, v.expireAt);
        return send(ws, { t: 'token', ok: true });
      }
      case 'sei': {
        // SEI rides in the video stream: TRTC members publishing video only
        const m = c.member;
        if (!m || m.model !== 'trtc' || !m.video) return;
        for (const peer of m.room.members.values()) {
          if (peer !== m) send(peer.ws, { t: 'sei', from: m.userID, payload: msg.payload });
        }
        return;
      }
      case 'im':
        if (c.member) return refuse(c, 'chat needs its own connection');
        chat.handle(c.chat, msg);
        if (chat.loggedIn(c.chat)) clearDeadline(c);
        return;
    }
  }

  function clearDeadline(c: Conn): void {
    if (c.deadline) clearTimeout(c.deadline);
    c.deadline = null;
  }

  wss.on('connection', (ws: WebSocket) => {
    const t0 = Date.now();
    const c: Conn = {
      ws,
      member: null,
      joining: false,
      chat: {
        ws,
        missed: 0,
        send: (m) => send(ws, m),
        close: (code, reason) => ws.close(code, reason),
      },
      bad: 0,
      tokens: limits.rateBurst,
      refilled: t0,
      deadline: null,
    };
    conns.set(ws, c);
    c.deadline = setTimeout(() => {
      c.deadline = null;
      if (!c.member && !chat.loggedIn(c.chat) && ws.readyState === WebSocket.OPEN) {
        health.closed.deadline++;
        ws.close(CLOSE.JOIN_DEADLINE, 'no join within the deadline');
      }
    }, limits.joinDeadlineMs);
    c.deadline.unref();
    ws.on('pong', () => {
      if (c.member) c.member.missed = 0;
      c.chat.missed = 0;
    });
    ws.on('message', (raw: RawData, isBinary: boolean) =>
      guard('message', () => {
        if (!withinRate(c)) {
          // over the rate: not even parsed; a socket that keeps flooding is closed
          health.refused++;
          if (++c.bad >= limits.maxBadFrames * 10 && ws.readyState === WebSocket.OPEN) {
            health.closed.rate++;
            ws.close(CLOSE.RATE_LIMIT, 'message rate over the limit');
          }
          return;
        }
        if (isBinary) return refuse(c, 'frames are JSON text');
        const checked = checkFrame(raw.toString());
        if (!checked.ok) {
          return refuse(
            c,
            `bad frame: ${checked.field ? checked.field + ' ' : ''}${checked.why}`,
            checked.field,
          );
        }
        try {
          handle(c, checked.msg, t0);
        } catch (e) {
          health.caught++;
          log(`handler for "${checked.msg.t}" failed: ${(e as Error)?.stack ?? String(e)}`);
          send(ws, { t: 'error', message: 'internal error' });
        }
      }),
    );
    ws.on('close', () =>
      guard('close', () => {
        clearDeadline(c);
        conns.delete(ws);
        if (c.member) suspended.delete(c.member);
        if (c.member) removeMember(c.member);
        c.member = null;
        chat.drop(c.chat);
      }),
    );
    ws.on('error', () => ws.terminate());
  });

  const beat = setInterval(
    () =>
      guard('heartbeat', () => {
        for (const [ws, c] of conns) {
          const m: { missed: number } | null = c.member ?? (chat.loggedIn(c.chat) ? c.chat : null);
          if (m && ++m.missed > heartbeatMisses) {
            ws.terminate(); // 'close' removes the member and tells the room (1032 / member lists)
            continue;
          }
          if (ws.readyState === WebSocket.OPEN) ws.ping();
        }
      }),
    heartbeatMs,
  );
  beat.unref();

  // ---------------------------------------------------------------- faults

  function targets(f: Fault): Member[] {
    const out: Member[] = [];
    for (const room of rooms.values()) {
      if (!roomMatches(room, f.room)) continue;
      for (const m of room.members.values()) if (f.user === undefined || m.userID === f.user) out.push(m);
    }
    for (const m of suspended) {
      if (roomMatches(m.room, f.room) && (f.user === undefined || m.userID === f.user)) out.push(m);
    }
    return out;
  }

  function suspend(m: Member, code: number): void {
    toMember(m, {
      t: 'event',
      code,
      message: code === TRTC.FLOATING_CLOSED ? 'floating window closed' : 'mini program suspended',
    });
    if (code !== TRTC.SUSPENDED || suspended.has(m)) return;
    removeMember(m);
    suspended.add(m);
  }

  /** Back in the foreground: the client enters again on the same connection. */
  function resume(m: Member): void {
    if (!suspended.delete(m) || m.ws.readyState !== WebSocket.OPEN) return;
    const key = m.room.key;
    const room = rooms.get(key) ?? { key, model: m.model, members: new Map<string, Member>() };
    rooms.set(key, room);
    m.room = room;
    const old = room.members.get(m.userID);
    if (old) kick(old, EXIT_REASON.KICKED);
    const existing = [...room.members.values()];
    room.members.set(m.userID, m);
    send(m.ws, { t: 'event', code: TRTC.ENTER_OK, message: 'onEnterRoom success, time cost[1]' });
    trtcIntro(m, existing);
    trtcAnnounce(m, existing);
  }

  function toClient(m: Member, fault: ClientFault): void {
    send(m.ws, { t: 'fault', fault });
  }

  /** Browser-side faults survive a re-entry: the new session gets them again. */
  function replayClientFaults(m: Member): void {
    for (const f of userFaults.get(m.userID)?.client ?? []) toClient(m, f);
  }

  function replay(m: Member, events: TraceEvent[]): void {
    for (const e of events) {
      later(m, e.at, () => {
        if (e.code !== undefined) {
          const message = typeof e.message === 'string' ? e.message : JSON.stringify(e.message ?? '');
          toMember(m, { t: 'event', code: e.code, message });
        } else if (e.name) toMember(m, { t: 'tt', name: e.name, data: e.data ?? {} });
      });
    }
  }

  function noise(userID: string, everyMs: number): NodeJS.Timeout {
    const t = setInterval(
      () =>
        guard('1020', () => {
          for (const room of rooms.values()) {
            const m = room.members.get(userID);
            if (!m || m.model !== 'trtc') continue;
            const list = others(room, m)
              .filter((o) => o.video)
              .map((o) => ({ userid: o.userID, playurl: playUrl(o.userID) }));
            toMember(m, {
              t: 'event',
              code: TRTC.USER_LIST,
              message: JSON.stringify({ userlist: list, userlist_aux: [] }),
            });
          }
        }),
      everyMs,
    );
    t.unref();
    return t;
  }

  function inject(f: Fault): string[] {
    if (f.kind === 'dismiss') {
      const hit: string[] = [];
      for (const room of [...rooms.values()]) {
        if (!roomMatches(room, f.room)) continue;
        for (const m of [...room.members.values()]) {
          hit.push(m.userID);
          kick(m, EXIT_REASON.DISMISSED);
        }
      }
      return hit;
    }
    const hit = targets(f);
    const users = [...new Set(hit.map((m) => m.userID))];
    if (f.user !== undefined && !users.includes(f.user)) users.push(f.user); // switches apply to later entries too
    switch (f.kind) {
      case 'drop':
        for (const u of users) {
          if (f.outageMs) faultsOf(u).outageUntil = Date.now() + f.outageMs;
        }
        for (const m of hit) cut(m);
        break;
      case 'network_change':
        for (const m of hit) {
          if (m.model === 'trtc')
            toMember(m, {
              t: 'event',
              code: TRTC.NET_CHANGED,
              message: 'network type changed, re-enter room',
            });
          else cut(m);
        }
        break;
      case 'suspend':
        for (const m of hit) {
          if (m.model === 'trtc') suspend(m, f.code ?? TRTC.SUSPENDED);
          else toClient(m, { kind: 'hide' });
        }
        break;
      case 'hide':
      case 'show':
        for (const m of hit) {
          toClient(m, { kind: f.kind });
          if (f.kind === 'show') resume(m);
        }
        break;
      case 'kick':
        for (const m of hit) kick(m, f.reason ?? EXIT_REASON.KICKED);
        break;
      case 'credential_expired':
        for (const m of hit) {
          if (m.model === 'trtc') toMember(m, { t: 'event', code: TRTC.BAD_SIG, message: 'userSig expired' });
          else kick(m, 0, { errNo: VOLC.TOKEN_EXPIRED, errMsg: 'token expired' });
        }
        break;
      case 'token_will_expire':
        for (const m of hit)
          if (m.model === 'volc') toMember(m, { t: 'tt', name: 'onRoomTokenWillExpire', data: {} });
        break;
      case 'weak':
      case 'player_fail': {
        const cf: ClientFault =
          f.kind === 'weak'
            ? { kind: 'weak', quality: f.quality, videoBitrate: f.videoBitrate, target: f.target }
            : { kind: 'player_fail', target: f.target };
        if (f.kind === 'weak') {
          for (const u of users) {
            const list = faultsOf(u).client.filter((x) => !(x.kind === 'weak' && x.target === f.target));
            faultsOf(u).client = f.quality > 0 ? [...list, cf] : list;
          }
        }
        for (const m of hit) toClient(m, cf);
        break;
      }
      case 'ios':
        for (const u of users) faultsOf(u).ios = f.on !== false;
        break;
      case 'duplicate':
        for (const u of users) faultsOf(u).duplicate = f.on !== false;
        break;
      case 'video_first':
        for (const u of users) faultsOf(u).videoFirst = f.on !== false;
        break;
      case 'noise_1020':
        for (const u of users) {
          const uf = faultsOf(u);
          if (uf.noise) clearInterval(uf.noise);
          uf.noise = f.on !== false ? noise(u, f.everyMs ?? 500) : undefined;
        }
        break;
      case 'replay':
        for (const m of hit) replay(m, f.trace.events);
        break;
      case 'clear': {
        const who = f.user === undefined && f.room === undefined ? [...userFaults.keys()] : users;
        for (const u of who) {
          const uf = userFaults.get(u);
          if (uf?.noise) clearInterval(uf.noise);
          userFaults.delete(u);
        }
        for (const m of f.user === undefined && f.room === undefined ? targets({ kind: 'clear' }) : hit) {
          toClient(m, { kind: 'clear' });
        }
        break;
      }
    }
    return users;
  }

  const api: Emulator = {
    get url() {
      return `ws://${host}:${port}${wsPath}`;
    },
    get port() {
      return port;
    },
    listen(p = 0, h = '127.0.0.1') {
      host = h;
      return new Promise<number>((resolve, reject) => {
        if (!ownServer && server.listening) {
          port = (server.address() as AddressInfo).port;
          return resolve(port);
        }
        server.once('error', reject);
        server.listen(p, h, () => {
          server.off('error', reject);
          port = (server.address() as AddressInfo).port;
          resolve(port);
        });
      });
    },
    async close() {
      clearInterval(beat);
      server.off('upgrade', onUpgrade);
      for (const uf of userFaults.values()) if (uf.noise) clearInterval(uf.noise);
      userFaults.clear();
      for (const room of rooms.values()) for (const m of room.members.values()) endMember(m);
      suspended.clear();
      for (const c of conns.values()) clearDeadline(c);
      for (const ws of wss.clients) ws.terminate();
      for (const ws of controlWss.clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => controlWss.close(() => r()));
      if (ownServer && server.listening) await new Promise<void>((r) => server.close(() => r()));
    },
    rooms() {
      return [...rooms.values()].map((r) => ({
        key: r.key,
        members: [...r.members.values()].map((m) => ({
          userID: m.userID,
          audio: m.audio,
          video: m.video,
          screen: m.screen,
        })),
      }));
    },
    dismiss(roomKey: string) {
      const room = rooms.get(roomKey);
      if (!room) return;
      for (const m of [...room.members.values()]) kick(m, EXIT_REASON.DISMISSED);
    },
    inject(fault: Fault) {
      let out: string[] = [];
      guard('fault', () => {
        out = inject(fault);
      });
      return out;
    },
    health() {
      let members = 0;
      for (const r of rooms.values()) members += r.members.size;
      return {
        sockets: conns.size,
        rooms: rooms.size,
        members,
        closed: { ...health.closed },
        refused: health.refused,
        caught: health.caught,
      };
    },
    stats() {
      return { ...stats };
    },
    chat() {
      return { users: chat.users(), groups: chat.groups() };
    },
  };
  return api;
}
