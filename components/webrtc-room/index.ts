/**
 * <webrtc-room>: glue only. Properties → RoomController.setProps, lifecycle → start/stop/destroy,
 * native view events → the platform adapter, RoomEvents → triggerEvent('RoomEvent').
 * Everything else lives in utils/ (pure) and ./platform (the only wx/tt code).
 */
import { RoomController, RoomProps, SubscribeOptions, VIEW_DATA } from '../../utils/room/controller';
import type { PlatformAdapter } from '../../utils/platform/adapter';
import { createLogger } from '../../utils/core/logger';
import { createAdapter, INITIAL_DATA, Room } from './platform';
import { PROPERTIES, WATCHED } from './props';
import { chatHooks, SendMethod } from './chat-hooks';
import { imError, IMErrorCode } from '../../utils/chat/events';
import type { IMMessage } from '../../utils/chat/events';
import { isChatSDK } from '../../utils/chat/sdk';
import { sameValue } from '../../utils/room/props';

interface Instance {
  _ctl: RoomController | null;
  _adapter: PlatformAdapter | null;
  _touchX: number;
  _chatSDK?: unknown;
  /** the chat properties' values the component last acted on */
  _seen?: Record<string, unknown>;
  data: Record<string, unknown>;
  triggerEvent(name: string, detail: unknown): void;
}

/** The send methods without chat loaded reject like the chat code's own "not started". */
function chatSend(inst: Instance, method: SendMethod, args: unknown[]): Promise<IMMessage> {
  const hooks = chatHooks();
  if (hooks) return hooks.send(inst, method, args);
  return Promise.reject(
    imError(
      IMErrorCode.NOT_LOGGED_IN,
      'chat is not started: set enableIM, register the chat SDK and call start() (wait for join_group_event)',
    ),
  );
}

/** The room session's boundaries, for the optional chat (./chat-hooks); without it enableIM says how. */
function chatSession(inst: Instance, on: boolean): void {
  const hooks = chatHooks();
  if (hooks) hooks.session(inst, on);
  else if (on && inst.data.enableIM === true)
    inst.triggerEvent(
      'IMEvent',
      imError(
        IMErrorCode.NOT_REGISTERED,
        "enableIM needs the chat SDK: call registerChat(TencentCloudChat) from 'webrtc-room/components/webrtc-room/chat' in app.js, or room.setChatSDK(TencentCloudChat)",
      ).toEvent(),
    );
}

/**
 * Whether any of `keys` holds another value than when the component last acted on it (they are the last now): an
 * observer runs on every setData of its fields, the same value included, an object as an equal copy. The room's
 * properties are compared by the controller (RoomController.setProps).
 */
function changed(inst: Instance, keys: readonly string[]): boolean {
  const seen = inst._seen || (inst._seen = {});
  let diff = false;
  for (const k of keys) {
    if (!sameValue(inst.data[k], seen[k])) diff = true;
    seen[k] = inst.data[k];
  }
  return diff;
}

function propsOf(data: Record<string, unknown>): RoomProps {
  const p: Record<string, unknown> = {};
  for (const k of WATCHED) p[k] = data[k];
  return p as RoomProps;
}

/** What a method of a component that is not attached (or already detached) rejects with. */
const notAttached = (): Promise<never> => Promise.reject(new Error('webrtc-room is not attached'));

Component<
  typeof INITIAL_DATA & typeof VIEW_DATA,
  typeof PROPERTIES,
  WechatMiniprogram.Component.MethodOption,
  [],
  Instance
>({
  options: { multipleSlots: true },
  externalClasses: ['ext-class', 'placeholder-class', 'badge-class', 'banner-class', 'guide-class'],
  properties: PROPERTIES,
  data: { ...INITIAL_DATA, ...VIEW_DATA },
  observers: {
    [WATCHED.join(', ')]: function (this: Instance & { data: Record<string, unknown> }) {
      this._ctl?.setProps(propsOf(this.data));
    },
    enableIM: function (this: Instance, on: boolean) {
      if (changed(this, ['enableIM'])) chatHooks()?.enableIM(this, on);
    },
    'userSig, imConfig': function (this: Instance) {
      if (changed(this, ['userSig', 'imConfig'])) chatHooks()?.creds(this);
    },
  },
  lifetimes: {
    attached() {
      // the values set before attaching are the ones the chat starts with
      changed(this, ['enableIM', 'userSig', 'imConfig']);
      const log = createLogger('webrtc-room', () => this.data.debug === true);
      const adapter = createAdapter(this, (ev) => this._ctl?.onAdapterEvent(ev));
      this._adapter = adapter;
      this._touchX = -1;
      this._ctl = new Room(
        adapter,
        {
          setData: (patch, cb) => this.setData(patch, cb),
          emit: (ev) => this.triggerEvent('RoomEvent', ev),
          timers: {
            setTimeout: (fn, ms) => setTimeout(fn, ms),
            clearTimeout: (h) => clearTimeout(h as number),
          },
          now: () => Date.now(),
          log,
          session: (on) => chatSession(this, on),
        },
        propsOf(this.data as unknown as Record<string, unknown>),
      );
    },
    detached() {
      chatHooks()?.detached(this);
      this._ctl?.destroy();
      this._ctl = null;
      this._adapter = null;
    },
  },
  pageLifetimes: {
    show() {
      this._ctl?.pageShow();
    },
    hide() {
      this._ctl?.pageHide();
    },
  },
  methods: {
    /** Enter the room; resolves when really entered, rejects with the `error` event's detail. */
    start(): Promise<{ elapsed: number }> {
      return this._ctl ? this._ctl.start() : notAttached();
    },
    /** Leave the room. Idempotent; safe before start(). */
    stop(): Promise<void> {
      return this._ctl ? this._ctl.stop() : Promise.resolve();
    },
    switchCamera(): Promise<'front' | 'back'> {
      return this._ctl ? this._ctl.switchCamera() : notAttached();
    },
    pause(): void {
      this._ctl?.pause();
    },
    resume(): void {
      this._ctl?.resume();
    },
    subscribe(userID: string, options?: SubscribeOptions): Promise<void> {
      return this._ctl ? this._ctl.subscribe(userID, options) : notAttached();
    },
    getRemoteUsers() {
      return this._ctl ? this._ctl.getRemoteUsers() : [];
    },
    /** New credential for the room and, when it logs in with the room's, for the chat. */
    updateUserSig(userSig: string): Promise<void> {
      if (!this._ctl) return notAttached();
      chatHooks()?.creds(this, userSig);
      return this._ctl.updateUserSig(userSig);
    },
    /** Lobby: show the local camera before entering; `start()` then enters without re-creating it. */
    startPreview(): Promise<void> {
      return this._ctl ? this._ctl.startPreview() : notAttached();
    },
    /** Leave the lobby preview; harmless in any other state. */
    stopPreview(): Promise<void> {
      return this._ctl ? this._ctl.stopPreview() : Promise.resolve();
    },
    onGuideOpen() {
      this._ctl?.openSettings().catch(() => undefined /* reported through RoomEvent */);
    },
    onGuideDismiss() {
      this._ctl?.dismissGuide();
    },
    /** Make a remote user the large view in `bigsmall`. */
    pin(userID: string, streamType?: 'main' | 'aux'): boolean {
      return this._ctl ? this._ctl.pin(userID, streamType) : false;
    },
    /** Background music mixed into what you publish (WeChat); Douyin rejects with -2. */
    playBGM(url: string): Promise<void> {
      return this._ctl ? this._ctl.bgm('play', url) : notAttached();
    },
    stopBGM(): Promise<void> {
      return this._ctl ? this._ctl.bgm('stop') : notAttached();
    },
    pauseBGM(): Promise<void> {
      return this._ctl ? this._ctl.bgm('pause') : notAttached();
    },
    resumeBGM(): Promise<void> {
      return this._ctl ? this._ctl.bgm('resume') : notAttached();
    },
    /** 0-1 */
    setBGMVolume(volume: number): Promise<void> {
      return this._ctl ? this._ctl.bgm('volume', volume) : notAttached();
    },
    /** What works on this client (README: capability matrix). */
    getCapabilities() {
      return this._ctl ? this._ctl.getCapabilities() : null;
    },
    /** Preflight before entering: `{ok, problems: [{code, field?, message}]}` with start()'s codes. */
    checkEnvironment() {
      return this._ctl ? this._ctl.checkEnvironment() : notAttached();
    },
    /** In-stream message (WeChat SEI) to everyone playing this user; Douyin rejects with -2 (use the chat). */
    sendMessage(payload: string): Promise<void> {
      return this._ctl ? this._ctl.sendMessage(payload) : notAttached();
    },
    /** The local view (no argument) or a remote user's view as an image. */
    snapshot(userID?: string) {
      return this._ctl ? this._ctl.snapshot(userID) : notAttached();
    },
    /** Use this SDK module for this component (instead of the one given to registerChat). */
    setChatSDK(sdk: unknown): void {
      if (!isChatSDK(sdk)) throw new TypeError('setChatSDK expects the @tencentcloud/chat module');
      this._chatSDK = sdk;
    },
    /** Text to the room's group; resolves with the sent message (chat: registerChat + enableIM). */
    sendTextMessage(text: string): Promise<IMMessage> {
      return chatSend(this, 'sendTextMessage', [text]);
    },
    /** Custom message (`data` is a string, e.g. JSON) to the room's group. */
    sendCustomMessage(payload: {
      data: string;
      description?: string;
      extension?: string;
    }): Promise<IMMessage> {
      return chatSend(this, 'sendCustomMessage', [payload]);
    },
    /** Text to one user. */
    sendC2CTextMessage(userID: string, text: string): Promise<IMMessage> {
      return chatSend(this, 'sendC2CTextMessage', [userID, text]);
    },
    /** Custom message to one user. */
    sendC2CCustomMessage(
      userID: string,
      payload: { data: string; description?: string; extension?: string },
    ): Promise<IMMessage> {
      return chatSend(this, 'sendC2CCustomMessage', [userID, payload]);
    },
    onNative(e: unknown) {
      this._adapter?.handleNative(e);
    },
    onTileTap(e: { currentTarget: { dataset: { userId?: string; streamType?: 'main' | 'aux' } } }) {
      const ds = e.currentTarget.dataset;
      if ((this.data.keptTemplate || this.data.template) === 'bigsmall' && ds.userId)
        this._ctl?.pin(ds.userId, ds.streamType);
    },
    onTouchStart(e: { touches: Array<{ clientX: number }> }) {
      this._touchX = e.touches && e.touches[0] ? e.touches[0].clientX : -1;
    },
    onTouchEnd(e: { changedTouches: Array<{ clientX: number }> }) {
      if (
        (this.data.keptTemplate || this.data.template) !== 'grid' ||
        this._touchX < 0 ||
        !e.changedTouches ||
        !e.changedTouches[0]
      )
        return;
      const dx = e.changedTouches[0].clientX - this._touchX;
      this._touchX = -1;
      if (Math.abs(dx) < 40) return;
      const page = this.data.gridPage + (dx < 0 ? 1 : -1);
      if (page >= 0 && page < this.data.gridPages) this._ctl?.setGridPage(page);
    },
  },
});
