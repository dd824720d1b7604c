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

const zh: Record<MessageKey, string> = {
  'param.required': '缺少 {field}（需要非空字符串）',
  'param.userID.wx': 'userID {value} 只能是 1-32 个字母、数字、“_”或“-”',
  'param.userID.tt': 'userID {value} 必须符合 {pattern}',
  'param.roomID': 'roomID {value} 必须是 [{min}, {max}] 内的整数',
  'param.strRoomID': 'strRoomID 必须是非空字符串',
  'param.strRoomID.wx': 'strRoomID {value} 必须是 1-64 字节的字母、数字、空格或 !#$%&()+-:;<=.>?@[]^_{}|~,',
  'param.strRoomID.tt': 'strRoomID {value} 必须符合 {pattern}',
  'param.sdkAppID.wx': 'sdkAppID {value} 必须是正整数（TRTC SDKAppID）',
  'param.sdkAppID.tt': 'sdkAppID {value} 必须是 24 位火山引擎 AppId',
  'param.userSig.long': 'userSig 超过 4096 个字符',
  'param.roomBoth': 'roomID 与 strRoomID 只能设置一个',
  'param.roomMissing': '需要设置 roomID 或 strRoomID',
  'param.string': '{field} 必须是字符串',
  'param.boolean': '{field} 必须是布尔值',
  'param.object': '{field} 必须是对象',
  'param.enum': '{field} 的值 {value} 必须是 {allowed} 之一',
  'param.range': '{field} 的值 {value} 必须是 [{min}, {max}] 内的数字',
  'param.bitrate': 'minBitrate 不能大于 maxBitrate',
  'param.length': '{field} 必须是数字（px）或 CSS 长度',
  'param.template': 'template 必须是 {allowed} 之一',
  'param.streamType': "streamType 必须是 'main'、'small' 或 'aux'",
  'param.platform': '参数错误',
  'support.sysinfo': '无法读取系统信息',
  'support.sdk': '基础库 {version} 低于 {min}',
  'support.wechat': '微信 {version} 低于 {min}（{os}）',
  'support.platform': '当前客户端不支持',
  'permission.camera.denied': '摄像头权限被拒绝（{scope}）',
  'permission.mic.denied': '麦克风权限被拒绝（{scope}）',
  'permission.camera': '摄像头权限被拒绝',
  'permission.mic': '麦克风权限被拒绝',
  'permission.platform': '摄像头或麦克风权限被拒绝',
  'enter.failed': '进房失败',
  'enter.platform': '进房失败',
  'enter.timeout': '{ms} 毫秒内房间无响应',
  'enter.cancelled': 'start() 已被 stop() 取消',
  'enter.detached': '组件已卸载',
  'enter.kicked': '进房过程中被踢出',
  'credential.rejected': 'UserSig 校验失败',
  'credential.platform': '凭证被拒绝',
  'camera.failed': '打开摄像头失败',
  'camera.switch': '切换摄像头失败',
  'mic.failed': '打开麦克风失败',
  'device.platform': '摄像头或麦克风出错',
  'connection.lost': '与服务器的连接已断开',
  'connection.network': '网络类型变化，正在重新进房',
  'connection.gaveup': '连接断开，{attempts} 次重新进房均失败',
  'connection.hidden': '页面回到前台后重新进房',
  'kicked.reason': '被移出房间（原因 {reason}）',
  'engine.destroyed': 'RTC 引擎已销毁，下次 start() 会重新创建',
  'room.already': '已在房间中',
  'warn.malformed.json': '{code} 事件内容格式错误：不是 JSON',
  'warn.malformed.list': '{code} 事件内容格式错误：缺少 userlist',
  'warn.malformed.entries': '{code} 事件内容格式错误：{count} 项缺少 userid',
  'warn.floating': '悬浮窗已关闭，回到前台后将重新进房',
  'warn.player.rebuild': '{userID} 的播放器出错，正在重建（第 {n} 次）',
  'warn.player.failed': '{userID} 的播放器出错',
  'warn.publish.refused': '未推流：privateMapKey 没有上行（发送音视频）权限',
  'warn.pusher.state': 'live-pusher 状态 {code}',
  'warn.pusher.error': 'live-pusher 错误 {code}',
  'warn.unsupported': '当前基础库不支持 {api}',
  'warn.custom.rects': "template 为 'custom' 但未设置 customRects：画面按默认位置排布，请设置 customRects",
  'warn.player.limit': '远端流多于本客户端可同时播放的 {max} 路：其余的排队等待',
  'warn.members': '{event}：缺少 userIdList',
  'warn.view': '{userID} 的画面出错',
  'warn.switchCamera.fallback': '当前基础库不支持 switchCamera，改用 device-position',
  'warn.updateToken.fallback': '当前基础库不支持 updateToken，使用新 token 重新进房',
  'support.tt.context': '当前环境没有 tt.createRtcRoomContext',
  'kicked.removed': '已被移出房间（{code}）',
  'connection.interrupted': '通话已中断',
  'warn.platform': '平台提示',
  'ui.entering': '正在进入房间…',
  'ui.waiting': '等待其他人加入',
  'ui.reconnecting': '连接已断开，正在重连…',
  'ui.kicked': '你已被移出房间',
  'ui.left': '你已离开房间',
  'ui.lost': '连接已断开',
  'ui.weak': '网络不佳',
  'ui.muted': '已静音',
  'ui.cameraOff': '摄像头已关闭',
  'ui.preview': '预览',
  'ui.permission.title': '需要摄像头和麦克风权限',
  'ui.permission.body': '通话需要使用摄像头和麦克风。请在设置中允许后返回。',
  'ui.permission.privacy': '请先同意隐私协议，才能使用摄像头和麦克风。',
  'ui.permission.open': '去设置',
  'ui.permission.dismiss': '暂不',
};

export const CATALOG: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = { en, 'zh-CN': zh };

/** 'zh', 'zh_CN', 'zh-Hans', 'zh-TW' … → 'zh-CN'; everything else → 'en'. */
export function normalizeLang(v: unknown): Lang {
  return typeof v === 'string' && /^zh/i.test(v.trim()) ? 'zh-CN' : 'en';
}

export function t(lang: Lang, key: MessageKey, params: Params = {}): string {
  const template = CATALOG[lang][key] ?? CATALOG.en[key] ?? key;
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
