/**
 * The Tencent Cloud Chat SDK (`@tencentcloud/chat`) as far as the component uses it: the injected module's
 * shape, the check `registerChat` applies, and how SDK results and failures are read. Types and pure readers.
 */
// ------------------------------------------------------------------ the SDK, as far as we use it

/** A message as the SDK delivers it (`EVENT.MESSAGE_RECEIVED` data, `sendMessage` result). */
export interface SDKMessage {
  ID: string;
  type: string;
  payload: unknown;
  conversationType: string;
  to: string;
  from: string;
  time: number;
  flow?: string;
  nick?: string;
  avatar?: string;
  cloudCustomData?: string;
}

export interface SDKEvent {
  name?: string;
  data?: unknown;
}

export type SDKListener = (event: SDKEvent) => void;

interface CreateMessageOptions<P> {
  to: string;
  conversationType: string;
  payload: P;
}

/** What `create()` returns. */
export interface ChatInstance {
  login(options: { userID: string; userSig: string }): Promise<unknown>;
  logout(): Promise<unknown>;
  joinGroup(options: { groupID: string; type?: string }): Promise<unknown>;
  quitGroup(groupID: string): Promise<unknown>;
  createGroup?(options: { type: string; groupID: string; name: string }): Promise<unknown>;
  createTextMessage(options: CreateMessageOptions<{ text: string }>): unknown;
  createCustomMessage(
    options: CreateMessageOptions<{ data: string; description?: string; extension?: string }>,
  ): unknown;
  sendMessage(message: never): Promise<unknown>;
  on(eventName: string, handler: SDKListener, context?: unknown): void;
  off(eventName: string, handler: SDKListener, context?: unknown): void;
  getLoginUser?(): unknown;
  isReady?(): boolean;
}

/** The module itself: `import TencentCloudChat from '@tencentcloud/chat'` satisfies it. */
export interface ChatSDK {
  create(options: { SDKAppID: number }): ChatInstance;
  EVENT: {
    SDK_READY: string;
    SDK_NOT_READY: string;
    MESSAGE_RECEIVED: string;
    KICKED_OUT: string;
    NET_STATE_CHANGE: string;
    ERROR: string;
  };
  TYPES: {
    GRP_AVCHATROOM: string;
    CONV_GROUP: string;
    CONV_C2C: string;
    CONV_SYSTEM: string;
  };
}

/** Whether a value looks like the chat SDK module (what `registerChat` accepts). */
export function isChatSDK(v: unknown): v is ChatSDK {
  const m = v as Partial<ChatSDK> | null | undefined;
  return (
    !!m &&
    typeof m.create === 'function' &&
    typeof m.EVENT === 'object' &&
    m.EVENT !== null &&
    typeof m.EVENT.MESSAGE_RECEIVED === 'string' &&
    typeof m.TYPES === 'object' &&
    m.TYPES !== null &&
    typeof m.TYPES.GRP_AVCHATROOM === 'string'
  );
}

/** The SDK's numeric code (a numeric string too), or 0; never coerces an object (its valueOf may throw). */
export function sdkCode(e: unknown): number {
  const c = Object(e).code;
  return typeof c === 'number' ? c : (typeof c === 'string' && Number(c)) || 0;
}

/** The SDK's message, or a primitive as text, or ''; never String() of an object (its toString may throw). */
export function sdkMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  const m = Object(e).message;
  return typeof m === 'string' ? m : e === null || typeof e !== 'object' ? String(e) : '';
}

/** JoinedSuccess / AlreadyInGroup / WaitAdminApproval from a joinGroup result. */
export function joinStatus(res: unknown): string {
  const s = (res as { data?: { status?: unknown } } | null)?.data?.status;
  return typeof s === 'string' ? s : 'JoinedSuccess';
}

/** `TYPES.KICKED_OUT_USERSIG_EXPIRED`: the login's UserSig expired */
export const USERSIG_EXPIRED = 'userSigExpired';

/** SDK error 10013: already a member of the group. */
export const ALREADY_MEMBER = 10013;

/** Joining a group that does not exist: 10010 (never created, or dismissed), 10015 (no group with that ID). */
export const GROUP_MISSING = [10010, 10015];

/** Creating a group whose ID is taken: 10021 (by someone else), 10025 (by this user): it exists, join it. */
export const GROUP_TAKEN = [10021, 10025];
