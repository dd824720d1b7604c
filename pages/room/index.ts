/** Room page: the component exactly as an app uses it, plus controls and an event log. */
import { TEMPLATE_NAMES } from '../../utils/view/templates';
import type { RoomEvent } from '../../utils/core/events';
import { fetchCredentials, platform, RoomQuery } from '../demo';
import type { IMEvent, IMMessage } from '../../utils/chat/events';
import { ensureChatSDK } from './chat-panel/sdk';

interface RoomComponent {
  start(): Promise<{ elapsed: number }>;
  stop(): Promise<void>;
  switchCamera(): Promise<'front' | 'back'>;
  sendTextMessage(text: string): Promise<IMMessage>;
  sendCustomMessage(payload: { data: string }): Promise<IMMessage>;
  getRemoteUsers(): Array<{ userID: string }>;
}

interface ChatPanel {
  onIMEvent(ev: IMEvent): void;
  addSent(m: IMMessage): void;
  addError(e: unknown): void;
}

const MAX_LOG = 40;

Page({
  data: {
    sdkAppID: 0 as number | string,
    userID: '',
    userSig: '',
    roomID: 0,
    strRoomID: '',
    privateMapKey: '',
    role: 'anchor',
    template: 'bigsmall',
    debug: false,
    enableIM: false,
    /** Douyin only: Tencent Cloud Chat credentials for the chat panel */
    imConfig: null as null | { sdkAppID: number | string; userSig: string },
    muted: false,
    enableCamera: true,
    status: 'connecting…',
    remoteCount: 0,
    log: [] as string[],
  },
  room: null as RoomComponent | null,

  onLoad(query: RoomQuery) {
    this.setData({
      role: query.role === 'audience' ? 'audience' : 'anchor',
      template:
        query.template && (TEMPLATE_NAMES as readonly string[]).includes(query.template)
          ? query.template
          : 'bigsmall',
      debug: query.debug === '1',
      enableIM: query.enableIM === '1',
    });
    const app = getApp<{ globalData: { credentialsURL: string } }>();
    const url = app.globalData.credentialsURL;
    // On Douyin the room credential is a Volcengine token; chat (Tencent Cloud Chat) needs a TRTC UserSig
    const chat =
      platform === 'tt' && query.enableIM === '1'
        ? fetchCredentials(url, query, 'wx')
        : Promise.resolve(null);
    Promise.all([fetchCredentials(url, query), chat])
      .then(([c, im]) => {
        this.setData(
          {
            imConfig: im ? { sdkAppID: im.sdkAppID, userSig: query.userSig || im.userSig } : null,
            sdkAppID: c.sdkAppID,
            userID: c.userID,
            userSig: query.userSig || c.userSig,
            roomID: c.roomID ?? 0,
            strRoomID: c.strRoomID ?? '',
            privateMapKey: c.privateMapKey ?? '',
            status: 'entering…',
          },
          () => this.start(),
        );
      })
      .catch((e: Error) => this.setData({ status: `credentials failed: ${e.message}` }));
  },

  onUnload() {
    void this.room?.stop();
  },

  start() {
    this.room = this.selectComponent('#room') as unknown as RoomComponent;
    // chat: register the SDK when it can be loaded; otherwise the room reports IMEvent error -20
    if (this.data.enableIM) ensureChatSDK();
    this.room.start().catch(() => undefined /* reported through RoomEvent 'error' */);
  },

  chatPanel(): ChatPanel | null {
    return this.selectComponent('#chat') as unknown as ChatPanel | null;
  },
  onIMEvent(e: { detail: IMEvent }) {
    this.chatPanel()?.onIMEvent(e.detail);
  },
  onChatSend(e: { detail: { text: string } }) {
    this.forwardSend(this.room?.sendTextMessage(e.detail.text));
  },
  onChatLike() {
    this.forwardSend(this.room?.sendCustomMessage({ data: JSON.stringify({ type: 'like' }) }));
  },
  forwardSend(p: Promise<IMMessage> | undefined) {
    if (!p) return;
    p.then(
      (m) => this.chatPanel()?.addSent(m),
      (err: unknown) => this.chatPanel()?.addError(err),
    );
  },

  onRoomEvent(e: { detail: RoomEvent }) {
    const ev = e.detail;
    const line = `${ev.tag} ${ev.code} ${JSON.stringify(ev.detail)}`;
    const patch: Record<string, unknown> = { log: [line, ...this.data.log].slice(0, MAX_LOG) };
    switch (ev.tag) {
      case 'enter_room':
        patch.status = `in room (${ev.code} ms)`;
        break;
      case 'user_join':
      case 'user_leave':
        patch.remoteCount = this.room ? this.room.getRemoteUsers().length : 0;
        break;
      case 'reconnecting':
        patch.status = `reconnecting (attempt ${ev.code})…`;
        break;
      case 'reconnected':
        patch.status = 'in room';
        break;
      case 'kicked_out':
        patch.status = `kicked out: ${ev.detail.reason}`;
        break;
      case 'exit_room':
        // after kicked_out / error the status already says why; a plain exit says so here
        if (ev.code !== 0 && !/^(kicked|error)/.test(this.data.status))
          patch.status = `left the room (${ev.code})`;
        break;
      case 'error':
        patch.status = `error ${ev.code}: ${ev.detail.message}`;
        if (ev.code === -7) this.askForPermission();
        break;
      default:
        break;
    }
    this.setData(patch);
  },

  askForPermission() {
    wx.showModal({
      title: 'Camera and microphone',
      content: 'The call needs your camera and microphone. Open settings to allow them?',
      success: (r) => {
        if (!r.confirm) return;
        wx.openSetting({
          success: (s) => {
            const auth = s.authSetting as Record<string, boolean>;
            if (auth['scope.camera'] && auth['scope.record']) this.start();
          },
        });
      },
    });
  },

  toggleMute() {
    this.setData({ muted: !this.data.muted });
  },
  toggleCamera() {
    this.setData({ enableCamera: !this.data.enableCamera });
  },
  switchCamera() {
    void this.room?.switchCamera();
  },
  nextTemplate() {
    const i = (TEMPLATE_NAMES as readonly string[]).indexOf(this.data.template);
    // 'custom' needs rectangles from the page; the demo cycles through the built-in layouts
    const builtIn = TEMPLATE_NAMES.filter((t) => t !== 'custom');
    this.setData({ template: builtIn[(Math.max(i, 0) + 1) % builtIn.length] });
  },
  toggleRole() {
    this.setData({ role: this.data.role === 'anchor' ? 'audience' : 'anchor' });
  },
  leave() {
    void this.room?.stop().then(() => wx.navigateBack({ delta: 1 }));
  },
});
