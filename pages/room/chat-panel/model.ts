/**
 * Demo chat panel: IMEvents and sent messages → list items. Pure (tested in test/chat.test.ts).
 * A custom message `{data: '{"type":"like"}'}` is a like; group tips become join/leave notices.
 */
import { DEMO_CATALOG, fmt, type DemoKey, type DemoTexts } from '../../i18n';
import type { IMEvent, IMMessage } from '../../../utils/chat/events';

export type ItemKind = 'text' | 'custom' | 'private' | 'notice' | 'error';

export interface PanelItem {
  key: string;
  kind: ItemKind;
  from: string;
  text: string;
  mine: boolean;
}

export interface PanelUpdate {
  items: PanelItem[];
  likes: number;
}

/**
 * An item's text and sender are cut to this many characters (`…` the last): another user's text can be 12 KB, a
 * nick longer, and one burst of messages is one setData of its items (WeChat limits one setData to 1 MB).
 */
export const MAX_ITEM_TEXT = 500;
export const MAX_ITEM_FROM = 64;
/** a nick's share of the sender line (the userID follows it) */
export const MAX_ITEM_NICK = 24;

/** `s` in at most `max` characters (whole code points: an emoji is never split). */
function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  const chars = Array.from(s);
  return chars.length <= max ? s : chars.slice(0, max - 1).join('') + '…';
}

let seq = 0;

function item(kind: ItemKind, text: string, from = '', mine = false): PanelItem {
  return { key: `m${++seq}`, kind, from: cut(from, MAX_ITEM_FROM), text: cut(text, MAX_ITEM_TEXT), mine };
}

function isLike(m: IMMessage): boolean {
  const data = (m.payload as { data?: unknown } | null)?.data;
  if (typeof data !== 'string') return false;
  try {
    return (JSON.parse(data) as { type?: unknown } | null)?.type === 'like';
  } catch {
    return false;
  }
}

/** Tip texts by operationType, keyed by a Map: a payload's value is never looked up on an object's prototype. */
const TIP_KEY = new Map<unknown, DemoKey>([
  [1, 'tipJoined'],
  [2, 'tipLeft'],
  [3, 'tipRemoved'],
]);

/** A message field as text: strings only (a payload is the sender's, of any shape). */
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * Who sent it: the userID (the cloud stamps it), after the nick when there is one. A nick is the sender's own
 * choice (any user can call itself "alice"), so it never stands in for the userID.
 */
function sender(m: IMMessage): string {
  const from = str(m.from);
  const nick = str(m.nick);
  return nick && nick !== from ? `${cut(nick, MAX_ITEM_NICK)} (${from})` : from;
}

/** One message → an item, or a like (counted, not listed). */
function fromMessage(m: IMMessage, self: string, priv: boolean, out: PanelUpdate, t: DemoTexts): void {
  const who = sender(m);
  const mine = m.from === self;
  const p = (m.payload && typeof m.payload === 'object' ? m.payload : {}) as Record<string, unknown>;
  if (m.type === 'TIMTextElem') {
    out.items.push(item(priv ? 'private' : 'text', str(p.text), who, mine));
  } else if (m.type === 'TIMCustomElem') {
    if (isLike(m)) {
      out.likes++;
      out.items.push(item('notice', fmt(t.liked, { who: mine ? t.you : who })));
    } else {
      out.items.push(item('custom', fmt(t.custom, { text: str(p.description) || str(p.data) }), who, mine));
    }
  } else if (m.type === 'TIMGroupTipElem') {
    const list = Array.isArray(p.userIDList) ? p.userIDList.map(str).filter(Boolean) : [];
    const users = (list.length ? list : [str(p.operatorID)]).join(', ');
    out.items.push(item('notice', fmt(t[TIP_KEY.get(p.operationType) ?? 'tipChanged'], { users })));
  } else if (m.type === 'TIMGroupSystemNoticeElem') {
    const type = typeof p.operationType === 'number' ? p.operationType : '?';
    out.items.push(item('notice', fmt(t.groupNotice, { type })));
  } else {
    out.items.push(item('notice', fmt(t.otherMessage, { who, type: m.type })));
  }
}

export function fromIMEvent(ev: IMEvent, self: string, t: DemoTexts = DEMO_CATALOG.en): PanelUpdate {
  const out: PanelUpdate = { items: [], likes: 0 };
  switch (ev.tag) {
    case 'login_event':
      if (ev.code !== 0)
        out.items.push(
          item('error', fmt(t.chatLoginFailed, { code: ev.code, message: ev.detail.message ?? '' })),
        );
      break;
    case 'join_group_event':
      out.items.push(
        ev.code === 0
          ? item('notice', fmt(t.joinedChat, { group: ev.detail.groupID }))
          : item('error', fmt(t.joinChatFailed, { code: ev.code, message: ev.detail.message ?? '' })),
      );
      break;
    case 'connection_event':
      if (ev.detail.state !== 'connected')
        out.items.push(item('notice', fmt(t.chatState, { state: ev.detail.state })));
      break;
    case 'big_group_msg_notify':
    case 'group_system_notify':
      for (const m of ev.detail.messages) fromMessage(m, self, false, out, t);
      break;
    case 'msg_notify':
      for (const m of ev.detail.messages) fromMessage(m, self, true, out, t);
      break;
    case 'kicked':
      out.items.push(item('error', fmt(t.chatLoggedOut, { type: ev.detail.type })));
      break;
    case 'error':
      out.items.push(item('error', fmt(t.chatError, { code: ev.code, message: ev.detail.message })));
      break;
    default:
      break;
  }
  return out;
}

/** A message this user sent (the send Promise's value). */
export function fromSent(m: IMMessage, self: string, t: DemoTexts = DEMO_CATALOG.en): PanelUpdate {
  const out: PanelUpdate = { items: [], likes: 0 };
  fromMessage({ ...m, from: m.from || self }, self, m.conversationType === 'C2C', out, t);
  return out;
}

export function errorItem(e: unknown, t: DemoTexts = DEMO_CATALOG.en): PanelItem {
  const code = (e as { code?: unknown } | null)?.code;
  const m = (e as { message?: unknown } | null)?.message;
  const message = typeof m === 'string' ? m : String(e);
  return item(
    'error',
    code !== undefined ? fmt(t.notSentCode, { code: String(code), message }) : fmt(t.notSent, { message }),
  );
}
