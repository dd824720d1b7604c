/** What POST /api/credentials (and `npm run sign`) hands out, from validated input. */
import type { Platform, Role, RoomRef } from '../utils/core/validate';
import { roomKey } from '../utils/core/validate';
import type { TrtcKeys, VolcKeys } from './config';
import { ANCHOR_PRIVILEGES, AUDIENCE_PRIVILEGES, createPrivateMapKey, createUserSig } from './trtc';
import { createVolcToken } from './volc';

export interface CredentialsRequest {
  platform: Platform;
  userID: string;
  room: RoomRef;
  role: Role;
}

export interface Credentials {
  platform: Platform;
  /** wx: the TRTC SDKAppID; tt: the Volcengine AppId */
  sdkAppID: number | string;
  userID: string;
  roomID?: number;
  strRoomID?: string;
  /** wx: TRTC UserSig; tt: Volcengine token */
  userSig: string;
  /** wx only: bound to the room; publish rights (255) for anchors, enter + receive (170) for the audience */
  privateMapKey?: string;
  /** unix seconds */
  expireAt: number;
}

export interface IssueOptions {
  trtc: TrtcKeys | null;
  volc: VolcKeys | null;
  ttlSeconds: number;
  /** unix seconds */
  now: number;
}

export class PlatformUnavailableError extends Error {
  constructor(readonly platform: Platform) {
    super(`platform "${platform}" is not configured on this server`);
    this.name = 'PlatformUnavailableError';
  }
}

export function issueCredentials(req: CredentialsRequest, o: IssueOptions): Credentials {
  const expireAt = o.now + o.ttlSeconds;
  const room: RoomRef =
    req.room.strRoomID !== undefined ? { strRoomID: req.room.strRoomID } : { roomID: req.room.roomID };
  if (req.platform === 'wx') {
    if (!o.trtc) throw new PlatformUnavailableError('wx');
    const base = {
      sdkAppID: o.trtc.sdkAppID,
      secretKey: o.trtc.secretKey,
      userID: req.userID,
      expireSeconds: o.ttlSeconds,
      now: o.now,
    };
    return {
      platform: 'wx',
      sdkAppID: o.trtc.sdkAppID,
      userID: req.userID,
      ...room,
      userSig: createUserSig(base),
      privateMapKey: createPrivateMapKey({
        ...base,
        ...room,
        privileges: req.role === 'anchor' ? ANCHOR_PRIVILEGES : AUDIENCE_PRIVILEGES,
      }),
      expireAt,
    };
  }
  if (!o.volc) throw new PlatformUnavailableError('tt');
  return {
    platform: 'tt',
    sdkAppID: o.volc.appId,
    userID: req.userID,
    ...room,
    userSig: createVolcToken({
      appId: o.volc.appId,
      appKey: o.volc.appKey,
      roomId: roomKey(room),
      userId: req.userID,
      expireAt,
      issuedAt: o.now,
      privileges:
        req.role === 'anchor' ? { publish: expireAt, subscribe: expireAt } : { subscribe: expireAt },
    }),
    expireAt,
  };
}
