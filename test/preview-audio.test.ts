/** @jest-environment node */
/**
 * The preview's audio pieces that need no browser: the Douyin host's "who is speaking now" list (threshold,
 * hold, a list only on change) and the generated background music (a valid, audible 16-bit PCM WAV).
 * In the browser they are covered by test/e2e/media.*.test.ts.
 */
import { bgmWav } from '../preview/bgm-wav';
import { SPEAKING_HOLD_MS, SPEAKING_PEAK, SpeakingList } from '../preview/runtime/speaking';

const levels = (o: Record<string, number>) => new Map(Object.entries(o));

describe('SpeakingList (the tt stand-in’s onRtcChatSpeakersChanged)', () => {
  test('a voice above the threshold joins the list, silence and a soft blip do not', () => {
    const s = new SpeakingList();
    expect(s.update(levels({ a: 0, b: SPEAKING_PEAK / 2 }), 0)).toBeNull(); // nothing changed: no list
    expect(s.update(levels({ a: 0.3, b: 0.02 }), 100)).toEqual(['a']);
    expect(s.update(levels({ a: 0.3, b: 0.02 }), 200)).toBeNull(); // the same list is not sent again
    expect(s.update(levels({ a: 0.3, b: SPEAKING_PEAK }), 300)).toEqual(['a', 'b']);
  });

  test('a pause shorter than the hold keeps the turn; a longer one ends it', () => {
    const s = new SpeakingList();
    expect(s.update(levels({ a: 0.5 }), 0)).toEqual(['a']);
    // beeps every 500 ms (Chromium's fake microphone): never flaps
    for (let t = 100; t < 3000; t += 100) {
      expect(s.update(levels({ a: t % 500 === 0 ? 1 : 0.001 }), t)).toBeNull();
    }
    // the last beep was at 2,500 ms
    expect(s.update(levels({ a: 0 }), 2500 + SPEAKING_HOLD_MS - 1)).toBeNull();
    expect(s.update(levels({ a: 0 }), 2500 + SPEAKING_HOLD_MS)).toEqual([]);
    expect(s.current).toEqual([]);
  });

  test('a user no longer heard (left, unsubscribed) leaves the list at once', () => {
    const s = new SpeakingList();
    s.update(levels({ a: 0.5, b: 0.5 }), 0);
    expect(s.update(levels({ b: 0.5 }), 100)).toEqual(['b']);
    // heard again later, silent: not speaking
    expect(s.update(levels({ a: 0, b: 0.5 }), 200)).toBeNull();
  });

  test('user IDs such as __proto__ or constructor are plain keys', () => {
    const s = new SpeakingList();
    expect(s.update(levels({ __proto__x: 0 }), 0)).toBeNull();
    const m = new Map([
      ['__proto__', 0.5],
      ['constructor', 0.5],
    ]);
    expect(s.update(m, 0)).toEqual(['__proto__', 'constructor']);
  });
});

describe('bgmWav (the preview’s background music)', () => {
  const wav = bgmWav();
  test('a RIFF/WAVE, PCM 16-bit mono header whose sizes match the data', () => {
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
    expect(wav.toString('ascii', 8, 16)).toBe('WAVEfmt ');
    expect(wav.readUInt16LE(20)).toBe(1); // PCM
    expect(wav.readUInt16LE(22)).toBe(1); // mono
    const rate = wav.readUInt32LE(24);
    expect(rate).toBe(22050);
    expect(wav.readUInt16LE(34)).toBe(16);
    expect(wav.toString('ascii', 36, 40)).toBe('data');
    const bytes = wav.readUInt32LE(40);
    expect(bytes).toBe(wav.length - 44);
    expect(bytes / 2 / rate).toBe(4); // seconds, as bgm_progress reports the duration
  });

  test('audible and never clipped: every 250 ms note starts loud and decays', () => {
    const samples = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => Math.abs(wav.readInt16LE(44 + (from + i) * 2)) / 32767);
    const note = Math.round(22050 * 0.25);
    for (let k = 0; k < 15; k++) {
      const head = Math.max(...samples(k * note, 1000));
      const tail = Math.max(...samples(k * note + note - 1000, 1000));
      expect(head).toBeGreaterThan(0.3);
      expect(head).toBeLessThan(1);
      expect(tail).toBeLessThan(head / 2);
    }
  });
});
