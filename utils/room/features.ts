/**
 * The page's media commands beyond the call itself: background music, in-stream messages (SEI), snapshots,
 * the client's capabilities and the start() preflight; each failure is an `error` event and a rejection.
 */
import { ErrorCode, RoomError, roomEvent } from '../core/events';
import { checkEnterParams } from '../core/validate';
import { MessageKey } from '../core/i18n';
import { componentError, invalidParam } from '../core/errors';
import { validateMedia } from './props';
import { checkPayload } from './commands';
import { Capabilities, capabilities } from './capabilities';
import type { BgmOp, Snapshot } from '../platform/adapter';
import { RoomMedia } from './media';

export interface EnvironmentProblem {
  /** the code start() would reject with */
  code: number;
  field?: string;
  message: string;
}

export abstract class RoomFeatures extends RoomMedia {
  /**
   * Background music mixed into what you publish (WeChat LivePusherContext playBGM …; volume 0-1). A failure is
   * a `bgm_error` event and a -15 rejection; Douyin -2.
   */
  bgm(op: BgmOp, arg?: unknown): Promise<void> {
    if (!this.adapter.bgm) return this.reject(ErrorCode.NOT_SUPPORTED, 'bgm.unsupported');
    if (op === 'play' && (typeof arg !== 'string' || arg === '')) {
      return this.reject(ErrorCode.INVALID_PARAM, 'param.required', { field: 'url' }, 'url');
    }
    if (op === 'volume' && !(typeof arg === 'number' && arg >= 0 && arg <= 1)) {
      const params = { field: 'volume', value: String(arg), min: 0, max: 1 };
      return this.reject(ErrorCode.INVALID_PARAM, 'param.range', params, 'volume');
    }
    if (this.phase !== 'in_room') return this.reject(ErrorCode.NOT_IN_ROOM, 'room.required', { api: 'BGM' });
    return this.adapter.bgm(op, arg as string | number | undefined).catch((e: unknown) => {
      const err = this.localize(e as RoomError);
      this.emit(roomEvent('bgm_error', 0, { message: err.message, rawCode: err.detail?.rawCode ?? 0 }));
      throw err;
    });
  }

  /** What works on this client (platform, versions, features), so a page hides what would fail. */
  getCapabilities(): Capabilities | null {
    return this.adapter.facts ? capabilities(this.adapter.facts()) : null;
  }

  /**
   * Preflight: every problem start() would reject with now (invalid properties -1, unsupported client -2,
   * a refused camera/microphone -7), in the component's language; nothing is emitted, nothing is entered.
   */
  async checkEnvironment(): Promise<{ ok: boolean; problems: EnvironmentProblem[] }> {
    const errors: RoomError[] = [];
    const checked = checkEnterParams(
      { ...this.props, userSig: this.sigOverride ?? this.props.userSig },
      this.adapter.platform,
    );
    if (!checked.ok) errors.push(invalidParam(checked.error));
    for (const e of validateMedia(this.props, this.media).errors) errors.push(invalidParam(e));
    const unsupported = this.adapter.checkSupport();
    if (unsupported) errors.push(unsupported);
    const need = this.local;
    const auth = (await this.adapter.authState?.()) ?? {};
    const denied = (scope: string, key: 'permission.camera.denied' | 'permission.mic.denied') =>
      errors.push(componentError(ErrorCode.PERMISSION_DENIED, key, { scope }, 0, { reason: 'permission' }));
    if (need.camera && auth.camera === false) denied('scope.camera', 'permission.camera.denied');
    if (need.publish && auth.mic === false) denied('scope.record', 'permission.mic.denied');
    const problems = errors.map((e) => {
      const out = this.localize(e);
      const p: EnvironmentProblem = { code: out.code, message: out.message };
      if (out.detail.field) p.field = out.detail.field;
      return p;
    });
    return { ok: problems.length === 0, problems };
  }

  /** A failure the page gets both ways: an `error` event and the rejection. */
  protected reject(
    code: number,
    key: MessageKey,
    params: Record<string, string | number> = {},
    field?: string,
  ) {
    const extra = field ? { field } : {};
    return Promise.reject(this.raise(componentError(code, key, params, 0, extra)));
  }

  /** In-stream message to everyone who plays this user's stream (WeChat SEI); Douyin: -2, use the chat. */
  sendMessage(payload: unknown): Promise<void> {
    const bad = checkPayload(payload);
    if (bad) return Promise.reject(this.raise(invalidParam(bad)));
    if (!this.adapter.sendMessage) return this.reject(ErrorCode.NOT_SUPPORTED, 'message.unsupported');
    if (this.phase !== 'in_room')
      return this.reject(ErrorCode.NOT_IN_ROOM, 'room.required', { api: 'sendMessage' });
    const send = this.adapter.sendMessage.bind(this.adapter);
    return new Promise<void>((resolve, reject) =>
      this.whenVisible(() => send(payload as string).then(resolve, reject)),
    ).catch((e: unknown) => {
      throw this.raise(
        e instanceof RoomError
          ? e
          : componentError(ErrorCode.COMMAND_FAILED, 'native.failed', {
              api: 'sendMessage',
              text: String(e),
            }),
      );
    });
  }

  /** The local view (no argument, '' or your own userID) or a remote user's main view, as an image. */
  snapshot(userID?: unknown): Promise<Snapshot> {
    if (userID !== undefined && typeof userID !== 'string') {
      return this.reject(ErrorCode.INVALID_PARAM, 'param.string', { field: 'userID' }, 'userID');
    }
    const self = !userID || userID === this.props.userID;
    if (!this.adapter.snapshot) return this.reject(ErrorCode.NOT_SUPPORTED, 'snapshot.unsupported');
    let playerId: string | null = null;
    if (!self) {
      if (this.phase !== 'in_room')
        return this.reject(ErrorCode.NOT_IN_ROOM, 'room.required', { api: 'snapshot' });
      const tile = this.view.currentTiles().find((x) => x.userID === userID && x.streamType === 'main');
      if (!tile || !tile.player || !tile.hasVideo || tile.muteVideo) {
        return this.reject(ErrorCode.INVALID_PARAM, 'snapshot.noView', { userID: String(userID) }, 'userID');
      }
      playerId = tile.id;
    }
    return this.adapter.snapshot(playerId).catch((e: unknown) => {
      throw this.raise(
        e instanceof RoomError
          ? e
          : componentError(ErrorCode.COMMAND_FAILED, 'native.failed', { api: 'snapshot', text: String(e) }),
      );
    });
  }
}
