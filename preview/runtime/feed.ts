/** A player view's remote stream that follows the page's room across re-entries (RemoteFeed). */
import { waitForSession } from './net';
import type { Session, Subscription } from './rtc';

/**
 * One remote user's stream for a player view, following the room the page is in: it subscribes on the active
 * session and, when that session ends (connection lost, re-entry after 1021 / -1307 / a suspension), on the
 * next one, as a native live-player / rtc-room view keeps playing its `src` across the pusher's re-entries.
 * It also re-subscribes when the publisher re-appears on the same session and the connection is not healthy.
 */
export class RemoteFeed {
  private sub: Subscription | null = null;
  private waiter: { cancel(): void } | null = null;
  private unbind: (() => void) | null = null;
  private closed = false;
  private video = true;

  constructor(
    readonly userID: string,
    private readonly cb: {
      onStream(stream: MediaStream): void;
      onState(st: RTCPeerConnectionState): void;
      /** the session ended: the old stream is gone until the next subscription delivers */
      onLost(): void;
      /** whether frames arrived on the current subscription */
      healthy(): boolean;
      /** an in-stream (SEI) message from this user, as a live-player with enable-recv-message gets it */
      onSei?(payload: string): void;
      /** 1033 for this user on the current session: its video (main, or aux: the screen) turned on or off */
      onVideo?(on: boolean, streamType: 'main' | 'aux'): void;
    },
    private readonly kinds?: Array<'audio' | 'video'>,
    private readonly streamType: 'main' | 'small' = 'main',
  ) {
    this.attach();
  }

  get pc(): RTCPeerConnection | null {
    return this.sub?.pc ?? null;
  }

  private attach(): void {
    const w = waitForSession();
    this.waiter = w;
    void w.promise.then((session) => {
      if (this.closed || this.waiter !== w) return;
      this.waiter = null;
      this.bind(session);
    });
  }

  private bind(session: Session): void {
    const unwatch = session.watchUsers((uid) => {
      if (uid !== this.userID || this.closed) return;
      const st = this.sub?.pc?.connectionState;
      if (!this.sub || st === 'failed' || st === 'closed' || st === 'disconnected' || !this.cb.healthy()) {
        this.connect(session);
      }
    });
    const unsei = session.on((msg) => {
      if (this.closed) return;
      if (msg.t === 'sei' && msg.from === this.userID) this.cb.onSei?.(msg.payload);
      // after the watcher above (a re-subscription comes first)
      if (msg.t === 'event' && msg.code === 1033 && this.cb.onVideo) {
        for (const u of videoItems(msg.message)) {
          if (u.userid === this.userID) this.cb.onVideo(u.hasvideo, u.streamtype === 'aux' ? 'aux' : 'main');
        }
      }
    });
    const unclose = session.onClose(() => {
      unwatch();
      unsei();
      this.unbind = null;
      this.sub = null; // its connection was closed with the session
      if (this.closed) return;
      this.cb.onLost();
      this.attach();
    });
    this.unbind = () => {
      unwatch();
      unsei();
      unclose();
    };
    this.connect(session);
  }

  private connect(session: Session): void {
    this.sub?.close();
    this.sub = session.subscribe(
      this.userID,
      (stream) => this.cb.onStream(stream),
      (st) => this.cb.onState(st),
      this.kinds,
      this.streamType,
    );
    if (!this.video) this.sub.setVideo(false);
  }

  /** mute-video: the publisher stops sending this feed's video (and sends it again when `on`). */
  setVideo(on: boolean): void {
    if (on === this.video) return;
    this.video = on;
    this.sub?.setVideo(on);
  }

  close(): void {
    this.closed = true;
    this.waiter?.cancel();
    this.waiter = null;
    this.unbind?.();
    this.unbind = null;
    const sub = this.sub;
    this.sub = null;
    sub?.close();
  }
}

/** The well-formed items of a 1033 message's `userlist` (`userid` and `hasvideo` as the client sends them). */
function videoItems(message: string): Array<{ userid: string; hasvideo: boolean; streamtype?: unknown }> {
  let list: unknown;
  try {
    list = (JSON.parse(message) as { userlist?: unknown } | null)?.userlist;
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  return list.filter(
    (u): u is { userid: string; hasvideo: boolean; streamtype?: unknown } =>
      !!u && typeof u === 'object' && typeof u.userid === 'string' && typeof u.hasvideo === 'boolean',
  );
}
