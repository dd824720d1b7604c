/**
 * The lobby: the local camera shown before entering (WeChat: LivePusherContext.startPreview; Douyin: the local
 * <rtc-room mode="camera">), never the microphone. The session (./session.ts) enters from it without re-creating
 * the local view, and leaves it at stop().
 */
import { ErrorCode } from '../core/events';
import { checkUserID } from '../core/validate';
import { componentError, invalidParam } from '../core/errors';
import { RoomBase } from './base';

export abstract class RoomPreview extends RoomBase {
  /** Show the local camera before entering; `start()` from here enters without re-creating the local view. */
  startPreview(): Promise<void> {
    if (this.destroyed)
      return Promise.reject(this.localize(componentError(ErrorCode.ENTER_FAILED, 'enter.detached')));
    if (this.phase !== 'idle') return Promise.resolve();
    // Douyin's camera view names its user: without a valid userID the camera would run behind no view
    const self = this.adapter.localViewUserID ? checkUserID(this.props.userID, this.adapter.platform) : null;
    if (self && !self.ok) return Promise.reject(this.raise(invalidParam(self.error)));
    const token = this.startToken;
    return this.adapter.ensurePermissions({ camera: this.local.camera, mic: false }).then(
      () => {
        if (token !== this.startToken || this.phase !== 'idle' || this.destroyed) return;
        this.setEndReason('');
        if (self) this.queueData({ localUserID: self.value });
        this.setPhase('preview');
        // the lobby shows the camera the session will use (frontCamera: false is the back one)
        this.queueData({ devicePosition: this.front ? 'front' : 'back' });
        this.flush(() => {
          if (this.phase === 'preview') this.adapter.startPreview(this.local, this.props.sdkAppID);
        });
      },
      (e: unknown) => {
        // a refusal that answers a preview stop() (or start()) already cancelled is no one's to hear
        if (token !== this.startToken || this.phase !== 'idle' || this.destroyed) return;
        throw this.raise(this.permissionError(e));
      },
    );
  }

  /** Leave the lobby preview. Harmless in any other phase. */
  stopPreview(): Promise<void> {
    if (this.phase === 'preview') {
      this.adapter.stopPreview();
      this.setPhase('idle');
    }
    return Promise.resolve();
  }
}
