/**
 * TRTC URLs for WeChat's `live-pusher` / `live-player` in room mode. Pure string work: no wx.
 * Push: `room://cloud.tencent.com/rtc?sdkappid=…&roomid=…|strroomid=…&userid=…&usersig=…&appscene=…&recvmode=…`
 * Play: the `playurl` the client reports in 1033/1034, e.g. `room://cloud.tencent.com/rtc?userid=x&streamtype=main`.
 */
import { EnterParams, isAudioScene } from '../../core/validate';

export const PUSH_URL_BASE = 'room://cloud.tencent.com/rtc';

/** recvmode: 1 audio+video, 2 audio only (audio scenes), 3 video only, 4 nothing (subscribe later). */
export function recvMode(autoSubscribe: boolean, audioOnly = false): 1 | 2 | 4 {
  return autoSubscribe ? (audioOnly ? 2 : 1) : 4;
}

/** `appscene` of the push URL (the WeChat client parses videocall, live, audiocall, voicechatroom). */
export function appScene(scene: EnterParams['scene']): string {
  return scene === 'rtc' ? 'videocall' : scene;
}

export function buildPushUrl(p: EnterParams, opts: { autoSubscribe: boolean; encSmall?: boolean }): string {
  const q: Array<[string, string]> = [['sdkappid', String(p.sdkAppID)]];
  if (p.strRoomID !== undefined) q.push(['strroomid', p.strRoomID]);
  else q.push(['roomid', String(p.roomID)]);
  q.push(['userid', p.userID], ['usersig', p.userSig], ['appscene', appScene(p.scene)]);
  if (p.privateMapKey) q.push(['privatemapkey', p.privateMapKey]);
  q.push(['recvmode', String(recvMode(opts.autoSubscribe, isAudioScene(p.scene)))]);
  if (opts.encSmall) q.push(['encsmall', '1']);
  return PUSH_URL_BASE + '?' + q.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}

export interface ParsedUrl {
  base: string;
  params: Array<[string, string]>;
}

/** Splits `scheme://host/path?query` without URL(), which mini-program runtimes lack for custom schemes. */
export function parseUrl(url: string): ParsedUrl {
  const qi = url.indexOf('?');
  const base = qi < 0 ? url : url.slice(0, qi);
  const query = qi < 0 ? '' : url.slice(qi + 1);
  const params: Array<[string, string]> = [];
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    params.push([safeDecode(k), safeDecode(v)]);
  }
  return { base, params };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, '%20'));
  } catch {
    return s;
  }
}

export function getParam(url: string, key: string): string | undefined {
  const hit = parseUrl(url).params.find(([k]) => k.toLowerCase() === key.toLowerCase());
  return hit ? hit[1] : undefined;
}

/** Sets one query parameter, keeping every other one in place; never a string replace on the whole URL. */
export function setParam(url: string, key: string, value: string): string {
  const { base, params } = parseUrl(url);
  let found = false;
  const next = params.map(([k, v]): [string, string] => {
    if (k.toLowerCase() === key.toLowerCase()) {
      found = true;
      return [k, value];
    }
    return [k, v];
  });
  if (!found) next.push([key, value]);
  return base + '?' + next.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

/**
 * The client's `playurl` (1033/1034) when it is that user's TRTC play URL in a form wechat-trtc.md documents:
 * `room://cloud.tencent.com/rtc?userid=<userID>&streamtype=<main|aux>` (or the older host `room://rtc.tencent.com`),
 * for the reporting user and the reported stream, nothing more. Anything else (another user, another stream type,
 * another scheme or host, extra keys, any length) never reaches a `live-player` `src`.
 */
export function isPlayUrl(url: string, userID: string, streamType: 'main' | 'aux'): boolean {
  const q = `?userid=${encodeURIComponent(userID)}&streamtype=${streamType}`;
  return url === PUSH_URL_BASE + q || url === 'room://rtc.tencent.com' + q;
}

/** The player URL for a remote stream when the client did not report one. */
export function defaultPlayUrl(userID: string, streamType: 'main' | 'aux' | 'small'): string {
  return `${PUSH_URL_BASE}?userid=${encodeURIComponent(userID)}&streamtype=${streamType}`;
}

/** Main or small stream of the same user, by editing `streamtype` only. */
export function withStreamType(playUrl: string, streamType: 'main' | 'small' | 'aux'): string {
  return setParam(playUrl, 'streamtype', streamType);
}
