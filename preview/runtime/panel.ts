/**
 * The preview's fault panel (`?faults=1` on the page address): buttons that inject, through the emulator's control
 * API (emulator/control.ts), the faults phones produce, for the user of this page. URL flags switch faults on
 * at the first join: `?fault=ios,android,duplicate,video_first,noise_1020` and `?weak=4..6`.
 */
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
  box.innerHTML = '<b>faults</b>';
  const status = document.createElement('div');
  status.className = 'mp-fault-status';
  status.textContent = 'for this page\u2019s user';
  const p = platform();
  for (const [label, body, where] of BUTTONS) {
    if (where !== 'both' && where !== p) continue;
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.dataset.fault = String(body.kind);
    b.addEventListener('click', () => {
      void inject(body).then(
        (t) => (status.textContent = t),
        (e: Error) => (status.textContent = e.message),
      );
    });
    box.appendChild(b);
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
    void fetch('/_emulator/replay', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: s.userID, room: s.room, trace: traces.value }),
    }).then(() => (status.textContent = `replaying ${traces.value}`));
  });
  box.appendChild(traces);
  box.appendChild(status);
  const css = document.createElement('style');
  css.textContent =
    '#mp-fault-panel{position:fixed;top:8px;right:8px;z-index:99999;width:180px;padding:6px;background:#fffbe8;' +
    'border:1px solid #e0c36a;border-radius:6px;font:12px/1.3 system-ui,sans-serif;color:#333;box-shadow:0 2px 8px #0003}' +
    '#mp-fault-panel b{display:block;margin-bottom:4px}#mp-fault-panel button,#mp-fault-panel select{display:block;' +
    'width:100%;margin:2px 0;padding:3px;font:inherit;text-align:left;cursor:pointer}' +
    '.mp-fault-status{margin-top:4px;color:#7a5b00;word-break:break-word}';
  document.head.appendChild(css);
  document.body.appendChild(box);
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
    if (document.body) build();
    else addEventListener('DOMContentLoaded', build);
  }
}
