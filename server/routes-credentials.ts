/**
 * POST /api/credentials: who the caller is (custom authenticate, bearer JWT / login session, or AUTH=none),
 * the per-user limit, the room policy (defaultPolicy, then options.authorize) and the issued credentials.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkRoom, checkUserID, roomKey } from '../utils/core/validate';
import {
  AuthError,
  bearerToken,
  checkDecision,
  defaultPolicy,
  hookIdentity,
  isDenial,
  privilegesFor,
  type Identity,
} from './auth';
import { issueCredentials, PlatformUnavailableError } from './credentials';
import type { RouteContext } from './http';
import { badRequest, forbidden, HttpError, unauthorized } from './http-errors';
import {
  credentialsBodySchema,
  credentialsResponseSchema,
  errorResponseSchema,
  type CredentialsBody,
} from './schemas';

export function registerCredentialsRoute(api: FastifyInstance, ctx: RouteContext): void {
  const { config, options, now, verifier, checkOrigin } = ctx;
  const { perUser, limiterCall, refuseIfGuessing, countFailure } = ctx.limits;
  const noneAuth = config.auth.methods.includes('none');

  const identify = async (request: FastifyRequest<{ Body: CredentialsBody }>): Promise<Identity> => {
    if (options.authenticate) {
      const id = await options.authenticate(request);
      if (id) return hookIdentity(id);
    }
    const token = bearerToken(request.headers.authorization);
    if (token !== null && config.auth.methods.some((m) => m === 'jwt' || m === 'login')) {
      return verifier.verify(token, now());
    }
    if (noneAuth && token === null) {
      const b = request.body as unknown;
      const userID = typeof b === 'object' && b !== null ? (b as { userID?: unknown }).userID : undefined;
      if (typeof userID !== 'string')
        throw new HttpError(400, {
          error: 'invalid_field',
          field: 'userID',
          message: 'AUTH=none: send the userID',
        });
      return { userID, method: 'none' };
    }
    throw new AuthError(
      token === null ? 'missing' : 'invalid',
      token === null
        ? 'send Authorization: Bearer <token> (a session token from POST /api/login or your app session JWT)'
        : 'this server accepts no bearer tokens',
    );
  };

  const authenticateHook = async (request: FastifyRequest<{ Body: CredentialsBody }>): Promise<void> => {
    await refuseIfGuessing(request);
    try {
      request.identity = await identify(request);
    } catch (e) {
      if (!(e instanceof AuthError)) throw e;
      // the token cannot be checked now: no credential, and neither the caller's fault nor a guess
      if (e.kind === 'unavailable')
        throw new HttpError(503, { error: 'auth_unavailable', field: 'authorization', message: e.message });
      // a refused token counts (guessing); no token at all is a client that has not logged in yet
      if (e.kind === 'invalid') await countFailure(request);
      throw unauthorized(e.message);
    }
    const u = await limiterCall(() => perUser(request));
    if (!u.isAllowed && u.isExceeded) {
      throw new HttpError(429, {
        error: 'rate_limited',
        field: 'user',
        message: `rate limit exceeded: at most ${config.limits.perUserPerMinute} credential requests per minute for this user`,
      });
    }
  };

  api.post<{ Body: CredentialsBody }>(
    '/api/credentials',
    {
      onRequest: [checkOrigin],
      // before the schema: an unauthenticated caller learns nothing about validation
      preValidation: [authenticateHook],
      schema: {
        body: credentialsBodySchema,
        response: {
          200: credentialsResponseSchema,
          '4xx': errorResponseSchema,
          '5xx': errorResponseSchema,
        },
      },
    },
    async (request: FastifyRequest<{ Body: CredentialsBody }>, reply: FastifyReply) => {
      const body = request.body;
      const identity = request.identity as Identity;
      if (body.userID !== undefined && body.userID !== identity.userID) {
        throw forbidden(
          'user_mismatch',
          'userID',
          'the userID is not the authenticated user (leave it out: the credentials are for the caller)',
        );
      }
      const user = checkUserID(identity.userID, body.platform);
      if (!user.ok) {
        throw forbidden('user_not_usable', 'userID', `the authenticated userID: ${user.error.message}`);
      }
      const room = checkRoom(body.roomID, body.strRoomID, body.platform);
      if (!room.ok) throw badRequest(room.error.field, room.error.message);
      const base = defaultPolicy(config.auth.scene, identity, room.value, body.role, body.platform);
      const decision = options.authorize
        ? checkDecision(
            await options.authorize(
              {
                identity,
                platform: body.platform,
                room: room.value,
                roomKey: roomKey(room.value),
                requestedRole: body.role,
                request,
              },
              base,
            ),
          )
        : base;
      if (isDenial(decision)) {
        const field =
          decision.deny === 'role_not_allowed'
            ? 'role'
            : room.value.strRoomID !== undefined
              ? 'strRoomID'
              : 'roomID';
        throw forbidden(
          decision.deny,
          field,
          decision.message ?? 'this identity may not get credentials for this room',
        );
      }
      try {
        const issued = issueCredentials(
          {
            platform: body.platform,
            userID: user.value,
            room: room.value,
            role: decision.role,
            privileges: privilegesFor(decision),
          },
          { trtc: config.trtc, volc: config.volc, ttlSeconds: config.tokenTtlSeconds, now: now() },
        );
        reply.header('Cache-Control', 'no-store');
        return issued;
      } catch (e) {
        if (e instanceof PlatformUnavailableError) {
          throw new HttpError(503, {
            error: 'platform_unavailable',
            field: 'platform',
            message: e.message,
          });
        }
        throw e;
      }
    },
  );
}
