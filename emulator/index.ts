/**
 * Room emulator: a local stand-in for the TRTC cloud (WeChat) and Volcengine RTC (Douyin).
 * It keeps rooms and members, verifies credentials, tells members about each other and relays WebRTC
 * signalling; media flows peer-to-peer between the browsers. It also relays chat (emulator/chat.ts) for the
 * preview's `@tencentcloud/chat` stand-in, on separate connections to the same path.
 * This file owns createEmulator (the public API and the wiring of types, limits, rooms, trtc, volc, inject,
 * frames and control) and re-exports the emulator's public names.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import { WebSocketServer, type WebSocket } from 'ws';
import { createChatRelay } from './chat';
import { CONTROL_WS_PATH, controlUpgrade, handleControl, parseAllowedHosts } from './control';
import type { Fault } from './faults';
import { serveFrames } from './frames';
import { createInject } from './inject';
import { DEFAULT_LIMITS, type EmulatorLimits } from './limits';
import { CLOSE, EXIT_REASON } from './protocol';
import { createRoomOps } from './rooms';
import { createTrtc } from './trtc';
import type {
  Conn,
  Core,
  Emulator,
  EmulatorOptions,
  Member,
  PrivateMapResult,
  Room,
  UserFaults,
  WsChatConn,
} from './types';
import { createVolc } from './volc';

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
export {
  controlClient,
  fromOwnSite,
  handleControl,
  parseAllowedHosts,
  shippedTraces,
  type ControlClient,
} from './control';
export { DEFAULT_LIMITS, type EmulatorHealth, type EmulatorLimits } from './limits';
export type {
  Emulator,
  EmulatorOptions,
  PrivateMapResult,
  RoomSnapshot,
  VerifyResult,
  VolcVerifyResult,
} from './types';

export function createEmulator(opts: EmulatorOptions = {}): Emulator {
  const wsPath = opts.path ?? '/rtc';
  const heartbeatMs = opts.heartbeatMs ?? 1000;
  const heartbeatMisses = opts.heartbeatMisses ?? 2;
  const limits: EmulatorLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const allowedHosts = parseAllowedHosts(opts.allowedHosts);
  const log = opts.log ?? ((line: string) => process.stderr.write(`emulator: ${line}\n`));
  const verifyUserSig = opts.verifyUserSig ?? (() => ({ ok: false, reason: 'no verifier configured' }));
  const verifyVolcToken = opts.verifyVolcToken ?? (() => ({ ok: false, reason: 'no verifier configured' }));
  const verifyPrivateMapKey =
    opts.verifyPrivateMapKey ?? ((): PrivateMapResult => ({ ok: false, reason: 'no verifier configured' }));
  const rooms = new Map<string, Room>();
  const conns = new Map<WebSocket, Conn>();
  const userFaults = new Map<string, UserFaults>();
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
      if (!handleControl(api, req, res, { allowedHosts })) res.writeHead(426).end('websocket only\n');
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

  const core: Core = {
    opts,
    limits,
    log,
    verifyUserSig,
    verifyVolcToken,
    verifyPrivateMapKey,
    rooms,
    conns,
    userFaults,
    suspended,
    stats,
    health,
    guard,
  };

  const onUpgrade = (req: http.IncomingMessage, socket: import('stream').Duplex, head: Buffer): void => {
    guard('upgrade', () => {
      const pathname = (req.url ?? '').split('?')[0];
      if (pathname === CONTROL_WS_PATH)
        return controlUpgrade(api, controlWss, req, socket, head, allowedHosts);
      if (pathname !== wsPath) {
        // on its own server nobody else takes it: answered and closed, never held open (nothing times it out)
        if (ownServer) socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n');
        return; // someone else's upgrade (or a 404 via the owner)
      }
      if (conns.size >= limits.maxSockets) {
        health.closed.capacity++;
        socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    });
  };
  server.on('upgrade', onUpgrade);

  const roomOps = createRoomOps(core);
  const { fanout, endMember, kick } = roomOps;
  const trtcOps = createTrtc(core, roomOps);
  const volcOps = createVolc(core, roomOps);
  const chat = createChatRelay({
    // a UserSig that `credential_expired` expired is expired for chat too
    verifyUserSig: (p) => (trtcOps.sigExpired(p) ? { ok: false, reason: 'expired' } : verifyUserSig(p)),
    fanout: (targets, msg) => fanout(targets as WsChatConn[], msg),
    kickCloseCode: CLOSE.KICKED,
    networkCloseCode: CLOSE.NETWORK,
    inOutage: roomOps.inOutage,
    maxGroups: limits.maxRooms,
  });
  const injectOps = createInject(core, { ...roomOps, ...trtcOps }, chat);
  const inject = injectOps.inject;

  const { clearDeadline, beat } = serveFrames(
    core,
    { ...roomOps, ...trtcOps, ...volcOps, ...injectOps },
    chat,
    wss,
    { heartbeatMs, heartbeatMisses },
  );

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
        if (fault.kind === 'chat_kick') {
          out = chat.kick(fault.user ?? '', fault.type ?? 'REST_API_Kick');
          return;
        }
        if (fault.kind === 'chat_dismiss') {
          out = chat.dismiss(fault.room ?? '', fault.recycled);
          return;
        }
        if (fault.kind === 'chat_credential_expired') {
          // a UserSig's expiry is a moment for every service: the TRTC entries with it too (WeChat's is the room's)
          const sigs = chat.expireLogins(fault.user ?? '');
          for (const sig of sigs) trtcOps.expireSig(sig);
          out = sigs.map((s) => s.userID);
          return;
        }
        if (fault.kind === 'chat_group_kick') {
          out = chat.kickFromGroup(fault.user ?? '', fault.room ?? '', fault.duration);
          return;
        }
        out = inject(fault);
        // a phone that loses the network loses its chat connection too
        if (fault.kind === 'drop') for (const u of out) chat.cut(u);
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
