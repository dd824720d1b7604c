/**
 * The preview's fault panel (`?faults=1`) never lies over the page: a column beside the phone frame where the
 * window has room for one, else a bar above the frame whose list opens over the page like a menu and closes
 * when used. The layout is checked here for every window size; the browser's own check (a real click on the
 * chat's Send on a `?faults=1` page) is in test/e2e/chat-suite.ts.
 */
import { layout, PANEL_BAR, PANEL_GAP, PANEL_WIDTH, PHONE_WIDTH } from '../preview/runtime/frame';

const mockSession = { userID: 'ann', room: '7301' };
jest.mock('../preview/runtime/rtc', () => ({ activeSession: () => mockSession, onJoined: () => undefined }));

/** the framed phone's ring (#mp-root.mp-framed's box-shadow, preview/build.ts) */
const RING = 10;

type Box = { x0: number; y0: number; x1: number; y1: number };
const overlap = (a: Box, b: Box): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

describe('layout: the frame and the fault panel', () => {
  test('without the panel the frame is what it was: the window on a phone, a centred 390 px phone on a laptop', () => {
    expect(layout(360, 640, false)).toEqual({
      width: 360,
      height: 640,
      scale: 1,
      framed: false,
      left: 0,
      top: 0,
      panel: null,
    });
    expect(layout(1280, 800, false)).toEqual({
      width: PHONE_WIDTH,
      height: 768,
      scale: 1,
      framed: true,
      left: 445,
      top: 16,
      panel: null,
    });
  });

  test('a phone-sized window: the panel is a bar above the page, which gets the rest of the window', () => {
    expect(layout(360, 640, true)).toEqual({
      width: 360,
      height: 640 - PANEL_BAR,
      scale: 1,
      framed: false,
      left: 0,
      top: PANEL_BAR,
      panel: 'bar',
    });
  });

  test('a laptop: a column beside the frame, which keeps its place; a narrow laptop window: the bar', () => {
    expect(layout(1280, 800, true)).toEqual({ ...layout(1280, 800, false), panel: 'side' });
    const narrow = layout(700, 800, true);
    expect(narrow).toMatchObject({ framed: true, panel: 'bar' });
    expect(narrow.top - RING).toBeGreaterThanOrEqual(PANEL_BAR);
  });

  test('for every window size the panel (column or bar) and the frame with its ring do not meet', () => {
    let sides = 0;
    let bars = 0;
    for (let w = 320; w <= 2560; w += 10) {
      for (let h = 480; h <= 1440; h += 20) {
        const l = layout(w, h, true);
        const ring = l.framed ? RING : 0;
        const screen = {
          x0: l.left - ring,
          y0: l.top - ring,
          x1: l.left + l.width * l.scale + ring,
          y1: l.top + l.height * l.scale + ring,
        };
        const panel =
          l.panel === 'side'
            ? { x0: w - PANEL_GAP - PANEL_WIDTH, y0: PANEL_GAP, x1: w - PANEL_GAP, y1: h - PANEL_GAP }
            : { x0: 0, y0: 0, x1: w, y1: PANEL_BAR };
        if (overlap(panel, screen)) throw new Error(`${w}×${h}: the panel lies over the page`);
        // the page itself still fits the window
        expect(screen.x0 >= 0 && screen.x1 <= w && screen.y1 <= h).toBe(true);
        if (l.panel === 'side') sides++;
        else bars++;
      }
    }
    expect(sides).toBeGreaterThan(0);
    expect(bars).toBeGreaterThan(0);
  });
});

describe('the panel in the page', () => {
  const fetches: Array<{ url: string; body: any }> = [];
  const resize = (width: number, height: number) => {
    Object.defineProperty(window, 'innerWidth', { value: width, configurable: true });
    Object.defineProperty(window, 'innerHeight', { value: height, configurable: true });
    dispatchEvent(new Event('resize'));
  };
  const $ = <T extends Element>(sel: string) => document.querySelector(sel) as T;
  const button = (label: string) =>
    [...document.querySelectorAll<HTMLButtonElement>('#mp-fault-panel button')].find(
      (b) => b.textContent === label,
    )!;
  const listOpen = () => !$<HTMLElement>('#mp-fault-list').hidden;
  const settle = () => new Promise((r) => setTimeout(r, 0));

  beforeAll(() => {
    (globalThis as any).fetch = jest.fn(async (url: string, init?: { body?: string }) => {
      fetches.push({ url, body: init?.body ? JSON.parse(init.body) : undefined });
      return { json: async () => (url.endsWith('/traces') ? [] : { ok: true }) };
    });
    document.body.innerHTML = '<div id="mp-root"></div>';
    history.replaceState(null, '', '/?faults=1');
    Object.defineProperty(window, 'innerWidth', { value: 360, configurable: true });
    Object.defineProperty(window, 'innerHeight', { value: 640, configurable: true });
    const { fitFrame } = require('../preview/runtime/frame');
    // as the runtime's boot does: the panel first, then the frame (and the frame again on every resize)
    require('../preview/runtime/panel').installFaultPanel();
    fitFrame();
    addEventListener('resize', fitFrame);
  });

  test('on a phone: a bar above the page, its list closed; the page starts below it', () => {
    expect($('#mp-fault-panel').className).toBe('mp-fault-bar');
    expect(listOpen()).toBe(false);
    expect($('.mp-fault-toggle').getAttribute('aria-expanded')).toBe('false');
    expect($<HTMLElement>('#mp-root').style.top).toBe(`${PANEL_BAR}px`);
    expect($<HTMLElement>('#mp-root').style.height).toBe(`${640 - PANEL_BAR}px`);
  });

  test('the toggle opens the list; a fault pressed is sent for the page user and closes it', async () => {
    $<HTMLButtonElement>('.mp-fault-toggle').click();
    expect(listOpen()).toBe(true);
    expect($('.mp-fault-toggle').getAttribute('aria-expanded')).toBe('true');
    button('Drop connection').click();
    expect(listOpen()).toBe(false);
    await settle();
    expect(fetches.filter((f) => f.url === '/_emulator/faults').map((f) => f.body)).toEqual([
      { user: 'ann', room: '7301', kind: 'drop' },
    ]);
    expect($('.mp-fault-status').textContent).toBe('drop: sent');
  });

  test('a press on the page closes the open list; the toggle closes it too', () => {
    $<HTMLButtonElement>('.mp-fault-toggle').click();
    $('#mp-root').dispatchEvent(new Event('pointerdown', { bubbles: true }));
    expect(listOpen()).toBe(false);
    $<HTMLButtonElement>('.mp-fault-toggle').click();
    $<HTMLButtonElement>('.mp-fault-toggle').click();
    expect(listOpen()).toBe(false);
  });

  test('on a laptop: a column beside the frame, open, and it stays open while used; back on a phone, the bar', () => {
    resize(1280, 800);
    expect($('#mp-fault-panel').className).toBe('mp-fault-side');
    expect(listOpen()).toBe(true);
    expect($<HTMLElement>('#mp-root').style.top).toBe('16px');
    button('Background').click();
    $('#mp-root').dispatchEvent(new Event('pointerdown', { bubbles: true }));
    expect(listOpen()).toBe(true);
    resize(375, 667);
    expect($('#mp-fault-panel').className).toBe('mp-fault-bar');
    expect(listOpen()).toBe(false);
  });
});
