/**
 * The signing service's rate limits (memory or Redis): requests per IP, failed authentications per IP (peeked
 * before trying, counted on failure) and credential requests per user; a store that fails fails closed (503).
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type Redis from 'ioredis';
import type { ServerConfig } from './config';
import { HttpError } from './http-errors';

/** Requests per IP and minute, for every route that does not opt out. */
export function registerIpLimit(app: FastifyInstance, config: ServerConfig, redis: Redis | null): void {
  app.register(rateLimit, {
    max: config.limits.perIpPerMinute,
    timeWindow: 60_000,
    nameSpace: 'webrtc-room-rl:',
    ...(redis ? { redis } : {}),
    skipOnError: false,
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      code: 'rate_limited',
      message: `rate limit exceeded: at most ${ctx.max} requests per minute from this address, retry in ${ctx.after}`,
    }),
  });
}

export type RequestLimits = ReturnType<typeof createRequestLimits>;

/** The per-IP failure and per-user limiters of one Fastify scope. */
export function createRequestLimits(api: FastifyInstance, config: ServerConfig) {
  // failed authentications per IP: peeked before trying, counted only on failure
  const failures = api.createRateLimit({
    max: config.limits.authFailuresPerMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => `authfail:${req.ip}`,
  });
  const perUser = api.createRateLimit({
    max: config.limits.perUserPerMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => `user:${req.identity?.userID ?? ''}`,
  });
  const limiterCall = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch {
      throw new HttpError(503, {
        error: 'limiter_unavailable',
        field: '',
        message: 'the rate-limit store is not reachable; try again',
      });
    }
  };
  const refuseIfGuessing = async (request: FastifyRequest): Promise<void> => {
    const s = await limiterCall(() => failures(request, { increment: false }));
    if (!s.isAllowed && s.remaining <= 0) {
      throw new HttpError(429, {
        error: 'too_many_failures',
        field: 'authorization',
        message: `too many failed authentications from this address: at most ${config.limits.authFailuresPerMinute} per minute`,
      });
    }
  };
  const countFailure = (request: FastifyRequest): Promise<unknown> => limiterCall(() => failures(request));
  return { perUser, limiterCall, refuseIfGuessing, countFailure };
}
