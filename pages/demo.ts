/** Demo helpers shared by the pages (not part of the component). */
import { PLATFORM } from '../components/webrtc-room/platform';

export interface Credentials {
  sdkAppID: number | string;
  userID: string;
  userSig: string;
  roomID?: number;
  strRoomID?: string;
  privateMapKey?: string;
}

export interface RoomQuery {
  roomID?: string;
  strRoomID?: string;
  userID?: string;
  role?: string;
  template?: string;
  debug?: string;
  enableIM?: string;
  /** 'zh-CN' or 'en' for the demo and the component; absent: the system language */
  lang?: string;
  /** testing aid: use this UserSig instead of the signed one (e.g. to see error -9) */
  userSig?: string;
}

/** Which build this is ('tt' in dist/tt, where platform.tt.ts replaces platform.ts). */
export const platform: 'wx' | 'tt' = PLATFORM;

/** Asks the signing service for this user's credentials. */
export function fetchCredentials(
  url: string,
  q: RoomQuery,
  platform: 'wx' | 'tt' = PLATFORM,
): Promise<Credentials> {
  const body: Record<string, unknown> = { platform, userID: q.userID, role: q.role || 'anchor' };
  if (q.strRoomID) body.strRoomID = q.strRoomID;
  else body.roomID = Number(q.roomID);
  return new Promise((resolve, reject) => {
    wx.request({
      url,
      method: 'POST',
      header: { 'content-type': 'application/json' },
      data: body,
      success: (res) => {
        const data = res.data as Credentials & { message?: string };
        if (res.statusCode === 200 && data && data.userSig) resolve(data);
        else reject(new Error((data && data.message) || `signing service answered ${res.statusCode}`));
      },
      fail: (e) => reject(new Error(e.errMsg || 'signing service unreachable')),
    });
  });
}

export function toQuery(q: Record<string, string | number | boolean | undefined>): string {
  return Object.keys(q)
    .filter((k) => q[k] !== undefined && q[k] !== '')
    .map((k) => `${k}=${encodeURIComponent(String(q[k]))}`)
    .join('&');
}
