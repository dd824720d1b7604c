/**
 * The page's stream and layout commands: camera switch, pause/resume, per-user subscriptions, the remote user
 * list, grid paging and pinning the big view.
 */
import type { Subscription } from '../platform/adapter';
import { ErrorCode } from '../core/events';
import { usersInOrder } from './reducer';
import { tileBase } from '../view/tiles';
import { MessageKey } from '../core/i18n';
import { componentError, invalidParam } from '../core/errors';
import { checkUserID } from '../core/validate';
import { RoomFeatures } from './features';

export interface RemoteUserInfo {
  userID: string;
  hasVideo: boolean;
  hasAudio: boolean;
  hasAuxVideo: boolean;
}

export interface SubscribeOptions {
  video?: boolean;
  audio?: boolean;
  streamType?: 'main' | 'small' | 'aux';
}

export abstract class RoomStreams extends RoomFeatures {
  switchCamera(): Promise<'front' | 'back'> {
    const toFront = !this.front;
    if (this.phase === 'idle') {
      this.front = toFront;
      this.queueData({ devicePosition: toFront ? 'front' : 'back' });
      return Promise.resolve(toFront ? 'front' : 'back');
    }
    return new Promise((resolve, reject) => {
      this.whenVisible(
        () => {
          this.adapter.switchCamera(toFront).then(() => {
            this.front = toFront;
            resolve(toFront ? 'front' : 'back');
          }, reject);
        },
        // the session ended first: as before start(), the next session starts with that camera
        () => resolve(this.switchCamera()),
      );
    });
  }

  pause(): void {
    this.whenVisible(() => this.adapter.pause(this.playerIds()));
  }

  resume(): void {
    this.whenVisible(() => this.adapter.resume(this.playerIds()));
  }

  /** the native players that exist: a tile with nothing to play (or waiting for a free player) has none */
  private playerIds(): string[] {
    return this.view
      .currentTiles()
      .filter((x) => x.player)
      .map((x) => x.id);
  }

  subscribe(userID: unknown, opts: SubscribeOptions = {}): Promise<void> {
    const bad = (field: string, key: MessageKey) =>
      Promise.reject(this.raise(componentError(ErrorCode.INVALID_PARAM, key, { field }, 0, { field })));
    if (typeof userID !== 'string' || userID === '') return bad('userID', 'param.required');
    // a user ID this platform never issues reaches no native call: the room has no such user
    const id = checkUserID(userID, this.adapter.platform);
    if (!id.ok) return Promise.reject(this.raise(invalidParam(id.error)));
    if (opts === null || typeof opts !== 'object') return bad('options', 'param.object');
    const st = opts.streamType ?? 'main';
    if (st !== 'main' && st !== 'small' && st !== 'aux') return bad('streamType', 'param.streamType');
    if (opts.video !== undefined && typeof opts.video !== 'boolean') return bad('video', 'param.boolean');
    if (opts.audio !== undefined && typeof opts.audio !== 'boolean') return bad('audio', 'param.boolean');
    const streamType = st === 'aux' ? 'aux' : 'main';
    const base = tileBase(userID, streamType);
    const cur = this.view.subscription(base, this.props.autoSubscribe !== false);
    const next: Subscription = {
      video: opts.video ?? cur.video,
      audio: opts.audio ?? cur.audio,
      small: streamType === 'main' ? st === 'small' || (opts.streamType === undefined && cur.small) : false,
    };

    const chosen = opts.streamType === 'small' || opts.streamType === 'main' ? opts.streamType : cur.stream;
    this.view.setSubscription(base, chosen ? { ...next, stream: chosen } : next);
    if (this.phase === 'in_room' || this.phase === 'reconnecting') {
      this.whenVisible(() => this.adapter.subscribe(userID, streamType, next));
    }
    this.markView();
    return Promise.resolve();
  }

  getRemoteUsers(): RemoteUserInfo[] {
    return usersInOrder(this.state).map((u) => ({
      userID: u.userID,
      hasVideo: u.video,
      hasAudio: u.audio,
      hasAuxVideo: u.aux,
    }));
  }

  setGridPage(page: number): void {
    if (this.view.setGridPage(page)) this.markView();
  }

  /** The big view in `bigsmall`; `pin('')` unpins (followSpeaker takes over again). */
  pin(userID: string, streamType: 'main' | 'aux' = 'main'): boolean {
    const ok = userID === '' ? this.view.unpin() : this.view.pin(userID, streamType);
    if (ok) this.markView();
    return ok;
  }
}
