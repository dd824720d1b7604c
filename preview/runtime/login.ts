/**
 * The preview's `wx.login` / `tt.login`: a code the development login stand-in of the signing service accepts
 * (server/login-standin.ts, same format from server/dev-login-code.ts), so the demo's login → credentials flow
 * runs offline. The simulated account is the demo page's `userID` query when it is one (two tabs with two user
 * IDs are two people), otherwise one per tab.
 */
import { DEV_ACCOUNT_PATTERN, formatDevLoginCode } from '../../server/dev-login-code';

const ACCOUNT_KEY = 'webrtc-room-preview:account';

function hex(bytes: number): string {
  const a = new Uint8Array(bytes);
  crypto.getRandomValues(a);
  return Array.from(a, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function previewAccount(): string {
  const g = globalThis as { getCurrentPages?: () => Array<{ options?: Record<string, unknown> }> };
  const pages = g.getCurrentPages?.() ?? [];
  const wanted = pages[pages.length - 1]?.options?.userID;
  if (typeof wanted === 'string' && DEV_ACCOUNT_PATTERN.test(wanted)) return wanted;
  let account = sessionStorage.getItem(ACCOUNT_KEY);
  if (!account || !DEV_ACCOUNT_PATTERN.test(account)) {
    account = `preview_${hex(4)}`;
    sessionStorage.setItem(ACCOUNT_KEY, account);
  }
  return account;
}

/** The success result of `wx.login()` / `tt.login()`. */
export function previewLogin(): { code: string; anonymousCode: string; isLogin: boolean } {
  return {
    code: formatDevLoginCode(previewAccount(), Date.now(), hex(8)),
    anonymousCode: `anon${hex(8)}`,
    isLogin: true,
  };
}
