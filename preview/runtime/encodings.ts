/**
 * The signalling between two stand-ins (relayed by the emulator, emulator/schema.ts checks its shape) and what a
 * publisher does to one subscriber's connection: the small stream's encoding, video on/off.
 */

export interface Signal {
  /** `video`: the subscriber stops or resumes taking the video (a live-player's mute-video), no renegotiation */
  kind: 'subscribe' | 'offer' | 'answer' | 'ice' | 'bye' | 'video';
  /** subscription id, unique per subscriber */
  sid: string;
  /** who the message is for: the publisher side or the subscriber side of the pair */
  dir: 'toPub' | 'toSub';
  sdp?: RTCSessionDescriptionInit;
  candidate?: RTCIceCandidateInit | null;
  /** `subscribe`: which kinds of track the subscriber wants (both when absent) */
  kinds?: Array<'audio' | 'video'>;
  /** `subscribe`: the small stream (TRTC `streamtype=small`) when the publisher encodes one, else the main */
  stream?: 'main' | 'small';
  /** `video`: whether the publisher sends this subscriber its video */
  active?: boolean;
}

/**
 * TRTC's small stream (`encsmall=1`): 160×90-class resolution, 15 fps, 100 kbps. Over one peer connection per
 * subscriber the publisher sends that subscriber the reduced encoding, as the cloud forwards the small layer.
 */
export const SMALL_STREAM = { shortSide: 90, maxBitrate: 100_000, maxFramerate: 15 };

/** The encoding for a small-stream subscriber: scaled so the short side is ~90 px, capped at 100 kbps. */
export async function useSmallEncoding(pc: RTCPeerConnection): Promise<void> {
  for (const sender of pc.getSenders()) {
    const track = sender.track;
    if (track?.kind !== 'video') continue;
    const st = track.getSettings();
    const short = Math.min(st.width ?? 640, st.height ?? 480);
    const params = sender.getParameters();
    if (!params.encodings?.length) params.encodings = [{}];
    for (const e of params.encodings) {
      e.scaleResolutionDownBy = Math.max(1, short / SMALL_STREAM.shortSide);
      e.maxBitrate = SMALL_STREAM.maxBitrate;
      e.maxFramerate = SMALL_STREAM.maxFramerate;
    }
    await sender.setParameters(params).catch(() => undefined);
  }
}

/** Turns a connection's video encodings on or off (the sender keeps its track: no renegotiation). */
export async function setVideoActive(pc: RTCPeerConnection, active: boolean): Promise<void> {
  for (const sender of pc.getSenders()) {
    if (sender.track?.kind !== 'video') continue;
    const params = sender.getParameters();
    if (!params.encodings?.length) continue;
    for (const e of params.encodings) e.active = active;
    await sender.setParameters(params).catch(() => undefined);
  }
}
