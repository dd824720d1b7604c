/* eslint-disable no-console */
/** The preview's messages for the browser's developer console (the only place the runtime reports to). */
export const log = {
  warn: (...a: unknown[]): void => console.warn('[preview]', ...a),
  error: (...a: unknown[]): void => console.error('[preview]', ...a),
};
