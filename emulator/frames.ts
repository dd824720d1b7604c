/**
 * The emulator's WebSocket side: one Conn per socket, the join deadline, the frame rate, schema checks
 * and bad-frame budget, the dispatch of each checked frame (join, update, leave, signal, token, SEI, chat)
 * and the heartbeat that drops members whose pongs stop.
 */
import { WebSocket, type RawData, type WebSocketServer } from 'ws';
import type { createChatRelay } from './chat';
import type { InjectOps } from './inject';
import { withinRate } from './limits';
import { CLOSE, EXIT_REASON, TRTC, VOLC, type ClientMessage } from './protocol';
import type { RoomOps } from './rooms';
import { checkFrame } from './schema';
import type { TrtcOps } from './trtc';
import type { Conn, Core } from './types';
import type { VolcOps } from './volc';

export function serveFrames(
  core: Core,
  ops: RoomOps & TrtcOps & VolcOps & InjectOps,
  chat: ReturnType<typeof createChatRelay>,
  wss: WebSocketServer,
  heartbeat: { heartbeatMs: number; heartbeatMisses: number },
) {
  const { limits, log, conns, userFaults, suspended, health, guard, verifyVolcToken } = core;
  const {
    send,
    removeMember,
    update,
    joinTrtc,
    joinVolc,
    armExpiry,
    applyRights,
    replayClientFaults,
    addSubscription,
    dropSubscription,
  } = ops;
  const { heartbeatMs, heartbeatMisses } = heartbeat;

  /** A frame this socket should not have sent: an error reply, and past the budget, the end of the socket. */
  function refuse(c: Conn, message: string, field?: string): void {
    health.refused++;
    send(c.ws, field === undefined ? { t: 'error', message } : { t: 'error', message, field });
    if (++c.bad >= limits.maxBadFrames && c.ws.readyState === WebSocket.OPEN) {
      health.closed.badFrames++;
      c.ws.close(CLOSE.BAD_MESSAGE, 'too many bad frames');
    }
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
          if (msg.anchor !== undefined && m.roles) m.hidden = !msg.anchor;
          if (msg.audio !== undefined) m.audio = msg.audio && m.rights.sendAudio && !m.hidden;
          if (msg.video !== undefined) m.video = msg.video && m.rights.sendVideo && !m.hidden;
          if (msg.screen !== undefined) m.screen = msg.screen && m.rights.sendSub && !m.hidden;
        } else if (c.member) update(c.member, msg);
        return;
      case 'leave':
        if (c.member) {
          const m = c.member;
          c.member = null;
          // out of the room since 5000/5001: its 1019 came then
          const away = suspended.delete(m);
          removeMember(m);
          if (m.model === 'trtc' && !away && !userFaults.get(m.userID)?.ios)
            send(ws, { t: 'event', code: TRTC.EXIT, message: `onExitRoom reason[${EXIT_REASON.NORMAL}]` });
          ws.close(CLOSE.LEFT, 'left');
        }
        return;
      case 'signal': {
        const m = c.member;
        if (!m || suspended.has(m)) return;
        const peer = m.room.members.get(msg.to);
        if (!peer) return;
        let data = msg.data as { kind?: string; kinds?: Array<'audio' | 'video'> };
        if (data.kind === 'subscribe') {
          // a subscriber without the right to receive, or a publisher without the right to publish
          const kinds = (data.kinds ?? (['audio', 'video'] as const)).filter((k) =>
            k === 'audio' ? m.rights.recvAudio : m.rights.recvVideo,
          );
          if (kinds.length === 0) {
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
          // receiving and sending audio and video are separate rights: the publisher sends only what the
          // subscriber may get and what it may send itself (a camera without sendVideo stays with the phone)
          const sent = kinds.filter((k) => (k === 'audio' ? peer.rights.sendAudio : peer.rights.sendVideo));
          if (sent.length === 0) return;
          if (sent.length < (data.kinds ?? ['audio', 'video']).length) data = { ...data, kinds: sent };
          addSubscription(peer, { from: m, sid: (data as { sid: string }).sid, kinds: [...sent] });
        } else if (data.kind === 'bye' && (data as { dir?: string }).dir === 'toPub') {
          dropSubscription(peer, m, (data as { sid: string }).sid);
        }
        send(peer.ws, { t: 'signal', from: m.userID, data });
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
        // the new token's expiry replaces the old one's (a replayed trace or other timers keep running)
        armExpiry(m, v.expireAt, v.privileges);
        send(ws, { t: 'token', ok: true });
        // the new token's privileges replace the old ones: what it no longer may publish stops (-1002)
        return applyRights(m, v.privileges);
      }
      case 'sei': {
        // SEI rides in the video stream: TRTC members publishing video only (a suspended one is out of the room)
        const m = c.member;
        if (!m || m.model !== 'trtc' || !m.video || suspended.has(m)) return;
        for (const peer of m.room.members.values()) {
          if (peer !== m && peer.rights.recvVideo)
            send(peer.ws, { t: 'sei', from: m.userID, payload: msg.payload });
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
        if (!withinRate(c, limits)) {
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

  return { clearDeadline, beat };
}
