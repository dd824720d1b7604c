/**
 * The physical floor for the signing-service bench: a bare `node:http` server with no framework, no auth and no
 * limits, that parses the JSON body and signs. WeChat: the official `tls-sig-api-v2` (UserSig + PrivateMapKey);
 * Douyin: our Volcengine token function (there is no official Node package to compare with).
 *   node -r esbuild-register bench/server-floor.ts <port>
 */
import * as http from 'http';
import { Api } from 'tls-sig-api-v2';
import { createVolcToken } from '../server/volc';

const SDK_APP_ID = 1400123456;
const TRTC_SECRET_KEY = 'bench-trtc-secret-0123456789abcdef0123456789';
const VOLC_APP_ID = 'abcdefghijklmnopqrstuvwx';
const VOLC_APP_KEY = 'bench-volc-app-key-0123456789';
const api = new Api(SDK_APP_ID, TRTC_SECRET_KEY);

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let out: unknown;
    try {
      const b = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        platform: string;
        userID: string;
        roomID: number;
      };
      const now = Math.floor(Date.now() / 1000);
      if (b.platform === 'wx') {
        out = {
          platform: 'wx',
          sdkAppID: SDK_APP_ID,
          userID: b.userID,
          roomID: b.roomID,
          userSig: api.genUserSig(b.userID, 86400),
          privateMapKey: api.genPrivateMapKey(b.userID, 86400, b.roomID, 255),
          expireAt: now + 86400,
        };
      } else {
        out = {
          platform: 'tt',
          sdkAppID: VOLC_APP_ID,
          userID: b.userID,
          roomID: b.roomID,
          userSig: createVolcToken({
            appId: VOLC_APP_ID,
            appKey: VOLC_APP_KEY,
            roomId: String(b.roomID),
            userId: b.userID,
            expireAt: now + 86400,
            privileges: { publish: now + 86400, subscribe: now + 86400 },
          }),
          expireAt: now + 86400,
        };
      }
    } catch {
      res.writeHead(400).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
  });
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${JSON.stringify(server.address())}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
