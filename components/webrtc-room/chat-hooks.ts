/**
 * The one slot the optional chat code fills. `registerChat()` (./chat) installs the hooks; the component
 * only calls them, so an app that never registers chat never loads it. In dist this file stays its own
 * module (build/bundle.ts SHARED_MODULES) so the component and ./chat see the same slot.
 */
import type { IMMessage } from '../../utils/chat/events';

/** The component instance as the chat code sees it (its data, events and per-instance chat state). */
export type ChatInstance = object;

export type SendMethod =
  'sendTextMessage' | 'sendCustomMessage' | 'sendC2CTextMessage' | 'sendC2CCustomMessage';

export interface ChatHooks {
  /** the room session began (parameters validated) or ended (stop, exit_room, kicked, give-up) */
  session(inst: ChatInstance, on: boolean): void;
  /** the `enableIM` property changed (to another value than the last: the component compares) */
  enableIM(inst: ChatInstance, on: boolean): void;
  detached(inst: ChatInstance): void;
  /** a newer UserSig: `updateUserSig(sig)` (given), or the userSig / imConfig property changed in value (none) */
  creds(inst: ChatInstance, userSig?: unknown): void;
  send(inst: ChatInstance, method: SendMethod, args: unknown[]): Promise<IMMessage>;
}

let installed: ChatHooks | null = null;

export function installChatHooks(hooks: ChatHooks | null): void {
  installed = hooks;
}

export function chatHooks(): ChatHooks | null {
  return installed;
}
