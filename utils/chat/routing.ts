/**
 * Message routing: which messages of one `MESSAGE_RECEIVED` batch (the shared SDK's, for every room on the page)
 * are this room's, as the `IMEvent`s its page gets. Pure: the session (./session.ts) says which group it is in.
 */
import type { Logger } from '../core/logger';
import { imEvent, toIMMessage } from './events';
import type { IMEvent, IMMessage } from './events';
import type { ChatSDK } from './sdk';

/** group system notices' operationType (the ChatSDK TYPES of ./sdk.ts names none) */
const GRP_SYS = { KICKED_OUT: 4, DISMISSED: 5, RECYCLED: 11, AV_BANNED: 21 } as const;

/** What routing needs of the session: where it is and where its events go. */
export interface RouteOptions {
  /** one `MESSAGE_RECEIVED` batch, as the SDK gave it */
  data: unknown;
  /** the room's group */
  groupID: string;
  /** this user (a notice kicking another one ends nothing) */
  userID: string;
  /** the session holds the group: only then are its messages the room's */
  inGroup: boolean;
  /** the SDK's TYPES (conversation types) */
  types: ChatSDK['TYPES'];
  log: Logger;
  sink: (ev: IMEvent) => void;
}

/**
 * To `sink`: this group's messages → `big_group_msg_notify` (only while the session holds the group: `inGroup`),
 * C2C → `msg_notify`, system notices about this group → `group_system_notify`, in that order, each only when it
 * has messages. Messages of other groups are other rooms' (or the app's own chat); one not of a known shape is
 * dropped and logged. Returns why a notice ends this group's chat: 'dismissed' (operationType 5), 'recycled' (11)
 * or 'kicked' (4, an admin removed user `userID`: the notice is the kicked member's, one naming another ends
 * nothing; 21, an AVChatRoom kick, which bans a while: the SDK drops the group on it); '' when none does.
 */
export function routeMessages({ data, groupID, userID, inGroup, types: T, log, sink }: RouteOptions): string {
  if (!Array.isArray(data)) return '';
  const group: IMMessage[] = [];
  const c2c: IMMessage[] = [];
  const notices: IMMessage[] = [];
  for (const raw of data) {
    const m = toIMMessage(raw);
    if (!m) {
      log('chat: dropped a message of an unknown shape', raw);
      continue;
    }
    if (m.conversationType === T.CONV_GROUP) {
      if (m.to === groupID && inGroup) group.push(m);
    } else if (m.conversationType === T.CONV_C2C) {
      c2c.push(m);
    } else if (m.conversationType === T.CONV_SYSTEM) {
      if ((m.payload as { groupProfile?: { groupID: string } }).groupProfile?.groupID === groupID)
        notices.push(m);
    }
    // other groups belong to other components (or the app's own chat): not this room's
  }
  if (group.length) sink(imEvent('big_group_msg_notify', 0, { groupID, messages: group }));
  if (c2c.length) sink(imEvent('msg_notify', 0, { messages: c2c }));
  if (notices.length) sink(imEvent('group_system_notify', 0, { groupID, messages: notices }));
  let end = '';
  for (const m of notices) {
    const { operationType: op, userIDList: to } = m.payload as {
      operationType: number;
      userIDList: string[];
    };
    if (op === GRP_SYS.DISMISSED || op === GRP_SYS.RECYCLED)
      end = op === GRP_SYS.DISMISSED ? 'dismissed' : 'recycled';
    else if ((op === GRP_SYS.KICKED_OUT || op === GRP_SYS.AV_BANNED) && (!to.length || to.includes(userID)))
      end = end || 'kicked';
  }
  return end;
}
