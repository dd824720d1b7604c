/** Demo helpers shared by the pages (not part of the component). */
import { PLATFORM } from '../components/webrtc-room/platform';

export interface Credentials {
  sdkAppID: number | string;
  userID: string;
  userSig: string;
  roomID?: number;
  strRoomID?: string;
  privateMapKey?: string;
  /** the role the signing service granted */
  role?: 'anchor' | 'audience';
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

export interface Session {
  token: string;
  userID: string;
  expireAt: number;
}

/** POST a JSON body to the signing service; resolves the 200 body, rejects with its message. */
function postJSON<T>(url: string, data: Record<string, unknown>, token?: string): Promise<T> {
  return new Promise((resolve, reject) => {
    wx.request({
      url,
      method: 'POST',
      header: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      data,
      success: (res) => {
        const body = res.data as T & { message?: string };
        if (res.statusCode === 200 && body && typeof body === 'object') resolve(body);
        else reject(new Error((body && body.message) || `signing service answered ${res.statusCode}`));
      },
      fail: (e) => reject(new Error(e.errMsg || 'signing service unreachable')),
    });
  });
}

/**
 * Signs in: `wx.login()` / `tt.login()` → POST /api/login {platform, code} → a short-lived session token for
 * /api/credentials. The identity is the platform user's (the server maps the openid to the userID); the
 * preview answers with codes its local login stand-in accepts.
 */
export function signIn(credentialsURL: string, platform: 'wx' | 'tt' = PLATFORM): Promise<Session> {
  const loginURL = credentialsURL.replace(/\/api\/credentials$/, '/api/login');
  return new Promise<string>((resolve, reject) => {
    wx.login({
      success: (r) =>
        r.code ? resolve(r.code) : reject(new Error('login gave no code: sign in to the app first')),
      fail: (e) => reject(new Error(e.errMsg || 'login failed')),
    });
  }).then((code) => postJSON<Session>(loginURL, { platform, code }));
}

/** Asks the signing service for the signed-in user's credentials (the server picks the user and the role). */
export function fetchCredentials(
  url: string,
  q: RoomQuery,
  token: string,
  platform: 'wx' | 'tt' = PLATFORM,
): Promise<Credentials> {
  // the role is a wish (the entry page's choice); the server's policy decides and answers with the granted one
  const body: Record<string, unknown> = { platform };
  if (q.role === 'anchor' || q.role === 'audience') body.role = q.role;
  if (q.strRoomID) body.strRoomID = q.strRoomID;
  else body.roomID = Number(q.roomID);
  return postJSON<Credentials>(url, body, token).then((c) => {
    if (!c.userSig) throw new Error('signing service sent no userSig');
    return c;
  });
}

export function toQuery(q: Record<string, string | number | boolean | undefined>): string {
  return Object.keys(q)
    .filter((k) => q[k] !== undefined && q[k] !== '')
    .map((k) => `${k}=${encodeURIComponent(String(q[k]))}`)
    .join('&');
}
