/**
 * The demo's own words in zh-CN and en (the component's words come from the component). The switch is the
 * component's: `lang` 'zh-CN' or 'en', or '' for the system language ('zh…' → zh-CN, anything else → en); the
 * entry page picks it and the room page passes the same value to `<webrtc-room lang>`.
 */
export type DemoLang = 'zh-CN' | 'en';

const en = {
  // entry page
  hint: 'Platform: {platform}. Use the same room on two devices (or two browser tabs in the preview).',
  room: 'Room',
  roomPlaceholder: '1234 or a string room',
  userID: 'User ID',
  userPlaceholder: 'letters, digits, _ and -',
  template: 'Template',
  role: 'Role',
  anchor: 'anchor',
  audience: 'audience',
  debug: 'Debug log',
  chat: 'Chat (IM)',
  language: 'Language',
  langSystem: 'System',
  enter: 'Enter room',
  badRoom: 'Room: {message}',
  badUser: 'User ID: {message}',
  // room page
  connecting: 'connecting…',
  entering: 'entering…',
  credentialsFailed: 'credentials failed: {message}',
  inRoomAfter: 'in room ({ms} ms)',
  inRoom: 'in room',
  reconnecting: 'reconnecting (attempt {n})…',
  rejoiningCredential: 'rejoining with the new credential…',
  rejoiningSuspended: 'rejoining after the app was suspended…',
  kicked: 'kicked out: {reason}',
  left: 'left the room ({code})',
  error: 'error {code}: {message}',
  remote: '{n} remote',
  permissionOff: 'camera or microphone not allowed',
  retry: 'Try again',
  mute: 'Mute',
  unmute: 'Unmute',
  cameraOff: 'Camera off',
  cameraOn: 'Camera on',
  flip: 'Flip',
  speaker: 'Speaker',
  earpiece: 'Earpiece',
  snapshot: 'Snapshot',
  wave: 'Wave',
  music: 'Music',
  musicStop: 'Stop music',
  ringOn: 'Speaking ring',
  ringOff: 'No ring',
  streamMessage: 'In-stream message',
  leave: 'Leave',
  // chat panel
  noMessages: 'No messages yet',
  me: 'me',
  private: ' (private)',
  say: 'Say something',
  send: 'Send',
  tipJoined: '{users} joined',
  tipLeft: '{users} left',
  tipRemoved: '{users} was removed',
  tipChanged: '{users} changed the group',
  liked: '{who} liked ❤',
  you: 'you',
  custom: '[custom] {text}',
  groupNotice: 'group notice (type {type})',
  otherMessage: '{who} sent a {type} message',
  chatLoginFailed: 'chat login failed ({code}): {message}',
  joinedChat: 'joined chat {group}',
  joinChatFailed: 'joining chat failed ({code}): {message}',
  chatState: 'chat {state}…',
  chatLoggedOut: 'chat logged out: {type}',
  chatError: 'chat error {code}: {message}',
  notSentCode: 'not sent ({code}): {message}',
  notSent: 'not sent: {message}',
};

export type DemoKey = keyof typeof en;
export type DemoTexts = Readonly<Record<DemoKey, string>>;

const zh: DemoTexts = {
  hint: '平台：{platform}。在两台设备（或预览中的两个浏览器标签页）进入同一房间。',
  room: '房间',
  roomPlaceholder: '1234 或字符串房间号',
  userID: '用户 ID',
  userPlaceholder: '字母、数字、_ 和 -',
  template: '布局',
  role: '角色',
  anchor: '主播',
  audience: '观众',
  debug: '调试日志',
  chat: '聊天（IM）',
  language: '语言',
  langSystem: '跟随系统',
  enter: '进入房间',
  badRoom: '房间：{message}',
  badUser: '用户 ID：{message}',
  connecting: '连接中…',
  entering: '正在进房…',
  credentialsFailed: '获取凭证失败：{message}',
  inRoomAfter: '已进房（{ms} 毫秒）',
  inRoom: '已进房',
  reconnecting: '正在重连（第 {n} 次）…',
  rejoiningCredential: '正在用新凭证重新进房…',
  rejoiningSuspended: '小程序挂起后正在重新进房…',
  kicked: '已被移出房间：{reason}',
  left: '已离开房间（{code}）',
  error: '错误 {code}：{message}',
  remote: '{n} 位远端用户',
  permissionOff: '摄像头或麦克风未授权',
  retry: '重试',
  mute: '静音',
  unmute: '取消静音',
  cameraOff: '关闭摄像头',
  cameraOn: '打开摄像头',
  flip: '翻转',
  speaker: '扬声器',
  earpiece: '听筒',
  snapshot: '截图',
  wave: '挥手',
  music: '背景音乐',
  musicStop: '停止音乐',
  ringOn: '说话光圈',
  ringOff: '无光圈',
  streamMessage: '流内消息',
  leave: '离开',
  noMessages: '还没有消息',
  me: '我',
  private: '（私聊）',
  say: '说点什么',
  send: '发送',
  tipJoined: '{users} 加入了',
  tipLeft: '{users} 离开了',
  tipRemoved: '{users} 被移出',
  tipChanged: '{users} 修改了群组',
  liked: '{who} 点了赞 ❤',
  you: '你',
  custom: '[自定义] {text}',
  groupNotice: '群通知（类型 {type}）',
  otherMessage: '{who} 发送了一条 {type} 消息',
  chatLoginFailed: '聊天登录失败（{code}）：{message}',
  joinedChat: '已加入聊天 {group}',
  joinChatFailed: '加入聊天失败（{code}）：{message}',
  chatState: '聊天{state}…',
  chatLoggedOut: '聊天已登出：{type}',
  chatError: '聊天错误 {code}：{message}',
  notSentCode: '未发送（{code}）：{message}',
  notSent: '未发送：{message}',
};

export const DEMO_CATALOG: Readonly<Record<DemoLang, DemoTexts>> = { en, 'zh-CN': zh };

/** The language a `lang` value means: 'zh-CN' / 'en' as given, '' (or anything else) → the system language. */
export function demoLang(lang: unknown, systemLanguage: string): DemoLang {
  if (lang === 'zh-CN' || lang === 'en') return lang;
  return /^zh/i.test(systemLanguage.trim()) ? 'zh-CN' : 'en';
}

/** The system language as the platform reports it ('' if it cannot say). */
export function systemLanguage(): string {
  try {
    const w = wx as unknown as { getAppBaseInfo?: () => { language?: string } };
    if (typeof w.getAppBaseInfo === 'function') return w.getAppBaseInfo().language ?? '';
    return wx.getSystemInfoSync().language ?? '';
  } catch {
    return '';
  }
}

/** One text with its `{name}` parameters filled in. */
export function fmt(text: string, params: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

/** The texts for a `lang` value (the page's query or property). */
export function demoTexts(lang: unknown): DemoTexts {
  return DEMO_CATALOG[demoLang(lang, systemLanguage())];
}

/** The status line of a `reconnecting` event: code 0 is a re-entry with a reason, not a retry (README events). */
export function reconnectingText(t: DemoTexts, code: number, detail: unknown): string {
  const reason =
    code === 0 && detail && typeof detail === 'object' ? (detail as { reason?: unknown }).reason : '';
  if (reason === 'credential') return t.rejoiningCredential;
  if (reason === 'suspended') return t.rejoiningSuspended;
  return fmt(t.reconnecting, { n: code });
}
