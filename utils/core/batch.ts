/**
 * setData batching: every change queued within one window (a burst of native events) goes out as one
 * `setData` with path keys. `compute` adds derived patches (the tile view) at flush time.
 */
export interface BatchTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export class SetDataBatcher {
  private pending: Record<string, unknown> = {};
  private timer: unknown = null;
  private closed = false;

  constructor(
    private readonly setData: (patch: Record<string, unknown>, callback?: () => void) => void,
    private readonly timers: BatchTimers,
    private readonly windowMs: number,
    private readonly compute: () => Record<string, unknown> | null,
  ) {}

  /** Merge into the next setData. */
  queue(patch: Record<string, unknown>): void {
    Object.assign(this.pending, patch);
    this.schedule();
  }

  /** Flush at the end of the window (derived data only, e.g. the view changed). */
  schedule(): void {
    if (this.timer !== null || this.closed) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.windowMs);
  }

  /** One setData now with everything queued; `after` runs once the view has it (at once when nothing changed). */
  flush(after?: () => void): void {
    this.cancel();
    if (this.closed) return;
    const derived = this.compute();
    if (derived) Object.assign(this.pending, derived);
    const patch = this.pending;
    this.pending = {};
    if (Object.keys(patch).length === 0) {
      after?.();
      return;
    }
    this.setData(patch, after);
  }

  /** Drop the scheduled flush (queued data stays). */
  cancel(): void {
    if (this.timer === null) return;
    this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  /** No more setData, ever (detached). */
  close(): void {
    this.cancel();
    this.closed = true;
    this.pending = {};
  }
}
