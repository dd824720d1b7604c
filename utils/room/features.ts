/**
 * The page's media commands beyond the call itself: background music, in-stream messages (SEI), snapshots,
 * the client's capabilities and the start() preflight. Their code is ./extras.ts, its own file in dist
 * (extras.js), required the first time a page calls one; this class hands it the room (`FeatureHost`).
 */
import { orEmpty } from '../core/values';
import { ErrorCode, RoomError } from '../core/events';
import { checkEnterParams } from '../core/validate';
import { componentError, invalidParam, nativeFailed } from '../core/errors';
import { validateMedia } from './props';
import type { Capabilities } from './capabilities';
import type { BgmOp, Snapshot } from '../platform/adapter';
import type { EnvironmentProblem, FeatureHost } from './extras';
import { RoomMedia } from './media';

export type { EnvironmentProblem } from './extras';

type Extras = typeof import('./extras');
let extras: Extras | null = null;

/** ./extras, loaded on first use (dist: a `require('./extras.js')` of the component's folder). */
function load(): Extras {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!extras) extras = require('./extras') as Extras;
  return extras;
}

export abstract class RoomFeatures extends RoomMedia {
  bgm(op: BgmOp, arg?: unknown): Promise<void> {
    return load().bgm(this.featureHost(), op, arg);
  }

  getCapabilities(): Capabilities | null {
    return load().getCapabilities(this.featureHost());
  }

  checkEnvironment(): Promise<{ ok: boolean; problems: EnvironmentProblem[] }> {
    return load().checkEnvironment(this.featureHost());
  }

  sendMessage(payload: unknown): Promise<void> {
    return load().sendMessage(this.featureHost(), payload);
  }

  snapshot(userID?: unknown): Promise<Snapshot> {
    return load().snapshot(this.featureHost(), userID);
  }

  private featureHost(): FeatureHost {
    return {
      adapter: this.adapter,
      inRoom: this.phase === 'in_room',
      userID: String(orEmpty(this.props.userID)),
      need: this.local,
      // a failure the page gets both ways: an `error` event and the rejection
      fail: (code, key, params = {}, field) =>
        Promise.reject(this.raise(componentError(code, key, params, 0, field ? { field } : {}))),
      failed: (e, api) => this.raise(e instanceof RoomError ? e : nativeFailed(api, String(e))),
      localize: (e) => this.localize(e),
      denied: (scope) =>
        componentError(
          ErrorCode.PERMISSION_DENIED,
          scope === 'scope.camera' ? 'permission.camera.denied' : 'permission.mic.denied',
          { scope },
          0,
          { reason: 'permission' },
        ),
      emit: (ev) => this.emit(ev),
      whenVisible: (fn, ended) => this.whenVisible(fn, ended),
      ended: (api) => this.localize(componentError(ErrorCode.NOT_IN_ROOM, 'room.required', { api })),
      tiles: () => this.view.currentTiles(),
      problems: () => {
        const errors: RoomError[] = [];
        const sig = this.sigOverride ?? this.props.userSig;
        const checked = checkEnterParams({ ...this.props, userSig: sig }, this.adapter.platform);
        if (!checked.ok) errors.push(invalidParam(checked.error));
        for (const e of validateMedia(this.props, this.media).errors) errors.push(invalidParam(e));
        const unsupported = this.adapter.checkSupport();
        if (unsupported) errors.push(unsupported);
        return errors;
      },
    };
  }
}
