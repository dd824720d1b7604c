/**
 * The signing service's errors: every one is JSON `{error, field, message}` (ErrorBody); schema errors get the
 * field and the component's own words, Fastify's and the rate-limit store's errors their status.
 */
import type { FastifyError, FastifyRequest } from 'fastify';
import { ReplyError } from 'ioredis';
import { checkRoomID, checkStrRoomID, checkUserID, type Platform, ROLES } from '../utils/core/validate';

export interface ErrorBody {
  error: string;
  field: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
  }
}

export const badRequest = (field: string, message: string): HttpError =>
  new HttpError(400, { error: 'invalid_field', field, message });

export interface AjvErrorLike {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** The field a schema error is about, and a message in the component's words where there is one. */
export function describeSchemaError(err: AjvErrorLike, body: unknown): { field: string; message: string } {
  let field = err.instancePath.split('/')[1] ?? '';
  if (err.keyword === 'required' && typeof err.params.missingProperty === 'string')
    field = err.params.missingProperty;
  if (err.keyword === 'additionalProperties' && typeof err.params.additionalProperty === 'string') {
    return {
      field: err.params.additionalProperty,
      message: `unknown field "${err.params.additionalProperty}"`,
    };
  }
  if (field === '')
    return { field: 'body', message: `the body must be a JSON object (${err.message ?? 'invalid'})` };
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const platform: Platform = b.platform === 'tt' ? 'tt' : 'wx';
  const check =
    field === 'userID'
      ? checkUserID(b.userID, platform)
      : field === 'roomID'
        ? checkRoomID(b.roomID)
        : field === 'strRoomID'
          ? checkStrRoomID(b.strRoomID, platform)
          : null;
  if (check && !check.ok) return { field, message: check.error.message };
  if (field === 'platform') return { field, message: `platform must be 'wx' or 'tt'` };
  if (field === 'role')
    return { field, message: `role must be one of ${ROLES.map((r) => `'${r}'`).join(', ')}` };
  return { field, message: `${field} ${err.message ?? 'is invalid'}` };
}

export function errorBodyFor(
  err: FastifyError & { body?: ErrorBody },
  request: FastifyRequest,
): [number, ErrorBody] {
  if (err instanceof HttpError) return [err.statusCode, err.body];
  if (err.validation && err.validation.length > 0) {
    const { field, message } = describeSchemaError(err.validation[0] as AjvErrorLike, request.body);
    return [400, { error: 'invalid_field', field, message }];
  }
  const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return [413, { error: 'payload_too_large', field: 'body', message: err.message }];
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return [
        415,
        { error: 'unsupported_media_type', field: 'body', message: 'send the body as application/json' },
      ];
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return [400, { error: 'invalid_json', field: 'body', message: 'the body is not valid JSON' }];
  }
  if (status === 429) {
    return [429, { error: 'rate_limited', field: 'ip', message: err.message }];
  }
  if (status >= 400 && status < 500) {
    return [status, { error: err.code ?? 'bad_request', field: 'body', message: err.message }];
  }
  return [500, { error: 'internal_error', field: '', message: 'internal error' }];
}

export const unauthorized = (message: string): HttpError =>
  new HttpError(401, { error: 'unauthorized', field: 'authorization', message });
export const forbidden = (error: string, field: string, message: string): HttpError =>
  new HttpError(403, { error, field, message });

/** An error of the Redis client (unreachable, closed, retries exhausted): requests fail closed with 503. */
export function isStoreError(err: Error): boolean {
  return (
    err instanceof ReplyError ||
    err.name === 'MaxRetriesPerRequestError' ||
    /Connection is closed|ECONNREFUSED|Stream isn't writeable|enableOfflineQueue/.test(err.message)
  );
}
