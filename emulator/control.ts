/**
 * The emulator's control API (HTTP, JSON), for tests, the preview's fault panel and a developer with curl:
 *   GET  /_emulator/health          what the limits did (EmulatorHealth)
 *   GET  /_emulator/rooms           rooms and members
 *   GET  /_emulator/traces          the shipped traces (emulator/traces/*.json): names and descriptions
 *   POST /_emulator/faults          inject one fault (emulator/faults.ts), e.g. {"kind":"drop","user":"alice"}
 *   POST /_emulator/replay          {"user":"alice","trace":"<shipped name>" | {events:[…]}}
 *   WS   /_emulator/ws              one fault per text frame (as POST /faults; `{"kind":"replay","trace":"<name>"}`
 *                                   takes a shipped name too), each answered with {ok, users} or {ok:false, error}
 * Loopback callers only, unless `allowRemote`: faults are for the developer at this machine. Never for another web
 * site the developer's browser has open: a request with an Origin other than the API's own, or addressed to a
 * name that is not loopback (DNS rebinding) nor one the developer allowed (`allowedHosts`, a tunnel), is refused.
 */
import * as fs from 'fs';
import type * as http from 'http';
import type { Duplex } from 'stream';
import { WebSocket, type WebSocketServer } from 'ws';
import * as path from 'path';
import { checkFault, checkTrace, type Fault, type Trace } from './faults';
import type { Emulator, EmulatorHealth, RoomSnapshot } from './index';

export const CONTROL_PREFIX = '/_emulator/';
export const CONTROL_WS_PATH = '/_emulator/ws';
const TRACE_DIR = path.join(__dirname, 'traces');
const MAX_BODY = 256 * 1024;

/** The traces shipped with the emulator, by name (file name without `.json`); a Map, as callers name them. */
export function shippedTraces(): Map<string, Trace> {
  const out = new Map<string, Trace>();
  for (const f of fs.existsSync(TRACE_DIR) ? fs.readdirSync(TRACE_DIR) : []) {
    if (!f.endsWith('.json')) continue;
    const t = checkTrace(JSON.parse(fs.readFileSync(path.join(TRACE_DIR, f), 'utf8')));
    if (t.ok) out.set(f.slice(0, -5), t.trace);
  }
  return out;
}

function reply(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function isLoopback(addr: string | undefined): boolean {
  return !!addr && (addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.'));
}

/** A loopback host name as a browser on this machine addresses it (DNS rebinding uses any other name). */
function isLoopbackName(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** `host[:port]` as a URL keeps it (lower case, no default port 80), or null when it is not one. */
function hostOf(value: string): URL | null {
  if (!/^[a-z0-9.\-:[\]]+$/.test(value)) return null; // no scheme, path, userinfo, wildcard or space
  try {
    const u = new URL(`http://${value}`);
    return u.pathname === '/' && u.hostname !== '' ? u : null;
  } catch {
    return null;
  }
}

/**
 * The host names allowed besides the own ones (a tunnel's, `--allow-host` / `PREVIEW_ALLOWED_HOSTS`): a
 * comma-separated string or a list of exact `host[:port]` names, normalised. A wildcard, a scheme, a path or
 * anything else that is not a host[:port] is an Error naming it: a list that cannot be read is not guessed at.
 */
export function parseAllowedHosts(entries: string | readonly string[] | undefined): string[] {
  const list = typeof entries === 'string' ? entries.split(',') : (entries ?? []);
  const out: string[] = [];
  for (const raw of list) {
    const e = raw.trim().toLowerCase();
    if (e === '') continue;
    const u = hostOf(e);
    if (!u)
      throw new Error(
        `allowed host ${JSON.stringify(raw.trim())} is not a host[:port] name (exact names only: no scheme, path or wildcard)`,
      );
    if (!out.includes(u.host)) out.push(u.host);
  }
  return out;
}

/**
 * Whether a request comes from a page of this server's own (or from a tool): its Host is an own name
 * (`ownName(hostname)`) or exactly one of `allowed`, and its Origin, when it has one, is that same host or an
 * allowed one (a tunnel that rewrites Host to localhost). Anything else is another site, or a DNS-rebound name
 * that would make another site's page "same origin" with this server.
 */
export function fromOwnSite(
  req: http.IncomingMessage,
  ownName: (hostname: string) => boolean,
  allowed: readonly string[] = [],
): boolean {
  const u = hostOf((req.headers.host ?? '').toLowerCase());
  if (!u || !(ownName(u.hostname) || allowed.includes(u.host))) return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    const o = new URL(origin).host;
    return o === u.host || allowed.includes(o);
  } catch {
    return false; // 'null' (sandboxed frames, file: pages) and anything else that is not an origin
  }
}

/** A fault request from either transport: shipped trace names resolved, then checked and injected. */
function run(
  emu: Emulator,
  body: unknown,
  replay: boolean,
): { status: number; body: Record<string, unknown> } {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    if (replay) b.kind = 'replay';
    if (b.kind === 'replay' && typeof b.trace === 'string') {
      const t = shippedTraces().get(b.trace);
      if (!t) return { status: 404, body: { ok: false, error: `no shipped trace "${b.trace}"` } };
      b.trace = t;
    }
  }
  const c = checkFault(body);
  if (!c.ok) return { status: 400, body: { ok: false, error: c.error } };
  return { status: 200, body: { ok: true, users: emu.inject(c.fault) } };
}

/** The control API over WebSocket (loopback only): one fault per frame, one answer per fault. */
export function controlUpgrade(
  emu: Emulator,
  wss: WebSocketServer,
  req: http.IncomingMessage,
  socket: Duplex,
  head: Buffer,
  allowedHosts: readonly string[] = [],
): void {
  if (!isLoopback(req.socket.remoteAddress) || !fromOwnSite(req, isLoopbackName, allowedHosts)) {
    socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n');
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.on('error', () => ws.terminate());
    ws.on('message', (raw, isBinary) => {
      let body: unknown;
      try {
        body = isBinary ? null : JSON.parse(raw.toString());
      } catch {
        body = null;
      }
      const r =
        body === null ? { body: { ok: false, error: 'a fault is a JSON object' } } : run(emu, body, false);
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(r.body));
    });
  });
}

/** Handles a control request; false when the path is not the control API's. */
export function handleControl(
  emu: Emulator,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  opts: { allowRemote?: boolean; allowedHosts?: readonly string[] } = {},
): boolean {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://x');
  } catch {
    return false; // e.g. `//host:99999`: not a control path (and no exception for the server's handler)
  }
  if (!url.pathname.startsWith(CONTROL_PREFIX)) return false;
  if (!opts.allowRemote && !isLoopback(req.socket.remoteAddress)) {
    reply(res, 403, { ok: false, error: 'the control API answers loopback callers only' });
    return true;
  }
  const ownName = opts.allowRemote ? () => true : isLoopbackName;
  if (!fromOwnSite(req, ownName, opts.allowedHosts)) {
    reply(res, 403, { ok: false, error: 'the control API answers its own pages and tools, not other sites' });
    return true;
  }
  const what = url.pathname.slice(CONTROL_PREFIX.length);
  if (req.method === 'GET') {
    if (what === 'health') reply(res, 200, emu.health());
    else if (what === 'rooms') reply(res, 200, emu.rooms());
    else if (what === 'traces') {
      const t = shippedTraces();
      reply(
        res,
        200,
        [...t].map(([name, tr]) => ({
          name,
          description: tr.description ?? '',
          model: tr.model,
          events: tr.events.length,
        })),
      );
    } else reply(res, 404, { ok: false, error: 'unknown control path' });
    return true;
  }
  if (req.method !== 'POST' || (what !== 'faults' && what !== 'replay')) {
    reply(res, 404, { ok: false, error: 'unknown control path' });
    return true;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > MAX_BODY) {
      reply(res, 413, { ok: false, error: 'body too large' });
      req.destroy();
    } else chunks.push(c);
  });
  req.on('end', () => {
    if (res.headersSent) return;
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      return reply(res, 400, { ok: false, error: 'body is not JSON' });
    }
    const r = run(emu, body, what === 'replay');
    reply(res, r.status, r.body);
  });
  return true;
}

export interface ControlClient {
  inject(fault: Fault): Promise<string[]>;
  replay(user: string, trace: string | Trace, room?: string): Promise<string[]>;
  health(): Promise<EmulatorHealth>;
  rooms(): Promise<RoomSnapshot[]>;
  traces(): Promise<Array<{ name: string; description: string; model?: string; events: number }>>;
}

/** A typed client of the control API at `base` (the preview's or the emulator's http:// address). */
export function controlClient(base: string): ControlClient {
  const at = (p: string): string => new URL(CONTROL_PREFIX + p, base).toString();
  const post = async (p: string, body: unknown): Promise<string[]> => {
    const r = await fetch(at(p), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const j = (await r.json()) as { ok: boolean; users?: string[]; error?: string };
    if (!r.ok || !j.ok) throw new Error(`control API: ${j.error ?? r.status}`);
    return j.users ?? [];
  };
  const get = async <T>(p: string): Promise<T> => {
    const r = await fetch(at(p));
    if (!r.ok) throw new Error(`control API: ${r.status}`);
    return (await r.json()) as T;
  };
  return {
    inject: (fault) => post('faults', fault),
    replay: (user, trace, room) => post('replay', { user, room, trace }),
    health: () => get('health'),
    rooms: () => get('rooms'),
    traces: () => get('traces'),
  };
}
