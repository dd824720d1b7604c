/**
 * The signing service's HTTP plumbing: Node's server with its timeouts, Fastify's trustProxy, the CORS
 * allow-list with the per-route origin check, and what the route modules share (RouteContext).
 */
import * as http from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { CreateServerOptions } from './app';
import type { createTokenVerifier } from './auth';
import type { ServerConfig, TrustProxy } from './config';
import { HttpError } from './http-errors';
import type { RequestLimits } from './limits';
import type { LoginStandIn } from './login-standin';

function isLocalhostOrigin(origin: string): boolean {
  try {
    const h = new URL(origin).hostname;
    return h === 'localhost' || h === '127.0.0.1' || h === '[::1]';
  } catch {
    return false;
  }
}

/** CORS allow-list: exact origins or '*'; with none configured, development allows localhost only. */
export function isOriginAllowed(origin: string, config: ServerConfig): boolean {
  const o = origin.replace(/\/+$/, '');
  if (config.allowedOrigins.length === 0) return config.mode === 'development' && isLocalhostOrigin(o);
  return config.allowedOrigins.includes('*') || config.allowedOrigins.includes(o);
}

/**
 * Fastify's trustProxy. A hop count N trusts the N nearest hops (the socket peer first, then X-Forwarded-For from
 * the right), the proxy-addr semantics Fastify had for numbers; Fastify 5.12 now treats a bare number as "trust
 * nothing", so it is passed as that function. The client's own leftmost entries are never trusted.
 */
export function trustProxyOption(
  tp: TrustProxy,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof tp === 'number') return (_address: string, hop: number) => hop < tp;
  return tp;
}

/** Node's HTTP server with the request, header and idle timeouts (slow headers and slow bodies are cut). */
export function serverFactoryFor(config: ServerConfig) {
  return (handler: http.RequestListener): http.Server => {
    const t = config.timeouts;
    const server = http.createServer(
      {
        headersTimeout: Math.min(t.headersMs, t.requestMs),
        requestTimeout: t.requestMs,
        keepAliveTimeout: t.keepAliveMs,
        // how often Node checks the two timeouts above (default 30 s would let a slow body live that long)
        connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(t.requestMs / 4))),
      },
      handler,
    );
    server.setTimeout(t.idleMs, (socket) => socket.destroy());
    return server;
  };
}

/** Refuses a request from an origin outside the allow-list (403 origin_not_allowed). */
export function originCheck(config: ServerConfig): (request: FastifyRequest) => Promise<void> {
  return async (request: FastifyRequest): Promise<void> => {
    const origin = request.headers.origin;
    if (origin !== undefined && !isOriginAllowed(origin, config)) {
      throw new HttpError(403, {
        error: 'origin_not_allowed',
        field: 'origin',
        message: `origin ${origin} is not allowed`,
      });
    }
  };
}

/** What the route modules (routes-*.ts) get from createServer. */
export interface RouteContext {
  config: ServerConfig;
  options: CreateServerOptions;
  /** clock in unix seconds */
  now: () => number;
  verifier: ReturnType<typeof createTokenVerifier>;
  standIn: LoginStandIn | null;
  checkOrigin: (request: FastifyRequest) => Promise<void>;
  limits: RequestLimits;
}
