/**
 * WeChat decisions the adapter executes: which client and base library run TRTC room mode, how many remote
 * `live-player`s this client may play at once, and each player's `src`.
 */
import { ErrorCode, RoomError } from '../../core/events';
import { componentError } from '../../core/errors';
import { compareVersion } from '../../core/version';
import { defaultPlayUrl, withStreamType } from './url';

/** TRTC room mode needs WeChat 7.0.8 (Android) / 7.0.9 (iOS) and base library 2.10.0. */
export const MIN_WECHAT = { android: '7.0.8', ios: '7.0.9' };
export const MIN_SDK = '2.10.0';

export interface SystemFacts {
  platform: string;
  version: string;
  SDKVersion: string;
  language: string;
}

export function checkWxSupport(facts: SystemFacts): RoomError | null {
  if (compareVersion(facts.SDKVersion, MIN_SDK) < 0) {
    return componentError(ErrorCode.NOT_SUPPORTED, 'support.sdk', {
      version: facts.SDKVersion,
      min: MIN_SDK,
    });
  }
  const min =
    facts.platform === 'ios' ? MIN_WECHAT.ios : facts.platform === 'android' ? MIN_WECHAT.android : null;
  if (min && compareVersion(facts.version, min) < 0) {
    return componentError(ErrorCode.NOT_SUPPORTED, 'support.wechat', {
      version: facts.version,
      min,
      os: facts.platform,
    });
  }
  return null;
}

/**
 * Simultaneous remote players. WeChat publishes no number for `live-player`; the one vendor that publishes
 * one for mini-program players (Volcengine, whose WeChat SDK plays through the same `live-player`) allows 8
 * subscribed streams per client, 6 on Android WeChat (volcengine.com/docs/6348/1111496).
 */
export const WX_MAX_PLAYERS = { android: 6, other: 8 };

export function wxMaxPlayers(os: string): number {
  return os === 'android' ? WX_MAX_PLAYERS.android : WX_MAX_PLAYERS.other;
}

/** The reported play URL (or the one TRTC would report), the small stream by editing `streamtype` only. */
export function wxPlaySrc(
  userID: string,
  streamType: 'main' | 'aux',
  reported: string,
  small: boolean,
): string {
  const url = reported || defaultPlayUrl(userID, streamType);
  return small ? withStreamType(url, 'small') : url;
}
