/** Local camera/microphone for the stand-ins, with a fallback when the browser has no device or refuses. */
import { audioContext } from './audio';

export interface LocalMedia {
  stream: MediaStream;
  error?: 'camera' | 'mic' | 'both';
}

/**
 * `?camera=label` on the page address (or `__PREVIEW__.camera = 'label'`): every stand-in captures a synthetic
 * camera (the user ID on a colour of its own, with a moving dot) and a quiet microphone instead of the devices,
 * so several tabs on one machine are told apart at a glance (and screenshots are readable). Read once at load:
 * the page route lives in the hash, whose own `camera=` query belongs to the page.
 */
const CAMERA_FLAG = previewFlag('camera');

/** A flag of the page address (`?name=value`) or of `__PREVIEW__`, read once at load. */
function previewFlag(name: 'camera' | 'mic'): string {
  try {
    const cfg = (globalThis as { __PREVIEW__?: Record<string, string | undefined> }).__PREVIEW__?.[name];
    return cfg ?? new URLSearchParams(location.search).get(name) ?? '';
  } catch {
    return '';
  }
}

/**
 * `?mic=tone` / `?mic=silent` on the page address (or `__PREVIEW__.mic`): the microphone is a steady tone at a
 * speaking level (440 Hz) or true silence instead of the device, so who talks is under a test's control.
 */
const MIC_FLAG = previewFlag('mic');

/** The tone's amplitude: about -10 dBFS, a voice close to the microphone. */
export const TONE_GAIN = 0.3;

/** The synthetic microphone of `?mic=`, or null when the flag is not set (or there is no Web Audio). */
function flaggedMic(): MediaStreamTrack | null {
  if (MIC_FLAG !== 'tone' && MIC_FLAG !== 'silent') return null;
  const ctx = audioContext();
  if (!ctx) return null;
  const osc = ctx.createOscillator();
  osc.frequency.value = 440;
  const gain = ctx.createGain();
  gain.gain.value = MIC_FLAG === 'tone' ? TONE_GAIN : 0;
  const dest = ctx.createMediaStreamDestination();
  osc.connect(gain).connect(dest);
  osc.start();
  const track = dest.stream.getAudioTracks()[0];
  onStop(track, () => {
    osc.stop();
    osc.disconnect();
  });
  return track;
}

/** The flagged microphone in place of the stream's own audio tracks (which are stopped). */
function withFlaggedMic(media: LocalMedia): LocalMedia {
  const mic = flaggedMic();
  if (!mic) return media;
  for (const t of media.stream.getAudioTracks()) {
    media.stream.removeTrack(t);
    t.stop();
  }
  media.stream.addTrack(mic);
  const error = media.error === 'both' ? 'camera' : media.error === 'mic' ? undefined : media.error;
  return { stream: media.stream, error };
}

export function labelCameraEnabled(): boolean {
  return CAMERA_FLAG === 'label';
}

/** Relabels a synthetic camera stream (the user ID is often known only after capture started). */
const relabels = new WeakMap<MediaStream, (label: string) => void>();

export function relabel(stream: MediaStream | null | undefined, label: string): void {
  if (stream && label) relabels.get(stream)?.(label);
}

/**
 * A stable hue per label (FNV-1a, 36 steps of 10°). The salt is the one that puts the names of the
 * docs/images screenshots (me, alice, bob, carol, dave, erin, bob_lee) at least 40° apart.
 */
function hueOf(label: string): number {
  const s = '185:' + label;
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return ((h >>> 0) % 36) * 10;
}

/** The labelled camera: 480×640 (portrait, like a phone's front camera), 15 fps. */
function labelVideo(initial: string): { track: MediaStreamTrack; setLabel(l: string): void } {
  const W = 480;
  const H = 640;
  const canvas = document.createElement('canvas');
  canvas.width = W;
  canvas.height = H;
  const g = canvas.getContext('2d');
  let label = initial;
  let n = 0;
  const draw = (): void => {
    if (!g) return;
    n++;
    const hue = hueOf(label);
    g.fillStyle = `hsl(${hue},55%,36%)`;
    g.fillRect(0, 0, W, H);
    // the label, as large as fits in the middle 70% (a cover-fitted tile crops the sides or the top and
    // bottom), a little below the middle: the room's banners sit just above it, small windows at the top
    g.fillStyle = '#fff';
    g.textAlign = 'center';
    g.textBaseline = 'middle';
    g.font = 'bold 100px sans-serif';
    const size = Math.min(130, Math.floor((100 * W * 0.7) / Math.max(1, g.measureText(label).width)));
    g.font = `bold ${size}px sans-serif`;
    g.fillText(label, W / 2, H * 0.58);
    // a dot sweeping to and fro above it: frames always change
    const x = Math.abs(((n * 8) % 560) - 280);
    g.fillStyle = `hsl(${hue},80%,75%)`;
    g.beginPath();
    g.arc(W / 2 - 140 + x, H * 0.3, 14, 0, 2 * Math.PI);
    g.fill();
  };
  draw();
  const timer = setInterval(draw, 66);
  const track = canvas.captureStream(15).getVideoTracks()[0];
  onStop(track, () => clearInterval(timer));
  return {
    track,
    setLabel: (l) => {
      label = l;
      draw();
    },
  };
}

/** A quiet microphone: a short soft blip every two seconds (pitch per label), so audio can be checked by ear. */
function quietAudio(label: string): MediaStreamTrack | null {
  const ctx = audioContext();
  if (!ctx) return null;
  try {
    const osc = ctx.createOscillator();
    osc.frequency.value = 330 + hueOf(label);
    const gain = ctx.createGain();
    gain.gain.value = 0;
    const dest = ctx.createMediaStreamDestination();
    osc.connect(gain).connect(dest);
    osc.start();
    const blip = (): void => {
      const t = ctx.currentTime;
      gain.gain.setValueAtTime(0.02, t);
      gain.gain.setValueAtTime(0, t + 0.12);
    };
    const timer = setInterval(blip, 2000);
    const track = dest.stream.getAudioTracks()[0];
    onStop(track, () => {
      clearInterval(timer);
      osc.stop();
      osc.disconnect();
    });
    return track;
  } catch {
    return null;
  }
}

/** `track.stop()` fires no `ended` event for the page that stopped it: hook the call itself. */
function onStop(track: MediaStreamTrack, fn: () => void): void {
  let done = false;
  const once = (): void => {
    if (done) return;
    done = true;
    fn();
  };
  const stop = track.stop.bind(track);
  track.stop = () => {
    once();
    stop();
  };
  track.addEventListener('ended', once);
}

function labelMedia(label: string): LocalMedia {
  const video = labelVideo(label);
  const audio = quietAudio(label);
  const stream = new MediaStream(audio ? [video.track, audio] : [video.track]);
  relabels.set(stream, video.setLabel);
  return { stream, error: audio ? undefined : 'mic' };
}

/** A moving test pattern, used when there is no camera (or when it was refused). */
function syntheticVideo(label: string): MediaStreamTrack {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 240;
  const g = canvas.getContext('2d');
  let n = 0;
  const timer = setInterval(() => {
    if (!g) return;
    n++;
    g.fillStyle = `hsl(${(n * 3) % 360},60%,35%)`;
    g.fillRect(0, 0, 320, 240);
    g.fillStyle = '#fff';
    g.font = '28px sans-serif';
    g.fillText(label, 16, 120);
    g.fillText(String(n), 16, 160);
  }, 66);
  const track = canvas.captureStream(15).getVideoTracks()[0];
  track.addEventListener('ended', () => clearInterval(timer));
  return track;
}

export async function getLocalMedia(
  label: string,
  facing: 'user' | 'environment' = 'user',
): Promise<LocalMedia> {
  return withFlaggedMic(await deviceMedia(label, facing));
}

async function deviceMedia(label: string, facing: 'user' | 'environment'): Promise<LocalMedia> {
  if (labelCameraEnabled()) return labelMedia(label);
  const md = navigator.mediaDevices;
  if (!md?.getUserMedia) {
    return { stream: new MediaStream([syntheticVideo(label)]), error: 'both' };
  }
  try {
    const stream = await md.getUserMedia({
      audio: true,
      video: { width: { ideal: 640 }, height: { ideal: 480 }, facingMode: facing },
    });
    return { stream };
  } catch {
    // try each device alone so a missing mic does not cost the camera
    const tracks: MediaStreamTrack[] = [];
    let error: LocalMedia['error'];
    try {
      tracks.push(...(await md.getUserMedia({ video: { facingMode: facing } })).getTracks());
    } catch {
      tracks.push(syntheticVideo(label));
      error = 'camera';
    }
    try {
      tracks.push(...(await md.getUserMedia({ audio: true })).getTracks());
    } catch {
      error = error ? 'both' : 'mic';
    }
    return { stream: new MediaStream(tracks), error };
  }
}
