/** @jest-environment node */
/**
 * The preview server's own HTTP side (static files, the control API, the /api proxy) under request lines a hostile
 * or broken client sends: every one gets an answer and the server stays up for the next request.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { issueDevLoginCode } from '../../server/index';
import { postStatus, rawGet, rawUpgrade } from './client';
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

  test('a WebSocket upgrade to a path that is not the emulator one gets 404 and is closed, not held open', async () => {
    for (const target of ['/', '/api/login', '/tt/', '/rtc2', '//x:99999'])
      expect([target, await rawUpgrade(server.port, target)]).toEqual([target, 'HTTP/1.1 404 Not Found']);
    expect(await rawUpgrade(server.port, '/rtc', 300)).toBe(
      'held open after HTTP/1.1 101 Switching Protocols',
    );
  });

  /** POST /api/login through the preview's proxy with these headers; resolves with the status. */
  const login = (headers: Record<string, string>): Promise<number> =>
    postStatus(
      server.port,
      '/api/login',
      JSON.stringify({ platform: 'wx', code: issueDevLoginCode('alice') }),
      {
        'content-type': 'application/json',
        ...headers,
      },
    );

  test('the /api proxy signs only for the preview own pages: not for another site, not for a rebound name', async () => {
    const self = `127.0.0.1:${server.port}`;
    // a page of another site (its fetch or form post carries its Origin)
    expect(await login({ origin: 'https://evil.example' })).toBe(403);
    expect(await login({ origin: 'null' })).toBe(403);
    // DNS rebinding: evil.example now resolves to 127.0.0.1, so the page is "same origin" with the preview
    const rebound = `evil.example:${server.port}`;
    expect(await login({ host: rebound, origin: `http://${rebound}` })).toBe(403);
    expect(await login({ host: rebound })).toBe(403);
    // the preview's own page, a LAN address, tools without an Origin
    expect(await login({ origin: `http://${self}` })).toBe(200);
    expect(await login({ host: `localhost:${server.port}`, origin: `http://localhost:${server.port}` })).toBe(
      200,
    );
    expect(
      await login({ host: `192.168.1.20:${server.port}`, origin: `http://192.168.1.20:${server.port}` }),
    ).toBe(200);
    expect(await login({})).toBe(200);
  });
});
