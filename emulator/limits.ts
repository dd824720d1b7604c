/**
 * The emulator's per-process limits (frame size, rate, send buffer, join deadline, room and socket caps),
 * what they did (EmulatorHealth), and the per-socket token bucket that enforces the frame rate.
 */
import type { Conn } from './types';

/** Per-process limits; every one protects the other members' calls from one bad or greedy socket. */
export interface EmulatorLimits {
  /** bad frames a socket may send (each answered with an error) before it is closed */
  maxBadFrames: number;
  /** bytes queued for one socket before it counts as not reading and is dropped */
  sendBufferBytes: number;
  /** frames per second a socket may send on average, and the burst it may send at once */
  ratePerSecond: number;
  rateBurst: number;
  /** a socket that has not joined a room (or logged in to chat) by then is closed */
  joinDeadlineMs: number;
  maxRooms: number;
  maxMembersPerRoom: number;
  maxSockets: number;
  /** the largest frame accepted (bigger ones close the socket, 1009) */
  maxFrameBytes: number;
}

export const DEFAULT_LIMITS: EmulatorLimits = {
  maxBadFrames: 5,
  sendBufferBytes: 1 << 20,
  ratePerSecond: 200,
  rateBurst: 1000,
  joinDeadlineMs: 10000,
  maxRooms: 1000,
  maxMembersPerRoom: 300,
  maxSockets: 4000,
  maxFrameBytes: 64 * 1024,
};

export interface EmulatorHealth {
  sockets: number;
  rooms: number;
  members: number;
  /** sockets closed, by why */
  closed: { badFrames: number; slow: number; rate: number; deadline: number; capacity: number };
  /** frames refused (each answered with an error) */
  refused: number;
  /** handler exceptions caught */
  caught: number;
}

/** Token bucket per socket; false when the frame is over the rate. */
export function withinRate(c: Conn, limits: EmulatorLimits): boolean {
  const now = Date.now();
  c.tokens = Math.min(limits.rateBurst, c.tokens + ((now - c.refilled) * limits.ratePerSecond) / 1000);
  c.refilled = now;
  if (c.tokens < 1) return false;
  c.tokens -= 1;
  return true;
}
