/**
 * POST /api/login {platform, code}: a mini-program login code for a short-lived session token, through the
 * platform's code2session (or the development stand-in) and the userID mapping.
 */
import type { FastifyInstance } from 'fastify';
import { checkUserID } from '../utils/core/validate';
import type { RouteContext } from './http';
import { HttpError } from './http-errors';
import { codeToSession, defaultUserID, LoginError, type PlatformSession } from './login';
import { errorResponseSchema, loginBodySchema, loginResponseSchema, type LoginBody } from './schemas';

export function registerLoginRoute(api: FastifyInstance, ctx: RouteContext): void {
  const { config, options, now, verifier, standIn, checkOrigin } = ctx;
  const { refuseIfGuessing, countFailure } = ctx.limits;

  api.post<{ Body: LoginBody }>(
    '/api/login',
    {
      onRequest: [checkOrigin],
      preValidation: [refuseIfGuessing],
      schema: {
        body: loginBodySchema,
        response: { 200: loginResponseSchema, '4xx': errorResponseSchema, '5xx': errorResponseSchema },
      },
    },
    async (request, reply) => {
      const { platform, code } = request.body;
      const cfg = config.auth.login[platform];
      if (!cfg || !config.auth.methods.includes('login')) {
        throw new HttpError(503, {
          error: 'login_unavailable',
          field: 'platform',
          message: `mini-program login for platform "${platform}" is not configured on this server`,
        });
      }
      let session: PlatformSession;
      try {
        session = await codeToSession(platform, cfg, code, { fetch: options.fetch, standIn });
      } catch (e) {
        if (!(e instanceof LoginError)) throw e;
        if (e.kind === 'invalid_code') {
          await countFailure(request);
          throw new HttpError(401, { error: 'login_failed', field: 'code', message: e.message });
        }
        request.log.error({ platformCode: e.platformCode, kind: e.kind }, e.message);
        throw new HttpError(e.kind === 'misconfigured' ? 500 : 503, {
          error: e.kind === 'misconfigured' ? 'login_misconfigured' : 'login_unavailable',
          field: 'code',
          message: e.kind === 'misconfigured' ? 'the login is misconfigured on this server' : e.message,
        });
      }
      const userID = await (options.mapUser ?? defaultUserID)(session);
      const valid = checkUserID(userID, 'wx');
      if (!valid.ok) {
        request.log.error('mapUser returned a userID that is not valid on WeChat');
        throw new HttpError(500, {
          error: 'internal_error',
          field: '',
          message: 'the login produced an invalid userID',
        });
      }
      const s = await verifier.issueSession(userID, platform, now());
      reply.header('Cache-Control', 'no-store');
      return { token: s.token, tokenType: 'Bearer', userID, platform, expireAt: s.expireAt };
    },
  );
}
