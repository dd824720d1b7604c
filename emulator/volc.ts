/**
 * The Volcengine room model (Douyin): the member lists (onRtc*MembersChanged), entering a room with a token
 * and its privileges, and the token's expiry (onRoomTokenWillExpire, then removal).
 */
import type { WebSocket } from 'ws';
import { CLOSE, EXIT_REASON, VOLC, type ServerMessage, type VolcEventName, type VolcJoin } from './protocol';
import { unixNow, type RoomOps } from './rooms';
import type { Core, Member, Room, VolcVerifyResult } from './types';

/**
 * The cloud's member lists. There is no speakers list here: the host computes who is speaking now
 * (onRtcChatSpeakersChanged) from the audio it receives (the preview's tt stand-in does, from real levels),
 * so a muted microphone shows only as silence there.
 */
export function volcList(room: Room, w: 'chat' | 'video' | 'screen'): ServerMessage {
  // an invisible member (changeUserVisibility false) is in none of them
  const all = [...room.members.values()].filter((m) => !m.hidden);
  const [name, pick]: [VolcEventName, (m: Member) => boolean] =
    w === 'chat'
      ? ['onRtcChatMembersChanged', () => true]
      : w === 'video'
        ? ['onRtcVideoMembersChanged', (m) => m.video]
        : ['onRtcPublishScreenMembersChanged', (m) => m.screen];
  return { t: 'tt', name, data: { userIdList: all.filter(pick).map((m) => m.userID) } };
}

/**
 * A member's rights from its token's privileges (each value its expiry, 0 = never), at `now`. A verifier without
 * privileges (tests, older servers) grants everything, as a token with every right.
 */
export function volcRights(pr: VolcVerifyResult['privileges'], now: number): Member['rights'] {
  const active = (exp: number | undefined): boolean => exp !== undefined && (exp === 0 || now <= exp);
  const canPublish = pr ? active(pr.publish) : true;
  const canSubscribe = pr ? active(pr.subscribe) : true;
  return {
    sendAudio: canPublish,
    sendVideo: canPublish,
    sendSub: canPublish,
    recvAudio: canSubscribe,
    recvVideo: canSubscribe,
  };
}

export type VolcOps = ReturnType<typeof createVolc>;

export function createVolc(core: Core, ops: RoomOps) {
  const { rooms, verifyVolcToken } = core;
  const {
    send,
    fanout,
    kick,
    newMember,
    capacity,
    inOutage,
    upstreamRefused,
    update,
    later,
    cancel,
    endSubscriptionsBeyondRights,
  } = ops;
  /** each member's token timers (will-expire, removal, privilege ends): a new token replaces only these */
  const tokenTimers = new WeakMap<Member, NodeJS.Timeout[]>();

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
    const room = rooms.get(key) ?? { key, id: j.roomId, model: 'volc' as const, members: new Map() };
    rooms.set(key, room);
    const m = newMember('volc', room, j.userId, ws, volcRights(v.privileges, unixNow()));
    m.hidden = j.visible === false;
    m.audio = j.audio && m.rights.sendAudio && !m.hidden;
    m.video = j.video && m.rights.sendVideo && !m.hidden;
    room.members.set(m.userID, m);
    send(ws, { t: 'joined', cost: 0, userID: m.userID });
    // an invisible newcomer learns the lists; the others are not told of it
    const all = m.hidden ? [m] : [...room.members.values()];
    for (const w of ['chat', 'video', 'screen'] as const) fanout(all, volcList(room, w));
    upstreamRefused(m, j);
    armExpiry(m, v.expireAt, v.privileges);
    return m;
  }

  /** The rights of `privileges` now: what the member publishes and may no longer is stopped (-1002). */
  function applyRights(m: Member, privileges: VolcVerifyResult['privileges']): void {
    m.rights = volcRights(privileges, unixNow());
    const was = { audio: m.audio, video: m.video, screen: m.screen };
    upstreamRefused(m, was);
    update(m, was);
    endSubscriptionsBeyondRights(m);
  }

  /**
   * Volcengine: onRoomTokenWillExpire 30 s before the token's expiry, removal (-1009) at it; a publish or
   * subscribe privilege that ends before then ends that right only (the user stays in the room). A new token
   * (updateToken) re-arms: the previous token's timers are cleared first.
   */
  function armExpiry(
    m: Member,
    expireAt: number | undefined,
    privileges?: VolcVerifyResult['privileges'],
  ): void {
    cancel(m, tokenTimers.get(m) ?? []); // the previous token's, if any
    const timers: NodeJS.Timeout[] = [];
    tokenTimers.set(m, timers);
    for (const exp of [privileges?.publish, privileges?.subscribe]) {
      if (exp && (!expireAt || exp < expireAt))
        timers.push(
          later(m, Math.max(0, (exp + 1) * 1000 + 20 - Date.now()), () => applyRights(m, privileges)),
        );
    }
    if (!expireAt) return;
    const left = expireAt * 1000 - Date.now();
    timers.push(
      later(m, Math.max(0, left - 30000), () =>
        send(m.ws, { t: 'tt', name: 'onRoomTokenWillExpire', data: {} }),
      ),
      later(m, Math.max(0, left), () => kick(m, 0, { errNo: VOLC.TOKEN_EXPIRED, errMsg: 'token expired' })),
    );
  }

  return { joinVolc, armExpiry, applyRights };
}
