/**
 * The login codes of the development stand-in (login-standin.ts): what the preview's `wx.login` / `tt.login`
 * return. Pure (no Node APIs) so the browser preview shares the one format. `dev.<account>.<issued ms>.<nonce>`:
 * the account becomes the openid (and so the userID).
 */
export const DEV_CODE_PATTERN = /^dev\.([A-Za-z0-9_-]{1,32})\.(\d{13})\.([0-9a-f]{8,32})$/;
export const DEV_ACCOUNT_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

export function formatDevLoginCode(account: string, issuedMs: number, nonceHex: string): string {
  if (!DEV_ACCOUNT_PATTERN.test(account)) throw new RangeError('account: 1-32 of A-Z a-z 0-9 _ -');
  if (!/^[0-9a-f]{8,32}$/.test(nonceHex)) throw new RangeError('nonce: 8-32 hex digits');
  return `dev.${account}.${issuedMs}.${nonceHex}`;
}
