/**
 * Wire protocol between the preview's native stand-ins (browser) and the room emulator (Node).
 * One WebSocket per pusher / rtc-room context; JSON text frames; per-connection order is preserved.
 *
 * TRTC model (WeChat live-pusher): the emulator sends ready-made `statechange` payloads (`code` + `message`
 * exactly as the WeChat client formats them), so the stand-in only forwards them.
 * Volc model (Douyin RtcRoomContext): the emulator sends full member lists for the `onRtc*Changed` events.
 */

export type Model = 'trtc' | 'volc';

export interface TrtcJoin {
  t: 'join';
  model: 'trtc';
  sdkAppID: number;
  roomID?: number;
  strRoomID?: string;
  userID: string;
  userSig: string;
  privateMapKey?: string;
  audio: boolean;
  video: boolean;
  /** the push URL's `appscene`: in live / voicechatroom the client enters as audience unless `anchor` */
  appscene?: TrtcScene;
  /** the client's role there (wechat-trtc.md §2.4): anchor while enable-camera or enable-mic is on */
  anchor?: boolean;
}

export const TRTC_SCENES = ['videocall', 'live', 'audiocall', 'voicechatroom'] as const;
export type TrtcScene = (typeof TRTC_SCENES)[number];

export interface VolcJoin {
  t: 'join';
  model: 'volc';
  appID: string;
  roomId: string;
  userId: string;
  token: string;
  audio: boolean;
  video: boolean;
  /** changeUserVisibility before the join (the engine keeps it): false = in no member list, publishes nothing */
  visible?: boolean;
}

export type ClientMessage =
  | TrtcJoin
  | VolcJoin
  /**
   * `visible`: Volc changeUserVisibility (false: in no member list, publishes nothing); `anchor`: TRTC's automatic
   * switchRole in live / voicechatroom (false: audience, announced to no one)
   */
  | { t: 'update'; audio?: boolean; video?: boolean; screen?: boolean; visible?: boolean; anchor?: boolean }
  | { t: 'leave' }
  | { t: 'signal'; to: string; data: unknown }
  | { t: 'ping'; id?: number }
  /** a TRTC in-stream (SEI) message: travels with the sender's video to everyone in the room */
  | { t: 'sei'; payload: string }
  /** Volc: a new token for this member (RtcRoomContext.updateToken); answered with `token` */
  | { t: 'token'; token: string }
  | ChatRequest;

/** TRTC carries at most 1 KB per SEI message. */
export const MAX_SEI_BYTES = 1000;

export type VolcEventName =
  | 'onRtcChatMembersChanged'
  | 'onRtcVideoMembersChanged'
  | 'onRtcChatSpeakersChanged'
  | 'onRtcPublishScreenMembersChanged'
  | 'onRtcChatInterrupted'
  | 'onRtcStateChanged'
  | 'onRoomTokenWillExpire';

export type ServerMessage =
  /** join accepted; `cost` ms spent by the emulator */
  | { t: 'joined'; cost: number; userID: string }
  /** join refused (bad credential, bad parameters); the socket is closed after this */
  | { t: 'join_failed'; code: number; message: string }
  /** a WeChat live-pusher statechange, formatted like the real client */
  | { t: 'event'; code: number; message: string }
  /** a Douyin RtcRoomContext event */
  | { t: 'tt'; name: VolcEventName; data: Record<string, unknown> }
  /**
   * Volc: a member already in the room started or stopped publishing (what it publishes now): the engine's
   * onUserPublishStream / onUserUnpublishStream. The host keeps it to itself (no RtcRoomContext event) and, with
   * autoSubscribe, subscribes on it; a joiner's streams come with the member list.
   */
  | { t: 'stream'; userId: string; audio: boolean; video: boolean; screen: boolean }
  /** relayed WebRTC signalling */
  | { t: 'signal'; from: string; data: unknown }
  | { t: 'pong'; id?: number }
  /** a room member's SEI message (TRTC rooms only) */
  | { t: 'sei'; from: string; payload: string }
  /** the answer to `token`: ok, or refused (21101 invalid token) */
  | { t: 'token'; ok: boolean; code?: number; message?: string }
  /** a refused frame (`field`: what was wrong) or a notice; past the bad-frame budget the socket is closed */
  | { t: 'error'; message: string; field?: string }
  /** a fault for the stand-ins to play out in the browser (emulator/faults.ts) */
  | { t: 'fault'; fault: ClientFault }
  /** the answer to one chat request (`rid`): code 0 or a Tencent Cloud Chat error code */
  | { t: 'im_ack'; rid: number; code: number; message: string; data?: Record<string, unknown> }
  /** chat messages for this user (group messages, group tips, C2C) */
  | { t: 'im_msg'; messages: ChatWireMessage[] }
  /** this chat login was taken over (same userID logged in elsewhere); the socket is closed after this */
  | { t: 'im_kicked'; type: string };

/** The emulator's TRTC codes (wechat-trtc.md §2.4). */
export const TRTC = {
  ENTER_OK: 1018,
  EXIT: 1019,
  NET_CHANGED: 1021,
  ENTER_FAILED: 1022,
  USER_ENTER: 1031,
  USER_LEAVE: 1032,
  VIDEO: 1033,
  AUDIO: 1034,
  DISCONNECTED: -1307,
  BAD_SIG: -100018,
  /** ERR_TRTC_INVALID_PRIVATE_MAPKEY: PrivateMapKey malformed, expired, for another room, or no enter right */
  BAD_PRIVATE_MAP_KEY: -100006,
  /** ERR_TRTC_INVALID_ROOM_ID: a string room ID outside TRTC's characters (or over 64) */
  INVALID_ROOM_ID: -3318,
  /** ERR_TRTC_INVALID_USER_ID: a userID outside TRTC's form (1-32 of A-Z a-z 0-9 _ -) */
  INVALID_USER_ID: -3319,
  /** ERR_TRTC_ENTER_ROOM_REFUSED (the emulator's room / member caps) */
  ENTER_REFUSED: -3340,
  /** WARNING_IGNORE_UPSTREAM_FOR_AUDIENCE: no sendAudio / sendVideo right, the upstream is ignored */
  UPSTREAM_IGNORED: 6001,
  /** ERR_SCREEN_SHARE_NOT_AUTHORIZED: no sendSubVideo right */
  SCREEN_NOT_AUTHORIZED: -102015,
  SUSPENDED: 5000,
  FLOATING_CLOSED: 5001,
  USER_LIST: 1020,
} as const;

/** onExitRoom reasons: 0 normal, 1 kicked (same userID elsewhere), 2 room dismissed. */
export const EXIT_REASON = { NORMAL: 0, KICKED: 1, DISMISSED: 2 } as const;

/** Douyin joinRtcRoom errNo values (douyin-rtc.md §2.3). */
export const VOLC = {
  PARAM: 20000,
  ALREADY_IN_ROOM: 21100,
  INVALID_TOKEN: 21101,
  JOIN_FAILED: 21102,
  /** onRtcChatInterrupted when the same userId logs in elsewhere (Volcengine DUPLICATE_LOGIN -1004) */
  DUPLICATE_LOGIN: -1004,
  /** Volcengine kErrorCodeNoPublishPermission (onRtcStateChanged) */
  NO_PUBLISH_PERMISSION: -1002,
  /** Volcengine kErrorCodeNoSubscribePermission (onRtcStateChanged) */
  NO_SUBSCRIBE_PERMISSION: -1003,
  /** kicked out by the server (onRtcChatInterrupted) */
  KICKED_OUT: -1006,
  /** token expired: the user is removed (onRtcChatInterrupted) */
  TOKEN_EXPIRED: -1009,
  ROOM_DISMISSED: -1011,
  /** passively disconnected (onRtcChatInterrupted) */
  DISCONNECTED: -1,
} as const;

/** Close codes used by the emulator (4000-4999 are application codes). */
export const CLOSE = {
  LEFT: 4000,
  KICKED: 4001,
  JOIN_FAILED: 4002,
  /** past the bad-frame budget */
  BAD_MESSAGE: 4003,
  /** no join / chat login within the join deadline */
  JOIN_DEADLINE: 4004,
  /** past the message-rate budget */
  RATE_LIMIT: 4005,
  /** its send buffer was over the limit (a client that does not read) */
  SLOW_CONSUMER: 4006,
  /** an injected connection loss or outage */
  NETWORK: 4007,
  /** the process has as many sockets as it takes */
  CAPACITY: 4008,
} as const;

/** Faults only the browser can play (weak network, a failing player, backgrounding); see emulator/faults.ts. */
export type ClientFault =
  | { kind: 'weak'; quality: number; videoBitrate?: number; target?: string }
  | { kind: 'player_fail'; target?: string }
  /** WeChat: the next player (`once`) / every player started while `on` of `target` (or anyone) stays black */
  | { kind: 'black'; target?: string; once: boolean; on: boolean }
  /** WeChat: the camera / microphone cannot be opened while `on` (the pusher's -1301 / -1302) */
  | { kind: 'device_fail'; device: 'camera' | 'mic'; on: boolean }
  /** the page's camera / microphone scope is turned off (until `openSetting` turns it on) */
  | { kind: 'permission_revoked'; scope: 'camera' | 'mic' }
  /** WeChat on Android while `on`: platform 'android'; a player created while its page is hidden never plays */
  | { kind: 'android'; on: boolean }
  /** the phone is on another network now: the page's onNetworkStatusChange / getNetworkType */
  | { kind: 'network_type'; networkType: 'wifi' | '2g' | '3g' | '4g' | '5g' }
  /** Douyin while `on`: every `<rtc-room>` created fails with binderror `code` */
  | { kind: 'view_error'; code: 10101 | 21200 | 21301; on: boolean }
  /** Douyin while `on`: capture refused by the privacy layer (10201 `refused` / 10202 `undeclared`) */
  | { kind: 'privacy'; reason: 'refused' | 'undeclared'; on: boolean }
  /** Douyin: this connection's engine is destroyed (the emulator then closes it, 4000) */
  | { kind: 'engine_destroyed' }
  | { kind: 'hide' }
  | { kind: 'show' }
  | { kind: 'clear' };

export function playUrl(userID: string, streamType: 'main' | 'aux' | 'small' = 'main'): string {
  return `room://cloud.tencent.com/rtc?userid=${encodeURIComponent(userID)}&streamtype=${streamType}`;
}

// ------------------------------------------------------------------ chat (the preview's @tencentcloud/chat stand-in)

/**
 * A chat message on the wire, shaped like the SDK's Message (toolchain.md §5): the emulator stamps
 * `from` (the logged-in user) and `time` (seconds) on the way through.
 */
export interface ChatWireMessage {
  ID: string;
  /** TIMTextElem, TIMCustomElem, TIMGroupTipElem */
  type: string;
  /** GROUP or C2C */
  conversationType: string;
  to: string;
  from: string;
  time: number;
  payload: unknown;
  nick?: string;
  avatar?: string;
  cloudCustomData?: string;
}

/**
 * Chat requests, one chat login per WebSocket (separate from the room connections). Every request gets
 * exactly one `im_ack` with the same `rid`.
 */
export type ChatRequest =
  | { t: 'im'; rid: number; op: 'login'; sdkAppID: number; userID: string; userSig: string }
  | { t: 'im'; rid: number; op: 'logout' }
  | { t: 'im'; rid: number; op: 'join'; groupID: string; type?: string }
  | { t: 'im'; rid: number; op: 'create'; groupID: string; type: string; name: string }
  | { t: 'im'; rid: number; op: 'quit'; groupID: string }
  | { t: 'im'; rid: number; op: 'send'; message: ChatWireMessage };

/** Tencent Cloud Chat error codes the emulator answers with. */
export const CHAT = {
  /** UserSig expired */
  SIG_EXPIRED: 70001,
  /** UserSig malformed (cannot be decoded) */
  SIG_INVALID: 70003,
  /** UserSig signature check failed (wrong key) */
  SIG_VERIFY_FAILED: 70009,
  /** the UserSig was issued to another userID */
  SIG_USER_MISMATCH: 70013,
  /** the UserSig was issued for another SDKAppID */
  SIG_APP_MISMATCH: 70014,
  /** not logged in */
  NOT_LOGGED_IN: 6014,
  /** not a member of the group (send / quit) */
  NOT_MEMBER: 10007,
  /**
   * join: kicked out of the group with a duration that has not run out. The cloud's code for it is not known
   * (docs/platform-facts.md (g)); 10007 is its "insufficient permission" code
   */
  KICK_BANNED: 10007,
  /** no such group (never created, or dismissed): join */
  NO_GROUP: 10010,
  /** the group ID is invalid */
  BAD_GROUP_ID: 10015,
  /** create: the group ID is taken by another user's group */
  GROUP_ID_TAKEN: 10021,
  /** create: the group ID is taken by this user's own group */
  GROUP_ID_OWN: 10025,
  /** create: the app's AVChatRoom quota is used up */
  GROUP_QUOTA: 10036,
  /** the message is over the 12 KB limit */
  TOO_LARGE: 80002,
  /** bad request parameters */
  PARAM: 2000,
  /** the sender or recipient UserID is invalid or does not exist (a C2C to an account nobody made) */
  NO_USER: 20003,
} as const;

/** SDK `TYPES` values used on the wire. */
export const CHAT_TYPES = {
  GRP_AVCHATROOM: 'AVChatRoom',
  CONV_GROUP: 'GROUP',
  CONV_C2C: 'C2C',
  MSG_TEXT: 'TIMTextElem',
  MSG_CUSTOM: 'TIMCustomElem',
  MSG_GRP_TIP: 'TIMGroupTipElem',
  MSG_GRP_SYS_NOTICE: 'TIMGroupSystemNoticeElem',
  CONV_SYSTEM: '@TIM#SYSTEM',
  /** group system notice: the group was dismissed */
  GRP_SYS_DISMISSED: 5,
  /** group system notice (to the kicked member): an admin kicked this user out of the group */
  GRP_SYS_KICKED_OUT: 4,
  /**
   * group system notice (to the kicked member): kicked out of an AVChatRoom with a duration (a ban); the SDK
   * (3.6.6, onAVChatRoomMemberBanned) drops the group on it
   */
  GRP_SYS_AV_BANNED: 21,
  /** group system notice: the group was recycled */
  GRP_SYS_RECYCLED: 11,
  GRP_TIP_MBR_JOIN: 1,
  GRP_TIP_MBR_QUIT: 2,
  /** group tip: a member was kicked out of the group */
  GRP_TIP_MBR_KICKED_OUT: 3,
  KICKED_OUT_MULT_ACCOUNT: 'multipleAccount',
  KICKED_OUT_USERSIG_EXPIRED: 'userSigExpired',
  JOIN_STATUS_SUCCESS: 'JoinedSuccess',
  JOIN_STATUS_ALREADY_IN_GROUP: 'AlreadyInGroup',
} as const;
