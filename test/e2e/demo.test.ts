/** @jest-environment node */
/**
 * The demo as a user meets it, on both builds in the browser preview: it speaks the chosen language (zh-CN or en,
 * the same `lang` switch as the component), and a refused camera (`?deny=camera`) gives one dialog, the
 * component's permission guide, never the demo's own on top; "Not now" leaves a way forward (Try again), and
 * "Open settings" enters the room.
 */
import {
  action,
  newPage,
  openPeer,
  startHarness,
  statusText,
  waitForStatus,
  type Harness,
  type Peer,
} from './helpers';

jest.setTimeout(120000);

const WORDS = {
  'zh-CN': {
    enter: '进入房间',
    waiting: '等待其他人加入',
    pick: '中文',
    off: '摄像头或麦克风未授权',
    retry: '重试',
    guide: '需要摄像头和麦克风权限',
    inRoom: /^已进房/,
    leave: '离开',
  },
  en: {
    enter: 'Enter room',
    waiting: 'Waiting for others to join',
    pick: 'English',
    off: 'camera or microphone not allowed',
    retry: 'Try again',
    guide: 'Camera and microphone needed',
    inRoom: /^in room/,
    leave: 'Leave',
  },
} as const;

/** What is on screen: the guide (with its title), the preview's modal dialogs, the retry button. */
function screen(p: Peer) {
  return p.page.evaluate(() => {
    const guide = document.querySelector('[class*="wr-guide "], [class$="wr-guide"]');
    return {
      guide: guide ? (document.querySelector('[class*="wr-guide__title"]')?.textContent ?? '').trim() : null,
      modals: document.querySelectorAll('.mp-modal').length,
      retry: (document.querySelector('wx-button[data-action="retry"]')?.textContent ?? '').trim() || null,
      leave: (document.querySelector('wx-button[data-action="leave"]')?.textContent ?? '').trim(),
    };
  });
}

async function until(
  p: Peer,
  what: string,
  fn: (s: Awaited<ReturnType<typeof screen>>) => boolean,
): Promise<void> {
  const end = Date.now() + 15000;
  for (;;) {
    const s = await screen(p);
    if (fn(s)) return;
    if (Date.now() > end) throw new Error(`${what}: ${JSON.stringify(s)} · ${await statusText(p)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each([
  ['wx', 'zh-CN'],
  ['tt', 'en'],
] as const)('%s build, lang=%s', (platform, lang) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(platform);
  });
  afterAll(async () => {
    await h?.close();
  });

  test('a refused camera: one dialog, a way forward after "Not now", then into the room', async () => {
    const w = WORDS[lang];
    const me = await openPeer(h, 'zoe', `&roomID=7301&lang=${lang}`, 'demo', 'deny=camera');
    await until(me, 'the guide', (s) => s.guide === w.guide);
    let s = await screen(me);
    expect(s).toEqual({ guide: w.guide, modals: 0, retry: w.retry, leave: w.leave });
    expect(await statusText(me)).toContain(w.off);

    await me.page.click('[class*="wr-guide__dismiss"]'); // "Not now"
    await until(me, 'the guide closed', (x) => x.guide === null);
    s = await screen(me);
    expect(s).toMatchObject({ guide: null, modals: 0, retry: w.retry });

    await action(me, 'retry'); // still refused: the guide again, still the only dialog
    await until(me, 'the guide again', (x) => x.guide === w.guide);
    expect((await screen(me)).modals).toBe(0);

    await me.page.click('[class*="wr-guide__open"]'); // "Open settings": the user allows it
    await waitForStatus(me, w.inRoom);
    expect(await screen(me)).toMatchObject({ guide: null, modals: 0, retry: null });
    expect(me.errors).toEqual([]);
  });

  test('the entry page switches the language, and the room page and the component follow it', async () => {
    const w = WORDS[lang];
    const page = await newPage(h);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(h.base);
    await page.selectOption('wx-picker:has([data-field="lang"]) select', { label: w.pick });
    const enterText = () =>
      page.evaluate(() => document.querySelector('wx-button[class$="--enter"]')?.textContent?.trim() ?? '');
    for (let i = 0; i < 50 && (await enterText()) !== w.enter; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await enterText()).toBe(w.enter);
    await page.fill('wx-input[data-field="room"] input', '7302');
    await page.fill('wx-input[data-field="userID"] input', 'yan');
    await page.click('wx-button[class$="--enter"]');
    const me: Peer = { user: 'yan', page, errors };
    await waitForStatus(me, w.inRoom);
    expect((await screen(me)).leave).toBe(w.leave);
    // the component's own words, in the same language (alone in the room: the waiting banner)
    await page.waitForFunction((text) => document.body.textContent?.includes(text), w.waiting, {
      polling: 50,
    });
    expect(errors).toEqual([]);
  });
});
