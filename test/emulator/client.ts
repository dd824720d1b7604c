/** A WebSocket client of the room emulator for its tests: records every message and waits for matching ones. */
import * as http from 'http';
import * as net from 'net';
import { WebSocket } from 'ws';
import type { ServerMessage } from '../../emulator';

export interface Client {
  ws: WebSocket;
  msgs: ServerMessage[];
  /** resolves with the first message (already received or future) that matches */
  next<T extends ServerMessage>(pred: (m: ServerMessage) => m is T, timeoutMs?: number): Promise<T>;
  next(pred: (m: ServerMessage) => boolean, timeoutMs?: number): Promise<ServerMessage>;
  closed: Promise<number>;
  send(o: unknown): void;
  /** one chat request; resolves with its im_ack */
  req(op: string, body?: Record<string, unknown>): Promise<Extract<ServerMessage, { t: 'im_ack' }>>;
}

let rid = 0;

export function connect(url: string, opts: { autoPong?: boolean } = {}): Promise<Client> {
  const ws = new WebSocket(url, { autoPong: opts.autoPong ?? true });
  const msgs: ServerMessage[] = [];
  const waiters: Array<{ pred: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }> = [];
  ws.on('message', (raw) => {
    const m = JSON.parse(raw.toString()) as ServerMessage;
    msgs.push(m);
    for (const w of [...waiters]) {
      if (w.pred(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
  const client: Client = {
    ws,
    msgs,
    closed,
    send: (o) => ws.send(JSON.stringify(o)),
    next(pred: (m: ServerMessage) => boolean, timeoutMs = 3000): Promise<ServerMessage> {
      const hit = msgs.find(pred);
      if (hit) return Promise.resolve(hit);
      return new Promise<ServerMessage>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timeout; got ${JSON.stringify(msgs)}`)), timeoutMs);
        waiters.push({
          pred,
          resolve: (m) => {
            clearTimeout(t);
            resolve(m);
          },
        });
      });
    },
    req(op, body = {}) {
      const id = ++rid;
      ws.send(JSON.stringify({ t: 'im', rid: id, op, ...body }));
      return client.next((m) => m.t === 'im_ack' && m.rid === id) as Promise<
        Extract<ServerMessage, { t: 'im_ack' }>
      >;
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('error', reject);
  });
}

/** The credential the emulator tests' verifiers accept for `userID`. */
export const goodSig = (userID: string): string => `sig:${userID}`;

/** A TRTC join frame as the component's WeChat stand-in sends it, publishing audio and video. */
export function trtcJoin(
  userID: string,
  roomID: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    t: 'join',
    model: 'trtc',
    sdkAppID: 1400000001,
    roomID,
    userID,
    userSig: goodSig(userID),
    audio: true,
    video: true,
    ...extra,
  };
}

/** One raw HTTP/1.1 request (the path sent exactly as given); resolves with the status line. */
export function rawGet(port: number, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () =>
      s.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`),
    );
    let out = '';
    s.setTimeout(3000, () => {
      s.destroy();
      reject(new Error(`no answer to GET ${target}`));
    });
    s.on('data', (d: Buffer) => (out += d.toString('latin1')));
    s.on('close', () => resolve(out.split('\r\n')[0]));
    s.on('error', reject);
  });
}

/**
 * A WebSocket upgrade request to `target` on a raw socket: resolves with the status line once the server closes
 * the socket, or with 'held open' when it neither answers nor closes within `ms`.
 */
export function rawUpgrade(port: number, target: string, ms = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () =>
      s.write(
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      ),
    );
    let out = '';
    s.setTimeout(ms, () => {
      s.destroy();
      resolve(out === '' ? 'held open' : `held open after ${out.split('\r\n')[0]}`);
    });
    s.on('data', (d: Buffer) => (out += d.toString('latin1')));
    s.on('close', () => resolve(out.split('\r\n')[0]));
    s.on('error', reject);
  });
}

/**
 * POSTs `body` to 127.0.0.1:`port` with these headers (Host and Origin among them, as a browser would send);
 * resolves with the status.
 */
export function postStatus(
  port: number,
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(body);
  });
}
