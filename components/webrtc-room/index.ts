/**
 * <webrtc-room>: glue only. Properties → RoomController.setProps, lifecycle → start/stop/destroy,
 * native view events → the platform adapter, RoomEvents → triggerEvent('RoomEvent').
 * Everything else lives in utils/ (pure) and ./platform (the only wx/tt code).
 */
import { RoomController, RoomProps, SubscribeOptions, VIEW_DATA } from '../../utils/room/controller';
import type { PlatformAdapter } from '../../utils/platform/adapter';
import { createLogger } from '../../utils/core/logger';
import { createAdapter, INITIAL_DATA } from './platform';
import { PROPERTIES, WATCHED } from './props';
import { chatBehavior, chatOnStart, chatOnStop } from './chat-behavior';

interface Instance {
  _ctl: RoomController | null;
  _adapter: PlatformAdapter | null;
  _touchX: number;
}

function propsOf(data: Record<string, unknown>): RoomProps {
  const p: Record<string, unknown> = {};
  for (const k of WATCHED) p[k] = data[k];
  return p as RoomProps;
}

Component<
  typeof INITIAL_DATA & typeof VIEW_DATA,
  typeof PROPERTIES,
  WechatMiniprogram.Component.MethodOption,
  [typeof chatBehavior],
  Instance
>({
  options: { multipleSlots: true },
  behaviors: [chatBehavior],
  externalClasses: ['ext-class', 'placeholder-class', 'badge-class', 'banner-class', 'guide-class'],
  properties: PROPERTIES,
  data: { ...INITIAL_DATA, ...VIEW_DATA },
  observers: {
    [WATCHED.join(', ')]: function (this: Instance & { data: Record<string, unknown> }) {
      this._ctl?.setProps(propsOf(this.data));
    },
  },
  lifetimes: {
    attached() {
      const log = createLogger('webrtc-room', () => this.data.debug === true);
      const adapter = createAdapter(this, (ev) => this._ctl?.onAdapterEvent(ev));
      this._adapter = adapter;
      this._touchX = -1;
      this._ctl = new RoomController(
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
        },
        propsOf(this.data as unknown as Record<string, unknown>),
      );
    },
    detached() {
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
      chatOnStart(this);
      return this._ctl ? this._ctl.start() : Promise.reject(new Error('webrtc-room is not attached'));
    },
    /** Leave the room. Idempotent; safe before start(). */
    stop(): Promise<void> {
      chatOnStop(this);
      return this._ctl ? this._ctl.stop() : Promise.resolve();
    },
    switchCamera(): Promise<'front' | 'back'> {
      return this._ctl ? this._ctl.switchCamera() : Promise.reject(new Error('webrtc-room is not attached'));
    },
    pause(): void {
      this._ctl?.pause();
    },
    resume(): void {
      this._ctl?.resume();
    },
    subscribe(userID: string, options?: SubscribeOptions): Promise<void> {
      return this._ctl
        ? this._ctl.subscribe(userID, options)
        : Promise.reject(new Error('webrtc-room is not attached'));
    },
    getRemoteUsers() {
      return this._ctl ? this._ctl.getRemoteUsers() : [];
    },
    updateUserSig(userSig: string): Promise<void> {
      return this._ctl
        ? this._ctl.updateUserSig(userSig)
        : Promise.reject(new Error('webrtc-room is not attached'));
    },
    /** Lobby: show the local camera before entering; `start()` then enters without re-creating it. */
    startPreview(): Promise<void> {
      return this._ctl ? this._ctl.startPreview() : Promise.reject(new Error('webrtc-room is not attached'));
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
    onNative(e: unknown) {
      this._adapter?.handleNative(e);
    },
    onTileTap(e: { currentTarget: { dataset: { userId?: string; streamType?: 'main' | 'aux' } } }) {
      const ds = e.currentTarget.dataset;
      if (this.data.template === 'bigsmall' && ds.userId) this._ctl?.pin(ds.userId, ds.streamType);
    },
    onTouchStart(e: { touches: Array<{ clientX: number }> }) {
      this._touchX = e.touches && e.touches[0] ? e.touches[0].clientX : -1;
    },
    onTouchEnd(e: { changedTouches: Array<{ clientX: number }> }) {
      if (this.data.template !== 'grid' || this._touchX < 0 || !e.changedTouches || !e.changedTouches[0])
        return;
      const dx = e.changedTouches[0].clientX - this._touchX;
      this._touchX = -1;
      if (Math.abs(dx) < 40) return;
      const page = this.data.gridPage + (dx < 0 ? 1 : -1);
      if (page >= 0 && page < this.data.gridPages) this._ctl?.setGridPage(page);
    },
  },
});
