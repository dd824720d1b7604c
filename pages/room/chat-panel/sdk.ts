/**
 * Demo only: registers @tencentcloud/chat when the SDK can be loaded. In WeChat DevTools it is there after
 * "Tools → Build npm" (with the package in the mini-program's dependencies); in the browser preview it is not,
 * and the room then reports IMEvent error -20 instead of chatting. The module name is kept out of static
 * analysis on purpose so no bundler pulls the 725 KB SDK into a build that did not ask for it.
 */
import { registerChat, registeredChat } from '../../../components/webrtc-room/chat';

const CHAT_MODULE = ['@tencentcloud', 'chat'].join('/');

/** true when the chat SDK is registered (now or before). */
export function ensureChatSDK(): boolean {
  if (registeredChat()) return true;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(CHAT_MODULE) as { default?: unknown };
    registerChat(mod && mod.default ? mod.default : mod);
    return true;
  } catch {
    return false;
  }
}
