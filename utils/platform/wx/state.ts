/**
 * WeChat `live-pusher` / `live-player` statechange and netstatus → AdapterEvents.
 * Pure: the codes and payload formats are documented in the README (and in shared/reference/wechat-trtc.md).
 */
import { orZero } from '../../core/values';
import type { AdapterEvent } from '../adapter';
import { ErrorCode } from '../../core/events';
import { msg, MessageKey, Msg, Params, t } from '../../core/i18n';
import { isPlayUrl } from './url';

/** The platform's text when it gave one, else the component's own message for `fallback`. */
function said(
  platformText: string,
  fallback: MessageKey,
  platformKey: MessageKey,
  params: Params = {},
): { message: string; i18n: Msg } {
  return platformText
    ? { message: platformText, i18n: msg(platformKey, { text: platformText }) }
    : { message: t('en', fallback, params), i18n: msg(fallback, params) };
}

function malformed(rawCode: number, key: MessageKey, params: Params): AdapterEvent {
  return { type: 'warning', rawCode, message: t('en', key, params), i18n: msg(key, params) };
}

function truthy(v: unknown): boolean {
  return v === true || v === 1 || v === '1' || v === 'true';
}

function bracketNumber(message: string, label: RegExp): number | undefined {
  const m = label.exec(message);
  return m ? Number(m[1]) : undefined;
}

interface UserListItem {
  userid?: unknown;
  playurl?: unknown;
  streamtype?: unknown;
  hasvideo?: unknown;
  hasaudio?: unknown;
}

/** `{"userlist":[…]}` → items; a malformed message becomes a warning instead of a crash. */
function userList(code: number, message: unknown): { items: UserListItem[]; warning?: AdapterEvent } {
  let parsed: unknown = message;
  if (typeof message === 'string') {
    try {
      parsed = JSON.parse(message);
    } catch {
      return {
        items: [],
        warning: malformed(code, 'warn.malformed.json', { code }),
      };
    }
  }
  const list = (parsed as { userlist?: unknown } | null)?.userlist;
  if (!Array.isArray(list)) {
    return {
      items: [],
      warning: malformed(code, 'warn.malformed.list', { code }),
    };
  }
  const items = list.filter(
    (it): it is UserListItem =>
      !!it && typeof it === 'object' && typeof (it as UserListItem).userid === 'string',
  );
  const warning: AdapterEvent | undefined =
    items.length !== list.length
      ? malformed(code, 'warn.malformed.entries', { code, count: list.length - items.length })
      : undefined;
  return { items, warning };
}

/**
 * An entry's `playurl`, only when it is the reporting user's play URL for this stream (isPlayUrl); another value
 * is a warning and the stream plays the URL built from the validated userID and stream type.
 */
function playUrl(
  code: number,
  it: UserListItem,
  streamType: 'main' | 'aux',
  out: AdapterEvent[],
): string | undefined {
  const v = it.playurl;
  if (v === undefined || v === '') return undefined;
  const userID = it.userid as string;
  if (typeof v === 'string' && isPlayUrl(v, userID, streamType)) return v;
  out.push(malformed(code, 'warn.malformed.playurl', { code, userID }));
  return undefined;
}

/** One live-pusher statechange → zero or more adapter events. */
export function parsePusherState(code: number, message: unknown): AdapterEvent[] {
  const text = typeof message === 'string' ? message : '';
  switch (code) {
    case 1018:
      return [{ type: 'entered' }];
    case 1019: {
      const reason = orZero(bracketNumber(text, /reason\[(-?\d+)\]/));
      return reason === 0 ? [{ type: 'exited', reason: 0 }] : [{ type: 'kicked', reason, message: text }];
    }
    case 1021:
      return [
        { type: 'connection_lost', rawCode: code, message: text || 'network type changed, re-entering' },
      ];
    case 1022: {
      const raw = bracketNumber(text, /error code\[(-?\d+)\]/) ?? code;
      // the UserSig (-100018) or the PrivateMapKey (-100006: expired, another room, no right) refused: checked on
      // every entry, so a re-entry with the same one cannot pass either
      const credential = raw === -100018 || raw === -100006;
      return [
        {
          type: 'enter_failed',
          code: credential ? ErrorCode.CREDENTIAL_REJECTED : ErrorCode.ENTER_FAILED,
          rawCode: raw,
          ...said(
            text,
            credential ? 'credential.rejected' : 'enter.failed',
            credential ? 'credential.platform' : 'enter.platform',
          ),
        },
      ];
    }
    case -3301:
      return [
        {
          type: 'enter_failed',
          code: ErrorCode.ENTER_FAILED,
          rawCode: code,
          ...said(text, 'enter.failed', 'enter.platform'),
        },
      ];
    case 1031:
    case 1032: {
      const { items, warning } = userList(code, message);
      const ev: AdapterEvent[] = items.map((it) => ({
        type: code === 1031 ? ('user_join' as const) : ('user_leave' as const),
        userID: it.userid as string,
      }));
      return warning ? [warning, ...ev] : ev;
    }
    case 1033:
    case 1034: {
      const { items, warning } = userList(code, message);
      const ev: AdapterEvent[] = warning ? [warning] : [];
      for (const it of items) {
        const userID = it.userid as string;
        if (code === 1034) {
          ev.push({
            type: 'audio',
            userID,
            available: truthy(it.hasaudio),
            url: playUrl(code, it, 'main', ev),
          });
          continue;
        }
        const streamType = it.streamtype === 'aux' ? 'aux' : 'main';
        const url = playUrl(code, it, streamType, ev);
        ev.push({ type: 'video', userID, streamType, available: truthy(it.hasvideo), url });
      }
      return ev;
    }
    case -1301:
      return [
        {
          type: 'error',
          code: ErrorCode.CAMERA_FAILED,
          rawCode: code,
          ...said(text, 'camera.failed', 'device.platform'),
        },
      ];
    case -1302:
      return [
        {
          type: 'error',
          code: ErrorCode.MIC_FAILED,
          rawCode: code,
          ...said(text, 'mic.failed', 'device.platform'),
        },
      ];
    case -1307:
      return [{ type: 'connection_lost', rawCode: code, message: text || 'connection to the server lost' }];
    case -100018:
      return [
        {
          type: 'error',
          code: ErrorCode.CREDENTIAL_REJECTED,
          rawCode: code,
          ...said(text, 'credential.rejected', 'credential.platform'),
        },
      ];
    case 6001:
      // WARNING_IGNORE_UPSTREAM_FOR_AUDIENCE: the privateMapKey has no send right; the room plays, nothing is sent
      return [
        { type: 'warning', rawCode: code, ...said(text, 'warn.publish.refused', 'warn.publish.refused') },
      ];
    case 5000:
      return [{ type: 'suspended' }];
    case 5001:
      return [{ type: 'floating_closed' }];
    default:
      // informational codes (1001-1008, 1020, 2003 …) carry nothing the room needs; other failures are surfaced
      return code < 0
        ? [{ type: 'warning', rawCode: code, ...said(text, 'warn.pusher.state', 'warn.platform', { code }) }]
        : [];
  }
}

/** live-pusher binderror: 10001 camera / 10002 microphone permission. */
export function parsePusherError(errCode: number, errMsg: string): AdapterEvent {
  if (errCode === 10001 || errCode === 10002) {
    return {
      type: 'error',
      code: ErrorCode.PERMISSION_DENIED,
      rawCode: errCode,
      ...said(errMsg, errCode === 10001 ? 'permission.camera' : 'permission.mic', 'permission.platform'),
      reason: 'permission',
    };
  }
  return {
    type: 'warning',
    rawCode: errCode,
    ...said(errMsg, 'warn.pusher.error', 'warn.platform', { code: errCode }),
  };
}

/**
 * Network quality 0-6 (0 unknown, 1 best … 5 bad, 6 down) from live-pusher/live-player netstatus.
 * TRTC room mode reports no quality of its own, so it is graded from jitter, frame rate and throughput.
 */
export function netQuality(info: Record<string, unknown>): number {
  const n = (k: string): number | undefined =>
    typeof info[k] === 'number' ? (info[k] as number) : undefined;
  const speed = n('netSpeed');
  const vbr = n('videoBitrate');
  const abr = n('audioBitrate');
  const jitter = n('netJitter');
  if (speed === undefined && vbr === undefined && abr === undefined && jitter === undefined) return 0;
  if (orZero(speed) === 0 && orZero(vbr) === 0 && orZero(abr) === 0) return 6;
  if (jitter === undefined) return 0;
  if (jitter < 30) return 1;
  if (jitter < 60) return 2;
  if (jitter < 100) return 3;
  if (jitter < 200) return 4;
  return 5;
}
