/**
 * The phone frame the mini-program renders in. On a phone-sized window the frame is the window; on a wider one
 * (a laptop) it is a phone-shaped screen of PHONE_WIDTH logical px, as tall as the window allows, centred and
 * scaled to fit, so the whole page (controls, chat input) stays on screen. `rpx`, `vw` and `vh` are the frame's.
 */
export const PHONE_WIDTH = 390;
const PHONE_MAX_HEIGHT = 844;
const PHONE_MIN_HEIGHT = 640;
/** windows up to this wide are phones: the page fills them */
const PHONE_WINDOW = 540;
const MARGIN = 16;

export const frame = { width: 0, height: 0, scale: 1, framed: false };

/** Recomputes the frame for the current window and applies it to #mp-root; true when it changed. */
export function fitFrame(): boolean {
  const w = innerWidth;
  const h = innerHeight;
  const before = `${frame.width}x${frame.height}@${frame.scale}`;
  if (w <= PHONE_WINDOW) {
    Object.assign(frame, { width: w, height: h, scale: 1, framed: false });
  } else {
    const avail = h - 2 * MARGIN;
    const height = Math.max(PHONE_MIN_HEIGHT, Math.min(PHONE_MAX_HEIGHT, avail));
    const scale = Math.min(avail / height, (w - 2 * MARGIN) / PHONE_WIDTH, 1.5);
    Object.assign(frame, { width: PHONE_WIDTH, height, scale: +scale.toFixed(4), framed: true });
  }
  const root = document.getElementById('mp-root');
  if (root) {
    root.classList.toggle('mp-framed', frame.framed);
    Object.assign(root.style, {
      width: `${frame.width}px`,
      height: `${frame.height}px`,
      transform: frame.framed ? `scale(${frame.scale})` : '',
      left: frame.framed ? `${Math.round((w - frame.width * frame.scale) / 2)}px` : '0px',
      top: frame.framed ? `${Math.round((h - frame.height * frame.scale) / 2)}px` : '0px',
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
