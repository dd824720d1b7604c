/**
 * The stand-ins' connections to the room emulator as a whole: its address, the network switch for tests
 * (`__PREVIEW_NET__`), and the page's live sessions (players attach to the newest joined one).
 */
import type { Session } from './rtc';

export function emulatorUrl(): string {
  const cfg = (globalThis as { __PREVIEW__?: { emulator?: string } }).__PREVIEW__;
  if (cfg?.emulator) return cfg.emulator;
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/rtc`;
}

/**
 * A network switch for tests, screenshots and a curious developer (`globalThis.__PREVIEW_NET__`):
 * `offline = true` holds every new connection to the emulator until it is set back (the room stays entering /
 * reconnecting), `drop()` cuts every open connection as a lost network would (no goodbye).
 */
const net = { offline: false, waiters: new Set<() => void>() };
/** other emulator connections (the chat stand-in) that a `drop()` cuts too */
const dropHooks = new Set<() => void>();
export function onNetDrop(fn: () => void): () => void {
  dropHooks.add(fn);
  return () => dropHooks.delete(fn);
}

export function whenOnline(): Promise<void> {
  if (!net.offline) return Promise.resolve();
  return new Promise((resolve) => net.waiters.add(resolve));
}

(globalThis as { __PREVIEW_NET__?: unknown }).__PREVIEW_NET__ = {
  get offline(): boolean {
    return net.offline;
  },
  set offline(v: boolean) {
    net.offline = !!v;
    if (net.offline) return;
    const ws = [...net.waiters];
    net.waiters.clear();
    ws.forEach((w) => w());
  },
  drop(): void {
    for (const s of sessions) s.ws?.close();
    for (const d of dropHooks) d();
  },
  /** Bytes received so far by every live session of this page (the small-stream bench reads it). */
  async received(): Promise<{ video: number; audio: number }> {
    const all = await Promise.all([...sessions].map((s) => s.inboundStats()));
    return all.reduce((a, b) => ({ video: a.video + b.video, audio: a.audio + b.audio }), {
      video: 0,
      audio: 0,
    });
  },
};

/** run on every join (the fault panel's URL flags) */
export const joinHooks = new Set<(s: Session) => void>();
export function onJoined(fn: (s: Session) => void): () => void {
  joinHooks.add(fn);
  return () => joinHooks.delete(fn);
}

/** Every live session in this page; players attach to the newest joined one. */
export const sessions = new Set<Session>();
export const sessionWaiters = new Set<() => void>();

export function activeSession(): Session | null {
  let last: Session | null = null;
  for (const s of sessions) if (s.joined) last = s;
  return last;
}

/** Resolves with the active session as soon as one has joined. */
export function waitForSession(): { promise: Promise<Session>; cancel(): void } {
  let cancel = (): void => undefined;
  const promise = new Promise<Session>((resolve) => {
    const s = activeSession();
    if (s) return resolve(s);
    const check = (): void => {
      const a = activeSession();
      if (a) {
        sessionWaiters.delete(check);
        resolve(a);
      }
    };
    sessionWaiters.add(check);
    cancel = () => sessionWaiters.delete(check);
  });
  return { promise, cancel };
}
