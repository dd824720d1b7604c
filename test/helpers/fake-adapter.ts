/** A scriptable PlatformAdapter recording every command, for RoomController tests. */
import type { AdapterEvent, LocalMedia, PlatformAdapter, Subscription } from '../../utils/platform/adapter';
import type { RoomError } from '../../utils/core/events';
import type { Platform } from '../../utils/core/validate';
import { FrameWatch } from '../../utils/room/first-frame';

export class FakeAdapter implements PlatformAdapter {
  calls: Array<[string, ...unknown[]]> = [];
  support: RoomError | null = null;
  permission: RoomError | null = null;
  sigMode: 'updated' | 'reenter' = 'reenter';
  rebuildHiddenPlayers = true;
  sink: (ev: AdapterEvent) => void = () => undefined;

  /** the black-screen watchdog, as the WeChat adapter names it (Douyin's has none) */
  readonly firstFrames?: typeof FrameWatch;

  constructor(readonly platform: Platform = 'wx') {
    if (platform === 'wx') this.firstFrames = FrameWatch;
  }

  checkSupport() {
    this.calls.push(['checkSupport']);
    return this.support;
  }
  ensurePermissions(need: { camera: boolean; mic: boolean }) {
    this.calls.push(['ensurePermissions', need]);
    return this.permission ? Promise.reject(this.permission) : Promise.resolve();
  }
  maxPlayers = 8;
  enterView(_p: unknown, opts: { local: LocalMedia }) {
    return {
      pushUrl: 'room://fake',
      devicePosition: opts.local.front ? ('front' as const) : ('back' as const),
    };
  }
  showVideo(userID: string, streamType: string, shown: boolean) {
    this.calls.push(['showVideo', userID, streamType, shown]);
  }
  enter(params: unknown, opts: unknown) {
    this.calls.push(['enter', params, opts]);
  }
  exit() {
    this.calls.push(['exit']);
  }
  applyLocal(next: LocalMedia, prev: LocalMedia) {
    this.calls.push(['applyLocal', next, prev]);
  }
  switchCamera(toFront: boolean) {
    this.calls.push(['switchCamera', toFront]);
    return Promise.resolve();
  }
  pause(ids: string[]) {
    this.calls.push(['pause', ids]);
  }
  resume(ids: string[]) {
    this.calls.push(['resume', ids]);
  }
  subscribe(userID: string, streamType: string, sub: Subscription) {
    this.calls.push(['subscribe', userID, streamType, sub]);
  }
  updateUserSig(sig: string) {
    this.calls.push(['updateUserSig', sig]);
    return Promise.resolve(this.sigMode);
  }
  granted = { camera: true, mic: true };
  systemLanguage = 'en';
  startPreview(local: LocalMedia, sdkAppID: unknown) {
    this.calls.push(['startPreview', local, sdkAppID]);
  }
  stopPreview() {
    this.calls.push(['stopPreview']);
  }
  openSetting() {
    this.calls.push(['openSetting']);
    return Promise.resolve({ ...this.granted });
  }
  language() {
    return this.systemLanguage;
  }
  handleNative(e: unknown) {
    this.calls.push(['handleNative', e]);
  }
  destroy() {
    this.calls.push(['destroy']);
  }
  count(name: string): number {
    return this.calls.filter((c) => c[0] === name).length;
  }
  emit(ev: AdapterEvent) {
    this.sink(ev);
  }
}
