/**
 * The emulator's shapes: its public options and API (EmulatorOptions, Emulator, verifier results) and the
 * internal room model (Room, Member, per-user fault switches, one socket's Conn) with the shared state
 * (Core) every part of the emulator works on.
 */
import type * as http from 'http';
import type { WebSocket } from 'ws';
import type { ChatConn, ChatGroupSnapshot } from './chat';
import type { Fault } from './faults';
import type { EmulatorHealth, EmulatorLimits } from './limits';
import type { ClientFault, Model } from './protocol';

export interface VerifyResult {
  ok: boolean;
  reason?: string;
  /** unix seconds the credential is valid until (Volcengine: will-expire 30 s before, removal at it) */
  expireAt?: number;
}

/** A checked TRTC PrivateMapKey: who, which room, until when, which rights (TRTC_PRIVILEGE bits). */
export interface PrivateMapResult {
  ok: boolean;
  reason?: string;
  userID?: string;
  roomID?: number;
  strRoomID?: string;
  /** unix seconds */
  expireAt?: number;
  privileges?: number;
}

/** A checked Volcengine token with its privileges (each value its expiry in unix seconds, 0 = never). */
export interface VolcVerifyResult extends VerifyResult {
  privileges?: { publish?: number; subscribe?: number };
}

export interface EmulatorOptions {
  /** Attach to this HTTP server (upgrade requests on `path`); otherwise the emulator listens on its own. */
  server?: http.Server;
  /** WebSocket path, default `/rtc`. */
  path?: string;
  /** TRTC: accept or refuse a UserSig. Default: refuse everything (a misconfigured emulator must not let anyone in). */
  verifyUserSig?: (p: { sdkAppID: number; userID: string; userSig: string }) => VerifyResult;
  /** TRTC: check a PrivateMapKey (signature, user); room, expiry and rights are checked by the emulator. */
  verifyPrivateMapKey?: (p: { sdkAppID: number; userID: string; privateMapKey: string }) => PrivateMapResult;
  /** TRTC: refuse entry without a PrivateMapKey (the console's "advanced permission control"). */
  requirePrivateMapKey?: boolean;
  /** Volcengine: accept or refuse a token for this room and user (with its privileges when it has them). */
  verifyVolcToken?: (p: { appID: string; roomId: string; userId: string; token: string }) => VolcVerifyResult;
  limits?: Partial<EmulatorLimits>;
  /**
   * Host names the control API also answers at, besides loopback ones: exact `host[:port]` (a tunnel's,
   * e.g. `tunnel.example.com`), no wildcards; an entry that is not one throws (parseAllowedHosts).
   */
  allowedHosts?: readonly string[];
  /** where the emulator reports what it refused or caught (default: stderr) */
  log?: (line: string) => void;
  /** Ping period; a member that misses `heartbeatMisses` pongs in a row is dropped. */
  heartbeatMs?: number;
  heartbeatMisses?: number;
  /** Called for every fan-out (one event sent to n members), for the bench. */
  onFanout?: (p: { recipients: number; ns: number }) => void;
}

export interface Member {
  model: Model;
  room: Room;
  userID: string;
  ws: WebSocket;
  /** what the member publishes as the room sees it (only what its rights allow) */
  audio: boolean;
  video: boolean;
  screen: boolean;
  /**
   * Volc: changeUserVisibility(false). TRTC: an audience member in live / voicechatroom (`roles`). The others get no
   * join/leave/publish notifications of it: it is in no member list (no 1031/1032) and publishes nothing
   * (douyin-rtc.md §2.3, wechat-trtc.md §2.4 "Roles and scenes").
   */
  hidden?: boolean;
  /** TRTC: entered with appscene live / voicechatroom, where the client switches role with its camera and mic */
  roles?: boolean;
  missed: number;
  /** TRTC: the PrivateMapKey bits (receiving audio and video are separate rights); Volc: publish and subscribe */
  rights: {
    sendAudio: boolean;
    sendVideo: boolean;
    sendSub: boolean;
    recvAudio: boolean;
    recvVideo: boolean;
  };
  timers: Set<NodeJS.Timeout>;
  /**
   * The subscriptions to this member's stream the emulator relayed (by subscriber userID + sid) and the kinds each
   * carries: ended (a `bye` to this member's stand-in) when a right they need is taken away.
   */
  subscribers: Map<string, Subscription>;
  /** TRTC: what the cloud checks again when the client re-enters on its own (back from 5000) */
  entry?: TrtcEntry;
}

/** A TRTC entry's credentials as checked: until when they hold and which PrivateMapKey rights they gave. */
export interface TrtcEntry {
  /** unix seconds (the UserSig's TLS.time + TLS.expire), when the verifier says */
  sigExpireAt?: number;
  /** the UserSig entered with, as `expireUserSig` marks it (app, user, sig) */
  sigKey: string;
  /** the same UserSig as its parts (a chat login with it ends when `expireUserSig` expires it) */
  sig: { sdkAppID: number; userID: string; userSig: string };
  /** a PrivateMapKey was checked: its expiry (unix seconds) and privilege bits */
  privateMap?: { expireAt?: number; privileges: number };
}

/** One relayed subscription: who asked, its id, and the kinds the publisher sends on it. */
export interface Subscription {
  from: Member;
  sid: string;
  kinds: Array<'audio' | 'video'>;
}

/** Per-user fault switches (faults.ts), kept until cleared so re-entries see them too. */
export interface UserFaults {
  ios?: boolean;
  duplicate?: boolean;
  videoFirst?: boolean;
  noise?: NodeJS.Timeout;
  /** re-entries are refused until this time (ms) */
  outageUntil?: number;
  /** browser-side faults to repeat to a re-entered session */
  client: ClientFault[];
}

export interface Room {
  key: string;
  /** the room ID as the clients name it (a numeric room in decimal): what a fault's `room` names */
  id: string;
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
  /** Injects a fault (checked with checkFault first); returns the user IDs it reached. */
  inject(fault: Fault): string[];
  /** What the limits have done so far. */
  health(): EmulatorHealth;
  /** Fan-out counters since start (for the bench). */
  stats(): { fanouts: number; recipients: number; ns: number };
  /** Chat: logged-in users and AVChatRoom groups. */
  chat(): {
    users: Array<{ sdkAppID: number; userID: string; groups: string[] }>;
    groups: ChatGroupSnapshot[];
  };
}

/** A chat login's connection (one per WebSocket that sent a chat request). */
export interface WsChatConn extends ChatConn {
  ws: WebSocket;
  missed: number;
}

/** One socket: what it is (room member, chat login, nothing yet) and what it has used of its budgets. */
export interface Conn {
  ws: WebSocket;
  member: Member | null;
  joining: boolean;
  chat: WsChatConn;
  bad: number;
  tokens: number;
  refilled: number;
  deadline: NodeJS.Timeout | null;
}

/** What every part of one emulator shares: its settings, its state and its counters. */
export interface Core {
  opts: EmulatorOptions;
  limits: EmulatorLimits;
  log: (line: string) => void;
  verifyUserSig: NonNullable<EmulatorOptions['verifyUserSig']>;
  verifyVolcToken: NonNullable<EmulatorOptions['verifyVolcToken']>;
  verifyPrivateMapKey: NonNullable<EmulatorOptions['verifyPrivateMapKey']>;
  rooms: Map<string, Room>;
  conns: Map<WebSocket, Conn>;
  userFaults: Map<string, UserFaults>;
  /**
   * Members the client took out of the room after 5000 (suspended) or 5001 (floating window closed): the socket
   * stays, the room no longer has them; after 5000 the client enters again by itself when the app is back in the
   * foreground (wechat-trtc.md §2.4), after 5001 only when the page enters again.
   */
  suspended: Set<Member>;
  stats: { fanouts: number; recipients: number; ns: number };
  health: {
    closed: EmulatorHealth['closed'];
    refused: number;
    caught: number;
  };
  /** Runs a handler; an exception is logged and counted, never thrown into the event loop. */
  guard(what: string, fn: () => void): void;
}
