/**
 * Background music for the live-pusher stand-in (LivePusherContext playBGM …): the file is fetched and decoded
 * with Web Audio and mixed with the microphone into the track the pusher publishes, so the other pages hear it.
 * Events as the native pusher's: bgmstart, bgmprogress {progress, duration} (seconds) once a second,
 * bgmcomplete at the end; a URL that cannot be fetched or decoded fails the playBGM call.
 */
import { audioContext } from './audio';

/** bindbgmprogress interval */
export const BGM_PROGRESS_MS = 1000;

export interface BgmEvents {
  start(): void;
  progress(progress: number, duration: number): void;
  complete(): void;
}

const round = (s: number): number => Math.round(s * 100) / 100;

export class Bgm {
  private readonly ctx: AudioContext | null = audioContext();
  private dest: MediaStreamAudioDestinationNode | null = null;
  private micSrc: MediaStreamAudioSourceNode | null = null;
  private mic: MediaStreamTrack | null = null;
  private readonly gain: GainNode | null = null;
  private buffer: AudioBuffer | null = null;
  private source: AudioBufferSourceNode | null = null;
  /** ctx time the current source started at, minus its offset: position = ctx.currentTime - base */
  private base = 0;
  private pausedAt: number | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** bumps on every play/stop, so a late decode or `ended` of an older file does nothing */
  private seq = 0;

  constructor(private readonly on: BgmEvents) {
    if (this.ctx) {
      this.gain = this.ctx.createGain();
      this.dest = this.ctx.createMediaStreamDestination();
      this.gain.connect(this.dest);
    }
  }

  get playing(): boolean {
    return !!this.source && this.pausedAt === null;
  }

  /**
   * The track to publish: the microphone (when there is one) and the music, mixed. It follows `capture`'s
   * first audio track; null without Web Audio (then the pusher publishes the microphone alone).
   */
  mixed(capture: MediaStream | null): MediaStreamTrack | null {
    if (!this.ctx || !this.dest) return null;
    const mic = capture?.getAudioTracks()[0] ?? null;
    if (mic !== this.mic) {
      this.micSrc?.disconnect();
      this.micSrc = null;
      this.mic = mic;
      if (mic) {
        this.micSrc = this.ctx.createMediaStreamSource(new MediaStream([mic]));
        this.micSrc.connect(this.dest);
      }
    }
    return this.dest.stream.getAudioTracks()[0] ?? null;
  }

  async play(url: string): Promise<void> {
    const ctx = this.ctx;
    if (!ctx || !this.gain) throw new Error('no Web Audio in this browser');
    this.stop();
    const seq = ++this.seq;
    let data: ArrayBuffer;
    try {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      data = await res.arrayBuffer();
    } catch (e) {
      throw new Error(`cannot load ${url}: ${(e as Error).message}`, { cause: e });
    }
    let buffer: AudioBuffer;
    try {
      buffer = await ctx.decodeAudioData(data);
    } catch {
      throw new Error(`cannot decode ${url}`);
    }
    if (seq !== this.seq) throw new Error('superseded');
    this.buffer = buffer;
    this.startAt(0);
    this.on.start();
  }

  private startAt(offset: number): void {
    const ctx = this.ctx;
    if (!ctx || !this.gain || !this.buffer) return;
    const src = ctx.createBufferSource();
    src.buffer = this.buffer;
    src.connect(this.gain);
    const seq = this.seq;
    src.onended = () => {
      // stop() and pause() stop the source too: only the end of the music is a completion
      if (seq !== this.seq || this.source !== src || this.pausedAt !== null) return;
      this.clear();
      this.on.complete();
    };
    this.source = src;
    this.pausedAt = null;
    this.base = ctx.currentTime - offset;
    src.start(0, offset);
    this.timer ??= setInterval(() => this.tick(), BGM_PROGRESS_MS);
  }

  private tick(): void {
    if (!this.ctx || !this.buffer || !this.playing) return;
    const d = this.buffer.duration;
    this.on.progress(round(Math.min(d, this.ctx.currentTime - this.base)), round(d));
  }

  private clear(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const src = this.source;
    this.source = null;
    this.pausedAt = null;
    if (src) {
      src.onended = null;
      try {
        src.stop();
      } catch {
        /* never started */
      }
      src.disconnect();
    }
  }

  stop(): void {
    this.seq++;
    this.clear();
    this.buffer = null;
  }

  pause(): void {
    if (!this.ctx || !this.playing || !this.source) return;
    const at = this.ctx.currentTime - this.base;
    const src = this.source;
    this.pausedAt = at;
    src.onended = null;
    src.stop();
    src.disconnect();
  }

  resume(): void {
    if (this.pausedAt === null || !this.buffer) return;
    const at = this.pausedAt;
    this.startAt(at);
  }

  /** 0..1, as the component's setBGMVolume takes it. */
  setVolume(v: number): void {
    if (this.gain) this.gain.gain.value = Math.min(1, Math.max(0, Number(v) || 0));
  }

  close(): void {
    this.stop();
    this.micSrc?.disconnect();
    this.gain?.disconnect();
    this.micSrc = null;
    this.mic = null;
    this.dest = null;
  }
}
