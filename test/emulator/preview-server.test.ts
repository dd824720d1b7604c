/** @jest-environment node */
/**
 * The preview server's own HTTP side (static files, the control API, the /api proxy) under request lines a hostile
 * or broken client sends: every one gets an answer and the server stays up for the next request.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { rawGet } from './client';
import { devSigning, startPreviewServer, type PreviewServer } from '../../preview/server';

describe('preview server under malformed request lines', () => {
  let tmp: string;
  let server: PreviewServer;
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-server-'));
    fs.mkdirSync(path.join(tmp, 'www'));
    fs.writeFileSync(path.join(tmp, 'www', 'index.html'), '<p>hi</p>');
    server = await startPreviewServer({
      dirs: { wx: path.join(tmp, 'www') },
      signing: devSigning(path.join(tmp, 'dev-keys.json')),
    });
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('a NUL, a broken percent escape, an unparsable target: 400 each, and the next request is served', async () => {
    for (const target of [
      '/%00',
      '/a%00.html',
      '/%E0%A4%A',
      '/%',
      '//x:99999',
      '//x:99999/_emulator/health',
    ]) {
      expect([target, await rawGet(server.port, target)]).toEqual([target, 'HTTP/1.1 400 Bad Request']);
    }
    expect(await rawGet(server.port, '/')).toBe('HTTP/1.1 200 OK');
    expect(await rawGet(server.port, '/..%2fdev-keys.json')).toBe('HTTP/1.1 403 Forbidden');
  });
});
