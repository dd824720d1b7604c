/**
 * Douyin decisions the adapter (components/webrtc-room/platform.tt.ts) executes: which RtcRoomContext calls,
 * in which order, for entering, local media and role changes, subscriptions and pause; how interruptions and
 * state events are read; the player limit. Pure: no tt.
 */
import { orZero } from '../../core/values';
import type { AdapterEvent, LocalMedia } from '../adapter';
import type { MemberList } from '../../room/reducer';
import { ErrorCode } from '../../core/events';
import { MessageKey, msg, Params, t } from '../../core/i18n';
import { checkUserID } from '../../core/validate';
import { codeOf, TtMapped } from './errors';
import type { MediaSettings, SettingName } from '../../room/settings';
import { SETTINGS_DEFAULTS } from '../../room/settings';

/**
 * The media settings Douyin's host can apply (setAudioPlaybackDevice, setVideoEncoderConfig); every other one
 * (mirror, beauty style, filter, voice changer, AGC/ANS, volume type, audio quality) has no Douyin equivalent.
 */
export const TT_SETTINGS: readonly SettingName[] = ['soundMode', 'fps', 'orientation'];

/** Settings → context calls: on entry (`prev` null) only what differs from the default, later what changed. */
export function settingsSteps(next: MediaSettings, prev: MediaSettings | null): Step[] {
  const base = prev ?? SETTINGS_DEFAULTS;
  const steps: Step[] = [];
  if (next.soundMode !== base.soundMode) {
    steps.push([
      'setAudioPlaybackDevice',
      { device: next.soundMode === 'ear' ? 'earpiece' : 'speakerphone' },
    ]);
  }
  if (next.fps !== base.fps || next.orientation !== base.orientation) {
    const [width, height] = next.orientation === 'horizontal' ? [640, 360] : [360, 640];
    steps.push(['setVideoEncoderConfig', { maxSolution: { width, height, frameRate: next.fps } }]);
  }
  return steps;
}

/** createRtcRoomContext and <rtc-room> exist from base library 2.42.0. */
export const MIN_SDK = '2.42.0';

/** joinRtcRoom reads roomConfig (autoPublish / autoSubscribe) from 2.68.0: an older engine subscribes everyone. */
export const ROOM_CONFIG_SDK = '2.68.0';

/**
 * Remote `<rtc-room>` views at once: Volcengine's native engine (which Douyin's rtc-room runs on) subscribes
 * at most 30 streams per user by default (volcengine.com/docs/6348/257549).
 */
export const TT_MAX_PLAYERS = 30;

/** A re-entry waits this long at most for exitRtcRoom to answer (an engine that is gone may never answer). */
export const EXIT_WAIT_MS = 3000;

/** The context methods called with `{…, success, fail}` that a base library may lack. */
export type Command =
  | 'changeVideoCapture'
  | 'changeAudioCapture'
  | 'switchCamera'
  | 'updateToken'
  | 'changeUserVisibility'
  | 'changeStreamPublishState'
  | 'changeStreamSubscribeState'
  | 'changeScreenSubscribeState'
  | 'setAudioPlaybackDevice'
  | 'setVideoEncoderConfig';

export type Step = [Command, Record<string, unknown>];

export const MEMBER_EVENTS: ReadonlyArray<[on: string, off: string, list: MemberList]> = [
  ['onRtcChatMembersChanged', 'offRtcChatMembersChanged', 'chat'],
  ['onRtcVideoMembersChanged', 'offRtcVideoMembersChanged', 'video'],
  ['onRtcChatSpeakersChanged', 'offRtcChatSpeakersChanged', 'speakers'],
  ['onRtcPublishScreenMembersChanged', 'offRtcPublishScreenMembersChanged', 'screen'],
];

/**
 * Volcengine room-removal codes: -1004 the same userId joined elsewhere (duplicate login), -1006 kicked out by
 * the server, -1011 the room was dismissed. These end the session (kicked_out), they are not network losses.
 */
export const REMOVAL_CODES: readonly number[] = [-1004, -1006, -1011];

export function isRemoval(code: number): boolean {
  return REMOVAL_CODES.includes(code);
}

/**
 * Volcengine TOKEN_EXPIRED: no updateToken after onRoomTokenWillExpire (30 s before), and the engine removed the
 * user. The session ends with error -9 (a re-entry with that token would only be refused).
 */
export const TOKEN_EXPIRED = -1009;

/**
 * Before joinRtcRoom: capture first (as the official demo does), the camera side (`engine`: the camera the
 * engine is on, which outlives a session), then visibility.
 */
export function enterSteps(
  local: LocalMedia,
  invisible: boolean,
  canSwitch: boolean,
  engine: 'front' | 'back' = 'front',
): Step[] {
  const steps: Step[] = [
    ['changeVideoCapture', { state: local.camera ? 1 : 0 }],
    ['changeAudioCapture', { state: local.mic ? 1 : 0 }],
  ];
  const camera = local.front ? 'front' : 'back';
  if (local.camera && camera !== engine && canSwitch) steps.push(['switchCamera', { camera }]);
  if (!local.publish || invisible) steps.push(['changeUserVisibility', { visible: local.publish }]);
  return steps;
}

/** In the room: role changes publish/visibility in the order the platform needs, capture follows the flags. */
export function applyLocalSteps(next: LocalMedia, prev: LocalMedia): Step[] {
  const capture: Step[] = [];
  if (next.camera !== prev.camera) capture.push(['changeVideoCapture', { state: next.camera ? 1 : 0 }]);
  if (next.mic !== prev.mic) capture.push(['changeAudioCapture', { state: next.mic ? 1 : 0 }]);
  if (next.publish && !prev.publish) {
    // audience → anchor: become visible, publish, then capture
    return [
      ['changeUserVisibility', { visible: true }],
      ['changeStreamPublishState', { state: 1, streamType: 'both' }],
      ...capture,
    ];
  }
  if (!next.publish && prev.publish) {
    // anchor → audience: stop capture, stop publishing, become invisible
    return [
      ...capture,
      ['changeStreamPublishState', { state: 0, streamType: 'both' }],
      ['changeUserVisibility', { visible: false }],
    ];
  }
  return capture;
}

/**
 * After a successful updateToken: an anchor publishes again (a stream stopped when its publish privilege ended
 * stays stopped with the new token: platform-facts.md (c)); the same state again while publishing changes
 * nothing. Capture and views are left as they are.
 */
export function republishSteps(local: LocalMedia): Step[] {
  return local.publish ? [['changeStreamPublishState', { state: 1, streamType: 'both' }]] : [];
}

/** Subscription of one remote stream: video only while subscribed and shown by the layout. */
export function subscribeSteps(
  userID: string,
  streamType: 'main' | 'aux',
  sub: { video: boolean; audio: boolean },
  shown: boolean,
): Step[] {
  const name: Command = streamType === 'aux' ? 'changeScreenSubscribeState' : 'changeStreamSubscribeState';
  const video = sub.video && shown;
  if (video === sub.audio) return [[name, { state: video ? 1 : 0, streamType: 'both', userId: userID }]];
  return [
    [name, { state: video ? 1 : 0, streamType: 'video', userId: userID }],
    [name, { state: sub.audio ? 1 : 0, streamType: 'audio', userId: userID }],
  ];
}

/** Douyin has no pause: capture off while paused, back to the flags on resume. */
/** A step that turns a capture on or off (what a paused session holds back). */
export function isCapture(name: string): boolean {
  return name === 'changeVideoCapture' || name === 'changeAudioCapture';
}

export function captureSteps(local: LocalMedia, on: boolean): Step[] {
  return [
    ['changeVideoCapture', { state: on && local.camera ? 1 : 0 }],
    ['changeAudioCapture', { state: on && local.mic ? 1 : 0 }],
  ];
}

/** onRtcChatInterrupted: removed from the room (kicked_out; error -9 when the token expired), or a loss to recover from. */
export function interruptEvent(e: { errNo?: unknown; errMsg?: unknown }): AdapterEvent {
  const rawCode = orZero(codeOf(e.errNo));
  const text = typeof e.errMsg === 'string' ? e.errMsg : '';
  if (rawCode === TOKEN_EXPIRED)
    return { type: 'error', code: ErrorCode.CREDENTIAL_REJECTED, rawCode, message: text };
  if (isRemoval(rawCode)) {
    return { type: 'kicked', reason: rawCode, message: text || t('en', 'kicked.removed', { code: rawCode }) };
  }
  return { type: 'connection_lost', rawCode, message: text || t('en', 'connection.interrupted') };
}

/** A failed command while in the room: errors the page must know, anything else a warning. */
export function reportEvent(m: TtMapped): AdapterEvent {
  const serious: number[] = [
    ErrorCode.PERMISSION_DENIED,
    ErrorCode.CREDENTIAL_REJECTED,
    ErrorCode.ENGINE_DESTROYED,
    ErrorCode.NOT_SUPPORTED,
  ];
  if (m.code !== null && serious.includes(m.code)) {
    const ev: AdapterEvent = { type: 'error', code: m.code, rawCode: m.rawCode, message: m.message };
    if (m.reason) ev.reason = m.reason;
    return ev;
  }
  return { type: 'warning', rawCode: m.rawCode, message: m.message };
}

/** A warning of the component's own, in the catalogs. */
function warning(key: MessageKey, params: Params): AdapterEvent {
  return { type: 'warning', rawCode: 0, message: t('en', key, params), i18n: msg(key, params) };
}

/** A method this base library lacks: one warning, in the catalogs. */
export function missingEvent(api: string): AdapterEvent {
  return warning('warn.unsupported', { api });
}

/**
 * One of the four member-list events: the list as a `members` action, or a warning when it has no list. Entries
 * that are no Douyin user ID (not a string, '', outside `[A-Za-z0-9@._-]{1,128}`) never become users or
 * `<rtc-room user-id>`s: they are dropped, and a warning counts them.
 */
export function membersEvent(event: string, list: MemberList, e: unknown): AdapterEvent[] {
  const ids = (e as { userIdList?: unknown } | null | undefined)?.userIdList;
  if (!Array.isArray(ids)) return [warning('warn.members', { event })];
  const userIDs = ids.filter((id): id is string => checkUserID(id, 'tt').ok);
  const out: AdapterEvent[] = [{ type: 'members', list, userIDs }];
  const count = ids.length - userIDs.length;
  if (count) out.unshift(warning('warn.malformed.entries', { code: event, count }));
  return out;
}

/**
 * onRtcStateChange(d): errNo 0 is progress (null); a removal (or the token's expiry) ends the session; a failed
 * call (`<api>:fail …`: the listener carries API errors too, typings §1) is null, its own `fail` reports it once;
 * anything else is reported.
 * `left`: the engine is out of the room (removed or destroyed).
 */
export function stateEvent(
  e: { errNo?: unknown; errMsg?: unknown },
  map: (e: { errNo?: unknown; errMsg?: unknown }) => TtMapped,
): { event: AdapterEvent; left: boolean; destroyed: boolean } | null {
  const raw = orZero(codeOf(e.errNo));
  if (!raw) return null;
  if (isRemoval(raw) || raw === TOKEN_EXPIRED)
    return { event: interruptEvent({ errNo: raw, errMsg: e.errMsg }), left: true, destroyed: false };
  if (typeof e.errMsg === 'string' && /^[A-Za-z]+:fail/.test(e.errMsg)) return null;
  const m = map(e);
  const destroyed = m.code === ErrorCode.ENGINE_DESTROYED;
  return { event: reportEvent(m), left: destroyed, destroyed };
}

/**
 * `<rtc-room binderror>` as mapped: -2 (no RTC view on this client) is an error, the rest warnings. `remote`: the
 * view is a remote user's (`viewOf`: the room drops it once that user left).
 */
export function viewErrorEvent(m: TtMapped, userID: string | undefined, remote = false): AdapterEvent {
  const i18n = userID ? msg('warn.view', { userID, text: m.message }) : undefined;
  const message = i18n ? t('en', i18n.key, i18n.params) : m.message;
  const extra = { ...(i18n ? { i18n } : {}), ...(remote && userID ? { viewOf: userID } : {}) };
  if (m.code === ErrorCode.NOT_SUPPORTED) {
    return { type: 'error', code: m.code, rawCode: m.rawCode, message, ...extra };
  }
  return { type: 'warning', rawCode: m.rawCode, message, ...extra };
}
