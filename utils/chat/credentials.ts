/**
 * Which chat credentials a component logs in with (room credentials, `imConfig` overrides, Douyin's
 * required `imConfig`), and the byte counting behind the message and group-ID limits.
 */
import { IMError, imError, IMErrorCode } from './events';

/** Tencent Cloud Chat group IDs are at most 48 bytes. */
export const MAX_GROUP_ID_BYTES = 48;

/** UTF-8 length without TextEncoder (not on every mini-program base library). */
export function utf8Bytes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

// ------------------------------------------------------------------ credentials

export interface ChatCredentials {
  sdkAppID: number;
  userID: string;
  userSig: string;
  groupID: string;
}

/** `imConfig` property: explicit chat credentials (required on Douyin, optional overrides on WeChat). */
export interface IMConfig {
  sdkAppID?: number | string;
  userID?: string;
  userSig?: string;
  /** defaults to the room ID as a string */
  groupID?: string;
}

export type CheckedCredentials = { ok: true; value: ChatCredentials } | { ok: false; error: IMError };

/**
 * The chat credentials for a component: on WeChat the room's TRTC sdkAppID/userID/userSig (each
 * overridable by `imConfig`); on Douyin the room token is a Volcengine token, so `imConfig.sdkAppID` and
 * `imConfig.userSig` are required (userID defaults to the room's). `roomKey` is the room ID as a string.
 */
export function chatCredentials(
  room: { sdkAppID?: unknown; userID?: unknown; userSig?: unknown },
  roomKey: string | null,
  /** the property as given: anything but an object (or null / undefined, unset) is an error */
  imConfig: IMConfig | null | undefined,
  platform: 'wx' | 'tt',
): CheckedCredentials {
  const cfg = imConfig ?? {};
  const bad = (field: string, message: string): CheckedCredentials => ({
    ok: false,
    error: imError(IMErrorCode.INVALID_PARAM, message, 0, field),
  });
  if (typeof cfg !== 'object' || Array.isArray(cfg)) {
    return bad('imConfig', 'imConfig must be an object {sdkAppID?, userID?, userSig?, groupID?}');
  }
  if (platform === 'tt' && (cfg.sdkAppID === undefined || cfg.userSig === undefined)) {
    return bad(
      cfg.sdkAppID === undefined ? 'imConfig.sdkAppID' : 'imConfig.userSig',
      'on Douyin the room token is not a chat UserSig: set imConfig = {sdkAppID, userSig} (Tencent Cloud Chat credentials)',
    );
  }
  const rawApp = cfg.sdkAppID ?? room.sdkAppID;
  const app = typeof rawApp === 'string' && /^\d+$/.test(rawApp) ? Number(rawApp) : rawApp;
  if (typeof app !== 'number' || !Number.isInteger(app) || app <= 0) {
    return bad(
      cfg.sdkAppID !== undefined ? 'imConfig.sdkAppID' : 'sdkAppID',
      'chat needs a positive integer SDKAppID',
    );
  }
  const userID = cfg.userID ?? room.userID;
  if (typeof userID !== 'string' || userID === '') {
    return bad(cfg.userID !== undefined ? 'imConfig.userID' : 'userID', 'chat needs a non-empty userID');
  }
  const userSig = cfg.userSig ?? room.userSig;
  if (typeof userSig !== 'string' || userSig.trim() === '') {
    return bad(cfg.userSig !== undefined ? 'imConfig.userSig' : 'userSig', 'chat needs a non-empty UserSig');
  }
  const groupID = cfg.groupID ?? roomKey;
  if (typeof groupID !== 'string' || groupID === '') {
    return bad(
      cfg.groupID !== undefined ? 'imConfig.groupID' : 'roomID',
      'chat needs the room ID (roomID or strRoomID)',
    );
  }
  if (utf8Bytes(groupID) > MAX_GROUP_ID_BYTES) {
    return bad(
      cfg.groupID !== undefined ? 'imConfig.groupID' : 'strRoomID',
      `chat group IDs are at most ${MAX_GROUP_ID_BYTES} bytes; use a shorter room ID or set imConfig.groupID`,
    );
  }
  return { ok: true, value: { sdkAppID: app, userID, userSig, groupID } };
}
