/**
 * The JSON schemas of the signing service's bodies and answers (POST /api/login, POST /api/credentials, errors),
 * built from the component's ID rules (utils/core/validate.ts), and the body types they check.
 */
import {
  type Platform,
  type Role,
  ROLES,
  ROOM_ID_MAX,
  TT_ID_PATTERN,
  WX_STR_ROOM_ID_PATTERN,
  WX_USER_ID_PATTERN,
} from '../utils/core/validate';

export interface CredentialsBody {
  platform: Platform;
  userID?: string;
  roomID?: number | string;
  strRoomID?: string;
  role?: Role;
}

/** `''` counts as "not set", as in checkRoom. */
export const orEmpty = (pattern: string): string => `^$|${pattern}`;

export const credentialsBodySchema = {
  type: 'object',
  required: ['platform'],
  additionalProperties: false,
  properties: {
    platform: { type: 'string', enum: ['wx', 'tt'] },
    // optional: the credentials are for the authenticated user; a different userID is refused (403)
    userID: { type: 'string', minLength: 1, maxLength: 128 },
    // 0 and '' count as "not set" (checkRoom decides); numeric strings are accepted like the component does
    roomID: {
      anyOf: [
        { type: 'integer', minimum: 0, maximum: ROOM_ID_MAX },
        { type: 'string', pattern: '^\\s*\\d{0,10}\\s*$' },
      ],
    },
    strRoomID: { type: 'string', maxLength: 128 },
    role: { type: 'string', enum: [...ROLES] },
  },
  allOf: [
    {
      if: { properties: { platform: { const: 'wx' } } },
      then: {
        properties: {
          userID: { type: 'string', pattern: WX_USER_ID_PATTERN },
          strRoomID: { type: 'string', pattern: orEmpty(WX_STR_ROOM_ID_PATTERN) },
        },
      },
    },
    {
      if: { properties: { platform: { const: 'tt' } } },
      then: {
        properties: {
          userID: { type: 'string', pattern: TT_ID_PATTERN },
          strRoomID: { type: 'string', pattern: orEmpty(TT_ID_PATTERN) },
        },
      },
    },
  ],
} as const;

export interface LoginBody {
  platform: Platform;
  code: string;
}

export const loginBodySchema = {
  type: 'object',
  required: ['platform', 'code'],
  additionalProperties: false,
  properties: {
    platform: { type: 'string', enum: ['wx', 'tt'] },
    code: { type: 'string', minLength: 1, maxLength: 256, pattern: '^[\\x21-\\x7e]+$' },
  },
} as const;

export const loginResponseSchema = {
  type: 'object',
  required: ['token', 'tokenType', 'userID', 'platform', 'expireAt'],
  properties: {
    token: { type: 'string' },
    tokenType: { type: 'string' },
    userID: { type: 'string' },
    platform: { type: 'string' },
    expireAt: { type: 'integer' },
  },
} as const;

export const credentialsResponseSchema = {
  type: 'object',
  required: ['platform', 'sdkAppID', 'userID', 'role', 'userSig', 'expireAt'],
  properties: {
    platform: { type: 'string' },
    sdkAppID: { type: ['integer', 'string'] },
    userID: { type: 'string' },
    roomID: { type: 'integer' },
    strRoomID: { type: 'string' },
    role: { type: 'string' },
    userSig: { type: 'string' },
    privateMapKey: { type: 'string' },
    expireAt: { type: 'integer' },
  },
} as const;

export const errorResponseSchema = {
  type: 'object',
  properties: { error: { type: 'string' }, field: { type: 'string' }, message: { type: 'string' } },
} as const;
