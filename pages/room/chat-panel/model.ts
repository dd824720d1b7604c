/**
 * Demo chat panel: IMEvents and sent messages → list items. Pure (tested in test/chat.test.ts).
 * A custom message `{data: '{"type":"like"}'}` is a like; group tips become join/leave notices.
 */
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

let seq = 0;

function item(kind: ItemKind, text: string, from = '', mine = false): PanelItem {
  return { key: `m${++seq}`, kind, from, text, mine };
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

const TIP_TEXT: Record<number, string> = { 1: 'joined', 2: 'left', 3: 'was removed' };

/** One message → an item, or a like (counted, not listed). */
function fromMessage(m: IMMessage, self: string, priv: boolean, out: PanelUpdate): void {
  const who = m.nick || m.from;
  const mine = m.from === self;
  if (m.type === 'TIMTextElem') {
    const text = String((m.payload as { text?: unknown } | null)?.text ?? '');
    out.items.push(item(priv ? 'private' : 'text', text, who, mine));
  } else if (m.type === 'TIMCustomElem') {
    if (isLike(m)) {
      out.likes++;
      out.items.push(item('notice', `${mine ? 'you' : who} liked ❤`));
    } else {
      const p = (m.payload ?? {}) as { data?: string; description?: string };
      out.items.push(item('custom', `[custom] ${p.description || p.data || ''}`, who, mine));
    }
  } else if (m.type === 'TIMGroupTipElem') {
    const p = (m.payload ?? {}) as { operationType?: number; userIDList?: string[]; operatorID?: string };
    const users = (p.userIDList && p.userIDList.length ? p.userIDList : [p.operatorID || '']).join(', ');
    out.items.push(item('notice', `${users} ${TIP_TEXT[p.operationType ?? 0] ?? 'changed the group'}`));
  } else if (m.type === 'TIMGroupSystemNoticeElem') {
    const p = (m.payload ?? {}) as { operationType?: number };
    out.items.push(item('notice', `group notice (type ${p.operationType ?? '?'})`));
  } else {
    out.items.push(item('notice', `${who} sent a ${m.type} message`));
  }
}

export function fromIMEvent(ev: IMEvent, self: string): PanelUpdate {
  const out: PanelUpdate = { items: [], likes: 0 };
  switch (ev.tag) {
    case 'login_event':
      if (ev.code !== 0)
        out.items.push(item('error', `chat login failed (${ev.code}): ${ev.detail.message ?? ''}`));
      break;
    case 'join_group_event':
      out.items.push(
        ev.code === 0
          ? item('notice', `joined chat ${ev.detail.groupID}`)
          : item('error', `joining chat failed (${ev.code}): ${ev.detail.message ?? ''}`),
      );
      break;
    case 'connection_event':
      if (ev.detail.state !== 'connected') out.items.push(item('notice', `chat ${ev.detail.state}…`));
      break;
    case 'big_group_msg_notify':
    case 'group_system_notify':
      for (const m of ev.detail.messages) fromMessage(m, self, false, out);
      break;
    case 'msg_notify':
      for (const m of ev.detail.messages) fromMessage(m, self, true, out);
      break;
    case 'kicked':
      out.items.push(item('error', `chat logged out: ${ev.detail.type}`));
      break;
    case 'error':
      out.items.push(item('error', `chat error ${ev.code}: ${ev.detail.message}`));
      break;
    default:
      break;
  }
  return out;
}

/** A message this user sent (the send Promise's value). */
export function fromSent(m: IMMessage, self: string): PanelUpdate {
  const out: PanelUpdate = { items: [], likes: 0 };
  fromMessage({ ...m, from: m.from || self }, self, m.conversationType === 'C2C', out);
  return out;
}

export function errorItem(e: unknown): PanelItem {
  const code = (e as { code?: unknown } | null)?.code;
  const m = (e as { message?: unknown } | null)?.message;
  const message = typeof m === 'string' ? m : String(e);
  return item(
    'error',
    code !== undefined ? `not sent (${String(code)}): ${message}` : `not sent: ${message}`,
  );
}
