/**
 * The chat part of <webrtc-room>: a Behavior adding the send methods and `setChatSDK`, plus two hooks the
 * component calls from `start()` / `stop()`. Each component instance owns its own ChatSession (no shared
 * `self`); the SDK instance behind it is shared and reference-counted in utils/chat/hub.ts.
 * Events: `this.triggerEvent('IMEvent', {tag, code, detail})` (pages bind `bindIMEvent`).
 */
import { ChatSession } from '../../utils/chat/session';
import { chatCredentials } from '../../utils/chat/credentials';
import type { IMConfig } from '../../utils/chat/credentials';
import { imError, IMErrorCode } from '../../utils/chat/events';
import type { IMEvent, IMMessage } from '../../utils/chat/events';
import { isChatSDK } from '../../utils/chat/sdk';
import type { ChatSDK } from '../../utils/chat/sdk';
import { createLogger } from '../../utils/core/logger';
import { checkRoom, roomKey } from '../../utils/core/validate';
import { registeredChat } from './chat';

interface ChatHost {
  data: Record<string, unknown>;
  triggerEvent(name: string, detail: unknown): void;
  /** this instance's session (created at the first start with enableIM) */
  _chat?: ChatSession | null;
  /** the SDK module the session was created with */
  _chatWith?: ChatSDK | null;
  /** set by setChatSDK; wins over registerChat */
  _chatSDK?: ChatSDK | null;
  /** start() was called and stop() was not: enableIM turned on now starts chat */
  _imWanted?: boolean;
  /** the room adapter (index.ts), for the platform */
  _adapter?: { platform: 'wx' | 'tt' } | null;
}

function host(inst: unknown): ChatHost {
  return inst as ChatHost;
}

function emit(h: ChatHost, ev: IMEvent): void {
  h.triggerEvent('IMEvent', ev);
}

function startChat(h: ChatHost): void {
  if (h.data.enableIM !== true) return;
  const sdk = h._chatSDK ?? registeredChat();
  if (!sdk) {
    emit(
      h,
      imError(
        IMErrorCode.NOT_REGISTERED,
        "enableIM needs the chat SDK: call registerChat(TencentCloudChat) from 'webrtc-room/components/webrtc-room/chat' in app.js, or room.setChatSDK(TencentCloudChat)",
      ).toEvent(),
    );
    return;
  }
  const platform = h._adapter?.platform ?? 'wx';
  const room = checkRoom(h.data.roomID, h.data.strRoomID, platform);
  const creds = chatCredentials(
    h.data,
    room.ok ? roomKey(room.value) : null,
    (h.data.imConfig as IMConfig | null) ?? null,
    platform,
  );
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

/** index.ts start(): begin chat when enableIM is on. */
export function chatOnStart(inst: unknown): void {
  const h = host(inst);
  h._imWanted = true;
  startChat(h);
}

/** index.ts stop(): quit the group and log out (when this was the last user of the SDK instance). */
export function chatOnStop(inst: unknown): void {
  const h = host(inst);
  h._imWanted = false;
  void stopChat(h);
}

function notReady(): Promise<never> {
  return Promise.reject(
    imError(
      IMErrorCode.NOT_LOGGED_IN,
      'chat is not started: set enableIM, register the chat SDK and call start() (wait for join_group_event)',
    ),
  );
}

export const chatBehavior = Behavior({
  observers: {
    enableIM(this: unknown, on: boolean) {
      const h = host(this);
      if (!on) void stopChat(h);
      else if (h._imWanted) startChat(h);
    },
  },
  lifetimes: {
    detached(this: unknown) {
      const h = host(this);
      h._imWanted = false;
      void stopChat(h);
    },
  },
  methods: {
    /** Use this SDK module for this component (instead of the one given to registerChat). */
    setChatSDK(sdk: unknown): void {
      if (!isChatSDK(sdk)) {
        throw new TypeError('setChatSDK expects the @tencentcloud/chat module');
      }
      host(this)._chatSDK = sdk;
    },
    /** Text to the room's group; resolves with the sent message. */
    sendTextMessage(text: string): Promise<IMMessage> {
      const s = host(this)._chat;
      return s ? s.sendTextMessage(text) : notReady();
    },
    /** Custom message (`data` is a string, e.g. JSON) to the room's group. */
    sendCustomMessage(payload: {
      data: string;
      description?: string;
      extension?: string;
    }): Promise<IMMessage> {
      const s = host(this)._chat;
      return s ? s.sendCustomMessage(payload) : notReady();
    },
    /** Text to one user. */
    sendC2CTextMessage(userID: string, text: string): Promise<IMMessage> {
      const s = host(this)._chat;
      return s ? s.sendC2CTextMessage(userID, text) : notReady();
    },
    /** Custom message to one user. */
    sendC2CCustomMessage(
      userID: string,
      payload: { data: string; description?: string; extension?: string },
    ): Promise<IMMessage> {
      const s = host(this)._chat;
      return s ? s.sendC2CCustomMessage(userID, payload) : notReady();
    },
  },
});
