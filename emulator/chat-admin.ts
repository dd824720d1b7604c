/**
 * The chat cloud's own actions on the relay (emulator/chat.ts), as an admin, a REST call or the cloud itself takes
 * them and the faults (emulator/faults.ts) inject them: logins kicked out or expired, groups dismissed, members
 * kicked out of a group, a phone's network lost. The relay's state is shared, not copied (`ChatCore`).
 */
import type { ChatGroup, ChatUser } from './chat';
import { nowSec } from './chat-message';
import { CHAT_TYPES, type ChatWireMessage } from './protocol';

export interface ChatAdmin {
  /** a network loss of this user's phone: its chat connections close (no kick; the SDK reconnects) */
  cut(userID: string): void;
  /** the cloud logs the user's chat out (a REST kick, a device conflict): the users it hit */
  kick(userID: string, type: string): string[];
  /**
   * this UserSig expires now (the fault `credential_expired`): the login of that app and user with that very
   * UserSig is kicked out (userSigExpired), as at its own expiry; the users it hit
   */
  expireSig(sig: { sdkAppID: number; userID: string; userSig: string }): string[];
  /**
   * the UserSig of each chat login of `userID` (in every app) expires now (the fault `chat_credential_expired`):
   * the login is kicked out (userSigExpired); the UserSigs it expired
   */
  expireLogins(userID: string): Array<{ sdkAppID: number; userID: string; userSig: string }>;
  /**
   * the cloud dismisses (or recycles) group `groupID` (in every app): its members get the notice (5, or 11); the
   * users it hit
   */
  dismiss(groupID: string, recycled?: boolean): string[];
  /**
   * an admin kicks `userID` out of group `groupID` (in every app): it gets the system notice (4), the members left
   * the tip (3); with `durationSec` > 0 (the SDK's deleteGroupMember `duration` on an AVChatRoom, a ban) the notice
   * is 21 and it may not join that group again for that long (CHAT.KICK_BANNED); the users it hit
   */
  kickFromGroup(userID: string, groupID: string, durationSec?: number): string[];
}

/** What the admin actions need of the relay. */
export interface ChatCore {
  /** `${sdkAppID}:${userID}` → the current login */
  byUser: Map<string, ChatUser>;
  /** `${sdkAppID}:${groupID}` → the group */
  groups: Map<string, ChatGroup>;
  appKey(app: number, id: string): string;
  avRoom(groupID: string): { groupID: string; type: string };
  /** the next number of the relay's tips and notices (their IDs) */
  nextSeq(): number;
  /** the login ends (its groups left, its expiry timer cleared) */
  end(u: ChatUser): void;
  /** the cloud ends a login: KICKED_OUT with `type`, then its connection closes */
  kickOut(u: ChatUser, type: string, reason: string): void;
  /** `u` leaves group `groupID` (`kicked`: an admin removed it); the members left get the tip */
  leaveGroup(u: ChatUser, groupID: string, kicked?: boolean): void;
  networkCloseCode: number;
}

export function createChatAdmin(core: ChatCore): ChatAdmin {
  /** The system notice about group `groupID` that the cloud sends to member `u`. */
  function notify(u: ChatUser, groupID: string, operationType: number): void {
    const notice: ChatWireMessage = {
      ID: `notice-${core.nextSeq()}`,
      type: CHAT_TYPES.MSG_GRP_SYS_NOTICE,
      conversationType: CHAT_TYPES.CONV_SYSTEM,
      to: u.userID,
      from: CHAT_TYPES.CONV_SYSTEM,
      time: nowSec(),
      payload: { operationType, groupProfile: core.avRoom(groupID) },
    };
    u.conn.send({ t: 'im_msg', messages: [notice] });
  }

  return {
    kick(userID, type) {
      const hit: string[] = [];
      for (const u of [...core.byUser.values()]) {
        if (u.userID !== userID) continue;
        core.kickOut(u, type, 'kicked');
        hit.push(u.userID);
      }
      return hit;
    },
    expireSig(sig) {
      const u = core.byUser.get(core.appKey(sig.sdkAppID, sig.userID));
      if (!u || u.userSig !== sig.userSig) return [];
      core.kickOut(u, CHAT_TYPES.KICKED_OUT_USERSIG_EXPIRED, 'usersig expired');
      return [u.userID];
    },
    expireLogins(userID) {
      const out: Array<{ sdkAppID: number; userID: string; userSig: string }> = [];
      for (const u of [...core.byUser.values()]) {
        if (u.userID !== userID) continue;
        core.kickOut(u, CHAT_TYPES.KICKED_OUT_USERSIG_EXPIRED, 'usersig expired');
        out.push({ sdkAppID: u.sdkAppID, userID: u.userID, userSig: u.userSig });
      }
      return out;
    },
    dismiss(groupID, recycled = false) {
      const hit: string[] = [];
      for (const [key, g] of [...core.groups]) {
        if (key.slice(key.indexOf(':') + 1) !== groupID) continue;
        core.groups.delete(key);
        for (const u of g.members.values()) {
          u.groups.delete(groupID);
          hit.push(u.userID);
          notify(u, groupID, recycled ? CHAT_TYPES.GRP_SYS_RECYCLED : CHAT_TYPES.GRP_SYS_DISMISSED);
        }
      }
      return hit;
    },
    kickFromGroup(userID, groupID, durationSec = 0) {
      const hit: string[] = [];
      for (const [key, g] of core.groups) {
        const u = g.members.get(userID);
        if (!u || key !== core.appKey(u.sdkAppID, groupID)) continue;
        // the ban is on the member the kick hit (the SDK kicks members), before it goes: no join slips in between
        if (durationSec > 0) g.bans.set(userID, Date.now() + durationSec * 1000);
        core.leaveGroup(u, groupID, true);
        hit.push(userID);
        notify(u, groupID, durationSec > 0 ? CHAT_TYPES.GRP_SYS_AV_BANNED : CHAT_TYPES.GRP_SYS_KICKED_OUT);
      }
      return hit;
    },
    cut(userID) {
      for (const u of [...core.byUser.values()]) {
        if (u.userID !== userID) continue;
        core.end(u);
        u.conn.close(core.networkCloseCode, 'network lost');
      }
    },
  };
}
