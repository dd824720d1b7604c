/**
 * Who is speaking now, as the Douyin host's onRtcChatSpeakersChanged reports it: from the audio levels the page
 * hears (each remote stream and the local microphone), with a threshold and a short hold so a pause between
 * words does not end a turn, and a list only when it changed. Pure: levels and clock come in.
 */

/** A peak above this (about -26 dBFS) is a voice; Chromium's fake microphone beeps at ~1.0, a soft blip 0.02. */
export const SPEAKING_PEAK = 0.05;
/** Still speaking this long after the last loud sample (a pause between words). */
export const SPEAKING_HOLD_MS = 800;
/** How often the stand-in samples the levels. */
export const SPEAKING_SAMPLE_MS = 100;

export class SpeakingList {
  private readonly loudAt = new Map<string, number>();
  private listed: string[] = [];

  /**
   * `levels`: the peak of every user heard now (absent = not heard: left, unsubscribed, no audio).
   * Returns the new list (sorted) when it changed, else null.
   */
  update(levels: ReadonlyMap<string, number>, now: number): string[] | null {
    for (const u of [...this.loudAt.keys()]) if (!levels.has(u)) this.loudAt.delete(u);
    for (const [u, peak] of levels) if (peak >= SPEAKING_PEAK) this.loudAt.set(u, now);
    const list = [...this.loudAt]
      .filter(([, t]) => now - t < SPEAKING_HOLD_MS)
      .map(([u]) => u)
      .sort();
    if (list.length === this.listed.length && list.every((u, i) => u === this.listed[i])) return null;
    this.listed = list;
    return list;
  }

  /** The list as last reported. */
  get current(): readonly string[] {
    return this.listed;
  }
}
