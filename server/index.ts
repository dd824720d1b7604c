/**
 * The webrtc-room signing service, for `require('webrtc-room/server')`: TRTC UserSig / PrivateMapKey and
 * Volcengine tokens (create + verify), and the HTTP service. Server side only: never bundle this into a
 * mini-program (scripts/check-dist-secrets.ts fails the build if it ends up in dist/wx or dist/tt).
 */
export {
  createUserSig,
  createPrivateMapKey,
  verifyUserSig,
  decodeUserSig,
  encodeUserbuf,
  decodeUserbuf,
  TRTC_PRIVILEGE,
  ANCHOR_PRIVILEGES,
  AUDIENCE_PRIVILEGES,
} from './trtc';
export type {
  CreateUserSigOptions,
  CreatePrivateMapKeyOptions,
  VerifyUserSigOptions,
  VerifyUserSigResult,
  UserSigFailure,
  PrivateMapInfo,
  UserbufFields,
} from './trtc';
export {
  createVolcToken,
  verifyVolcToken,
  parseVolcToken,
  volcPrivilegeActive,
  VOLC_PRIVILEGE,
} from './volc';
export type {
  CreateVolcTokenOptions,
  VerifyVolcTokenOptions,
  VerifyVolcTokenResult,
  VolcPrivileges,
  VolcTokenFailure,
} from './volc';
export {
  createServer,
  isOriginAllowed,
  credentialsBodySchema,
  loginBodySchema,
  trustProxyOption,
} from './app';
export type { SigningServer, ActiveCredentials, CreateServerOptions, ErrorBody } from './app';
export {
  loadConfig,
  describeConfig,
  usesDevKeys,
  parseDotenv,
  ConfigError,
  parseTrustProxy,
  DEV_SDK_APP_ID,
  DEV_MARKERS,
  DEV_MODE_BANNER,
  SECRET_ENV_NAMES,
} from './config';
export type {
  ServerConfig,
  ServerEnv,
  TrtcKeys,
  VolcKeys,
  Mode,
  AuthConfig,
  AuthMethod,
  JwtConfig,
  LimitsConfig,
  LoginPlatformConfig,
  LoadConfigOptions,
  TimeoutsConfig,
  TrustProxy,
} from './config';
export {
  AuthError,
  bearerToken,
  createTokenVerifier,
  defaultPolicy,
  SESSION_AUDIENCE,
  SESSION_ISSUER,
} from './auth';
export type { Authenticate, Authorize, AuthorizeInput, Denial, Grant, Identity, TokenVerifier } from './auth';
export { codeToSession, defaultUserID, LoginError, ttCodeToSession, wxCodeToSession } from './login';
export type { LoginFailureKind, LoginTransport, PlatformSession } from './login';
export { createLoginStandIn, issueDevLoginCode } from './login-standin';
export type { LoginStandIn, StandInApp } from './login-standin';
export { loadOrCreateDevKeys, DEV_KEYS_FILENAME } from './devkeys';
export type { DevKeys } from './devkeys';
export { issueCredentials, PlatformUnavailableError } from './credentials';
export type { Credentials, CredentialsRequest, IssueOptions } from './credentials';
