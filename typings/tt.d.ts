/**
 * The one global `tt` declaration for type-checking both platforms (toolchain.md §6).
 * The Douyin API is imported as a module (its own `declare global` would clash with
 * miniprogram-api-typings); RTC members the upstream typings lack or mistype are declared here
 * (douyin-rtc.md §1, §7): object-form `createRtcRoomContext({appId})`, `updateToken`,
 * `changeUserVisibility`, the stream/screen subscribe and publish toggles, `onRoomTokenWillExpire`,
 * both `onRtcStateChange` and `onRtcStateChanged`.
 */
import type * as TTApi from '@douyin-microapp/typings/types/api';

declare global {
  namespace TT {
    /** What every RtcRoomContext method's `fail` receives. */
    interface RtcFail {
      errMsg: string;
      errNo?: number;
      errorCode?: number;
    }
    interface RtcCallbacks<R = Record<string, never>> {
      success?(res: { errMsg: string } & R): void;
      fail?(err: RtcFail): void;
      complete?(res: unknown): void;
    }
    type RtcStreamType = 'audio' | 'video' | 'both';
    interface RtcMembersEvent {
      userIdList: string[];
      errCode?: string | number;
      errMsg?: string;
    }
    interface RtcStateEvent {
      errNo: number;
      errMsg: string;
      data?: object;
    }
    // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
    type RtcOff = (callback: Function) => void;

    interface RtcRoomContext {
      /** 2.42.0 (roomConfig 2.68.0) */
      joinRtcRoom(
        o: {
          roomId: string;
          userId: string;
          token: string;
          roomConfig?: { autoPublish?: boolean; autoSubscribe?: boolean };
        } & RtcCallbacks,
      ): void;
      /** 2.42.0 */
      exitRtcRoom(o: { roomId: string } & RtcCallbacks): void;
      /** 2.68.0 */
      changeVideoCapture?(o: { state: 0 | 1 } & RtcCallbacks): void;
      /** 2.42.0 */
      changeAudioCapture(o: { state: 0 | 1 } & RtcCallbacks): void;
      /** 2.68.0 */
      switchCamera?(o: { camera: 'front' | 'back' } & RtcCallbacks): void;
      /** 2.68.0 */
      updateToken?(o: { token: string } & RtcCallbacks): void;
      /** 2.68.0 */
      changeUserVisibility?(o: { visible: boolean } & RtcCallbacks): void;
      /** 2.68.0 */
      changeScreenSubscribeState?(
        o: { state: 0 | 1; userId: string; streamType: RtcStreamType } & RtcCallbacks,
      ): void;
      /** seen in the official full demo only */
      changeStreamPublishState?(o: { state: 0 | 1; streamType: RtcStreamType } & RtcCallbacks): void;
      /** seen in the official full demo only */
      changeStreamSubscribeState?(
        o: { state: 0 | 1; userId: string; streamType: RtcStreamType } & RtcCallbacks,
      ): void;
      setVideoEncoderConfig?(
        o: { maxSolution: { width: number; height: number; frameRate: number } } & RtcCallbacks,
      ): void;
      setAudioPlaybackDevice?(o: { device: 'speakerphone' | 'earpiece' } & RtcCallbacks): void;

      onRtcChatMembersChanged(cb: (e: RtcMembersEvent) => void): void;
      offRtcChatMembersChanged: RtcOff;
      onRtcVideoMembersChanged(cb: (e: RtcMembersEvent) => void): void;
      offRtcVideoMembersChanged: RtcOff;
      onRtcChatSpeakersChanged(cb: (e: RtcMembersEvent) => void): void;
      offRtcChatSpeakersChanged: RtcOff;
      onRtcPublishScreenMembersChanged?(cb: (e: RtcMembersEvent) => void): void;
      offRtcPublishScreenMembersChanged?: RtcOff;
      onRtcChatInterrupted(cb: (e: { errNo: number; errMsg: string }) => void): void;
      offRtcChatInterrupted: RtcOff;
      /** the name in the npm typings */
      onRtcStateChange?(cb: (e: RtcStateEvent) => void): void;
      offRtcStateChange?: RtcOff;
      /** the name in the official full demo */
      onRtcStateChanged?(cb: (e: RtcStateEvent) => void): void;
      offRtcStateChanged?: RtcOff;
      onRoomTokenWillExpire?(cb: () => void): void;
      offRoomTokenWillExpire?: RtcOff;
    }
  }

  /** Douyin's global API object (only present on Douyin). */
  const tt: typeof TTApi & {
    /** 2.42.0, synchronous; fails with 116183 when the capability is not granted */
    createRtcRoomContext?(options: { appId: string }): TT.RtcRoomContext;
    /** 3.19.0: the privacy agreement popup (fails when the user declines it) */
    requirePrivacyAuthorize(options: { success?(): void; fail?(e: unknown): void }): void;
  };
}

export {};
