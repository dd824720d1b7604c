/**
 * Preview server: one HTTP port for everything the browser needs.
 *   /            the WeChat build (dist/wx) as a browser bundle      /tt/   the Douyin build, when built
 *   /api/*       the signing service (development keys), in-process  /rtc   the room emulator (WebSocket)
 *   /_preview/bgm.wav  a generated melody for playBGM in the preview (preview/bgm-wav.ts)
 * The emulator verifies UserSigs and Volcengine tokens with the same keys the signing service issues with.
 */
import * as fs from 'fs';
import * as http from 'http';
import { isIP, type AddressInfo } from 'net';
import * as path from 'path';
import type { Duplex } from 'stream';
import {
  createEmulator,
  fromOwnSite,
  handleControl,
  parseAllowedHosts,
  type Emulator,
  type EmulatorOptions,
} from '../emulator';
import { CONTROL_WS_PATH } from '../emulator/control';
import { BGM_PATH, bgmWav } from './bgm-wav';

/** The parts of the signing service the preview uses (server/index.ts `createServer`). */
export interface SigningLike {
  listen(o: { port: number; host: string }): Promise<string>;
  server: http.Server;
  credentials: {
    trtc: { sdkAppID: number; secretKey: string } | null;
    volc: { appId: string; appKey: string } | null;
  };
  close(): Promise<unknown>;
}

export interface PreviewServerOptions {
  host?: string;
  port?: number;
  /** built preview bundles: wx at `/`, tt at `/tt/` */
  dirs: { wx?: string; tt?: string };
  /** defaults to a development-mode signing service from ../server */
  signing?: SigningLike;
  emulator?: Omit<EmulatorOptions, 'server' | 'verifyUserSig' | 'verifyVolcToken' | 'allowedHosts'>;
  /**
   * Host names /api and the control API also answer at, besides the own ones: exact `host[:port]` names
   * (a tunnel's, e.g. `tunnel.example.com`; `--allow-host` / PREVIEW_ALLOWED_HOSTS), no wildcards.
   */
  allowedHosts?: readonly string[];
}

export interface PreviewServer {
  url: string;
  port: number;
  emulator: Emulator;
  signing: SigningLike;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.css': 'text/css',
};

/**
 * A signing service in development mode: the development keys shared with `npm run server` (the git-ignored
 * `.webrtc-room-dev-keys.json` in the repository, or DEV_KEYS_FILE), the local login stand-in, generous rate
 * limits for local tabs and tests.
 */
export function devSigning(devKeysFile = defaultDevKeysFile()): SigningLike {
  const server = require('../server/index') as typeof import('../server/index');
  const config = server.loadConfig(
    {
      NODE_ENV: 'development',
      RATE_LIMIT_PER_MINUTE: '100000',
      USER_RATE_LIMIT_PER_MINUTE: '100000',
      AUTH_FAILURE_LIMIT_PER_MINUTE: '1000',
      DEV_KEYS_FILE: process.env.DEV_KEYS_FILE,
    },
    { devKeysFile },
  );
  return server.createServer(config) as unknown as SigningLike;
}

/** Where `npm run server` (run from the repository root) keeps its development keys. */
export function defaultDevKeysFile(): string {
  const { DEV_KEYS_FILENAME } = require('../server/devkeys') as typeof import('../server/devkeys');
  return path.join(__dirname, '..', DEV_KEYS_FILENAME);
}

export function verifiersFor(
  signing: SigningLike,
): Pick<EmulatorOptions, 'verifyUserSig' | 'verifyVolcToken' | 'verifyPrivateMapKey'> {
  const server = require('../server/index') as typeof import('../server/index');
  return {
    verifyUserSig: ({ sdkAppID, userID, userSig }) => {
      const k = signing.credentials.trtc;
      if (!k) return { ok: false, reason: 'WeChat credentials not configured' };
      if (k.sdkAppID !== sdkAppID) return { ok: false, reason: 'sdkappid-mismatch' };
      const r = server.verifyUserSig({ sdkAppID, secretKey: k.secretKey, userSig, userID });
      return { ok: r.ok, reason: r.reason, expireAt: r.expireAt };
    },
    // the signature, user and app are checked here; room, expiry and rights by the emulator
    verifyPrivateMapKey: ({ sdkAppID, userID, privateMapKey }) => {
      const k = signing.credentials.trtc;
      if (!k) return { ok: false, reason: 'WeChat credentials not configured' };
      if (k.sdkAppID !== sdkAppID) return { ok: false, reason: 'sdkappid-mismatch' };
      const r = server.verifyUserSig({
        sdkAppID,
        secretKey: k.secretKey,
        userSig: privateMapKey,
        userID,
        now: 0,
      });
      const pm = r.privateMap;
      if (!r.ok || !pm) return { ok: false, reason: r.ok ? 'not a PrivateMapKey' : r.reason };
      if (pm.userID !== userID || pm.sdkAppID !== sdkAppID)
        return { ok: false, reason: 'issued to someone else' };
      return {
        ok: true,
        userID: pm.userID,
        roomID: pm.version === 0 ? pm.roomID : undefined,
        strRoomID: pm.version === 1 ? pm.strRoomID : undefined,
        expireAt: Math.min(pm.expireAt, r.expireAt ?? pm.expireAt),
        privileges: pm.privileges,
      };
    },
    verifyVolcToken: ({ appID, roomId, userId, token }) => {
      const k = signing.credentials.volc;
      if (!k) return { ok: false, reason: 'Douyin credentials not configured' };
      // the AppId prefix is outside the token's HMAC: only the configured app's tokens are this key's
      if (appID !== k.appId) return { ok: false, reason: 'appid-mismatch' };
      const r = server.verifyVolcToken({ appKey: k.appKey, token, appId: appID, roomId, userId });
      return { ok: r.ok, reason: r.reason, expireAt: r.expireAt, privileges: r.privileges };
    },
  };
}

/**
 * The preview's own names for /api: an IP address (the LAN) or localhost. A DNS-rebound name is neither; a
 * tunnel's name is allowed only when listed (`allowedHosts`), exactly.
 */
function isOwnName(hostname: string): boolean {
  const name = hostname.replace(/^\[|\]$/g, '');
  return isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost');
}

/** The request target as a URL, or null when it is not one (`//host:99999`). */
function parseTarget(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://x');
  } catch {
    return null;
  }
}

/** A percent-decoded path, or null for a broken escape or a NUL (which the file system would throw on). */
function decodePath(p: string): string | null {
  let d: string;
  try {
    d = decodeURIComponent(p);
  } catch {
    return null;
  }
  return d.includes('\0') ? null : d;
}

function badRequest(res: http.ServerResponse): void {
  res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request\n');
}

function serveFile(res: http.ServerResponse, file: string): void {
  fs.readFile(file, (err, data) => {
    if (err) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    res.end(data);
  });
}

export async function startPreviewServer(opts: PreviewServerOptions): Promise<PreviewServer> {
  const allowedHosts = parseAllowedHosts(opts.allowedHosts); // before anything starts: a bad entry throws
  const signing = opts.signing ?? devSigning();
  await signing.listen({ port: 0, host: '127.0.0.1' });
  const signingPort = (signing.server.address() as AddressInfo).port;
  let bgm: Buffer | null = null;
  const server = http.createServer((req, res) => {
    const url = parseTarget(req.url);
    if (!url) return badRequest(res); // an exception here would end the whole preview
    if (handleControl(emulator, req, res, { allowedHosts })) return; // /_emulator/*: faults, health, traces
    if (url.pathname.startsWith('/api/')) {
      // the signing service's Origin check is replaced by this one: the preview's own pages only
      if (!fromOwnSite(req, isOwnName, allowedHosts)) {
        res.writeHead(403, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            error: 'origin_not_allowed',
            field: 'origin',
            message:
              'the preview signs for its own pages only (at an IP address, localhost or an --allow-host name, no other Origin)',
          }),
        );
        return;
      }
      // same-origin for the browser: the preview server is the caller, so no Origin check applies
      const headers = { ...req.headers };
      delete headers.origin;
      delete headers.referer;
      delete headers.host;
      const up = http.request(
        {
          host: '127.0.0.1',
          port: signingPort,
          method: req.method,
          path: url.pathname + url.search,
          headers,
        },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      up.on('error', (e) => res.writeHead(502, { 'content-type': 'text/plain' }).end(String(e.message)));
      req.pipe(up);
      return;
    }
    if (url.pathname === BGM_PATH) {
      bgm ??= bgmWav();
      res.writeHead(200, { 'content-type': 'audio/wav', 'cache-control': 'no-store' }).end(bgm);
      return;
    }
    if (url.pathname === '/tt') {
      res.writeHead(302, { location: '/tt/' + url.search }).end();
      return;
    }
    let dir = opts.dirs.wx;
    let rel = url.pathname;
    if (rel === '/tt' || rel.startsWith('/tt/')) {
      dir = opts.dirs.tt;
      rel = rel.slice(3) || '/';
    }
    if (!dir) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('this platform has not been built\n');
      return;
    }
    if (rel.endsWith('/')) rel += 'index.html';
    const decoded = decodePath(rel);
    if (decoded === null) return badRequest(res);
    const file = path.resolve(dir, '.' + decoded);
    if (!file.startsWith(path.resolve(dir) + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    serveFile(res, file);
  });
  const emulator = createEmulator({ ...opts.emulator, server, allowedHosts, ...verifiersFor(signing) });
  // the emulator takes its two WebSocket paths; any other upgrade is answered and closed, never held open
  const wsPaths = [opts.emulator?.path ?? '/rtc', CONTROL_WS_PATH];
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex) => {
    if (!wsPaths.includes((req.url ?? '').split('?')[0]))
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n');
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  await emulator.listen();
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}/`,
    port,
    emulator,
    signing,
    async close() {
      await emulator.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await signing.close();
    },
  };
}
