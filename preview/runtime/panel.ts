/**
 * The preview's fault panel (`?faults=1` on the page address): buttons that inject, through the emulator's control
 * API (emulator/control.ts), the faults phones produce, for the user of this page. URL flags switch faults on
 * at the first join: `?fault=ios,android,duplicate,video_first,noise_1020` and `?weak=4..6`.
 *
 * It never lies over the page: on a laptop-sized window it is a column beside the phone frame, open; where the
 * window has no room for one (a phone-sized window) it is a bar above the frame (frame.ts) whose toggle opens
 * its list over the page, like a menu: pressing a fault (or choosing a trace) closes it again, as do the toggle
 * and a press on the page.
 */
import { fitFrame, frame, PANEL_BAR, PANEL_GAP, PANEL_WIDTH, reservePanel, type PanelPlace } from './frame';
import { activeSession, onJoined } from './rtc';

type Body = Record<string, unknown>;

async function inject(body: Body): Promise<string> {
  const s = activeSession();
  if (!s) return 'not in a room yet';
  const r = await fetch('/_emulator/faults', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: s.userID, room: s.room, ...body }),
  });
  const j = (await r.json()) as { ok: boolean; error?: string };
  return j.ok ? `${String(body.kind)}: sent` : `${String(body.kind)}: ${j.error}`;
}

/** What phones and clouds produce; hostile faults (`hostile_bad_sig`) are the control API's only (README). */
const BUTTONS: Array<[string, Body, 'wx' | 'tt' | 'both']> = [
  ['Drop connection', { kind: 'drop' }, 'both'],
  ['Outage 8 s', { kind: 'drop', outageMs: 8000 }, 'both'],
  ['Network \u2192 4G (1021)', { kind: 'network_change', networkType: '4g' }, 'both'],
  ['Network \u2192 Wi-Fi (1021)', { kind: 'network_change', networkType: 'wifi' }, 'both'],
  ['Suspend (5000)', { kind: 'suspend', code: 5000 }, 'wx'],
  ['Floating window closed (5001, Android)', { kind: 'suspend', code: 5001 }, 'wx'],
  ['Background', { kind: 'hide' }, 'both'],
  ['Foreground', { kind: 'show' }, 'both'],
  ['Kick (reason 1)', { kind: 'kick', reason: 1 }, 'both'],
  ['Dismiss room', { kind: 'dismiss' }, 'both'],
  ['Credential expired', { kind: 'credential_expired' }, 'both'],
  // the chat cloud's (enableIM): the room's group ended for everyone, or an admin kicked this user out of it
  ['Chat group dismissed (notice 5)', { kind: 'chat_dismiss' }, 'both'],
  ['Chat group recycled (notice 11)', { kind: 'chat_dismiss', recycled: true }, 'both'],
  // an SDK kick out of an AVChatRoom always bans a while (docs/platform-facts.md (g))
  ['Kicked from chat group, 60 s ban (notice 21)', { kind: 'chat_group_kick', duration: 60 }, 'both'],
  // the chat login ends: a REST kick (KICKED_OUT REST_API_Kick); on Douyin, chat's own UserSig expires (on
  // WeChat it is the room's: "Credential expired")
  ['Chat logged out (REST kick)', { kind: 'chat_kick' }, 'both'],
  ['Chat UserSig expired', { kind: 'chat_credential_expired' }, 'tt'],
  ['Token will expire', { kind: 'token_will_expire' }, 'tt'],
  ['Engine destroyed (115910)', { kind: 'engine_destroyed' }, 'tt'],
  ['Views fail (21301)', { kind: 'view_error', code: 21301 }, 'tt'],
  ['Privacy not agreed (10201)', { kind: 'privacy', reason: 'refused' }, 'tt'],
  ['Weak network (5)', { kind: 'weak', quality: 5, videoBitrate: 80 }, 'wx'],
  ['Network down (6)', { kind: 'weak', quality: 6 }, 'wx'],
  ['Players fail', { kind: 'player_fail' }, 'wx'],
  ['Black screen (next player)', { kind: 'black' }, 'wx'],
  ['Camera fails (-1301)', { kind: 'device_fail', device: 'camera' }, 'wx'],
  ['Microphone fails (-1302)', { kind: 'device_fail', device: 'mic' }, 'wx'],
  ['Revoke camera permission', { kind: 'permission_revoked', scope: 'camera' }, 'both'],
  ['Revoke microphone permission', { kind: 'permission_revoked', scope: 'mic' }, 'both'],
  ['iOS: no 1019', { kind: 'ios', on: true }, 'wx'],
  ['Android (players made while hidden fail)', { kind: 'android', on: true }, 'wx'],
  ['Duplicate events', { kind: 'duplicate', on: true }, 'both'],
  ['Video before enter', { kind: 'video_first', on: true }, 'wx'],
  ['1020 noise', { kind: 'noise_1020', on: true }, 'wx'],
  ['Clear faults', { kind: 'clear' }, 'both'],
];

const FLAG_FAULTS = new Set(['ios', 'android', 'duplicate', 'video_first', 'noise_1020']);

function platform(): 'wx' | 'tt' {
  return (
    (globalThis as { __PREVIEW_RUNTIME__?: { platform: 'wx' | 'tt' } }).__PREVIEW_RUNTIME__?.platform ?? 'wx'
  );
}

function build(): void {
  const box = document.createElement('div');
  box.id = 'mp-fault-panel';
  const head = document.createElement('div');
  head.className = 'mp-fault-head';
  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.className = 'mp-fault-toggle';
  toggle.setAttribute('aria-controls', 'mp-fault-list');
  const status = document.createElement('div');
  status.className = 'mp-fault-status';
  status.textContent = 'for this page\u2019s user';
  head.append(toggle, status);
  const list = document.createElement('div');
  list.id = 'mp-fault-list';
  list.className = 'mp-fault-list';
  let opened = false;
  const setOpen = (open: boolean): void => {
    opened = open;
    list.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = `faults ${open ? '\u25b4' : '\u25be'}`;
  };
  /** in the bar the list lies over the page: each use closes it */
  const used = (): void => {
    if (frame.panel === 'bar') setOpen(false);
  };
  let place: PanelPlace | null | undefined; // none yet
  const fit = (): void => {
    if (frame.panel === place) return;
    place = frame.panel;
    box.className = `mp-fault-${place ?? 'side'}`;
    setOpen(place !== 'bar');
  };
  toggle.addEventListener('click', () => setOpen(!opened));
  document.addEventListener(
    'pointerdown',
    (e) => {
      if (frame.panel === 'bar' && opened && !box.contains(e.target as Node)) setOpen(false);
    },
    true,
  );
  const p = platform();
  for (const [label, body, where] of BUTTONS) {
    if (where !== 'both' && where !== p) continue;
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.dataset.fault = String(body.kind);
    b.addEventListener('click', () => {
      used();
      void inject(body).then(
        (t) => (status.textContent = t),
        (e: Error) => (status.textContent = e.message),
      );
    });
    list.appendChild(b);
  }
  const traces = document.createElement('select');
  traces.innerHTML = '<option value="">replay a trace…</option>';
  void fetch('/_emulator/traces')
    .then((r) => r.json())
    .then((list: Array<{ name: string; model?: string }>) => {
      for (const t of list) {
        if (t.model && t.model !== (p === 'wx' ? 'trtc' : 'volc')) continue;
        const o = document.createElement('option');
        o.value = o.textContent = t.name;
        traces.appendChild(o);
      }
    })
    .catch(() => undefined);
  traces.addEventListener('change', () => {
    const s = activeSession();
    if (!traces.value || !s) return;
    used();
    void fetch('/_emulator/replay', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: s.userID, room: s.room, trace: traces.value }),
    }).then(() => (status.textContent = `replaying ${traces.value}`));
  });
  list.appendChild(traces);
  box.append(head, list);
  const css = document.createElement('style');
  const w = PANEL_WIDTH;
  const g = PANEL_GAP;
  css.textContent =
    '#mp-fault-panel{position:fixed;z-index:99999;box-sizing:border-box;font:12px/1.3 system-ui,sans-serif;' +
    'color:#333;background:#fffbe8;border:1px solid #e0c36a}' +
    `.mp-fault-side{top:${g}px;right:${g}px;width:${w}px;max-height:calc(100vh - ${2 * g}px);padding:6px;` +
    'border-radius:6px;box-shadow:0 2px 8px #0003;display:flex;flex-direction:column}' +
    `.mp-fault-bar{top:0;left:0;right:0;height:${PANEL_BAR}px;padding:0 6px;border-width:0 0 1px}` +
    '.mp-fault-head{display:flex;align-items:center;gap:6px;min-width:0}' +
    '.mp-fault-bar .mp-fault-head{height:100%}' +
    '.mp-fault-side .mp-fault-head{flex-direction:column;align-items:stretch;margin-bottom:4px}' +
    '#mp-fault-panel .mp-fault-toggle{flex:none;margin:0;padding:2px 6px;font-weight:bold;text-align:left;' +
    'background:none;border:0}' +
    '.mp-fault-status{color:#7a5b00;word-break:break-word;min-width:0}' +
    '.mp-fault-bar .mp-fault-status{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}' +
    '.mp-fault-list{overflow-y:auto;min-height:0}.mp-fault-list[hidden]{display:none}' +
    `.mp-fault-bar .mp-fault-list{position:fixed;top:${PANEL_BAR}px;right:0;width:${w}px;box-sizing:border-box;` +
    `max-height:calc(100vh - ${PANEL_BAR}px);padding:6px;background:#fffbe8;border:1px solid #e0c36a;` +
    'border-top:0;box-shadow:0 4px 10px #0004}' +
    '.mp-fault-list button,.mp-fault-list select{display:block;width:100%;margin:2px 0;padding:3px;' +
    'font:inherit;text-align:left;cursor:pointer}';
  document.head.appendChild(css);
  document.body.appendChild(box);
  // the frame with the panel's place (fitFrame is idempotent: the runtime's resize handler runs it too)
  const refit = (): void => {
    fitFrame();
    fit();
  };
  refit();
  addEventListener('resize', refit);
}

/** URL flags: applied once per page to the first joined session's user. */
function flags(q: URLSearchParams): void {
  const list = (q.get('fault') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => FLAG_FAULTS.has(s));
  const weak = Number(q.get('weak'));
  if (!list.length && !(weak >= 1 && weak <= 6)) return;
  let done = false;
  onJoined(() => {
    if (done) return;
    done = true;
    for (const kind of list) void inject({ kind, on: true });
    if (weak >= 1 && weak <= 6) void inject({ kind: 'weak', quality: weak });
  });
}

export function installFaultPanel(): void {
  const q = new URLSearchParams(location.search);
  flags(q);
  if (q.get('faults') === '1') {
    reservePanel();
    if (document.body) build();
    else addEventListener('DOMContentLoaded', build);
  }
}
