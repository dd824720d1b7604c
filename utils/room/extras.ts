/**
 * The page commands few rooms use: background music, in-stream messages (SEI), snapshots, the client's
 * capabilities and the start() preflight. Its own file in dist (components/webrtc-room/extras.js), required the
 * first time a page calls one of them, so a room that never does parses none of it. Everything it needs from
 * the room arrives through `FeatureHost` (./features.ts): errors, texts and validation live in the main bundle
 * once, and nothing here is imported at run time but pure helpers (`capabilities`). Pure: no wx/tt.
 */
import { ErrorCode, roomEvent } from '../core/events';
import type { RoomError, RoomEvent } from '../core/events';
import type { MessageKey, Params } from '../core/i18n';
import type { BgmOp, PlatformAdapter, Snapshot } from '../platform/adapter';
import type { Tile } from '../view/slots';
import { Capabilities, capabilities } from './capabilities';

export interface EnvironmentProblem {
  /** the code start() would reject with */
  code: number;
  field?: string;
  message: string;
}

/** What a command needs of the room (RoomFeatures builds it). */
export interface FeatureHost {
  readonly adapter: PlatformAdapter;
  readonly inRoom: boolean;
  readonly userID: string;
  /** what the room captures: the camera, the microphone (publish) */
  readonly need: { camera: boolean; publish: boolean };
  /** a component error: emitted as an `error` event, returned as the rejection */
  fail(code: number, key: MessageKey, params?: Params, field?: string): Promise<never>;
  /** a native command's failure as -15 naming the API (a RoomError passes as it is), emitted */
  failed(e: unknown, api: string): RoomError;
  /** the error in the component's language, not emitted */
  localize(e: RoomError): RoomError;
  /** a permission refusal (-7) for the scope */
  denied(scope: 'scope.camera' | 'scope.record'): RoomError;
  emit(ev: RoomEvent): void;
  /** `ended` answers instead when the session ends while the page is hidden */
  whenVisible(fn: () => void, ended?: () => void): void;
  /** -14 for a command whose session ended before it ran, not emitted (nothing of an ended session is) */
  ended(api: string): RoomError;
  tiles(): readonly Tile[];
  /** start()'s synchronous checks now: properties (-1) and the client (-2) */
  problems(): RoomError[];
}

/** TRTC carries at most 1 KB per SEI message. */
export const MAX_MESSAGE_BYTES = 1000;

/** UTF-8 length without TextEncoder (mini-program runtimes may lack it). */
export function utf8Length(s: string): number {
  return encodeURIComponent(s).replace(/%[0-9A-F]{2}/gi, 'x').length;
}

/**
 * Background music mixed into what you publish (WeChat LivePusherContext playBGM …; volume 0-1). A failure is
 * a `bgm_error` event and a -15 rejection; Douyin -2. While the page is hidden the call waits for show.
 */
export function bgm(h: FeatureHost, op: BgmOp, arg?: unknown): Promise<void> {
  const run = h.adapter.bgm?.bind(h.adapter);
  if (!run) return h.fail(ErrorCode.NOT_SUPPORTED, 'bgm.unsupported');
  if (op === 'play' && (typeof arg !== 'string' || arg === '')) {
    return h.fail(ErrorCode.INVALID_PARAM, 'param.required', { field: 'url' }, 'url');
  }
  if (op === 'volume' && !(typeof arg === 'number' && arg >= 0 && arg <= 1)) {
    const params = { field: 'volume', value: String(arg), min: 0, max: 1 };
    return h.fail(ErrorCode.INVALID_PARAM, 'param.range', params, 'volume');
  }
  if (!h.inRoom) return h.fail(ErrorCode.NOT_IN_ROOM, 'room.required', { api: 'BGM' });
  // no pusher call on a hidden page: held and made on show, in order; -14 if the session ends first
  return new Promise<void>((resolve, reject) =>
    h.whenVisible(
      () =>
        run(op, arg as string | number | undefined).then(resolve, (e: unknown) => {
          const err = h.localize(e as RoomError);
          h.emit(roomEvent('bgm_error', 0, { message: err.message, rawCode: err.detail?.rawCode ?? 0 }));
          reject(err);
        }),
      () => reject(h.ended('BGM')),
    ),
  );
}

/** What works on this client (platform, versions, features), so a page hides what would fail. */
export function getCapabilities(h: FeatureHost): Capabilities | null {
  return h.adapter.facts ? capabilities(h.adapter.facts()) : null;
}

/**
 * Preflight: every problem start() would reject with now (invalid properties -1, unsupported client -2,
 * a refused camera/microphone -7), in the component's language; nothing is emitted, nothing is entered.
 */
export async function checkEnvironment(
  h: FeatureHost,
): Promise<{ ok: boolean; problems: EnvironmentProblem[] }> {
  const errors = h.problems();
  const auth = (await h.adapter.authState?.()) ?? {};
  if (h.need.camera && auth.camera === false) errors.push(h.denied('scope.camera'));
  if (h.need.publish && auth.mic === false) errors.push(h.denied('scope.record'));
  const problems = errors.map((e) => {
    const out = h.localize(e);
    const p: EnvironmentProblem = { code: out.code, message: out.message };
    if (out.detail.field) p.field = out.detail.field;
    return p;
  });
  return { ok: problems.length === 0, problems };
}

/** In-stream message to everyone who plays this user's stream (WeChat SEI); Douyin: -2, use the chat. */
export function sendMessage(h: FeatureHost, payload: unknown): Promise<void> {
  if (typeof payload !== 'string' || payload === '' || utf8Length(payload) > MAX_MESSAGE_BYTES) {
    return h.fail(ErrorCode.INVALID_PARAM, 'message.payload', { max: MAX_MESSAGE_BYTES }, 'payload');
  }
  const send = h.adapter.sendMessage?.bind(h.adapter);
  if (!send) return h.fail(ErrorCode.NOT_SUPPORTED, 'message.unsupported');
  if (!h.inRoom) return h.fail(ErrorCode.NOT_IN_ROOM, 'room.required', { api: 'sendMessage' });
  return new Promise<void>((resolve, reject) =>
    h.whenVisible(
      () => send(payload).then(resolve, (e: unknown) => reject(h.failed(e, 'sendMessage'))),
      () => reject(h.ended('sendMessage')),
    ),
  );
}

/** The local view (no argument, '' or your own userID) or a remote user's main view, as an image. */
export function snapshot(h: FeatureHost, userID?: unknown): Promise<Snapshot> {
  if (userID !== undefined && typeof userID !== 'string') {
    return h.fail(ErrorCode.INVALID_PARAM, 'param.string', { field: 'userID' }, 'userID');
  }
  const take = h.adapter.snapshot?.bind(h.adapter);
  if (!take) return h.fail(ErrorCode.NOT_SUPPORTED, 'snapshot.unsupported');
  let playerId: string | null = null;
  if (userID && userID !== h.userID) {
    if (!h.inRoom) return h.fail(ErrorCode.NOT_IN_ROOM, 'room.required', { api: 'snapshot' });
    const tile = h.tiles().find((x) => x.userID === userID && x.streamType === 'main');
    if (!tile || !tile.player || !tile.hasVideo || tile.muteVideo) {
      return h.fail(ErrorCode.INVALID_PARAM, 'snapshot.noView', { userID }, 'userID');
    }
    playerId = tile.id;
  }
  return take(playerId).catch((e: unknown) => {
    throw h.failed(e, 'snapshot');
  });
}
