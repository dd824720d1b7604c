/**
 * Web Audio for the stand-ins: one AudioContext per page, peak meters on streams (the Douyin host's "who is
 * speaking"), and the way a remote stream's sound leaves this page (`AudioOut`): loudspeaker or earpiece
 * (WeChat live-player `sound-mode`, Douyin `setAudioPlaybackDevice`).
 */

let ctx: AudioContext | null = null;

/** The page's AudioContext (null without Web Audio). A suspended one (no user gesture yet) resumes on the first tap. */
export function audioContext(): AudioContext | null {
  if (ctx) return ctx;
  const Ctx = globalThis.AudioContext;
  if (!Ctx) return null;
  try {
    const c = new Ctx();
    ctx = c;
    if (c.state === 'suspended') {
      const resume = (): void => void c.resume().catch(() => undefined);
      document.addEventListener('pointerdown', resume, { once: true, capture: true });
    }
    return c;
  } catch {
    return null;
  }
}

/**
 * The earpiece: held to the ear it plays far quieter than the loudspeaker (about -20 dB here) and in mono
 * (one small capsule). The loudspeaker plays at full gain, as the stream's channels come.
 */
export const EAR_GAIN = 0.1;
export type SoundMode = 'speaker' | 'ear';

const PEAK_WINDOW = 2048;
/**
 * A level meter's window: 16384 samples (341 ms at 48 kHz) is longer than the 300 ms between two
 * audiovolumenotify reads, so a short sound between two reads (a syllable, Chromium's fake-microphone beep) is
 * never missed, as WebRTC's own smoothed audioLevel would not miss it.
 */
const LEVEL_WINDOW = 16384;

/** The largest absolute sample in an analyser's last window (0..1+). */
function peakOf(an: AnalyserNode, buf: Float32Array<ArrayBuffer>): number {
  an.getFloatTimeDomainData(buf);
  let m = 0;
  for (let i = 0; i < buf.length; i++) {
    const x = Math.abs(buf[i]);
    if (x > m) m = x;
  }
  return m;
}

/** A peak meter on a stream's audio (0 when there is no audio or no Web Audio). */
export class Meter {
  private readonly an: AnalyserNode | null = null;
  private readonly src: MediaStreamAudioSourceNode | null = null;
  private readonly buf = new Float32Array(LEVEL_WINDOW);

  constructor(stream: MediaStream) {
    const c = audioContext();
    if (!c || !stream.getAudioTracks().length) return;
    try {
      this.src = c.createMediaStreamSource(stream);
      this.an = c.createAnalyser();
      this.an.fftSize = LEVEL_WINDOW;
      this.src.connect(this.an);
    } catch {
      this.an = null;
    }
  }

  peak(): number {
    return this.an ? peakOf(this.an, this.buf) : 0;
  }

  close(): void {
    this.src?.disconnect();
    this.an?.disconnect();
  }
}

export interface OutputStats {
  userId: string;
  mode: SoundMode;
  gain: number;
  /** channels reaching the page's output: 1 on the earpiece */
  channels: number;
  /** playing, unmuted, with a live audio track */
  playing: boolean;
  /** the peak of what this page plays of the stream now, after the sound mode's gain */
  level: number;
}

const outputs = new Set<AudioOut>();

/**
 * One remote stream's sound in this page. The media element keeps the stream flowing and stays muted (Chromium
 * feeds a remote WebRTC stream to Web Audio only while an element plays it); Web Audio plays it out through the
 * sound mode's gain. Without Web Audio the element plays it, at the mode's volume.
 */
export class AudioOut {
  private mode: SoundMode = 'speaker';
  private muted = false;
  private stream: MediaStream | null = null;
  private src: MediaStreamAudioSourceNode | null = null;
  private readonly gain: GainNode | null = null;
  private readonly an: AnalyserNode | null = null;
  /** before the gain: the stream's own level, whatever the mode or mute */
  private readonly inAn: AnalyserNode | null = null;
  private readonly buf = new Float32Array(PEAK_WINDOW);
  private readonly inBuf = new Float32Array(LEVEL_WINDOW);

  constructor(
    private readonly el: HTMLMediaElement,
    public userId = '',
  ) {
    const c = audioContext();
    if (c) {
      try {
        this.gain = c.createGain();
        this.an = c.createAnalyser();
        this.an.fftSize = PEAK_WINDOW;
        this.inAn = c.createAnalyser();
        this.inAn.fftSize = LEVEL_WINDOW;
        this.gain.connect(this.an).connect(c.destination);
      } catch {
        this.gain = null;
        this.an = null;
        this.inAn = null;
      }
    }
    el.dataset.wantMuted = this.gain ? '1' : '0';
    outputs.add(this);
    this.apply();
  }

  /** The element's current stream (call after setting `srcObject`); a stream with new tracks is rewired. */
  setStream(stream: MediaStream | null): void {
    const key = stream?.getAudioTracks()[0];
    const had = this.stream?.getAudioTracks()[0];
    if (stream === this.stream && key === had && (this.src || !key)) return;
    this.src?.disconnect();
    this.src = null;
    this.stream = stream;
    const c = audioContext();
    if (c && this.gain && stream && key) {
      try {
        this.src = c.createMediaStreamSource(stream);
        this.src.connect(this.gain);
        if (this.inAn) this.src.connect(this.inAn);
      } catch {
        this.src = null;
      }
    }
  }

  setMode(mode: SoundMode): void {
    this.mode = mode === 'ear' ? 'ear' : 'speaker';
    this.apply();
  }

  setMuted(m: boolean): void {
    this.muted = m;
    this.apply();
  }

  private apply(): void {
    const g = this.muted ? 0 : this.mode === 'ear' ? EAR_GAIN : 1;
    if (this.gain) {
      this.gain.gain.value = g;
      // the earpiece is one capsule: both channels mixed down to one
      this.gain.channelCount = this.mode === 'ear' ? 1 : 2;
      this.gain.channelCountMode = this.mode === 'ear' ? 'explicit' : 'max';
      this.el.muted = true;
    } else {
      this.el.muted = this.muted;
      this.el.volume = this.mode === 'ear' ? EAR_GAIN : 1;
    }
  }

  /**
   * The received stream's peak over the last LEVEL_WINDOW (0..1), before mute and sound mode: what a player's
   * audiovolumenotify and the host's speaker detection measure. (WebRTC's own inbound audioLevel stays 0 while
   * no element plays it.)
   */
  inputLevel(): number {
    return this.src && this.inAn ? peakOf(this.inAn, this.inBuf) : 0;
  }

  stats(): OutputStats {
    const track = this.stream?.getAudioTracks()[0];
    const running = !this.gain || audioContext()?.state === 'running';
    return {
      userId: this.userId,
      mode: this.mode,
      gain: this.muted ? 0 : this.mode === 'ear' ? EAR_GAIN : 1,
      channels: this.mode === 'ear' ? 1 : (this.src?.channelCount ?? 2),
      playing: !!track && track.readyState === 'live' && !this.muted && running && !this.el.paused,
      level: this.an ? peakOf(this.an, this.buf) : 0,
    };
  }

  close(): void {
    this.src?.disconnect();
    this.src = null;
    this.gain?.disconnect();
    this.an?.disconnect();
    this.inAn?.disconnect();
    this.stream = null;
    outputs.delete(this);
  }
}

/** For tests and a curious developer: every remote stream's output in this page (`__PREVIEW_OUTPUT__()`). */
(globalThis as { __PREVIEW_OUTPUT__?: unknown }).__PREVIEW_OUTPUT__ = (): OutputStats[] =>
  [...outputs].map((o) => o.stats());
