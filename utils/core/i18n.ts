/**
 * Every visible string and every RoomEvent `detail.message`, in zh-CN and en. The platform's own text (the
 * `text` parameter) is never part of a message: it travels as `detail.platformMessage`. Producers attach a message key
 * and parameters (`Msg`); the English text is rendered at once (so logs read well), and the controller renders
 * the key again in the component's `lang` when it emits. A test checks both catalogs have the same keys and
 * parameters.
 */

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];

export type Params = Record<string, string | number>;

export interface Msg {
  key: MessageKey;
  params?: Params;
}

const en = {
  // ---- parameters (-1)
  'param.required': '{field} is required (a non-empty string)',
  'param.userID.wx': 'userID {value} must be 1-32 letters, digits, "_" or "-"',
  'param.userID.tt': 'userID {value} must match {pattern}',
  'param.roomID': 'roomID {value} must be an integer in [{min}, {max}]',
  'param.strRoomID': 'strRoomID must be a non-empty string',
  'param.strRoomID.wx':
    'strRoomID {value} must be 1-64 bytes of letters, digits, space or !#$%&()+-:;<=.>?@[]^_{}|~,',
  'param.strRoomID.tt': 'strRoomID {value} must match {pattern}',
  'param.sdkAppID.wx': 'sdkAppID {value} must be a positive integer (the TRTC SDKAppID)',
  'param.sdkAppID.tt': 'sdkAppID {value} must be the 24-character Volcengine AppId',
  'param.userSig.long': 'userSig is longer than 4096 characters',
  'param.roomBoth': 'set either roomID or strRoomID, not both',
  'param.roomMissing': 'roomID or strRoomID is required',
  'param.string': '{field} must be a string',
  'param.boolean': '{field} must be a boolean',
  'param.object': '{field} must be an object',
  'param.enum': '{field} {value} must be one of {allowed}',
  'param.range': '{field} {value} must be a number in [{min}, {max}]',
  'param.integer': '{field} {value} must be an integer in [{min}, {max}]',
  'param.bitrate': 'minBitrate must not exceed maxBitrate',
  'param.length': '{field} must be a number (px) or a CSS length',
  'param.template': 'template must be one of {allowed}',
  'param.streamType': "streamType must be 'main', 'small' or 'aux'",
  'param.platform': 'invalid parameter',
  // ---- support (-2)
  'support.sysinfo': 'cannot read system information',
  'support.sdk': 'base library {version} is older than {min}',
  'support.wechat': 'WeChat {version} is older than {min} ({os})',
  'support.platform': 'not supported on this client',
  // ---- permission (-7)
  'permission.camera.denied': 'camera permission denied ({scope})',
  'permission.mic.denied': 'microphone permission denied ({scope})',
  'permission.camera': 'camera permission denied',
  'permission.mic': 'microphone permission denied',
  'permission.platform': 'camera or microphone permission denied',
  // ---- entering, credentials, connection
  'enter.failed': 'entering the room failed',
  'enter.platform': 'entering the room failed',
  'enter.timeout': 'no answer from the room within {ms} ms',
  'enter.cancelled': 'start() was cancelled by stop()',
  'enter.detached': 'the component is detached',
  'enter.kicked': 'kicked out while entering',
  'credential.rejected': 'UserSig check failed',
  'credential.platform': 'credential rejected',
  'camera.failed': 'opening the camera failed',
  'camera.switch': 'switching the camera failed',
  'room.required': '{api} needs an entered room',
  'message.payload': 'payload must be a non-empty string of at most {max} bytes',
  'message.unsupported':
    'in-stream messages are not available here; send them over the chat channel (sendCustomMessage)',
  'snapshot.unsupported': 'snapshots are not available on this platform',
  'bgm.unsupported': 'background music is not available on this platform',
  'snapshot.noView': '{userID} has no video to capture',
  'native.failed': '{api} failed: {text}',
  'mic.failed': 'opening the microphone failed',
  'device.platform': 'camera or microphone failed',
  'connection.lost': 'connection to the server lost',
  'connection.network': 'network type changed, re-entering',
  'connection.gaveup': 'connection lost and {attempts} re-entries failed',
  'connection.hidden': 're-entering after the page was hidden',
  'kicked.reason': 'kicked out (reason {reason})',
  'engine.destroyed': 'the RTC engine was destroyed; the next start() creates a new one',
  'room.already': 'already in the room',
  // ---- warnings
  'warn.malformed.json': 'malformed {code} payload: not JSON',
  'warn.malformed.list': 'malformed {code} payload: no userlist',
  'warn.malformed.entries': 'malformed {code} payload: {count} entries without userid',
  'warn.floating': 'floating window closed; the room is re-entered on show',
  'warn.player.rebuild': 'player of {userID} failed; rebuilding ({n})',
  'warn.player.failed': 'player of {userID} failed',
  'warn.publish.refused': 'not publishing: the privateMapKey grants no right to send',
  'warn.pusher.state': 'live-pusher state {code}',
  'warn.pusher.error': 'live-pusher error {code}',
  'warn.unsupported': '{api} is not available on this base library',
  'warn.setting': '{field} is not supported on this client; it has no effect',
  'warn.custom.rects':
    "template 'custom' without customRects: tiles use the default placement; set customRects",
  'warn.player.limit':
    'more streams than the {max} native players this client plays at once: the others wait',
  'warn.members': '{event}: no userIdList',
  'warn.view': 'view of {userID} failed',
  'warn.switchCamera.fallback': 'switchCamera is not available on this base library; using device-position',
  'warn.updateToken.fallback':
    'updateToken is not available on this base library; re-entering with the new token',
  'support.tt.context': 'tt.createRtcRoomContext is not available',
  'kicked.removed': 'removed from the room ({code})',
  'connection.interrupted': 'the call was interrupted',
  'warn.platform': 'notice from the platform',
  // ---- visible states (the room's own UI)
  'ui.entering': 'Joining…',
  'ui.waiting': 'Waiting for others to join',
  'ui.reconnecting': 'Connection lost, reconnecting…',
  'ui.kicked': 'You were removed from the room',
  'ui.left': 'You left the room',
  'ui.lost': 'Connection lost',
  'ui.weak': 'Weak network',
  'ui.muted': 'Muted',
  'ui.cameraOff': 'Camera off',
  'ui.preview': 'Preview',
  'ui.permission.title': 'Camera and microphone needed',
  'ui.permission.body': 'The call needs your camera and microphone. Allow them in settings, then come back.',
  'ui.permission.privacy': 'Please accept the privacy agreement to use the camera and microphone.',
  'ui.permission.open': 'Open settings',
  'ui.permission.dismiss': 'Not now',
};

export type MessageKey = keyof typeof en;

/** The zh-CN catalog is its own module (dist: lang-zh.js), required the first time a room speaks Chinese. */
let zh: Readonly<Record<MessageKey, string>> | null = null;

/** One language's texts; zh-CN is loaded on first use, English is always in the bundle (logs read English). */
export function catalog(lang: Lang): Readonly<Record<MessageKey, string>> {
  if (lang === 'en') return en;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!zh) zh = (require('./lang-zh') as { zh: Readonly<Record<MessageKey, string>> }).zh;
  return zh;
}

/** 'zh', 'zh_CN', 'zh-Hans', 'zh-TW' … → 'zh-CN'; everything else → 'en'. */
export function normalizeLang(v: unknown): Lang {
  return typeof v === 'string' && /^zh/i.test(v.trim()) ? 'zh-CN' : 'en';
}

export function t(lang: Lang, key: MessageKey, params: Params = {}): string {
  const template = catalog(lang)[key] ?? en[key] ?? key;
  return template
    .replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m))
    .trim();
}

export function msg(key: MessageKey, params?: Params): Msg {
  return params ? { key, params } : { key };
}

export const UI_KEYS = [
  'ui.entering',
  'ui.waiting',
  'ui.reconnecting',
  'ui.kicked',
  'ui.left',
  'ui.lost',
  'ui.weak',
  'ui.muted',
  'ui.cameraOff',
  'ui.preview',
  'ui.permission.title',
  'ui.permission.body',
  'ui.permission.privacy',
  'ui.permission.open',
  'ui.permission.dismiss',
] as const satisfies readonly MessageKey[];

/** The strings the room's own overlays show, keyed without the `ui.` prefix (`texts.entering` …). */
export function uiTexts(lang: Lang): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of UI_KEYS)
    out[k.slice(3).replace(/\.(\w)/g, (_m, c: string) => c.toUpperCase())] = t(lang, k);
  return out;
}

/** The platform's own text a message was made from (its `text` parameter), if any. */
export function platformText(m: Msg | undefined): string | undefined {
  const v = m?.params?.text;
  return typeof v === 'string' && v !== '' ? v : undefined;
}
