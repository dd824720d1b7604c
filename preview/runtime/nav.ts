/**
 * What the router is doing while it hides or closes a page: a live-player with `picture-in-picture-mode`
 * 'push' goes into the picture-in-picture window when its page is hidden by navigateTo (not when the app is
 * hidden). The router (./index.ts) sets it around its page lifetimes; the player stand-in (./player.ts) reads it.
 */
export type Navigation = 'push' | 'pop' | null;

let current: Navigation = null;

export function navigation(): Navigation {
  return current;
}

/** Runs `fn` (the page lifetimes of one navigation) with `nav` as the current navigation. */
export function during(nav: Navigation, fn: () => void): void {
  const before = current;
  current = nav;
  try {
    fn();
  } finally {
    current = before;
  }
}

let backgrounded = false;

/** The app went to the background / came back (the router, ./index.ts). */
export function setBackground(hidden: boolean): void {
  backgrounded = hidden;
}

/** Whether the page holding `el` is hidden: the app is in the background, or navigateTo covered the page. */
export function pageHidden(el: HTMLElement): boolean {
  return backgrounded || (el.closest('.mp-page') as HTMLElement | null)?.style.display === 'none';
}

/** The floating window remote views play in while in picture-in-picture (one per tab, made on first use). */
export function pipWindow(): HTMLElement {
  let el = document.getElementById('mp-pip');
  if (!el) {
    el = document.createElement('div');
    el.id = 'mp-pip';
    el.style.cssText =
      'position:fixed;right:12px;bottom:12px;width:120px;height:160px;z-index:9999;background:#000;' +
      'border-radius:8px;overflow:hidden;box-shadow:0 2px 12px rgba(0,0,0,.5);display:flex;flex-direction:column';
    document.body.appendChild(el);
  }
  return el;
}
