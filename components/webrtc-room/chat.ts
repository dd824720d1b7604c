/**
 * Opt-in chat for <webrtc-room>. The package never imports `@tencentcloud/chat` (725 KB): an app that
 * wants `enableIM` registers the SDK once, and an app that does not never ships it.
 *
 *   // app.js
 *   import TencentCloudChat from '@tencentcloud/chat';
 *   import { registerChat } from 'webrtc-room/components/webrtc-room/chat';
 *   registerChat(TencentCloudChat);
 *
 * One component can also be given its own SDK module with `room.setChatSDK(TencentCloudChat)`.
 */
import { isChatSDK } from '../../utils/chat/sdk';
import type { ChatSDK } from '../../utils/chat/sdk';

export { IMErrorCode, MAX_MESSAGE_BYTES } from '../../utils/chat/events';
export type { IMEvent, IMEventTag, IMMessage } from '../../utils/chat/events';
export type { IMConfig } from '../../utils/chat/credentials';

/** The app-wide registration (one module instance per mini-program, so every component sees it). */
let registered: ChatSDK | null = null;

/** Registers the chat SDK module (`@tencentcloud/chat`'s default export) for every <webrtc-room>. */
export function registerChat(sdk: unknown): void {
  if (!isChatSDK(sdk)) {
    throw new TypeError(
      "registerChat expects the @tencentcloud/chat module (import TencentCloudChat from '@tencentcloud/chat')",
    );
  }
  registered = sdk;
}

/** Removes the registration (tests, or an app that turns chat off). */
export function unregisterChat(): void {
  registered = null;
}

export function registeredChat(): ChatSDK | null {
  return registered;
}
