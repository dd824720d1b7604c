/**
 * The room model shared by both clouds: delivering frames (with the send-buffer limit and fan-out costs),
 * members entering, updating what they publish, leaving, being kicked or cut, their timers, the room caps
 * and the publish-rights warnings.
 */
import { WebSocket } from 'ws';
import { CLOSE, EXIT_REASON, TRTC, VOLC, type ServerMessage, type Model } from './protocol';
import { audioItem, trtcEvent, videoItem } from './trtc';
import { volcList } from './volc';
import type { Core, Member, Room, Subscription, UserFaults } from './types';

/** Relayed subscriptions remembered per publisher (a subscriber takes a few: audio, main or small video). */
const MAX_SUBSCRIPTIONS = 1024;

/** Whether a fault's `room` names this room: its key, or its room ID (the whole ID, not a tail of a longer one). */
export function roomMatches(room: Room, want: string | undefined): boolean {
  return want === undefined || room.key === want || room.id === want;
}

export const unixNow = (): number => Math.floor(Date.now() / 1000);

export type RoomOps = ReturnType<typeof createRoomOps>;

export function createRoomOps(core: Core) {
  const { opts, limits, log, rooms, conns, userFaults, stats, health, guard } = core;

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

  function others(room: Room, self: Member): Member[] {
    return [...room.members.values()].filter((m) => m !== self);
  }

  /** Only the lists that changed, so a mute does not re-announce the membership. */
  function volcChanged(room: Room, which: Array<'chat' | 'video' | 'screen'>): void {
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
    for (const p of rest) for (const [k, s] of p.subscribers) if (s.from === m) p.subscribers.delete(k);
    if (m.model === 'trtc') {
      // an audience member leaves unannounced, as it entered
      if (m.hidden) return endRoom(room);
      if (m.video) fanout(rest, trtcEvent(TRTC.VIDEO, [videoItem(m, false)]));
      if (m.screen) fanout(rest, trtcEvent(TRTC.VIDEO, [videoItem(m, false, true)]));
      if (m.audio) fanout(rest, trtcEvent(TRTC.AUDIO, [audioItem(m, false)]));
      fanout(rest, trtcEvent(TRTC.USER_LEAVE, [{ userid: m.userID }]));
    } else if (rest.length > 0 && !m.hidden) {
      // an invisible member leaves unannounced
      volcChanged(room, [
        'chat',
        ...(m.video ? (['video'] as const) : []),
        ...(m.screen ? (['screen'] as const) : []),
      ]);
    }
    endRoom(room);
  }

  function endRoom(room: Room): void {
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
      subscribers: new Map(),
    };
  }

  /** Remembers a relayed subscription (a bounded number per publisher: the oldest goes first). */
  function addSubscription(publisher: Member, sub: Subscription): void {
    const key = `${sub.from.userID}\u0000${sub.sid}`;
    publisher.subscribers.delete(key);
    publisher.subscribers.set(key, sub);
    if (publisher.subscribers.size > MAX_SUBSCRIPTIONS)
      publisher.subscribers.delete(publisher.subscribers.keys().next().value as string);
  }

  function dropSubscription(publisher: Member, from: Member, sid: string): void {
    publisher.subscribers.delete(`${from.userID}\u0000${sid}`);
  }

  /**
   * The cloud stops forwarding what a member may no longer send or receive: every relayed subscription from or to
   * `m` that carries such a kind ends, its publisher's stand-in told `bye` (it closes that connection).
   */
  function endSubscriptionsBeyondRights(m: Member): void {
    const sends = (p: Member, k: 'audio' | 'video'): boolean =>
      k === 'audio' ? p.rights.sendAudio : p.rights.sendVideo;
    const receives = (s: Member, k: 'audio' | 'video'): boolean =>
      k === 'audio' ? s.rights.recvAudio : s.rights.recvVideo;
    for (const publisher of m.room.members.values()) {
      for (const [key, sub] of publisher.subscribers) {
        if (publisher !== m && sub.from !== m) continue;
        if (sub.kinds.every((k) => sends(publisher, k) && receives(sub.from, k))) continue;
        publisher.subscribers.delete(key);
        send(publisher.ws, {
          t: 'signal',
          from: sub.from.userID,
          data: { kind: 'bye', sid: sub.sid, dir: 'toPub' },
        });
      }
    }
  }

  /** A timer of the member's session: cleared when the session ends; the handle to clear it earlier. */
  function later(m: Member, ms: number, fn: () => void): NodeJS.Timeout {
    const t = setTimeout(() => {
      m.timers.delete(t);
      guard('timer', fn);
    }, ms);
    t.unref();
    m.timers.add(t);
    return t;
  }

  /** Clears some of the member's timers (the others, e.g. a replayed trace, keep running). */
  function cancel(m: Member, timers: Iterable<NodeJS.Timeout>): void {
    for (const t of timers) {
      clearTimeout(t);
      m.timers.delete(t);
    }
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

  function update(
    m: Member,
    u: { audio?: boolean; video?: boolean; screen?: boolean; visible?: boolean; anchor?: boolean },
  ): void {
    // Volc changeUserVisibility: invisible is out of every list and publishes nothing (what it sends is neither
    // announced nor refused); visible is in the chat list again and publishes what it sends from then on
    const seen = m.model === 'volc' && u.visible !== undefined && u.visible === !!m.hidden;
    if (seen) m.hidden = !u.visible;
    // TRTC live / voicechatroom: the client's switchRole with its camera and mic. To audience: its streams stop,
    // then it leaves the others' list (1032); to anchor: it enters their list (1031), then its streams
    const role = m.model === 'trtc' && m.roles && u.anchor !== undefined && u.anchor === !!m.hidden;
    if (role && !u.anchor) {
      update(m, { audio: false, video: false, screen: false });
      m.hidden = true;
      fanout(others(m.room, m), trtcEvent(TRTC.USER_LEAVE, [{ userid: m.userID }]));
      return;
    }
    if (role) {
      m.hidden = false;
      fanout(others(m.room, m), trtcEvent(TRTC.USER_ENTER, [{ userid: m.userID }]));
    }
    if (m.hidden) u = { audio: false, video: false, screen: false };
    upstreamRefused(m, {
      audio: u.audio === true && !m.audio,
      video: u.video === true && !m.video,
      screen: u.screen === true && !m.screen,
    });
    const changed: Array<'chat' | 'video' | 'screen'> = seen ? ['chat'] : [];
    const rest = others(m.room, m);
    const was = { audio: m.audio, video: m.video, screen: m.screen };
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
      if (m.model === 'trtc') fanout(rest, trtcEvent(TRTC.AUDIO, [audioItem(m, m.audio)]));
    }
    if (m.model !== 'volc') return;
    if (changed.length) volcChanged(m.room, changed);
    if (m.audio !== was.audio || m.video !== was.video || m.screen !== was.screen)
      fanout(rest, { t: 'stream', userId: m.userID, audio: m.audio, video: m.video, screen: m.screen });
  }

  return {
    deliver,
    send,
    faultsOf,
    toMember,
    fanout,
    others,
    volcChanged,
    endMember,
    removeMember,
    kick,
    cut,
    newMember,
    addSubscription,
    dropSubscription,
    endSubscriptionsBeyondRights,
    later,
    cancel,
    capacity,
    inOutage,
    upstreamRefused,
    update,
  };
}
