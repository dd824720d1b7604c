/** The component log: silent unless the `debug` property is on. The only console use in shipped code. */
export type Logger = (...args: unknown[]) => void;

export function createLogger(prefix: string, enabled: () => boolean): Logger {
  return (...args: unknown[]) => {
    if (!enabled()) return;
    // eslint-disable-next-line no-console
    console.debug(`[${prefix}]`, ...args);
  };
}
