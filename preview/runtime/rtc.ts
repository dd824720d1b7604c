/**
 * Browser side of the room emulator: one `Session` per live-pusher (WeChat) or RtcRoomContext (Douyin).
 * It holds the emulator WebSocket, the local media and one RTCPeerConnection per (publisher, subscriber) pair.
 * Signalling messages are handled strictly in order (an ICE candidate that overtakes its offer is lost).
 * The connection registry and network switch are in net.ts, the per-connection encodings in encodings.ts, the
 * players' RemoteFeed in feed.ts.
 */
import { setVideoActive, useSmallEncoding, type Signal } from './encodings';
import { applyFault } from './faults';
import { log } from './log';
import { emulatorUrl, joinHooks, sessions, sessionWaiters, whenOnline } from './net';
import type { ClientMessage, ServerMessage } from '../../emulator/protocol';

export { SMALL_STREAM } from './encodings';
export { RemoteFeed } from './feed';
export { activeSession, emulatorUrl, onJoined, onNetDrop, waitForSession, whenOnline } from './net';

export type JoinRequest = Extract<ClientMessage, { t: 'join' }>;

type Listener = (msg: ServerMessage) => void;

export interface Subscription {
  readonly userID: string;
  readonly stream: MediaStream;
  pc: RTCPeerConnection | null;
  /** asks the publisher to stop (or resume) sending the video of this subscription */
  setVideo(active: boolean): void;
  close(): void;
}

const RTC_CONFIG: RTCConfiguration = { iceServers: [] };
let sidSeq = 0;

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

  /** What changed in what this member sends (the protocol's `update`: media, Volc visibility, TRTC role). */
  update(u: Omit<Extract<ClientMessage, { t: 'update' }>, 't'>): void {
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
