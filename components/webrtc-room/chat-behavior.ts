/**
 * The chat part of <webrtc-room>, loaded only through `registerChat()` (./chat), which installs these hooks
 * into ./chat-hooks. Chat follows the room session: it starts once start()'s parameters validated and stops
 * when the session ends (stop, exit_room, kicked, give-up) or the component detaches. Each component instance
 * owns its own ChatSession; the SDK instance behind it is shared and reference-counted in utils/chat/hub.ts.
 * Events: `this.triggerEvent('IMEvent', {tag, code, detail})` (pages bind `bindIMEvent`).
 */
import { ChatSession } from '../../utils/chat/session';
import { chatCredentials } from '../../utils/chat/credentials';
import type { IMConfig } from '../../utils/chat/credentials';
import { imError, IMErrorCode } from '../../utils/chat/events';
import type { IMEvent } from '../../utils/chat/events';
import type { ChatSDK } from '../../utils/chat/sdk';
import { createLogger } from '../../utils/core/logger';
import { checkRoom, checkUserSig, roomKey } from '../../utils/core/validate';
import type { ChatHooks, SendMethod } from './chat-hooks';

/** The registration ./chat holds (passed in so this module does not import ./chat back). */
let registered: () => ChatSDK | null = () => null;

interface ChatHost {
  data: Record<string, unknown>;
  triggerEvent(name: string, detail: unknown): void;
  /** this instance's session (created at the first start with enableIM) */
  _chat?: ChatSession | null;
  /** the SDK module the session was created with */
  _chatWith?: ChatSDK | null;
  /** set by setChatSDK; wins over registerChat */
  _chatSDK?: ChatSDK | null;
  /** the room session is on: enableIM turned on now starts chat */
  _imWanted?: boolean;
  /** updateUserSig()'s credential and the userSig property it replaced (a newer property wins) */
  _imSig?: [string, unknown];
  /** the room adapter (index.ts), for the platform */
  _adapter?: { platform: 'wx' | 'tt' } | null;
}

function host(inst: unknown): ChatHost {
  return inst as ChatHost;
}

function emit(h: ChatHost, ev: IMEvent): void {
  h.triggerEvent('IMEvent', ev);
}

/** The chat credentials now: the room's (with updateUserSig's UserSig until the property changes) and imConfig. */
function credentials(h: ChatHost) {
  const platform = h._adapter?.platform ?? 'wx';
  const d = h.data;
  const room = checkRoom(d.roomID, d.strRoomID, platform);
  const sig = h._imSig;
  return chatCredentials(
    sig && sig[1] === d.userSig ? { ...d, userSig: sig[0] } : d,
    room.ok ? roomKey(room.value) : null,
    (d.imConfig as IMConfig | null) ?? null,
    platform,
  );
}

function startChat(h: ChatHost): void {
  if (h.data.enableIM !== true) return;
  const sdk = h._chatSDK ?? registered();
  if (!sdk) {
    emit(
      h,
      imError(
        IMErrorCode.NOT_REGISTERED,
        // chat is loaded, so the registration was taken back (unregisterChat)
        'enableIM needs the chat SDK: registerChat(TencentCloudChat) again, or room.setChatSDK(TencentCloudChat)',
      ).toEvent(),
    );
    return;
  }
  const creds = credentials(h);
  if (!creds.ok) {
    emit(h, creds.error.toEvent());
    return;
  }
  if (h._chat && h._chatWith !== sdk) void stopChat(h);
  if (!h._chat) {
    const log = createLogger('webrtc-room:im', () => h.data.debug === true);
    h._chat = new ChatSession(sdk, (ev) => emit(h, ev), log);
    h._chatWith = sdk;
  }
  // failures arrive as IMEvents; the promise only tells when the group is joined
  h._chat.start(creds.value).catch(() => undefined);
}

function stopChat(h: ChatHost): Promise<void> {
  const s = h._chat;
  h._chat = null;
  h._chatWith = null;
  return s ? s.stop() : Promise.resolve();
}

function notReady(): Promise<never> {
  return Promise.reject(
    imError(
      IMErrorCode.NOT_LOGGED_IN,
      'chat is not started: set enableIM, register the chat SDK and call start() (wait for join_group_event)',
    ),
  );
}

/** The hooks registerChat() installs; `sdk` reads the app-wide registration. */
export function chatHooksFor(sdk: () => ChatSDK | null): ChatHooks {
  registered = sdk;
  return {
    session(inst, on) {
      const h = host(inst);
      h._imWanted = on;
      if (on) startChat(h);
      else void stopChat(h);
    },
    enableIM(inst, on) {
      const h = host(inst);
      if (!on) void stopChat(h);
      // a real change only (index.ts): off → on in a room session starts chat; an ended chat stays ended until then
      else if (h._imWanted) startChat(h);
    },
    detached(inst) {
      const h = host(inst);
      h._imWanted = false;
      void stopChat(h);
    },
    creds(inst, userSig) {
      const h = host(inst);
      // an invalid one is the room's error -1 (the controller checks it)
      if (userSig !== undefined) {
        if (!checkUserSig(userSig).ok) return;
        h._imSig = [userSig as string, h.data.userSig];
      }
      const c = h._chat && credentials(h);
      if (c && c.ok) void h._chat?.renew(c.value);
    },
    send(inst, method: SendMethod, args: unknown[]) {
      const s = host(inst)._chat;
      if (!s) return notReady();
      switch (method) {
        case 'sendTextMessage':
          return s.sendTextMessage(args[0] as string);
        case 'sendCustomMessage':
          return s.sendCustomMessage(args[0] as { data: string; description?: string; extension?: string });
        case 'sendC2CTextMessage':
          return s.sendC2CTextMessage(args[0] as string, args[1] as string);
        default:
          return s.sendC2CCustomMessage(
            args[0] as string,
            args[1] as { data: string; description?: string; extension?: string },
          );
      }
    },
  };
}
