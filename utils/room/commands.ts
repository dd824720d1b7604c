/**
 * Checks for the page's media commands (sendMessage, snapshot). Pure: no wx/tt.
 */
import type { FieldError } from '../core/validate';
import { msg, t } from '../core/i18n';

/** TRTC carries at most 1 KB per SEI message. */
export const MAX_MESSAGE_BYTES = 1000;

/** UTF-8 length without TextEncoder (mini-program runtimes may lack it). */
export function utf8Length(s: string): number {
  return encodeURIComponent(s).replace(/%[0-9A-F]{2}/gi, 'x').length;
}

/** A message payload: a non-empty string of at most MAX_MESSAGE_BYTES. */
export function checkPayload(v: unknown): FieldError | null {
  if (typeof v === 'string' && v !== '' && utf8Length(v) <= MAX_MESSAGE_BYTES) return null;
  const params = { max: MAX_MESSAGE_BYTES };
  return {
    field: 'payload',
    message: t('en', 'message.payload', params),
    i18n: msg('message.payload', params),
  };
}
