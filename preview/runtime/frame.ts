/**
 * The phone frame the mini-program renders in. On a phone-sized window the frame is the window; on a wider one
 * (a laptop) it is a phone-shaped screen of PHONE_WIDTH logical px, as tall as the window allows, centred and
 * scaled to fit, so the whole page (controls, chat input) stays on screen. `rpx`, `vw` and `vh` are the frame's.
 *
 * The fault panel (panel.ts, `?faults=1`) is never over the frame: a column beside it when the window has room
 * for one, else a bar of PANEL_BAR px above it (the frame is laid out in the rest of the window, as a page is
 * below a phone's status bar).
 */
export const PHONE_WIDTH = 390;
const PHONE_MAX_HEIGHT = 844;
const PHONE_MIN_HEIGHT = 640;
/** windows up to this wide are phones: the page fills them */
const PHONE_WINDOW = 540;
const MARGIN = 16;
/** the fault panel's column (its box: 180 px of buttons, padding and border) and its distance to the edges */
export const PANEL_WIDTH = 194;
export const PANEL_GAP = 8;
/** the fault panel's bar above the frame when there is no room for its column */
export const PANEL_BAR = 28;
/** the framed phone's ring (#mp-root.mp-framed's box-shadow, preview/build.ts) */
const RING = 10;

export type PanelPlace = 'side' | 'bar';

export interface Layout {
  width: number;
  height: number;
  scale: number;
  framed: boolean;
  /** the frame's top-left corner in the window */
  left: number;
  top: number;
  /** where the fault panel goes; null without one */
  panel: PanelPlace | null;
}

/** The frame for a `w` × `h` window, and the fault panel's place beside or above it when `panel`. */
export function layout(w: number, h: number, panel: boolean): Layout {
  const fit = (top: number): Layout => {
    const avail = h - top;
    if (w <= PHONE_WINDOW)
      return { width: w, height: avail, scale: 1, framed: false, left: 0, top, panel: null };
    const inner = avail - 2 * MARGIN;
    const height = Math.max(PHONE_MIN_HEIGHT, Math.min(PHONE_MAX_HEIGHT, inner));
    const scale = +Math.min(inner / height, (w - 2 * MARGIN) / PHONE_WIDTH, 1.5).toFixed(4);
    return {
      width: PHONE_WIDTH,
      height,
      scale,
      framed: true,
      left: Math.round((w - PHONE_WIDTH * scale) / 2),
      top: top + Math.round((avail - height * scale) / 2),
      panel: null,
    };
  };
  const plain = fit(0);
  if (!panel) return plain;
  const right = plain.left + PHONE_WIDTH * plain.scale + RING;
  if (plain.framed && right + PANEL_GAP <= w - PANEL_GAP - PANEL_WIDTH) return { ...plain, panel: 'side' };
  return { ...fit(PANEL_BAR), panel: 'bar' };
}

export const frame = { width: 0, height: 0, scale: 1, framed: false, panel: null as PanelPlace | null };

let withPanel = false;

/** The fault panel is on this page (panel.ts): the frame leaves it its place (call before fitFrame). */
export function reservePanel(): void {
  withPanel = true;
}

/** Recomputes the frame for the current window and applies it to #mp-root; true when it changed. */
export function fitFrame(): boolean {
  const before = `${frame.width}x${frame.height}@${frame.scale}`;
  const l = layout(innerWidth, innerHeight, withPanel);
  Object.assign(frame, {
    width: l.width,
    height: l.height,
    scale: l.scale,
    framed: l.framed,
    panel: l.panel,
  });
  const root = document.getElementById('mp-root');
  if (root) {
    root.classList.toggle('mp-framed', frame.framed);
    Object.assign(root.style, {
      width: `${frame.width}px`,
      height: `${frame.height}px`,
      transform: frame.framed ? `scale(${frame.scale})` : '',
      left: `${l.left}px`,
      top: `${l.top}px`,
    });
  }
  return before !== `${frame.width}x${frame.height}@${frame.scale}`;
}

const UNITS = /(-?\d*\.?\d+)(rpx|vw|vh)\b/gi;

/** `750rpx` = the frame's width; `100vw` / `100vh` = the frame's width / height. */
export function frameUnits(css: string): string {
  return String(css).replace(UNITS, (_m: string, n: string, unit: string) => {
    const v = parseFloat(n);
    const u = unit.toLowerCase();
    const px =
      u === 'rpx' ? (v * frame.width) / 750 : u === 'vw' ? (v * frame.width) / 100 : (v * frame.height) / 100;
    return `${+px.toFixed(3)}px`;
  });
}
