/* eslint-disable @typescript-eslint/no-explicit-any */
/** Douyin stand-ins: the page's local capture (shared by every RtcRoomContext and `<rtc-room mode="camera">`). */
import { getLocalMedia } from './media';

/**
 * `?deny=camera|mic` on Douyin: the capture call itself fails as after the user's refusal (Douyin prompts on the
 * RTC call, douyin-rtc.md §2.5), until `tt.openSetting` turned the scope on; the page's own `tt.getSetting`
 * (the shared wx/tt shim) is the one record of what is refused.
 */
export function refused(scope: string): boolean {
  let setting: Record<string, boolean> = {};
  (globalThis as any).tt?.getSetting?.({ success: (r: any) => (setting = r.authSetting ?? {}) });
  return setting[scope] === false;
}

/** The page's local capture, shared by every context and every `<rtc-room mode="camera">`. */
export const local = {
  stream: null as MediaStream | null,
  pending: null as Promise<MediaStream> | null,
  video: false,
  audio: false,
  watchers: new Set<() => void>(),
  get(): Promise<MediaStream> {
    if (this.stream) return Promise.resolve(this.stream);
    if (!this.pending) {
      this.pending = getLocalMedia('me').then((m) => {
        this.stream = m.stream;
        this.apply();
        return m.stream;
      });
    }
    return this.pending;
  },
  apply(): void {
    this.stream?.getVideoTracks().forEach((t) => (t.enabled = this.video));
    this.stream?.getAudioTracks().forEach((t) => (t.enabled = this.audio));
    for (const w of this.watchers) w();
  },
};
