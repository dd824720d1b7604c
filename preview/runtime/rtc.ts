/**
 * Browser side of the room emulator: one `Session` per live-pusher (WeChat) or RtcRoomContext (Douyin).
 * It holds the emulator WebSocket, the local media and one RTCPeerConnection per (publisher, subscriber) pair.
 * Signalling messages are handled strictly in order (an ICE candidate that overtakes its offer is lost).
 */
import { applyFault } from './faults';
import { log } from './log';
import type { ClientMessage, ServerMessage } from '../../emulator/protocol';

export type JoinRequest = Extract<ClientMessage, { t: 'join' }>;

interface Signal {
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
async function useSmallEncoding(pc: RTCPeerConnection): Promise<void> {
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

export interface Subscription {
  readonly userID: string;
  readonly stream: MediaStream;
  pc: RTCPeerConnection | null;
  /** asks the publisher to stop (or resume) sending the video of this subscription */
  setVideo(active: boolean): void;
  close(): void;
}

/** Turns a connection's video encodings on or off (the sender keeps its track: no renegotiation). */
async function setVideoActive(pc: RTCPeerConnection, active: boolean): Promise<void> {
  for (const sender of pc.getSenders()) {
    if (sender.track?.kind !== 'video') continue;
    const params = sender.getParameters();
    if (!params.encodings?.length) continue;
    for (const e of params.encodings) e.active = active;
    await sender.setParameters(params).catch(() => undefined);
  }
}

type Listener = (msg: ServerMessage) => void;

const RTC_CONFIG: RTCConfiguration = { iceServers: [] };
let sidSeq = 0;

export function emulatorUrl(): string {
  const cfg = (globalThis as { __PREVIEW__?: { emulator?: string } }).__PREVIEW__;
  if (cfg?.emulator) return cfg.emulator;
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/rtc`;
}

/**
 * A network switch for tests, screenshots and a curious developer (`globalThis.__PREVIEW_NET__`):
 * `offline = true` holds every new connection to the emulator until it is set back (the room stays entering /
 * reconnecting), `drop()` cuts every open connection as a lost network would (no goodbye).
 */
const net = { offline: false, waiters: new Set<() => void>() };
/** other emulator connections (the chat stand-in) that a `drop()` cuts too */
const dropHooks = new Set<() => void>();
export function onNetDrop(fn: () => void): () => void {
  dropHooks.add(fn);
  return () => dropHooks.delete(fn);
}

export function whenOnline(): Promise<void> {
  if (!net.offline) return Promise.resolve();
  return new Promise((resolve) => net.waiters.add(resolve));
}

(globalThis as { __PREVIEW_NET__?: unknown }).__PREVIEW_NET__ = {
  get offline(): boolean {
    return net.offline;
  },
  set offline(v: boolean) {
    net.offline = !!v;
    if (net.offline) return;
    const ws = [...net.waiters];
    net.waiters.clear();
    ws.forEach((w) => w());
  },
  drop(): void {
    for (const s of sessions) s.ws?.close();
    for (const d of dropHooks) d();
  },
  /** Bytes received so far by every live session of this page (the small-stream bench reads it). */
  async received(): Promise<{ video: number; audio: number }> {
    const all = await Promise.all([...sessions].map((s) => s.inboundStats()));
    return all.reduce((a, b) => ({ video: a.video + b.video, audio: a.audio + b.audio }), {
      video: 0,
      audio: 0,
    });
  },
};

/** run on every join (the fault panel's URL flags) */
const joinHooks = new Set<(s: Session) => void>();
export function onJoined(fn: (s: Session) => void): () => void {
  joinHooks.add(fn);
  return () => joinHooks.delete(fn);
}

/** Every live session in this page; players attach to the newest joined one. */
const sessions = new Set<Session>();
const sessionWaiters = new Set<() => void>();

export function activeSession(): Session | null {
  let last: Session | null = null;
  for (const s of sessions) if (s.joined) last = s;
  return last;
}

/** Resolves with the active session as soon as one has joined. */
export function waitForSession(): { promise: Promise<Session>; cancel(): void } {
  let cancel = (): void => undefined;
  const promise = new Promise<Session>((resolve) => {
    const s = activeSession();
    if (s) return resolve(s);
    const check = (): void => {
      const a = activeSession();
      if (a) {
        sessionWaiters.delete(check);
        resolve(a);
      }
    };
    sessionWaiters.add(check);
    cancel = () => sessionWaiters.delete(check);
  });
  return { promise, cancel };
}

export class Session {
  ws: WebSocket | null = null;
  joined = false;
  userID = '';
  /** the room ID as the emulator's keys end (numeric or string room, Douyin roomId) */
  room = '';
  /** publishes a small stream too (push URL `encsmall=1`): small-stream subscribers get the reduced encoding */
  encSmall = false;
  private listeners = new Set<Listener>();
  private queue: Promise<void> = Promise.resolve();
  /** publisher side: subscriber userID + sid → pc */
  private pubs = new Map<string, RTCPeerConnection>();
  /** subscriber side: sid → subscription */
  private subs = new Map<
    string,
    { userID: string; pc: RTCPeerConnection; stream: MediaStream; onTrack: () => void }
  >();
  /** players waiting for a user to (re)appear */
  private userWatchers = new Set<(userID: string) => void>();
  /** run once when this session ends (socket closed or left) */
  private closeWatchers = new Set<() => void>();
  closedByUs = false;

  constructor(public local: MediaStream | null) {
    sessions.add(this);
  }

  on(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Opens the socket and sends the join request. Resolves once the request is on the wire. */
  async open(join: JoinRequest): Promise<void> {
    this.userID = join.model === 'trtc' ? join.userID : join.userId;
    this.room = join.model === 'trtc' ? (join.strRoomID ?? String(join.roomID ?? '')) : join.roomId;
    await whenOnline();
    if (this.closedByUs) throw new Error('left before the connection was made');
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(emulatorUrl());
      this.ws = ws;
      ws.onopen = () => {
        ws.send(JSON.stringify(join));
        resolve();
      };
      ws.onerror = () => reject(new Error('cannot reach the room emulator at ' + emulatorUrl()));
      ws.onmessage = (e) => {
        const msg = JSON.parse(String(e.data)) as ServerMessage;
        this.queue = this.queue.then(() => this.handle(msg)).catch((err) => log.warn('signalling', err));
      };
      ws.onclose = (e) => {
        const wasJoined = this.joined;
        this.joined = false;
        this.teardown();
        sessions.delete(this);
        this.ended();
        for (const fn of this.listeners) fn({ t: 'error', message: `closed:${e.code}:${wasJoined ? 1 : 0}` });
      };
    });
  }

  send(msg: ClientMessage): void {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  update(u: { audio?: boolean; video?: boolean; screen?: boolean }): void {
    this.send({ t: 'update', ...u });
  }

  /** Leaves politely; the emulator answers (1019 reason[0] for TRTC) and closes. */
  leave(): void {
    this.closedByUs = true;
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.send({ t: 'leave' });
    else this.ws?.close();
    this.joined = false;
    this.teardown();
    sessions.delete(this);
    this.ended();
  }

  /** `fn` runs once when this session ends; returns the unsubscribe. */
  onClose(fn: () => void): () => void {
    this.closeWatchers.add(fn);
    return () => this.closeWatchers.delete(fn);
  }

  private ended(): void {
    const ws = [...this.closeWatchers];
    this.closeWatchers.clear();
    for (const fn of ws) fn();
  }

  /** Replaces the outgoing tracks on every publisher connection (camera switch, re-acquired media). */
  setLocal(stream: MediaStream): void {
    this.local = stream;
    for (const pc of this.pubs.values()) {
      for (const sender of pc.getSenders()) {
        const kind = sender.track?.kind;
        const t = stream.getTracks().find((x) => x.kind === kind);
        if (t) void sender.replaceTrack(t);
      }
    }
  }

  private async handle(msg: ServerMessage): Promise<void> {
    if (msg.t === 'joined') {
      this.joined = true;
      for (const w of [...sessionWaiters]) w();
      for (const fn of [...joinHooks]) fn(this);
    }
    if (msg.t === 'event' && (msg.code === 1031 || msg.code === 1033)) {
      for (const u of (JSON.parse(msg.message) as { userlist: Array<{ userid: string }> }).userlist) {
        for (const w of this.userWatchers) w(u.userid);
      }
    }
    if (msg.t === 'tt' && msg.name === 'onRtcChatMembersChanged') {
      for (const u of (msg.data as { userIdList: string[] }).userIdList)
        for (const w of this.userWatchers) w(u);
    }
    if (msg.t === 'signal') await this.onSignal(msg.from, msg.data as Signal);
    if (msg.t === 'fault') applyFault(msg.fault);
    for (const fn of this.listeners) fn(msg);
  }

  watchUsers(fn: (userID: string) => void): () => void {
    this.userWatchers.add(fn);
    return () => this.userWatchers.delete(fn);
  }

  private signal(to: string, s: Signal): void {
    this.send({ t: 'signal', to, data: s });
  }

  private async onSignal(from: string, s: Signal): Promise<void> {
    if (s.dir === 'toPub') {
      const key = from + '\u0000' + s.sid;
      if (s.kind === 'subscribe') {
        this.pubs.get(key)?.close();
        const pc = new RTCPeerConnection(RTC_CONFIG);
        this.pubs.set(key, pc);
        const local = this.local;
        if (local) {
          for (const t of local.getTracks()) {
            if (!s.kinds || s.kinds.includes(t.kind as 'audio' | 'video')) pc.addTrack(t, local);
          }
        }
        pc.onicecandidate = (e) =>
          this.signal(from, {
            kind: 'ice',
            sid: s.sid,
            dir: 'toSub',
            candidate: e.candidate?.toJSON() ?? null,
          });
        const offer = await pc.createOffer();
        await pc.setLocalDescription(offer);
        if (s.stream === 'small' && this.encSmall) await useSmallEncoding(pc);
        this.signal(from, { kind: 'offer', sid: s.sid, dir: 'toSub', sdp: pc.localDescription?.toJSON() });
      } else if (s.kind === 'answer' && s.sdp) {
        await this.pubs.get(key)?.setRemoteDescription(s.sdp);
      } else if (s.kind === 'ice' && s.candidate) {
        await this.pubs
          .get(key)
          ?.addIceCandidate(s.candidate)
          .catch(() => undefined);
      } else if (s.kind === 'bye') {
        this.pubs.get(key)?.close();
        this.pubs.delete(key);
      } else if (s.kind === 'video' && typeof s.active === 'boolean') {
        const pc = this.pubs.get(key);
        if (pc) await setVideoActive(pc, s.active);
      }
      return;
    }
    const sub = this.subs.get(s.sid);
    if (!sub) return;
    if (s.kind === 'offer' && s.sdp) {
      await sub.pc.setRemoteDescription(s.sdp);
      const answer = await sub.pc.createAnswer();
      await sub.pc.setLocalDescription(answer);
      this.signal(from, { kind: 'answer', sid: s.sid, dir: 'toPub', sdp: sub.pc.localDescription?.toJSON() });
    } else if (s.kind === 'ice' && s.candidate) {
      await sub.pc.addIceCandidate(s.candidate).catch(() => undefined);
    }
  }

  /**
   * Asks `userID` for its stream (`kinds`: only these tracks, e.g. a Douyin view takes the video and the room
   * plays the audio); `onTrack` runs whenever a track arrives.
   */
  subscribe(
    userID: string,
    onTrack: (stream: MediaStream) => void,
    onState: (st: RTCPeerConnectionState) => void,
    kinds?: Array<'audio' | 'video'>,
    streamType: 'main' | 'small' = 'main',
  ): Subscription {
    const sid = `${this.userID}:${++sidSeq}:${Math.random().toString(36).slice(2, 8)}`;
    const pc = new RTCPeerConnection(RTC_CONFIG);
    const stream = new MediaStream();
    for (const k of kinds ?? (['audio', 'video'] as const)) pc.addTransceiver(k, { direction: 'recvonly' });
    const entry = { userID, pc, stream, onTrack: () => onTrack(stream) };
    this.subs.set(sid, entry);
    pc.ontrack = (e) => {
      if (!stream.getTracks().includes(e.track)) stream.addTrack(e.track);
      entry.onTrack();
    };
    pc.onicecandidate = (e) =>
      this.signal(userID, { kind: 'ice', sid, dir: 'toPub', candidate: e.candidate?.toJSON() ?? null });
    pc.onconnectionstatechange = () => onState(pc.connectionState);
    this.signal(userID, {
      kind: 'subscribe',
      sid,
      dir: 'toPub',
      kinds,
      ...(streamType === 'small' ? { stream: 'small' as const } : {}),
    });
    const sub: Subscription = {
      userID,
      stream,
      pc,
      setVideo: (active) => this.signal(userID, { kind: 'video', sid, dir: 'toPub', active }),
      close: () => {
        this.signal(userID, { kind: 'bye', sid, dir: 'toPub' });
        pc.close();
        this.subs.delete(sid);
        sub.pc = null;
      },
    };
    return sub;
  }

  /** Outgoing stats summed over every subscriber connection (`connections`: how many there are). */
  async outboundStats(): Promise<{ bytes: number; audioBytes: number; connections: number }> {
    let bytes = 0;
    let audioBytes = 0;
    for (const pc of this.pubs.values()) {
      const r = await pc.getStats();
      r.forEach((s: { type: string; kind?: string; bytesSent?: number }) => {
        if (s.type !== 'outbound-rtp') return;
        if (s.kind === 'video') bytes += s.bytesSent ?? 0;
        else audioBytes += s.bytesSent ?? 0;
      });
    }
    return { bytes, audioBytes, connections: this.pubs.size };
  }

  /** Bytes received so far on every subscription of this session (video and audio). */
  async inboundStats(): Promise<{ video: number; audio: number }> {
    let video = 0;
    let audio = 0;
    for (const { pc } of this.subs.values()) {
      (await pc.getStats()).forEach((s: { type: string; kind?: string; bytesReceived?: number }) => {
        if (s.type !== 'inbound-rtp') return;
        if (s.kind === 'video') video += s.bytesReceived ?? 0;
        else audio += s.bytesReceived ?? 0;
      });
    }
    return { video, audio };
  }

  /** The local microphone's level (0..1, WebRTC `media-source` audioLevel) while someone plays us, else null. */
  async audioLevel(): Promise<number | null> {
    let level: number | null = null;
    for (const pc of this.pubs.values()) {
      (await pc.getStats()).forEach((s: { type: string; kind?: string; audioLevel?: number }) => {
        if (s.type === 'media-source' && s.kind === 'audio' && typeof s.audioLevel === 'number') {
          level = Math.max(level ?? 0, s.audioLevel);
        }
      });
    }
    return level;
  }

  private teardown(): void {
    for (const pc of this.pubs.values()) pc.close();
    this.pubs.clear();
    for (const s of this.subs.values()) s.pc.close();
    this.subs.clear();
  }
}

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
      if (msg.t === 'sei' && msg.from === this.userID && !this.closed) this.cb.onSei?.(msg.payload);
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
