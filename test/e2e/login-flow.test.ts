/** @jest-environment node */
/**
 * The demo's credential flow on both builds, in the browser preview: `wx.login()` / `tt.login()` → POST /api/login
 * with the code the preview's stand-in login returns → POST /api/credentials with the session token and no userID
 * → the room is entered as the logged-in user. Without the token the signing service refuses.
 */
import { closePeer, startHarness, statusText, waitForStatus, type Harness, type Peer } from './helpers';

interface Seen {
  url: string;
  body: Record<string, unknown>;
  authorization?: string;
  status?: number;
  response?: Record<string, unknown>;
}

describe.each(['wx', 'tt'] as const)('login → credentials on the %s build', (platform) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(platform);
  }, 60_000);
  afterAll(() => h?.close());

  test('the page logs in, then gets credentials for that user only, and enters', async () => {
    const ctx = await h.browser.newContext({ viewport: { width: 360, height: 640 } });
    h.contexts.push(ctx);
    const page = await ctx.newPage();
    const seen: Seen[] = [];
    page.on('request', (r) => {
      if (!new URL(r.url()).pathname.startsWith('/api/')) return;
      seen.push({
        url: new URL(r.url()).pathname,
        body: JSON.parse(r.postData() ?? '{}'),
        authorization: r.headers()['authorization'],
      });
    });
    page.on('response', async (r) => {
      const s = seen.find((x) => x.url === new URL(r.url()).pathname && x.status === undefined);
      if (!s) return;
      s.status = r.status();
      s.response = (await r.json().catch(() => ({}))) as Record<string, unknown>;
    });
    await page.goto(`${h.base}#/pages/room/index?userID=dora&roomID=4321&template=grid&debug=1`);
    const peer: Peer = { user: 'dora', page, errors: [] };
    await waitForStatus(peer, /^in room/, 20_000).catch(async (e) => {
      throw new Error(`${e.message}\nstatus: ${await statusText(peer)}\nrequests: ${JSON.stringify(seen)}`);
    });
    const [login, creds] = seen;
    expect(login.url).toBe('/api/login');
    expect(login.body).toMatchObject({ platform });
    expect(String(login.body.code)).toMatch(/^dev\.dora\.\d{13}\.[0-9a-f]+$/);
    expect(login.authorization).toBeUndefined();
    expect(login.status).toBe(200);
    expect(login.response).toMatchObject({ userID: 'dora', tokenType: 'Bearer' });
    expect(creds.url).toBe('/api/credentials');
    expect(creds.body).toEqual({ platform, role: 'anchor', roomID: 4321 });
    expect(creds.authorization).toBe(`Bearer ${login.response!.token}`);
    expect(creds.status).toBe(200);
    expect(creds.response).toMatchObject({ userID: 'dora', platform });
    await closePeer(peer);

    // the same request without the session token gets nothing
    const bare = await fetch(`${h.server.url}api/credentials`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ platform, roomID: 1234, userID: 'dora' }),
    });
    expect(bare.status).toBe(401);
  }, 60_000);
});
