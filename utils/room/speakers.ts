/**
 * Audio levels, who is speaking, and the active speaker, without wx/tt.
 *
 * WeChat reports a volume (0-100) per pusher/player several times a second; Douyin reports the list of who is
 * speaking now (onRtcChatSpeakersChanged). Both end up here. Levels are coalesced into one `audio_volume`
 * per VOLUME_INTERVAL_MS (the loudest value of each user in that window); the speaking set changes only with
 * hysteresis (on at SPEAKING_ON, off after SPEAKING_HOLD_MS below SPEAKING_OFF), so the view gets a setData
 * only when a flag flips. The active speaker (bigsmall `followSpeaker`) moves only to a remote that has led
 * for FOLLOW_LEAD_MS, and never sooner than FOLLOW_DWELL_MS after the last move.
 * The local user is ''.
 */
import { orZero } from '../core/values';

export const VOLUME_INTERVAL_MS = 300;
export const SPEAKING_ON = 20;
export const SPEAKING_OFF = 10;
export const SPEAKING_HOLD_MS = 600;
export const FOLLOW_LEAD_MS = 600;
export const FOLLOW_DWELL_MS = 2000;

export interface Volume {
  userID: string;
  volume: number;
}

export interface SpeakerTick {
  /** the loudest level of every user reported in the window; [] on Douyin and for repeated silence */
  volumes: Volume[];
  /** the speaking set changed */
  changed: boolean;
  /** the active speaker changed */
  activeChanged: boolean;
}

export interface SpeakerTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** A volume as the platform gave it → an integer in [0, 100], or null when it is not a number. */
export function normalizeVolume(v: unknown): number | null {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) return null;
  return Math.round(Math.min(100, Math.max(0, n)));
}

export class Speakers {
  private levels = new Map<string, number>();
  private loudAt = new Map<string, number>();
  private speaking = new Set<string>();
  /** Douyin: the speaking list is the truth; no levels */
  private listed: Set<string> | null = null;
  private timer: unknown = null;
  private active = '';
  private activeAt = -Infinity;
  private candidate = '';
  private candidateAt = 0;
  private closed = false;
  private silent = true;

  constructor(
    private readonly timers: SpeakerTimers,
    private readonly now: () => number,
    private readonly onTick: (tick: SpeakerTick) => void,
  ) {}

  isSpeaking(userID: string): boolean {
    return this.speaking.has(userID);
  }

  /** Remote users speaking now (never the local ''). */
  speakingSet(): ReadonlySet<string> {
    return this.speaking;
  }

  get activeSpeaker(): string {
    return this.active;
  }

  /** WeChat: one volume notification. Costs nothing until the window closes. */
  report(userID: string, volume: number): void {
    if (this.closed) return;
    this.levels.set(userID, Math.max(volume, orZero(this.levels.get(userID))));
    this.schedule();
  }

  /** Douyin: who is speaking now ('' for the local user). */
  setSpeaking(userIDs: Iterable<string>): void {
    if (this.closed) return;
    this.listed = new Set(userIDs);
    this.schedule();
  }

  /** A user left: forget them at the next tick. */
  forget(userID: string): void {
    this.levels.delete(userID);
    this.loudAt.delete(userID);
    this.listed?.delete(userID);
    if (this.active === userID) {
      // anyone may take the big view over at once
      this.active = '';
      this.activeAt = -Infinity;
    }
    if (this.speaking.has(userID)) this.schedule();
  }

  /** Session ended: nothing speaks, no timer; `closed` also stops later reports. */
  reset(closed = false): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.levels.clear();
    this.loudAt.clear();
    this.speaking.clear();
    this.listed = null;
    this.active = '';
    this.activeAt = -Infinity;
    this.candidate = '';
    this.silent = true;
    this.closed = closed;
  }

  private schedule(): void {
    if (this.timer !== null || this.closed) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.tick();
    }, VOLUME_INTERVAL_MS);
  }

  /** Close the window: one audio_volume, the speaking flips, the active speaker. */
  tick(): void {
    const now = this.now();
    const volumes: Volume[] = [];
    for (const [userID, volume] of this.levels) volumes.push({ userID, volume });
    const next = new Set<string>();
    if (this.listed) {
      for (const id of this.listed) next.add(id);
    } else {
      for (const { userID, volume } of volumes) if (volume >= SPEAKING_OFF) this.loudAt.set(userID, now);
      for (const { userID, volume } of volumes) if (volume >= SPEAKING_ON) next.add(userID);
      for (const id of this.speaking) {
        if (next.has(id) || !this.loudAt.has(id)) continue;
        if (now - (this.loudAt.get(id) as number) < SPEAKING_HOLD_MS) next.add(id);
      }
    }
    let changed = next.size !== this.speaking.size;
    if (!changed) for (const id of next) if (!this.speaking.has(id)) changed = true;
    this.speaking = next;
    const activeChanged = this.follow(now);
    this.levels.clear();
    // keep closing windows while someone speaks, so silence ends the flag without a new report
    if (next.size) this.schedule();
    // silence is sent once, not three times a second
    const quiet = volumes.every((v) => v.volume === 0);
    const send = volumes.length > 0 && !(quiet && this.silent);
    this.silent = volumes.length > 0 ? quiet : this.silent;
    if (send || changed || activeChanged)
      this.onTick({ volumes: send ? volumes : [], changed, activeChanged });
  }

  /** Loudest remote speaking now (Douyin: the current one while listed, else the first listed). */
  private loudest(): string {
    if (this.listed && this.active && this.speaking.has(this.active)) return this.active;
    let best = '';
    let bestLevel = -1;
    for (const id of this.speaking) {
      if (id === '') continue;
      const level = this.listed ? 0 : orZero(this.levels.get(id));
      if (level > bestLevel) {
        best = id;
        bestLevel = level;
      }
    }
    return best;
  }

  private follow(now: number): boolean {
    const lead = this.loudest();
    if (!lead || lead === this.active) {
      this.candidate = '';
      return false;
    }
    if (lead !== this.candidate) {
      this.candidate = lead;
      this.candidateAt = now;
    }
    const first = this.active === '';
    if (!first && (now - this.candidateAt < FOLLOW_LEAD_MS || now - this.activeAt < FOLLOW_DWELL_MS)) {
      // the lead is still young, or the big view moved a moment ago: look again next window
      return false;
    }
    this.active = lead;
    this.activeAt = now;
    this.candidate = '';
    return true;
  }
}
