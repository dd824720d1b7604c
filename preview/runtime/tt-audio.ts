/** Douyin stand-ins: remote sound as the engine plays it (every subscribed member), with its levels. */
import { AudioOut, type SoundMode } from './audio';
import { playWithAutoplayFallback } from './native-util';
import type { Session, Subscription } from './rtc';

/**
 * Remote audio the way the engine plays it: one hidden `<audio>` per remote chat member whose audio is
 * subscribed (`roomConfig.autoSubscribe`, then `changeStreamSubscribeState`), whether or not a `<rtc-room>` view
 * of that user is mounted (a user with the camera off is still heard). The views take only the video.
 */
interface RemotePlayer {
  el: HTMLAudioElement;
  /** plays the stream; its input level (before the sound mode's gain) is what the host's speaker detection hears */
  out: AudioOut;
  sub: Subscription | null;
}

export class RoomAudio {
  private readonly players = new Map<string, RemotePlayer>();
  private members: string[] = [];
  private mode: SoundMode = 'speaker';

  constructor(
    private readonly session: Session,
    private readonly wanted: (userId: string) => boolean,
  ) {}

  /** `setAudioPlaybackDevice`: every remote's sound through the loudspeaker or the earpiece. */
  setMode(mode: SoundMode): void {
    this.mode = mode;
    for (const p of this.players.values()) p.out.setMode(mode);
  }

  /** The peak of every remote heard now (subscribed, with an audio track). */
  levels(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [u, p] of this.players) if (p.el.srcObject) out.set(u, p.out.inputLevel());
    return out;
  }

  setMembers(list: string[]): void {
    this.members = list.filter((u) => u !== this.session.userID);
    this.sync();
  }

  /**
   * The engine's onUserPublishStream (the emulator's `stream`): a subscription the cloud refused, because the
   * user published nothing then (an audience member, a publish right taken away), is asked again now that there is
   * something to receive. One that was answered already carries it; a refusal itself is never retried.
   */
  published(userId: string): void {
    const p = this.players.get(userId);
    if (!p?.sub?.pc || p.sub.pc.remoteDescription) return;
    p.sub.close();
    p.sub = null;
    this.sync();
  }

  /** (Un)subscribes to match the members and the subscription state; re-subscribes a broken connection. */
  sync(): void {
    for (const [u, p] of this.players) {
      if (!this.members.includes(u) || !this.wanted(u)) {
        p.sub?.close();
        p.el.srcObject = null;
        p.el.remove();
        p.out.close();
        this.players.delete(u);
      }
    }
    for (const u of this.members) {
      if (!this.wanted(u)) continue;
      const cur = this.players.get(u);
      const st = cur?.sub?.pc?.connectionState;
      if (cur?.sub && st !== 'failed' && st !== 'closed' && st !== 'disconnected') continue;
      cur?.sub?.close();
      const el = cur?.el ?? this.element(u);
      const out = cur?.out ?? new AudioOut(el, u);
      out.setMode(this.mode);
      const entry: RemotePlayer = { el, out, sub: null };
      this.players.set(u, entry);
      entry.sub = this.session.subscribe(
        u,
        (stream) => {
          if (el.srcObject !== stream) el.srcObject = stream;
          out.setStream(stream);
          playWithAutoplayFallback(el);
        },
        (st2) => {
          if (st2 === 'failed' && this.players.get(u) === entry) this.sync();
        },
        ['audio'],
      );
    }
  }

  private element(userId: string): HTMLAudioElement {
    let box = document.getElementById('mp-remote-audio');
    if (!box) {
      box = document.createElement('div');
      box.id = 'mp-remote-audio';
      box.style.display = 'none';
      document.body.appendChild(box);
    }
    const el = document.createElement('audio');
    el.autoplay = true;
    el.dataset.userId = userId;
    box.appendChild(el);
    return el;
  }

  /** For tests: what each remote's audio element is doing. */
  async stats(): Promise<RemoteAudioStats[]> {
    const rows: RemoteAudioStats[] = [];
    for (const [userId, { el, sub, out }] of this.players) {
      let bytes = 0;
      (await sub?.pc?.getStats())?.forEach((r: { type: string; kind?: string; bytesReceived?: number }) => {
        if (r.type === 'inbound-rtp' && r.kind === 'audio') bytes += r.bytesReceived ?? 0;
      });
      const track = (el.srcObject as MediaStream | null)?.getAudioTracks()[0];
      rows.push({
        userId,
        bytes,
        playing: out.stats().playing,
        track: track ? { readyState: track.readyState, muted: track.muted, enabled: track.enabled } : null,
      });
    }
    return rows;
  }

  close(): void {
    this.members = [];
    this.sync();
  }
}

export interface RemoteAudioStats {
  userId: string;
  /** inbound audio bytes so far */
  bytes: number;
  /** its sound plays (unmuted, through the page's Web Audio output) */
  playing: boolean;
  track: { readyState: string; muted: boolean; enabled: boolean } | null;
}

/** Every room's audio in this page (`__PREVIEW_AUDIO__()` reads them). */
export const rooms = new Set<RoomAudio>();
(globalThis as { __PREVIEW_AUDIO__?: unknown }).__PREVIEW_AUDIO__ = async (): Promise<RemoteAudioStats[]> =>
  (await Promise.all([...rooms].map((r) => r.stats()))).flat();
