/**
 * Faults the emulator can inject, as the control API (emulator/control.ts) takes them, and recorded native-event
 * traces to replay. Requests come from outside (HTTP, the preview's fault panel), so they are validated here
 * the same way client frames are (emulator/schema.ts): known kinds, typed fields, bounded sizes.
 */
import type { VolcEventName } from './protocol';

/** Who a fault is for: one user (in any room, or in `room`), or every member of `room`. */
export interface Target {
  user?: string;
  /** a room key (`trtc:<app>:n:<id>`, `volc:<app>:<id>`) or just the room ID / string room ID */
  room?: string;
}

export type Fault = Target &
  (
    | /** connection loss (-1307 / onRtcChatInterrupted); re-entries are refused for `outageMs` (default 0) */
      { kind: 'drop'; outageMs?: number }
      /**
       * the phone changes networks (to `networkType`, default 4g): the page's onNetworkStatusChange, then WeChat's
       * 1021 (network type changed, the client re-enters); Douyin: an interruption
       */
    | { kind: 'network_change'; networkType?: NetworkType }
    /** WeChat 5000 (suspended) / 5001 (floating window closed) */
    | { kind: 'suspend'; code?: 5000 | 5001 }
    /** the mini-program goes to the background / comes back (page hide / show) */
    | { kind: 'hide' }
    | { kind: 'show' }
    /** kicked with a reason (1019 reason[N] / onRtcChatInterrupted) */
    | { kind: 'kick'; reason?: number }
    | { kind: 'dismiss' }
    /**
     * the credential expires now. TRTC: the member stays (the cloud checks a UserSig on entering only), its next
     * entry or re-entry with that UserSig is refused (-100018, then 1022). Volcengine: removal (-1009).
     */
    | { kind: 'credential_expired' }
    /** hostile, not the cloud: a -100018 to a TRTC member in the room (the component's handling of it) */
    | { kind: 'hostile_bad_sig' }
    /** Douyin onRoomTokenWillExpire */
    | { kind: 'token_will_expire' }
    /** weak network as the user's net_status reports it (quality 4 poor … 6 down), optionally for one remote */
    | { kind: 'weak'; quality: number; videoBitrate?: number; target?: string }
    /** the player of `target` (or every player) fails (-2301) */
    | { kind: 'player_fail'; target?: string }
    /**
     * WeChat black screen (wechat-trtc.md §4 row 1): the next live-player of `target` (or of anyone) to start gets
     * the stream's sound but never renders a frame nor reports 2003; `once: false`: every player started while it
     * is on, until `on: false` or `clear` (a switch, repeated to a re-entered session)
     */
    | { kind: 'black'; target?: string; once?: boolean; on?: boolean }
    /**
     * WeChat: the camera / microphone cannot be opened (taken by another app, broken): the pusher's -1301 / -1302,
     * nothing of that device is sent, until `on: false` or `clear`
     */
    | { kind: 'device_fail'; device: 'camera' | 'mic'; on?: boolean }
    /**
     * the user turns the mini-program's camera / microphone permission off while in the room: WeChat's live-pusher
     * binderror 10001 / 10002; on both, the scope reads refused until the settings page turns it on again
     */
    | { kind: 'permission_revoked'; scope: 'camera' | 'mic' }
    /**
     * Douyin: the host destroys the page's RTC engine (a container lifecycle event): it is out of the room without
     * an event, and every later call on that context fails 115910 until a new createRtcRoomContext
     */
    | { kind: 'engine_destroyed' }
    /**
     * Douyin: every `<rtc-room>` view created from now on fails with binderror `code` (10101 platform auth deny,
     * 21200 not available on this client, 21301 creation failed; default 21301), until `on: false` or `clear`
     */
    | { kind: 'view_error'; code?: 10101 | 21200 | 21301; on?: boolean }
    /**
     * Douyin (base library 3.19.0+): the privacy layer refuses camera / microphone capture, 10201 (the user has not
     * agreed to the privacy agreement, until `requirePrivacyAuthorize`) or 10202 (`undeclared`: the app's agreement
     * does not declare them), until `on: false` or `clear`
     */
    | { kind: 'privacy'; reason?: 'refused' | 'undeclared'; on?: boolean }
    /** iOS: no 1019 (onExitRoom) when the user leaves */
    | { kind: 'ios'; on?: boolean }
    /**
     * WeChat on Android: the page reports platform 'android', and a live-player created while the page is hidden
     * (app in the background, or navigateTo) does not play until it is created again (wechat-trtc.md §2.4)
     */
    | { kind: 'android'; on?: boolean }
    /** every room event to the user arrives twice */
    | { kind: 'duplicate'; on?: boolean }
    /** peers that join are announced video/audio first (1033/1034 before 1031) */
    | { kind: 'video_first'; on?: boolean }
    /** 1020 full user lists every `everyMs` (default 500) */
    | { kind: 'noise_1020'; on?: boolean; everyMs?: number }
    /** replay a recorded trace of native events to the user */
    | { kind: 'replay'; trace: Trace }
    /**
     * chat: the UserSig the user's chat logged in with expires now (Douyin: `imConfig.userSig`, chat's own; WeChat:
     * the room's): that login is kicked out (userSigExpired), a login or TRTC entry with it is refused (70001, -100018)
     */
    | { kind: 'chat_credential_expired' }
    /** chat: the cloud logs the user's chat out (KICKED_OUT REST_API_Kick, or multipleDevice) */
    | { kind: 'chat_kick'; type?: 'REST_API_Kick' | 'multipleDevice' }
    /**
     * chat: the room's group (`room`, the group ID) is dismissed (or `recycled`); its members get the system
     * notice (5, or 11)
     */
    | { kind: 'chat_dismiss'; recycled?: boolean }
    /**
     * chat: an admin kicks `user` out of the room's group (`room`): it gets the system notice (4), the other members
     * the tip (3); with `duration` seconds (default 0: none; the SDK's deleteGroupMember `duration`, a ban,
     * docs/platform-facts.md (g)) the notice is 21 and a join of that group within it is refused
     */
    | { kind: 'chat_group_kick'; duration?: number }
    /** end every fault for the target (and the user's browser-side faults) */
    | { kind: 'clear' }
  );

/** What `getNetworkType` / `onNetworkStatusChange` report for a connected phone. */
export type NetworkType = 'wifi' | '2g' | '3g' | '4g' | '5g';
const NETWORK_TYPES: readonly NetworkType[] = ['wifi', '2g', '3g', '4g', '5g'];

export type FaultKind = Fault['kind'];

export const FAULT_KINDS: readonly FaultKind[] = [
  'drop',
  'network_change',
  'suspend',
  'hide',
  'show',
  'kick',
  'dismiss',
  'credential_expired',
  'hostile_bad_sig',
  'token_will_expire',
  'weak',
  'player_fail',
  'black',
  'device_fail',
  'permission_revoked',
  'engine_destroyed',
  'view_error',
  'privacy',
  'ios',
  'android',
  'duplicate',
  'video_first',
  'noise_1020',
  'replay',
  'chat_kick',
  'chat_credential_expired',
  'chat_dismiss',
  'chat_group_kick',
  'clear',
];

/** One recorded native event: a WeChat live-pusher statechange (`code`, `message`) or a Douyin context event. */
export interface TraceEvent {
  /** ms after the replay starts */
  at: number;
  code?: number;
  /** statechange message: a string, or the `{userlist: …}` object the client would stringify */
  message?: string | Record<string, unknown>;
  name?: VolcEventName;
  data?: Record<string, unknown>;
}

export interface Trace {
  name?: string;
  description?: string;
  model?: 'trtc' | 'volc';
  events: TraceEvent[];
}

const MAX_TRACE_EVENTS = 1000;
const MAX_TRACE_MS = 10 * 60 * 1000;
const VOLC_EVENTS: readonly VolcEventName[] = [
  'onRtcChatMembersChanged',
  'onRtcVideoMembersChanged',
  'onRtcChatSpeakersChanged',
  'onRtcPublishScreenMembersChanged',
  'onRtcChatInterrupted',
  'onRtcStateChanged',
  'onRoomTokenWillExpire',
];
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

type Obj = Record<string, unknown>;
export type FaultCheck = { ok: true; fault: Fault } | { ok: false; error: string };

function noProtoKeys(v: unknown, depth = 0): boolean {
  if (v === null || typeof v !== 'object') return true;
  if (depth > 10) return false;
  return Object.keys(v).every((k) => !FORBIDDEN.has(k) && noProtoKeys((v as Obj)[k], depth + 1));
}

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// eslint-disable-next-line no-control-regex -- IDs never contain control characters
const CONTROL = /[\u0000-\u001f]/;

function id(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= 128 && !CONTROL.test(v);
}

export function checkTrace(v: unknown): { ok: true; trace: Trace } | { ok: false; error: string } {
  if (!isObj(v) || !Array.isArray(v.events)) return { ok: false, error: 'trace.events must be a list' };
  if (v.events.length > MAX_TRACE_EVENTS)
    return { ok: false, error: `a trace has at most ${MAX_TRACE_EVENTS} events` };
  const events: TraceEvent[] = [];
  for (const [i, e] of v.events.entries()) {
    if (!isObj(e)) return { ok: false, error: `trace.events[${i}] must be an object` };
    const at = e.at;
    if (typeof at !== 'number' || !Number.isFinite(at) || at < 0 || at > MAX_TRACE_MS) {
      return { ok: false, error: `trace.events[${i}].at must be 0..${MAX_TRACE_MS} ms` };
    }
    if (typeof e.code === 'number' && Number.isInteger(e.code)) {
      const m = e.message;
      if (m !== undefined && typeof m !== 'string' && !isObj(m)) {
        return { ok: false, error: `trace.events[${i}].message must be a string or an object` };
      }
      events.push({ at, code: e.code, message: m as TraceEvent['message'] });
    } else if (typeof e.name === 'string' && (VOLC_EVENTS as readonly string[]).includes(e.name)) {
      if (e.data !== undefined && !isObj(e.data))
        return { ok: false, error: `trace.events[${i}].data must be an object` };
      events.push({ at, name: e.name as VolcEventName, data: (e.data as Obj | undefined) ?? {} });
    } else {
      return { ok: false, error: `trace.events[${i}] needs a statechange code or a known Douyin event name` };
    }
  }
  events.sort((a, b) => a.at - b.at);
  return {
    ok: true,
    trace: {
      name: typeof v.name === 'string' ? v.name.slice(0, 200) : undefined,
      description: typeof v.description === 'string' ? v.description.slice(0, 2000) : undefined,
      model: v.model === 'trtc' || v.model === 'volc' ? v.model : undefined,
      events,
    },
  };
}

const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

/** Validates one control-API request body. */
export function checkFault(v: unknown): FaultCheck {
  if (!isObj(v)) return { ok: false, error: 'a fault is a JSON object' };
  if (!noProtoKeys(v)) return { ok: false, error: 'prototype keys are not allowed' };
  const kind = v.kind;
  if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind)) {
    return { ok: false, error: `kind must be one of ${FAULT_KINDS.join(', ')}` };
  }
  const target: Target = {};
  if (v.user !== undefined) {
    if (!id(v.user)) return { ok: false, error: 'user must be a user ID' };
    target.user = v.user;
  }
  if (v.room !== undefined) {
    if (typeof v.room === 'number' && Number.isInteger(v.room)) target.room = String(v.room);
    else if (id(v.room)) target.room = v.room;
    else return { ok: false, error: 'room must be a room ID or key' };
  }
  if (kind === 'chat_kick' && !target.user) return { ok: false, error: 'chat_kick needs a user' };
  if (kind === 'chat_credential_expired' && !target.user)
    return { ok: false, error: 'chat_credential_expired needs a user' };
  if (kind === 'chat_dismiss' && !target.room) return { ok: false, error: 'chat_dismiss needs a room' };
  if (kind === 'chat_group_kick' && !(target.user && target.room))
    return { ok: false, error: 'chat_group_kick needs a user and a room' };
  if (kind === 'dismiss' ? !target.room : kind !== 'clear' && !target.user && !target.room) {
    return {
      ok: false,
      error: kind === 'dismiss' ? 'dismiss needs a room' : 'a fault needs a user or a room',
    };
  }
  const num = (k: string, min: number, max: number): number | undefined | null => {
    const x = v[k];
    if (x === undefined) return undefined;
    return typeof x === 'number' && Number.isFinite(x) && x >= min && x <= max ? x : null;
  };
  switch (kind) {
    case 'drop': {
      const outageMs = num('outageMs', 0, MAX_TRACE_MS);
      if (outageMs === null) return { ok: false, error: `outageMs must be 0..${MAX_TRACE_MS}` };
      return { ok: true, fault: { ...target, kind, outageMs } };
    }
    case 'network_change': {
      const networkType = v.networkType ?? '4g';
      if (!(NETWORK_TYPES as readonly unknown[]).includes(networkType))
        return { ok: false, error: `networkType must be one of ${NETWORK_TYPES.join(', ')}` };
      return { ok: true, fault: { ...target, kind, networkType: networkType as NetworkType } };
    }
    case 'suspend': {
      const code = v.code ?? 5000;
      if (code !== 5000 && code !== 5001) return { ok: false, error: 'code must be 5000 or 5001' };
      return { ok: true, fault: { ...target, kind, code } };
    }
    case 'kick': {
      const reason = num('reason', 1, 100);
      if (reason === null) return { ok: false, error: 'reason must be 1..100' };
      return { ok: true, fault: { ...target, kind, reason: reason ?? 1 } };
    }
    case 'weak': {
      const quality = num('quality', 0, 6);
      const videoBitrate = num('videoBitrate', 0, 100000);
      if (quality === null || quality === undefined || !Number.isInteger(quality)) {
        return { ok: false, error: 'quality must be an integer 0..6' };
      }
      if (videoBitrate === null) return { ok: false, error: 'videoBitrate must be 0..100000 kbps' };
      if (v.target !== undefined && !id(v.target)) return { ok: false, error: 'target must be a user ID' };
      return {
        ok: true,
        fault: { ...target, kind, quality, videoBitrate, target: v.target as string | undefined },
      };
    }
    case 'player_fail':
      if (v.target !== undefined && !id(v.target)) return { ok: false, error: 'target must be a user ID' };
      return { ok: true, fault: { ...target, kind, target: v.target as string | undefined } };
    case 'black':
      if (v.target !== undefined && !id(v.target)) return { ok: false, error: 'target must be a user ID' };
      return {
        ok: true,
        fault: {
          ...target,
          kind,
          target: v.target as string | undefined,
          once: bool(v.once) ?? true,
          on: bool(v.on) ?? true,
        },
      };
    case 'device_fail':
      if (v.device !== 'camera' && v.device !== 'mic')
        return { ok: false, error: 'device must be camera or mic' };
      return { ok: true, fault: { ...target, kind, device: v.device, on: bool(v.on) ?? true } };
    case 'permission_revoked':
      if (v.scope !== 'camera' && v.scope !== 'mic')
        return { ok: false, error: 'scope must be camera or mic' };
      return { ok: true, fault: { ...target, kind, scope: v.scope } };
    case 'view_error': {
      const code = v.code ?? 21301;
      if (code !== 10101 && code !== 21200 && code !== 21301)
        return { ok: false, error: 'code must be 10101, 21200 or 21301' };
      return { ok: true, fault: { ...target, kind, code, on: bool(v.on) ?? true } };
    }
    case 'privacy': {
      const reason = v.reason ?? 'refused';
      if (reason !== 'refused' && reason !== 'undeclared')
        return { ok: false, error: 'reason must be refused or undeclared' };
      return { ok: true, fault: { ...target, kind, reason, on: bool(v.on) ?? true } };
    }
    case 'ios':
    case 'android':
    case 'duplicate':
    case 'video_first':
      return { ok: true, fault: { ...target, kind, on: bool(v.on) ?? true } };
    case 'noise_1020': {
      const everyMs = num('everyMs', 50, 60000);
      if (everyMs === null) return { ok: false, error: 'everyMs must be 50..60000' };
      return { ok: true, fault: { ...target, kind, on: bool(v.on) ?? true, everyMs } };
    }
    case 'chat_kick': {
      const type = v.type ?? 'REST_API_Kick';
      if (type !== 'REST_API_Kick' && type !== 'multipleDevice')
        return { ok: false, error: 'type must be REST_API_Kick or multipleDevice' };
      return { ok: true, fault: { ...target, kind, type } };
    }
    case 'chat_group_kick': {
      // the cloud's Duration is an unsigned 32-bit number of seconds
      const duration = num('duration', 0, 0xffffffff);
      if (duration === null || (duration !== undefined && !Number.isInteger(duration)))
        return { ok: false, error: 'duration must be whole seconds, 0..4294967295' };
      return { ok: true, fault: { ...target, kind, duration: duration ?? 0 } };
    }
    case 'chat_dismiss':
      if (v.recycled !== undefined && bool(v.recycled) === undefined)
        return { ok: false, error: 'recycled must be true or false' };
      return { ok: true, fault: { ...target, kind, recycled: v.recycled === true } };
    case 'replay': {
      const t = checkTrace(v.trace);
      if (!t.ok) return t;
      return { ok: true, fault: { ...target, kind, trace: t.trace } };
    }
    default:
      return { ok: true, fault: { ...target, kind } as Fault };
  }
}
