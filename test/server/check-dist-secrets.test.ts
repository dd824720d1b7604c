/** @jest-environment node */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDistSecrets, secretsFromEnv } from '../../scripts/check-dist-secrets';
import { DEV_MODE_BANNER, loadConfig } from '../../server/config';

function tree(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'dist-'));
  for (const [rel, content] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, content);
  }
  return root;
}

const SECRET = 'trtc-secret-0123456789abcdef';

test('a clean bundle passes', () => {
  const root = tree({
    'wx/components/webrtc-room/index.js': 'Component({ properties: { userSig: String } })',
    'wx/app.json': '{}',
    'tt/components/webrtc-room/index.js': 'Component({})',
  });
  expect(
    checkDistSecrets([join(root, 'wx'), join(root, 'tt')], [{ name: 'TRTC_SECRET_KEY', value: SECRET }]),
  ).toEqual([]);
});

test('finds secrets (by name, never printing the value), dev markers, server code and server files', () => {
  const devKey = loadConfig({}).trtc!.secretKey;
  const root = tree({
    'wx/pages/index/config.js': `module.exports = { key: '${SECRET}' }`,
    'wx/pages/dev.js': `const k = '${devKey}'`,
    'tt/pages/banner.js': `console.log('${DEV_MODE_BANNER}')`,
    'tt/utils/sign.js': `const { createHmac } = require('crypto'); require('tls-sig-api-v2')`,
    'wx/server/index.js': 'exports.x = 1',
    'wx/image.png': Buffer.concat([
      Buffer.from([0x89, 0x50, 0, 0]),
      Buffer.from(SECRET),
      Buffer.from([0xff]),
    ]),
  });
  const problems = checkDistSecrets(
    [join(root, 'wx'), join(root, 'tt')],
    [{ name: 'TRTC_SECRET_KEY (env)', value: SECRET }],
  );
  const summary = problems.map((p) => `${p.file.slice(root.length + 1)}: ${p.kind}: ${p.found}`).sort();
  expect(summary).toEqual(
    [
      'tt/pages/banner.js: dev-marker: [webrtc-room signing service] DEVELOPMENT MODE',
      'tt/pages/banner.js: server-code: webrtc-room signing service',
      'tt/utils/sign.js: server-code: createHmac',
      'tt/utils/sign.js: server-code: tls-sig-api-v2',
      'wx/image.png: secret: TRTC_SECRET_KEY (env)',
      'wx/pages/dev.js: dev-marker: webrtc-room-dev-secret-',
      'wx/pages/index/config.js: secret: TRTC_SECRET_KEY (env)',
      'wx/server/index.js: server-file: server file server/index.js',
    ].sort(),
  );
  for (const p of problems) expect(p.found).not.toContain(SECRET);
});

test('missing directories are skipped; short secrets are not searched', () => {
  const root = tree({ 'wx/a.js': 'var a = "abc"' });
  expect(checkDistSecrets([join(root, 'nope'), join(root, 'wx')], [{ name: 'X', value: 'abc' }])).toEqual([]);
});

test('secretsFromEnv reads the secret variables from env and .env, without duplicates', () => {
  const s = secretsFromEnv(
    { TRTC_SECRET_KEY: SECRET, VOLC_APP_KEY: ' ', PATH: '/usr/bin', TRTC_SDK_APP_ID: '1400000000' },
    `TRTC_SECRET_KEY=${SECRET}\nVOLC_APP_KEY=volc-key-from-dotenv\nSESSION_SECRET="session secret"\n`,
  );
  expect(s).toEqual([
    { name: 'TRTC_SECRET_KEY (env)', value: SECRET },
    { name: 'VOLC_APP_KEY (.env)', value: 'volc-key-from-dotenv' },
    { name: 'SESSION_SECRET (.env)', value: 'session secret' },
  ]);
});

test('the command exits 1 naming the file and what was found, 0 when clean', () => {
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const root = tree({ 'wx/a.js': `var k = "${SECRET}"`, 'tt/b.js': 'ok' });
  const run = (dir: string) =>
    spawnSync(process.execPath, ['-r', 'esbuild-register', 'scripts/check-dist-secrets.ts', dir], {
      cwd: join(__dirname, '../..'),
      env: { PATH: process.env.PATH, TRTC_SECRET_KEY: SECRET },
      encoding: 'utf8',
    });
  const bad = run(join(root, 'wx'));
  expect(bad.status).toBe(1);
  expect(bad.stderr).toContain(`${join(root, 'wx', 'a.js')}: secret: TRTC_SECRET_KEY (env)`);
  expect(bad.stderr).not.toContain(`: ${SECRET}`);
  const good = run(join(root, 'tt'));
  expect(good.status).toBe(0);
  expect(good.stdout).toMatch(/clean/);
});
