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
import {
  CLOSE,
  EXIT_REASON,
  TRTC,
  VOLC,
  MAX_SEI_BYTES,
  playUrl,
  type ClientMessage,
  type Model,
  type ServerMessage,
  type TrtcJoin,
  type VolcEventName,
  type VolcJoin,
} from './protocol';

export * from './protocol';
export { sigErrorCode, type ChatGroupSnapshot } from './chat';

export interface VerifyResult {
  ok: boolean;
  reason?: string;
}

export interface EmulatorOptions {
  /** Attach to this HTTP server (upgrade requests on `path`); otherwise the emulator listens on its own. */
  server?: http.Server;
  /** WebSocket path, default `/rtc`. */
  path?: string;
  /** TRTC: accept or refuse a UserSig. Default: refuse everything (a misconfigured emulator must not let anyone in). */
  verifyUserSig?: (p: { sdkAppID: number; userID: string; userSig: string }) => VerifyResult;
  /** Volcengine: accept or refuse a token for this room and user. */
  verifyVolcToken?: (p: { appID: string; roomId: string; userId: string; token: string }) => VerifyResult;
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
  audio: boolean;
  video: boolean;
  screen: boolean;
  missed: number;
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

function send(ws: WebSocket, msg: ServerMessage): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
}

function trtcRoomKey(j: TrtcJoin): string | null {
  if (!Number.isInteger(j.sdkAppID) || j.sdkAppID <= 0) return null;
  if (typeof j.strRoomID === 'string' && j.strRoomID.length > 0) return `trtc:${j.sdkAppID}:s:${j.strRoomID}`;
  if (typeof j.roomID === 'number' && Number.isInteger(j.roomID) && j.roomID >= 1 && j.roomID <= 4294967294) {
    return `trtc:${j.sdkAppID}:n:${j.roomID}`;
  }
  return null;
}

const VOLC_ID = /^[a-zA-Z0-9@._-]{1,128}$/;

export function createEmulator(opts: EmulatorOptions = {}): Emulator {
  const wsPath = opts.path ?? '/rtc';
  const heartbeatMs = opts.heartbeatMs ?? 1000;
  const heartbeatMisses = opts.heartbeatMisses ?? 2;
  const verifyUserSig = opts.verifyUserSig ?? (() => ({ ok: false, reason: 'no verifier configured' }));
  const verifyVolcToken = opts.verifyVolcToken ?? (() => ({ ok: false, reason: 'no verifier configured' }));
  const rooms = new Map<string, Room>();
  const stats = { fanouts: 0, recipients: 0, ns: 0 };
  const ownServer = !opts.server;
  const server = opts.server ?? http.createServer((_req, res) => res.writeHead(426).end('websocket only\n'));
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  let port = 0;
  let host = '127.0.0.1';

  const onUpgrade = (req: http.IncomingMessage, socket: import('stream').Duplex, head: Buffer): void => {
    const pathname = (req.url ?? '').split('?')[0];
    if (pathname !== wsPath) return; // someone else's upgrade (or a 404 via the owner)
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  server.on('upgrade', onUpgrade);

  /** Sends one message to many members and records the cost. */
  function fanout(targets: Array<{ ws: WebSocket }>, msg: ServerMessage): void {
    if (targets.length === 0) return;
    const t0 = process.hrtime.bigint();
    const text = JSON.stringify(msg);
    for (const m of targets) if (m.ws.readyState === WebSocket.OPEN) m.ws.send(text);
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

  function volcLists(room: Room): void {
    const all = [...room.members.values()];
    const lists: Array<[VolcEventName, string[]]> = [
      ['onRtcChatMembersChanged', all.map((m) => m.userID)],
      ['onRtcVideoMembersChanged', all.filter((m) => m.video).map((m) => m.userID)],
      ['onRtcChatSpeakersChanged', all.filter((m) => m.audio).map((m) => m.userID)],
      ['onRtcPublishScreenMembersChanged', all.filter((m) => m.screen).map((m) => m.userID)],
    ];
    for (const [name, userIdList] of lists) fanout(all, { t: 'tt', name, data: { userIdList } });
  }

  /** Only the lists that changed, so a mute does not re-announce the membership. */
  function volcChanged(room: Room, which: Array<'chat' | 'video' | 'speakers' | 'screen'>): void {
    const all = [...room.members.values()];
    for (const w of which) {
      const [name, pick]: [VolcEventName, (m: Member) => boolean] =
        w === 'chat'
          ? ['onRtcChatMembersChanged', () => true]
          : w === 'video'
            ? ['onRtcVideoMembersChanged', (m) => m.video]
            : w === 'speakers'
              ? ['onRtcChatSpeakersChanged', (m) => m.audio]
              : ['onRtcPublishScreenMembersChanged', (m) => m.screen];
      fanout(all, { t: 'tt', name, data: { userIdList: all.filter(pick).map((m) => m.userID) } });
    }
  }

  /** Removes a member and tells the others. `reason` is how the member went (for logs only). */
  function removeMember(m: Member): void {
    const room = m.room;
    if (room.members.get(m.userID) !== m) return;
    room.members.delete(m.userID);
    const rest = [...room.members.values()];
    if (m.model === 'trtc') {
      if (m.video)
        fanout(
          rest,
          trtcEvent(TRTC.VIDEO, [
            { userid: m.userID, playurl: playUrl(m.userID), streamtype: 'main', hasvideo: false },
          ]),
        );
      if (m.screen)
        fanout(
          rest,
          trtcEvent(TRTC.VIDEO, [
            { userid: m.userID, playurl: playUrl(m.userID, 'aux'), streamtype: 'aux', hasvideo: false },
          ]),
        );
      if (m.audio)
        fanout(
          rest,
          trtcEvent(TRTC.AUDIO, [{ userid: m.userID, playurl: playUrl(m.userID), hasaudio: false }]),
        );
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

  function kick(m: Member, reason: number): void {
    if (m.model === 'trtc')
      send(m.ws, { t: 'event', code: TRTC.EXIT, message: `onExitRoom reason[${reason}]` });
    else {
      const errNo = reason === EXIT_REASON.KICKED ? VOLC.DUPLICATE_LOGIN : -1011;
      const errMsg =
        reason === EXIT_REASON.KICKED ? 'duplicate login: user joined from another device' : 'room dismissed';
      send(m.ws, { t: 'tt', name: 'onRtcChatInterrupted', data: { errNo, errMsg } });
    }
    removeMember(m);
    m.ws.close(CLOSE.KICKED, reason === EXIT_REASON.KICKED ? 'kicked' : 'dismissed');
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
    if (!key || typeof j.userID !== 'string' || !j.userID)
      return fail(-3316, 'invalid room or user parameters');
    const v = verifyUserSig({ sdkAppID: j.sdkAppID, userID: j.userID, userSig: String(j.userSig ?? '') });
    if (!v.ok) return fail(TRTC.BAD_SIG, `userSig check failed: ${v.reason ?? 'invalid'}`);
    const old = rooms.get(key)?.members.get(j.userID);
    if (old) kick(old, EXIT_REASON.KICKED);
    const room = rooms.get(key) ?? { key, model: 'trtc' as const, members: new Map() };
    rooms.set(key, room);
    const m: Member = {
      model: 'trtc',
      room,
      userID: j.userID,
      ws,
      audio: !!j.audio,
      video: !!j.video,
      screen: false,
      missed: 0,
    };
    const existing = [...room.members.values()];
    room.members.set(m.userID, m);
    const cost = Date.now() - t0;
    send(ws, { t: 'joined', cost, userID: m.userID });
    send(ws, {
      t: 'event',
      code: TRTC.ENTER_OK,
      message: `onEnterRoom success, time cost[${Math.max(1, cost)}]`,
    });
    // what the newcomer learns about the room
    if (existing.length) {
      send(
        ws,
        trtcEvent(
          TRTC.USER_ENTER,
          existing.map((e) => ({ userid: e.userID })),
        ),
      );
      const vids = existing.filter((e) => e.video);
      if (vids.length)
        send(
          ws,
          trtcEvent(
            TRTC.VIDEO,
            vids.map((e) => ({
              userid: e.userID,
              playurl: playUrl(e.userID),
              streamtype: 'main',
              hasvideo: true,
            })),
          ),
        );
      const scr = existing.filter((e) => e.screen);
      if (scr.length)
        send(
          ws,
          trtcEvent(
            TRTC.VIDEO,
            scr.map((e) => ({
              userid: e.userID,
              playurl: playUrl(e.userID, 'aux'),
              streamtype: 'aux',
              hasvideo: true,
            })),
          ),
        );
      const auds = existing.filter((e) => e.audio);
      if (auds.length)
        send(
          ws,
          trtcEvent(
            TRTC.AUDIO,
            auds.map((e) => ({ userid: e.userID, playurl: playUrl(e.userID), hasaudio: true })),
          ),
        );
    }
    // what the room learns about the newcomer
    fanout(existing, trtcEvent(TRTC.USER_ENTER, [{ userid: m.userID }]));
    if (m.video)
      fanout(
        existing,
        trtcEvent(TRTC.VIDEO, [
          { userid: m.userID, playurl: playUrl(m.userID), streamtype: 'main', hasvideo: true },
        ]),
      );
    if (m.audio)
      fanout(
        existing,
        trtcEvent(TRTC.AUDIO, [{ userid: m.userID, playurl: playUrl(m.userID), hasaudio: true }]),
      );
    return m;
  }

  function joinVolc(ws: WebSocket, j: VolcJoin): Member | null {
    const fail = (errNo: number, errMsg: string): null => {
      send(ws, { t: 'join_failed', code: errNo, message: errMsg });
      ws.close(CLOSE.JOIN_FAILED, 'join failed');
      return null;
    };
    if (typeof j.appID !== 'string' || !VOLC_ID.test(String(j.roomId)) || !VOLC_ID.test(String(j.userId))) {
      return fail(VOLC.PARAM, 'joinRtcRoom:fail param error');
    }
    const v = verifyVolcToken({
      appID: j.appID,
      roomId: j.roomId,
      userId: j.userId,
      token: String(j.token ?? ''),
    });
    if (!v.ok) return fail(VOLC.INVALID_TOKEN, 'joinRtcRoom:fail invalid token');
    const key = `volc:${j.appID}:${j.roomId}`;
    const old = rooms.get(key)?.members.get(j.userId);
    if (old) kick(old, EXIT_REASON.KICKED);
    const room = rooms.get(key) ?? { key, model: 'volc' as const, members: new Map() };
    rooms.set(key, room);
    const m: Member = {
      model: 'volc',
      room,
      userID: j.userId,
      ws,
      audio: !!j.audio,
      video: !!j.video,
      screen: false,
      missed: 0,
    };
    room.members.set(m.userID, m);
    send(ws, { t: 'joined', cost: 0, userID: m.userID });
    volcLists(room);
    return m;
  }

  function update(m: Member, u: { audio?: boolean; video?: boolean; screen?: boolean }): void {
    const changed: Array<'video' | 'speakers' | 'screen'> = [];
    const rest = others(m.room, m);
    if (typeof u.video === 'boolean' && u.video !== m.video) {
      m.video = u.video;
      changed.push('video');
      if (m.model === 'trtc')
        fanout(
          rest,
          trtcEvent(TRTC.VIDEO, [
            { userid: m.userID, playurl: playUrl(m.userID), streamtype: 'main', hasvideo: m.video },
          ]),
        );
    }
    if (typeof u.screen === 'boolean' && u.screen !== m.screen) {
      m.screen = u.screen;
      changed.push('screen');
      if (m.model === 'trtc')
        fanout(
          rest,
          trtcEvent(TRTC.VIDEO, [
            { userid: m.userID, playurl: playUrl(m.userID, 'aux'), streamtype: 'aux', hasvideo: m.screen },
          ]),
        );
    }
    if (typeof u.audio === 'boolean' && u.audio !== m.audio) {
      m.audio = u.audio;
      changed.push('speakers');
      if (m.model === 'trtc')
        fanout(
          rest,
          trtcEvent(TRTC.AUDIO, [{ userid: m.userID, playurl: playUrl(m.userID), hasaudio: m.audio }]),
        );
    }
    if (m.model === 'volc' && changed.length) volcChanged(m.room, changed);
  }

  wss.on('connection', (ws: WebSocket) => {
    let member: Member | null = null;
    let joining = false;
    const t0 = Date.now();
    const chatConn: WsChatConn = {
      ws,
      missed: 0,
      send: (m) => send(ws, m),
      close: (code, reason) => ws.close(code, reason),
    };
    ws.on('pong', () => {
      if (member) member.missed = 0;
      chatConn.missed = 0;
    });
    ws.on('message', (raw: RawData) => {
      let msg: ClientMessage;
      try {
        msg = JSON.parse(raw.toString()) as ClientMessage;
      } catch {
        ws.close(CLOSE.BAD_MESSAGE, 'bad json');
        return;
      }
      if (member) member.missed = 0;
      chatConn.missed = 0;
      switch (msg.t) {
        case 'join':
          if (member || joining)
            return send(ws, { t: 'error', message: 'already joined on this connection' });
          if (chat.loggedIn(chatConn))
            return send(ws, { t: 'error', message: 'this connection is a chat login' });
          joining = true;
          member = msg.model === 'volc' ? joinVolc(ws, msg) : joinTrtc(ws, msg, t0);
          return;
        case 'update':
          if (member) update(member, msg);
          return;
        case 'leave':
          if (member) {
            const m = member;
            member = null;
            removeMember(m);
            if (m.model === 'trtc')
              send(ws, { t: 'event', code: TRTC.EXIT, message: `onExitRoom reason[${EXIT_REASON.NORMAL}]` });
            ws.close(CLOSE.LEFT, 'left');
          }
          return;
        case 'signal': {
          if (!member) return;
          const peer = member.room.members.get(String(msg.to));
          if (peer) send(peer.ws, { t: 'signal', from: member.userID, data: msg.data });
          return;
        }
        case 'ping':
          return send(ws, { t: 'pong', id: msg.id });
        case 'sei': {
          // SEI rides in the video stream: TRTC members publishing video, a string of at most 1 KB
          if (!member || member.model !== 'trtc' || !member.video) return;
          const payload = (msg as { payload?: unknown }).payload;
          if (typeof payload !== 'string' || Buffer.byteLength(payload) > MAX_SEI_BYTES) {
            return send(ws, { t: 'error', message: 'bad sei payload' });
          }
          for (const peer of member.room.members.values()) {
            if (peer !== member) send(peer.ws, { t: 'sei', from: member.userID, payload });
          }
          return;
        }
        case 'im':
          if (member) return send(ws, { t: 'error', message: 'chat needs its own connection' });
          return chat.handle(chatConn, msg);
        default:
          return send(ws, { t: 'error', message: 'unknown message' });
      }
    });
    ws.on('close', () => {
      if (member) removeMember(member);
      member = null;
      chat.drop(chatConn);
    });
    ws.on('error', () => ws.terminate());
    sockets.set(ws, () => member ?? (chat.loggedIn(chatConn) ? chatConn : null));
  });

  /** per socket: what the heartbeat watches (a room member or a chat login) */
  const sockets = new Map<WebSocket, () => { missed: number } | null>();
  wss.on('connection', (ws: WebSocket) => ws.on('close', () => sockets.delete(ws)));

  const beat = setInterval(() => {
    for (const [ws, get] of sockets) {
      const m = get();
      if (m && ++m.missed > heartbeatMisses) {
        ws.terminate(); // 'close' removes the member and tells the room (1032 / member lists)
        continue;
      }
      if (ws.readyState === WebSocket.OPEN) ws.ping();
    }
  }, heartbeatMs);
  beat.unref();

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
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
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
    stats() {
      return { ...stats };
    },
    chat() {
      return { users: chat.users(), groups: chat.groups() };
    },
  };
  return api;
}
