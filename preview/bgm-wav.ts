/**
 * The preview's background music: a short melody generated here (no file shipped, nothing fetched from
 * elsewhere), served at BGM_PATH for `playBGM` in the preview. 16-bit PCM WAV, mono.
 */
export const BGM_PATH = '/_preview/bgm.wav';

/** C major arpeggio up and down, one note per 250 ms. */
const NOTES = [261.63, 329.63, 392.0, 523.25, 392.0, 329.63];

export function bgmWav(seconds = 4, rate = 22050): Buffer {
  const n = Math.round(seconds * rate);
  const data = Buffer.alloc(n * 2);
  const noteLen = Math.round(rate * 0.25);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(i / noteLen);
    const f = NOTES[k % NOTES.length];
    const t = (i % noteLen) / rate;
    // a plucked note: fast attack, exponential decay, a little second harmonic
    const env = Math.min(1, t / 0.005) * Math.exp(-t * 6);
    const s =
      0.5 * env * (Math.sin(2 * Math.PI * f * (i / rate)) + 0.3 * Math.sin(4 * Math.PI * f * (i / rate)));
    data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, s)) * 32767), i * 2);
  }
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16); // PCM chunk size
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28); // byte rate
  h.writeUInt16LE(2, 32); // block align
  h.writeUInt16LE(16, 34); // bits per sample
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}
