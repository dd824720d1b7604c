/**
 * Fault injection into the room model (emulator/faults.ts says which faults exist): which members a fault
 * reaches, suspension and resumption, per-user switches, browser-side faults, 1020 noise and trace replay.
 */
import { WebSocket } from 'ws';
import type { Fault, TraceEvent } from './faults';
import { CLOSE, EXIT_REASON, TRTC, VOLC, playUrl, type ClientFault } from './protocol';
import { roomMatches, type RoomOps } from './rooms';
import type { TrtcOps } from './trtc';
import type { Core, Member } from './types';

export type InjectOps = ReturnType<typeof createInject>;

/** What a fault reaches beyond the rooms: chat (emulator/chat.ts). */
export interface InjectChat {
  /** a UserSig expires now: the chat login with that very UserSig ends (userSigExpired) */
  expireSig(sig: { sdkAppID: number; userID: string; userSig: string }): string[];
}

export function createInject(core: Core, ops: RoomOps & TrtcOps, chat: InjectChat) {
  const { rooms, conns, userFaults, suspended, guard } = core;
  /** suspended members whose client left after 5001: out of the room until it enters anew */
  const floating = new WeakSet<Member>();
  const {
    send,
    toMember,
    removeMember,
    kick,
    cut,
    later,
    others,
    faultsOf,
    trtcIntro,
    trtcAnnounce,
    reentryRefusal,
    refuseReentry,
    expireUserSig,
  } = ops;

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

  /**
   * 5000 / 5001: the client leaves the room itself (wechat-trtc.md §2.4), its own onExitRoom, `1019 reason[0]`,
   * after the code (none with `ios`: iOS sends no 1019); peers see it go. After 5000 it enters again in the
   * foreground (resume); after 5001 it does not: the page enters again (the component re-enters on show).
   */
  function suspend(m: Member, code: number): void {
    toMember(m, {
      t: 'event',
      code,
      message: code === TRTC.FLOATING_CLOSED ? 'floating window closed' : 'mini program suspended',
    });
    if (suspended.has(m)) return;
    if (!userFaults.get(m.userID)?.ios)
      toMember(m, { t: 'event', code: TRTC.EXIT, message: `onExitRoom reason[${EXIT_REASON.NORMAL}]` });
    removeMember(m);
    suspended.add(m);
    if (code === TRTC.FLOATING_CLOSED) floating.add(m);
  }

  /** Back in the foreground: after 5000 the client enters again on the same connection. */
  function resume(m: Member): void {
    if (floating.has(m) || !suspended.delete(m) || m.ws.readyState !== WebSocket.OPEN) return;
    // a re-entry: the cloud checks the credentials it entered with again
    const refused = reentryRefusal(m);
    if (refused) return refuseReentry(m, refused);
    const key = m.room.key;
    const room = rooms.get(key) ?? {
      key,
      id: m.room.id,
      model: m.model,
      members: new Map<string, Member>(),
    };
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
    for (const f of userFaults.get(m.userID)?.client ?? []) {
      // some are one platform's: Douyin's views, WeChat's devices and Android players
      const only =
        f.kind === 'view_error' || f.kind === 'privacy'
          ? 'volc'
          : f.kind === 'device_fail' || f.kind === 'android'
            ? 'trtc'
            : null;
      if (!only || only === m.model) toClient(m, f);
    }
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
          // the page hears of the new network first (wx/tt.onNetworkStatusChange), then the room does
          toClient(m, { kind: 'network_type', networkType: f.networkType ?? '4g' });
          if (m.model === 'trtc')
            toMember(m, {
              t: 'event',
              code: TRTC.NET_CHANGED,
              message: 'network type changed, re-enter room',
            });
          else cut(m);
        }
        break;
      case 'suspend': {
        // 5001 (the floating window closed) is Android's: an iOS client has none and sends nothing
        const ios = (u: string): boolean => !!userFaults.get(u)?.ios;
        const floatingOnIos = f.code === TRTC.FLOATING_CLOSED;
        for (const m of hit) {
          if (m.model !== 'trtc') toClient(m, { kind: 'hide' });
          else if (!(floatingOnIos && ios(m.userID))) suspend(m, f.code ?? TRTC.SUSPENDED);
        }
        if (floatingOnIos) return users.filter((u) => !ios(u));
        break;
      }
      case 'hide':
      case 'show':
        for (const m of hit) {
          toClient(m, { kind: f.kind });
          if (f.kind === 'show') resume(m);
        }
        break;
      case 'kick':
        // the server removes the user: TRTC's 1019 reason[N]; Volcengine's kicked-out -1006 whatever the reason
        // (its -1004 is a duplicate login, which the emulator sends when the same userId joins again)
        for (const m of hit)
          kick(m, f.reason ?? EXIT_REASON.KICKED, {
            errNo: VOLC.KICKED_OUT,
            errMsg: 'kicked out by the server',
          });
        break;
      case 'credential_expired':
        // TRTC checks the UserSig on entering only: nothing now, the next (re-)entry with it is refused; Chat
        // ends a login at its UserSig's expiry, so the chat login with that same UserSig is kicked now.
        // Volcengine removes the user when its token expires (-1009); a token is no UserSig: chat goes on.
        for (const m of hit) {
          if (m.model !== 'trtc') {
            kick(m, 0, { errNo: VOLC.TOKEN_EXPIRED, errMsg: 'token expired' });
            continue;
          }
          const sig = expireUserSig(m);
          if (sig) chat.expireSig(sig);
        }
        break;
      case 'hostile_bad_sig':
        // not the cloud: a -100018 to a member in the room, for the component's handling of it
        for (const m of hit)
          if (m.model === 'trtc') toMember(m, { t: 'event', code: TRTC.BAD_SIG, message: 'userSig expired' });
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
      case 'black': {
        // WeChat's live-player (Douyin's rtc-room reports no first frame); a switch is repeated to a re-entry
        const cf: ClientFault = {
          kind: 'black',
          target: f.target,
          once: f.once !== false,
          on: f.on !== false,
        };
        for (const u of users) {
          const list = faultsOf(u).client.filter((x) => !(x.kind === 'black' && x.target === f.target));
          faultsOf(u).client = cf.on && !cf.once ? [...list, cf] : list;
        }
        for (const m of hit) if (m.model === 'trtc') toClient(m, cf);
        break;
      }
      case 'device_fail': {
        // a switch of the user's phone: repeated to a re-entered session; the Douyin engine reports no such code
        const cf: ClientFault = { kind: 'device_fail', device: f.device, on: f.on !== false };
        for (const u of users) {
          const list = faultsOf(u).client.filter((x) => !(x.kind === 'device_fail' && x.device === f.device));
          faultsOf(u).client = cf.on ? [...list, cf] : list;
        }
        for (const m of hit) if (m.model === 'trtc') toClient(m, cf);
        break;
      }
      case 'permission_revoked':
        // the page's own setting: it stays refused there (re-entries included) until the user turns it on
        for (const m of hit) toClient(m, { kind: 'permission_revoked', scope: f.scope });
        break;
      case 'view_error':
      case 'privacy': {
        // switches of the user's Douyin client, repeated to a re-entered session (WeChat: no such views; its
        // privacy layer is not modelled)
        const cf: ClientFault =
          f.kind === 'view_error'
            ? { kind: 'view_error', code: f.code ?? 21301, on: f.on !== false }
            : { kind: 'privacy', reason: f.reason ?? 'refused', on: f.on !== false };
        for (const u of users) {
          const list = faultsOf(u).client.filter((x) => x.kind !== f.kind);
          faultsOf(u).client = cf.on ? [...list, cf] : list;
        }
        for (const m of hit) if (m.model === 'volc') toClient(m, cf);
        break;
      }
      case 'engine_destroyed':
        // no goodbye and no event: the engine is just gone (peers see the member lists change); WeChat has none
        for (const m of hit) {
          if (m.model !== 'volc') continue;
          toClient(m, { kind: 'engine_destroyed' });
          removeMember(m);
          const conn = conns.get(m.ws);
          if (conn) conn.member = null;
          m.ws.close(CLOSE.LEFT, 'engine destroyed');
        }
        break;
      case 'ios':
      case 'android': {
        // one phone: iOS or Android, not both (switching one on switches the other off)
        const on = f.on !== false;
        for (const u of users) {
          const uf = faultsOf(u);
          const had = uf.client.some((x) => x.kind === 'android');
          let android = had;
          if (f.kind === 'ios') {
            uf.ios = on;
            if (on) android = false;
          } else {
            android = on;
            if (on) uf.ios = false;
          }
          uf.client = uf.client.filter((x) => x.kind !== 'android');
          if (android) uf.client.push({ kind: 'android', on: true });
          if (had === android) continue;
          for (const m of hit)
            if (m.userID === u && m.model === 'trtc') toClient(m, { kind: 'android', on: android });
        }
        break;
      }
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

  return { inject, replayClientFaults };
}
