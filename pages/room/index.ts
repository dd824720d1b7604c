/** Room page: the component exactly as an app uses it, plus controls and an event log. */
import { TEMPLATE_NAMES } from '../../utils/view/templates';
import { ROOM_STATES } from '../../utils/core/validate';
import type { RoomEvent } from '../../utils/core/events';
import { Credentials, fetchCredentials, platform, RoomQuery, Session, signIn } from '../demo';
import type { IMEvent, IMMessage } from '../../utils/chat/events';
import { ensureChatSDK } from './chat-panel/sdk';
import { DEMO_CATALOG, demoTexts, fmt, reconnectingText, type DemoTexts } from '../i18n';
import { ringPatch } from '../ring';

interface RoomComponent {
  start(): Promise<{ elapsed: number }>;
  stop(): Promise<void>;
  switchCamera(): Promise<'front' | 'back'>;
  sendTextMessage(text: string): Promise<IMMessage>;
  sendCustomMessage(payload: { data: string }): Promise<IMMessage>;
  getRemoteUsers(): Array<{ userID: string }>;
  updateUserSig(userSig: string): Promise<void>;
  snapshot(userID?: string): Promise<{ tempImagePath: string; width: number; height: number }>;
  sendMessage(payload: string): Promise<void>;
  playBGM(url: string): Promise<void>;
  stopBGM(): Promise<void>;
}

/** The component's `states` with or without the speaking ring (the ring button's two choices). */
const statesWith = (ring: boolean) => ROOM_STATES.filter((s) => ring || s !== 'speaking').join(',');

interface ChatPanel {
  onIMEvent(ev: IMEvent): void;
  addSent(m: IMMessage): void;
  addError(e: unknown): void;
}

const MAX_LOG = 40;

/** where the page signed in, with what, and the room it asked for: a renewal asks the same again */
interface SignedIn {
  url: string;
  query: RoomQuery;
  session: Session;
}

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
    /** 'zh-CN', 'en' or '' (system language): the demo's texts and the component's `lang` alike */
    lang: '',
    t: DEMO_CATALOG.en as DemoTexts,
    status: DEMO_CATALOG.en.connecting,
    soundMode: 'speaker',
    states: statesWith(true),
    /** the speaking ring is shown */
    ring: true,
    /** background music: the button's URL ('' hides it) and whether it plays */
    bgmURL: '',
    bgm: false,
    /** the in-stream message box and the last message received */
    seiText: '',
    seiLast: '',
    /** the last snapshot() of the local view */
    shot: '',
    /** what the status line says, for the page's own logic: the words are translated */
    statusKind: 'connecting' as 'connecting' | 'entering' | 'in' | 'kicked' | 'error' | 'left',
    /** the camera or microphone was refused: the status line offers to try again */
    permissionOff: false,
    remoteCount: 0,
    remote: '0 remote',
    /**
     * a ring of at most MAX_LOG lines (logPatch): the oldest at `logHead` once full; `id` keys the list (the same
     * line can come twice: a key must not)
     */
    log: [] as Array<{ id: number; line: string }>,
    logHead: 0,
  },
  room: null as RoomComponent | null,
  logSeq: 0,
  /** between enter_room and exit_room */
  entered: false,
  signedIn: null as null | SignedIn,

  onLoad(query: RoomQuery) {
    const lang = query.lang === 'zh-CN' || query.lang === 'en' ? query.lang : '';
    const t = demoTexts(lang);
    this.setData({
      lang,
      t,
      status: t.connecting,
      remote: fmt(t.remote, { n: 0 }),
      role: query.role === 'audience' ? 'audience' : 'anchor',
      template:
        query.template && (TEMPLATE_NAMES as readonly string[]).includes(query.template)
          ? query.template
          : 'bigsmall',
      debug: query.debug === '1',
      enableIM: query.enableIM === '1',
    });
    const app = getApp<{ globalData: { credentialsURL: string; bgmURL?: string } }>();
    const url = app.globalData.credentialsURL;
    this.setData({ bgmURL: app.globalData.bgmURL ?? '' });
    // On Douyin the room credential is a Volcengine token; chat (Tencent Cloud Chat) needs a TRTC UserSig
    signIn(url)
      .then((session) => {
        this.signedIn = { url, query, session };
        return Promise.all([
          fetchCredentials(url, query, session.token),
          platform === 'tt' && query.enableIM === '1'
            ? fetchCredentials(url, query, session.token, 'wx')
            : Promise.resolve(null),
        ]);
      })
      .then(([c, im]) => {
        this.setData(
          {
            imConfig: im ? { sdkAppID: im.sdkAppID, userSig: query.userSig || im.userSig } : null,
            sdkAppID: c.sdkAppID,
            userID: c.userID,
            role: c.role ?? this.data.role,
            userSig: query.userSig || c.userSig,
            roomID: c.roomID ?? 0,
            strRoomID: c.strRoomID ?? '',
            privateMapKey: c.privateMapKey ?? '',
            status: t.entering,
            statusKind: 'entering',
          },
          () => this.start(),
        );
      })
      .catch((e: Error) =>
        this.setData({ status: fmt(t.credentialsFailed, { message: e.message }), statusKind: 'error' }),
      );
  },

  onUnload() {
    void this.room?.stop();
  },

  /**
   * Douyin's `token_will_expire` (30 s before the room token ends): a new token from the signing service, for the
   * same room and the granted role, handed to `updateUserSig` (`updateToken`, the call goes on). The session with
   * the signing service is renewed first when it has run out. A failure says so in the status line: the engine
   * then removes the user at expiry (error -9, `exit_room`).
   */
  renewToken() {
    const s = this.signedIn;
    if (!s || !this.room) return;
    const room = this.room;
    const t = this.data.t;
    this.freshCredentials(s)
      .then((c) => room.updateUserSig(c.userSig))
      .then(
        // in the log's own form (tag code detail), as the room's events are
        () => this.log('updateUserSig 0 {"after":"token_will_expire"}'),
        (e: Error) =>
          this.setData({ status: fmt(t.credentialsFailed, { message: e.message }), statusKind: 'error' }),
      );
  },

  /**
   * Chat kicked for `userSigExpired` (a chat login lasts as long as its UserSig): a new chat UserSig from the
   * signing service, given as the component's README says. WeChat: the `userSig`
   * property (chat logs in with the room's; the call is not entered again, the next `start()` uses it); Douyin:
   * `imConfig.userSig` (chat's own credential). Chat then logs in and joins again (login_event, join_group_event).
   */
  renewChatSig() {
    const s = this.signedIn;
    if (!s) return;
    const tt = platform === 'tt';
    this.freshCredentials(s, tt ? 'wx' : platform)
      .then(
        (c) =>
          new Promise<void>((resolve) =>
            this.setData(
              tt ? { imConfig: { sdkAppID: c.sdkAppID, userSig: c.userSig } } : { userSig: c.userSig },
              resolve,
            ),
          ),
      )
      .then(
        () => this.log('chatUserSig 0 {"after":"userSigExpired"}'),
        (e: Error) => this.log(`chatUserSig -1 ${JSON.stringify({ message: e.message })}`),
      );
  },

  /**
   * New credentials for the room the page entered, from the signing service (its session renewed first when it
   * has run out); `as` 'wx' on Douyin: the chat's TRTC UserSig.
   */
  freshCredentials(s: SignedIn, as: 'wx' | 'tt' = platform): Promise<Credentials> {
    const live = s.session.expireAt - Date.now() / 1000 > 60;
    return (live ? Promise.resolve(s.session) : signIn(s.url)).then((session) => {
      s.session = session;
      // the role the service granted at entry, or the one the page switched to since
      return fetchCredentials(s.url, { ...s.query, role: this.data.role }, session.token, as);
    });
  },

  /** One line at the top of the event log. */
  log(line: string) {
    this.setData(this.logPatch(line));
  },

  /**
   * One line for the event log as paths, never the list (setData is the hot path): a new line is `log[k]`; the log
   * of at most MAX_LOG is a ring, like the chat panel's, so once full a line takes the oldest one's slot (`logHead`,
   * where the template starts listing, oldest first; its CSS shows the newest on top) and nothing else moves.
   */
  logPatch(line: string): Record<string, unknown> {
    this.logSeq += 1;
    const { log, logHead } = this.data;
    return ringPatch('log', 'logHead', { length: log.length, head: logHead, max: MAX_LOG }, [
      { id: this.logSeq, line },
    ]);
  },

  start() {
    this.room = this.selectComponent('#room') as unknown as RoomComponent;
    // chat: register the SDK when it can be loaded; otherwise the room reports IMEvent error -20
    if (this.data.enableIM) ensureChatSDK();
    this.room.start().catch(() => undefined /* reported through RoomEvent 'error' */);
  },

  /**
   * After a refused camera or microphone: enter again. The component's own permission guide (the one dialog)
   * comes back if it is still refused, with its "Open settings"; "Not now" on it leaves this button, never a
   * dead end.
   */
  retry() {
    this.setData({ permissionOff: false, status: this.data.t.entering, statusKind: 'entering' }, () =>
      this.start(),
    );
  },

  toggleSoundMode() {
    this.setData({ soundMode: this.data.soundMode === 'speaker' ? 'ear' : 'speaker' });
  },
  /** An in-stream message (WeChat SEI); the others log a `message` event. */
  wave() {
    this.room
      ?.sendMessage(JSON.stringify({ wave: this.data.userID }))
      .catch(() => undefined /* reported through RoomEvent 'error' */);
  },
  /** Background music mixed into what this page publishes (WeChat); Douyin reports -2 through RoomEvent. */
  toggleBGM() {
    const room = this.room;
    if (!room) return;
    const next = !this.data.bgm;
    (next ? room.playBGM(this.data.bgmURL) : room.stopBGM()).then(
      () => this.setData({ bgm: next }),
      () => this.setData({ bgm: false }) /* reported through RoomEvent 'error' / 'bgm_error' */,
    );
  },
  /** The speaking ring on the tiles: the component's `states` with or without 'speaking'. */
  toggleRing() {
    const ring = !this.data.ring;
    this.setData({ ring, states: statesWith(ring) });
  },
  onSeiInput(e: { detail: { value: string } }) {
    this.setData({ seiText: e.detail.value });
  },
  /** The typed text as an in-stream message (WeChat SEI); the others show it under their controls. */
  sendSei() {
    const text = this.data.seiText.trim();
    if (!text || !this.room) return;
    this.room.sendMessage(text).then(
      () => this.setData({ seiText: '' }),
      () => undefined /* reported through RoomEvent 'error' */,
    );
  },
  takeSnapshot() {
    this.room?.snapshot().then(
      (r) => this.setData({ shot: r.tempImagePath }),
      () => undefined /* reported through RoomEvent 'error' */,
    );
  },

  chatPanel(): ChatPanel | null {
    return this.selectComponent('#chat') as unknown as ChatPanel | null;
  },
  onIMEvent(e: { detail: IMEvent }) {
    const ev = e.detail;
    if (ev.tag === 'kicked' && ev.detail.type === 'userSigExpired') this.renewChatSig();
    this.chatPanel()?.onIMEvent(ev);
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
    // levels come a few times a second: they drive the speaking ring, not the log
    if (ev.tag === 'audio_volume') return;
    const line = `${ev.tag} ${ev.code} ${JSON.stringify(ev.detail)}`;
    const t = this.data.t;
    const patch: Record<string, unknown> = {};
    switch (ev.tag) {
      case 'enter_room':
        this.entered = true;
        patch.status = fmt(t.inRoomAfter, { ms: ev.code });
        patch.statusKind = 'in';
        patch.permissionOff = false;
        break;
      case 'user_join':
      case 'user_leave':
        patch.remoteCount = this.room ? this.room.getRemoteUsers().length : 0;
        patch.remote = fmt(t.remote, { n: patch.remoteCount as number });
        break;
      case 'reconnecting':
        patch.status = reconnectingText(t, ev.code, ev.detail);
        break;
      case 'message':
        patch.seiLast = `${ev.detail.userID}: ${ev.detail.payload}`;
        break;
      case 'bgm_complete':
      case 'bgm_error':
        patch.bgm = false;
        break;
      case 'reconnected':
        patch.status = t.inRoom;
        break;
      case 'token_will_expire':
        this.renewToken();
        break;
      case 'permission_granted':
        // the guide's settings page granted the camera / microphone: in the room the call goes on (no re-entry),
        // from the lobby the component enters now
        patch.permissionOff = false;
        patch.status = this.entered ? t.inRoom : t.entering;
        patch.statusKind = this.entered ? 'in' : 'entering';
        break;
      case 'kicked_out':
        patch.status = fmt(t.kicked, { reason: ev.detail.reason });
        patch.statusKind = 'kicked';
        break;
      case 'exit_room':
        this.entered = false;
        // after kicked_out / error the status already says why; a plain exit says so here
        if (ev.code !== 0 && this.data.statusKind !== 'kicked' && this.data.statusKind !== 'error') {
          patch.status = fmt(t.left, { code: ev.code });
          patch.statusKind = 'left';
        }
        break;
      case 'error':
        // -7: the component shows its permission guide; the page adds no dialog of its own
        patch.status =
          ev.code === -7 ? t.permissionOff : fmt(t.error, { code: ev.code, message: ev.detail.message });
        patch.statusKind = 'error';
        if (ev.code === -7) patch.permissionOff = true;
        break;
      default:
        break;
    }
    // the line's slot is taken last: what the cases did meanwhile (a log line of their own) came first
    this.setData({ ...patch, ...this.logPatch(line) });
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
