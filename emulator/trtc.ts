/**
 * The TRTC room model (WeChat): room keys, the PrivateMapKey rights, the room events (1018/1019/1031/1032…)
 * and entering a room: credential and permission checks, what a newcomer learns and what the room learns.
 */
import type { WebSocket } from 'ws';
import { WX_STR_ROOM_ID_PATTERN, WX_USER_ID_PATTERN } from '../utils/core/validate';
import { CLOSE, EXIT_REASON, TRTC, playUrl, type ServerMessage, type TrtcJoin } from './protocol';
import { unixNow, type RoomOps } from './rooms';
import type { Core, Member, TrtcEntry } from './types';

/** TRTC PrivateMapKey bits the emulator checks (server/trtc.ts TRTC_PRIVILEGE). */
export const PRIV = {
  CREATE: 1,
  ENTER: 2,
  SEND_AUDIO: 4,
  RECV_AUDIO: 8,
  SEND_VIDEO: 16,
  RECV_VIDEO: 32,
  SEND_SUB: 64,
  RECV_SUB: 128,
};

/** The userID and string room ID forms TRTC accepts (the component's own rules, utils/core/validate.ts). */
const TRTC_USER_ID = new RegExp(WX_USER_ID_PATTERN);
const TRTC_STR_ROOM_ID = new RegExp(WX_STR_ROOM_ID_PATTERN);
/** How many UserSigs `credential_expired` remembers (the control API is loopback-only; still bounded). */
const MAX_EXPIRED_SIGS = 1000;

/** One UserSig as the emulator remembers it: app, user and the signature text. */
const sigKeyOf = (s: { sdkAppID: number; userID: string; userSig: string }): string =>
  `${s.sdkAppID}\u0000${s.userID}\u0000${s.userSig}`;

export function trtcRoomKey(j: TrtcJoin): string | null {
  if (typeof j.strRoomID === 'string' && j.strRoomID.length > 0) return `trtc:${j.sdkAppID}:s:${j.strRoomID}`;
  if (typeof j.roomID === 'number') return `trtc:${j.sdkAppID}:n:${j.roomID}`;
  return null;
}

export function trtcEvent(code: number, list: unknown[]): ServerMessage {
  return { t: 'event', code, message: JSON.stringify({ userlist: list }) };
}

export const videoItem = (m: Member, on: boolean, aux = false) => ({
  userid: m.userID,
  playurl: playUrl(m.userID, aux ? 'aux' : 'main'),
  streamtype: aux ? 'aux' : 'main',
  hasvideo: on,
});
export const audioItem = (m: Member, on: boolean) => ({
  userid: m.userID,
  playurl: playUrl(m.userID),
  hasaudio: on,
});

export type TrtcOps = ReturnType<typeof createTrtc>;

export function createTrtc(core: Core, ops: RoomOps) {
  const { opts, rooms, suspended, userFaults, verifyUserSig, verifyPrivateMapKey } = core;
  const { send, toMember, fanout, kick, newMember, capacity, inOutage, upstreamRefused } = ops;
  /** UserSigs that `credential_expired` expired (app, user, sig), whatever their own expiry says */
  const expiredSigs = new Set<string>();

  /** What a newcomer learns about the room (TRTC), in the order the client reports it. */
  function trtcIntro(m: Member, all: Member[]): void {
    // an audience member (live / voicechatroom) is announced to no one
    const existing = all.filter((e) => !e.hidden);
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
    if (m.hidden) return;
    const enter = trtcEvent(TRTC.USER_ENTER, [{ userid: m.userID }]);
    const media: ServerMessage[] = [];
    if (m.video) media.push(trtcEvent(TRTC.VIDEO, [videoItem(m, true)]));
    if (m.audio) media.push(trtcEvent(TRTC.AUDIO, [audioItem(m, true)]));
    const normal = existing.filter((e) => !userFaults.get(e.userID)?.videoFirst);
    const first = existing.filter((e) => userFaults.get(e.userID)?.videoFirst);
    for (const msg of [enter, ...media]) fanout(normal, msg);
    for (const msg of [...media, enter]) fanout(first, msg);
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
    // what the SDK refuses before it asks the cloud: a userID or string room ID outside TRTC's forms
    if (!TRTC_USER_ID.test(j.userID))
      return fail(TRTC.INVALID_USER_ID, 'invalid userID: 1-32 letters, digits, "_" or "-"');
    if (j.strRoomID !== undefined && j.strRoomID !== '' && !TRTC_STR_ROOM_ID.test(j.strRoomID))
      return fail(TRTC.INVALID_ROOM_ID, "invalid strRoomID: 1-64 of TRTC's 89 characters");
    if (inOutage(j.userID)) {
      ws.close(CLOSE.NETWORK, 'network down');
      return null;
    }
    const v = verifyUserSig({ sdkAppID: j.sdkAppID, userID: j.userID, userSig: j.userSig });
    if (!v.ok) return fail(TRTC.BAD_SIG, `userSig check failed: ${v.reason ?? 'invalid'}`);
    const sig = { sdkAppID: j.sdkAppID, userID: j.userID, userSig: j.userSig };
    const sigKey = sigKeyOf(sig);
    if (expiredSigs.has(sigKey)) return fail(TRTC.BAD_SIG, 'userSig check failed: expired');
    let privileges = 255;
    const entry: TrtcEntry = { sigExpireAt: v.expireAt, sigKey, sig };
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
      entry.privateMap = { expireAt: p.expireAt, privileges };
    }
    const full = capacity(key);
    if (full && !rooms.get(key)?.members.has(j.userID)) return fail(TRTC.ENTER_REFUSED, full);
    const old = rooms.get(key)?.members.get(j.userID);
    if (old) kick(old, EXIT_REASON.KICKED);
    const id = j.strRoomID !== undefined && j.strRoomID !== '' ? j.strRoomID : String(j.roomID);
    const room = rooms.get(key) ?? { key, id, model: 'trtc' as const, members: new Map() };
    rooms.set(key, room);
    const m = newMember('trtc', room, j.userID, ws, {
      sendAudio: !!(privileges & PRIV.SEND_AUDIO),
      sendVideo: !!(privileges & PRIV.SEND_VIDEO),
      sendSub: !!(privileges & PRIV.SEND_SUB),
      recvAudio: !!(privileges & PRIV.RECV_AUDIO),
      recvVideo: !!(privileges & PRIV.RECV_VIDEO),
    });
    m.entry = entry;
    // live / voicechatroom: the client enters as audience (21) without camera and mic, and publishes nothing then
    m.roles = j.appscene === 'live' || j.appscene === 'voicechatroom';
    m.hidden = m.roles && j.anchor === false;
    m.audio = j.audio && m.rights.sendAudio && !m.hidden;
    m.video = j.video && m.rights.sendVideo && !m.hidden;
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

  /**
   * Why the cloud refuses a member's re-entry with the credentials it entered with (the client re-enters on its
   * own after 5000): expired meanwhile, a room emptied meanwhile that its key may not create, or a full one.
   */
  function reentryRefusal(m: Member): { code: number; message: string } | null {
    const e = m.entry;
    const key = m.room.key;
    const now = unixNow();
    if (e?.sigExpireAt !== undefined && now > e.sigExpireAt)
      return { code: TRTC.BAD_SIG, message: 'userSig check failed: expired' };
    if (e?.privateMap) {
      if (e.privateMap.expireAt !== undefined && now > e.privateMap.expireAt)
        return { code: TRTC.BAD_PRIVATE_MAP_KEY, message: 'privateMapKey check failed: expired' };
      if (!rooms.has(key) && !(e.privateMap.privileges & PRIV.CREATE))
        return {
          code: TRTC.BAD_PRIVATE_MAP_KEY,
          message: 'privateMapKey check failed: no right to create the room',
        };
    }
    const full = capacity(key);
    if (full && !rooms.get(key)?.members.has(m.userID)) return { code: TRTC.ENTER_REFUSED, message: full };
    return null;
  }

  /**
   * The fault `credential_expired`: the UserSig `m` entered with expires now. The cloud checks a UserSig on
   * entering only (docs/platform-facts.md (b)): the member stays in the room, and its next entry or re-entry with
   * that UserSig is refused (-100018, then 1022); a new UserSig enters. Returns that UserSig (chat ends a login
   * with it at its expiry, emulator/chat.ts), or null when `m` has no entry.
   */
  function expireUserSig(m: Member): TrtcEntry['sig'] | null {
    if (!m.entry) return null;
    expireSig(m.entry.sig);
    return m.entry.sig;
  }

  /**
   * This UserSig expires now, wherever it is used (the fault `chat_credential_expired` names a chat login's):
   * a new entry with it is refused, and so is the next re-entry of every TRTC member that entered with it.
   */
  function expireSig(sig: TrtcEntry['sig']): void {
    const key = sigKeyOf(sig);
    // at most MAX_EXPIRED_SIGS remembered: the oldest go first
    expiredSigs.delete(key);
    expiredSigs.add(key);
    if (expiredSigs.size > MAX_EXPIRED_SIGS) expiredSigs.delete(expiredSigs.values().next().value as string);
    const past = unixNow() - 1;
    const expire = (m: Member) => {
      if (m.entry?.sigKey === key) m.entry.sigExpireAt = past;
    };
    for (const room of rooms.values()) room.members.forEach(expire);
    // a suspended member (5000) is out of the room and enters again on resume
    suspended.forEach(expire);
  }

  /** Whether `credential_expired` expired this UserSig (a chat login with it is refused as expired). */
  function sigExpired(sig: TrtcEntry['sig']): boolean {
    return expiredSigs.has(sigKeyOf(sig));
  }

  /** A refused re-entry as the client reports it (the code, then 1022); the connection ends. */
  function refuseReentry(m: Member, r: { code: number; message: string }): void {
    send(m.ws, { t: 'event', code: r.code, message: r.message });
    send(m.ws, { t: 'event', code: TRTC.ENTER_FAILED, message: `onEnterRoom failed, error code[${r.code}]` });
    m.ws.close(CLOSE.JOIN_FAILED, 'join failed');
  }

  return {
    trtcIntro,
    trtcAnnounce,
    joinTrtc,
    reentryRefusal,
    refuseReentry,
    expireUserSig,
    expireSig,
    sigExpired,
  };
}
