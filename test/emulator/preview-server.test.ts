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
import { WebSocket } from 'ws';
import { parseAllowedHosts } from '../../emulator';
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

describe('preview server with an allow-list (a tunnel host name)', () => {
  let tmp: string;
  let server: PreviewServer;
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-allow-'));
    fs.mkdirSync(path.join(tmp, 'www'));
    fs.writeFileSync(path.join(tmp, 'www', 'index.html'), '<p>hi</p>');
    server = await startPreviewServer({
      dirs: { wx: path.join(tmp, 'www') },
      signing: devSigning(path.join(tmp, 'dev-keys.json')),
      allowedHosts: ['tunnel.example.com', ' Phone.Example.NET:8443 '],
    });
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const login = (headers: Record<string, string>): Promise<number> =>
    postStatus(
      server.port,
      '/api/login',
      JSON.stringify({ platform: 'wx', code: issueDevLoginCode('bob') }),
      {
        'content-type': 'application/json',
        ...headers,
      },
    );
  const fault = (headers: Record<string, string>): Promise<number> =>
    postStatus(
      server.port,
      '/_emulator/faults',
      JSON.stringify({ kind: 'kick', user: 'nobody', reason: 1 }),
      {
        'content-type': 'text/plain',
        ...headers,
      },
    );
  /** A control WebSocket with these headers: 'open' or 'refused'. */
  const controlWs = (headers: Record<string, string>, origin?: string): Promise<string> =>
    new Promise((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/_emulator/ws`, { headers, origin });
      ws.once('open', () => {
        ws.terminate();
        resolve('open');
      });
      ws.once('error', () => resolve('refused'));
    });

  const allowed: Array<Record<string, string>> = [
    // the tunnel passes the Host on (ngrok, cloudflared): the page is https://tunnel.example.com
    { host: 'tunnel.example.com', origin: 'https://tunnel.example.com' },
    { host: 'tunnel.example.com', origin: 'http://tunnel.example.com' },
    { host: 'tunnel.example.com' },
    { host: 'TUNNEL.example.COM', origin: 'https://tunnel.example.com' },
    // a tunnel that rewrites the Host to the local address, with the page's Origin
    { host: 'localhost:8686', origin: 'https://tunnel.example.com' },
    { host: 'phone.example.net:8443', origin: 'https://phone.example.net:8443' },
  ];
  const refused: Array<Record<string, string>> = [
    // look-alikes: the allowed name as a prefix, a suffix, a sub- or parent domain
    { host: 'tunnel.example.com.evil.test', origin: 'https://tunnel.example.com.evil.test' },
    { host: 'tunnel.example.com.evil.test' },
    { host: 'eviltunnel.example.com' },
    { host: 'a.tunnel.example.com' },
    { host: 'example.com' },
    // the allowed name at another port, an allowed name:port without its port
    { host: 'tunnel.example.com:9999', origin: 'https://tunnel.example.com:9999' },
    { host: 'tunnel.example.com:9999' },
    { host: 'phone.example.net' },
    { host: 'phone.example.net:8444' },
    // the allowed Host but another site's page
    { host: 'tunnel.example.com', origin: 'https://evil.example' },
    { host: 'tunnel.example.com', origin: 'https://tunnel.example.com.evil.test' },
    { host: 'tunnel.example.com', origin: 'https://tunnel.example.com:9999' },
    { host: 'tunnel.example.com', origin: 'null' },
    { host: 'localhost:8686', origin: 'https://tunnel.example.com.evil.test' },
    // not a Host at all
    { host: 'tunnel.example.com/x' },
  ];

  test('/api: exactly the listed host[:port] names (and loopback) pass, look-alikes and other ports get 403', async () => {
    for (const h of allowed) expect([h, await login(h)]).toEqual([h, 200]);
    for (const h of refused) expect([h, await login(h)]).toEqual([h, 403]);
    // the defaults stay: the preview's own page, a LAN address, tools without an Origin
    expect(await login({ origin: `http://127.0.0.1:${server.port}` })).toBe(200);
    expect(await login({ host: `192.168.1.20:${server.port}` })).toBe(200);
    expect(await login({})).toBe(200);
  });

  test('the control API (HTTP and WebSocket): the same allow-list, the same refusals', async () => {
    for (const h of allowed) expect([h, await fault(h)]).toEqual([h, 200]);
    for (const h of refused) expect([h, await fault(h)]).toEqual([h, 403]);
    expect(await fault({})).toBe(200);
    // a LAN address is the preview's but not the control API's (loopback names only)
    expect(await fault({ host: `192.168.1.20:${server.port}` })).toBe(403);
    const ws = async (host: string, origin?: string) => [host, origin, await controlWs({ host }, origin)];
    expect(await ws('tunnel.example.com', 'https://tunnel.example.com')).toEqual([
      'tunnel.example.com',
      'https://tunnel.example.com',
      'open',
    ]);
    expect(await ws('localhost', 'https://tunnel.example.com')).toEqual([
      'localhost',
      'https://tunnel.example.com',
      'open',
    ]);
    for (const [host, origin] of [
      ['tunnel.example.com.evil.test', 'https://tunnel.example.com.evil.test'],
      ['tunnel.example.com:9999', undefined],
      ['tunnel.example.com', 'https://evil.example'],
    ] as const)
      expect(await ws(host, origin)).toEqual([host, origin, 'refused']);
  });

  test('without the list a tunnel name is refused; a list entry that is not an exact host[:port] throws', async () => {
    const tmp2 = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-allow-'));
    try {
      const plain = await startPreviewServer({
        dirs: { wx: path.join(tmp, 'www') },
        signing: devSigning(path.join(tmp2, 'dev-keys.json')),
      });
      try {
        const h = { host: 'tunnel.example.com', origin: 'https://tunnel.example.com' };
        expect(
          await postStatus(
            plain.port,
            '/api/login',
            JSON.stringify({ platform: 'wx', code: issueDevLoginCode('c') }),
            {
              'content-type': 'application/json',
              ...h,
            },
          ),
        ).toBe(403);
        expect(
          await postStatus(
            plain.port,
            '/_emulator/faults',
            JSON.stringify({ kind: 'kick', user: 'x', reason: 1 }),
            h,
          ),
        ).toBe(403);
      } finally {
        await plain.close();
      }
      for (const bad of [
        '*.example.com',
        '*',
        'https://tunnel.example.com',
        'tunnel.example.com/',
        'user@tunnel.example.com',
        'tunnel.example.com:99999',
        ':8443',
        'tun nel.example.com',
      ])
        await expect(
          startPreviewServer({ dirs: { wx: path.join(tmp, 'www') }, allowedHosts: [bad] }),
        ).rejects.toThrow(/is not a host\[:port\] name/);
    } finally {
      fs.rmSync(tmp2, { recursive: true, force: true });
    }
  });
});

describe('parseAllowedHosts', () => {
  test('exact, normalised host[:port] names from a comma list or an array', () => {
    expect(parseAllowedHosts(undefined)).toEqual([]);
    expect(parseAllowedHosts('')).toEqual([]);
    expect(parseAllowedHosts(' Tunnel.Example.com , phone.example.net:8443,,tunnel.example.com')).toEqual([
      'tunnel.example.com',
      'phone.example.net:8443',
    ]);
    // port 80 is the Host header's default: `x:80` and `x` are one name
    expect(parseAllowedHosts(['x.example:80', '[::1]:9000', '10.0.0.2'])).toEqual([
      'x.example',
      '[::1]:9000',
      '10.0.0.2',
    ]);
    for (const bad of [
      '*.example.com',
      'a.*.com',
      'http://a.com',
      'a.com/x',
      'a.com?x',
      'a@b.com',
      'a.com:x',
      ':1',
    ])
      expect(() => parseAllowedHosts(bad)).toThrow(
        `allowed host ${JSON.stringify(bad)} is not a host[:port] name`,
      );
  });
});
