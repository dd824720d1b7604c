/**
 * One component's chat session on the shared SDK instance (./hub.ts): log in, join the room's group, route
 * the SDK's events to this room's `IMEvent`s (./routing.ts), send text and custom messages (./send.ts) while it
 * may.
 */
import type { Logger } from '../core/logger';
import { IMError, imError, IMErrorCode, imEvent } from './events';
import type { IMEvent, IMMessage } from './events';
import { routeMessages } from './routing';
import type { ChatCredentials } from './credentials';
import { GroupHold, SDKEventKind, SessionLink, SharedChat } from './hub';
import { sdkCode, sdkMessage, USERSIG_EXPIRED } from './sdk';
import type { ChatSDK } from './sdk';
import { c2cTarget, customMessage, deliver, textMessage } from './send';
import type { Create, Target } from './send';

export type ChatState = 'idle' | 'starting' | 'ready' | 'failed' | 'kicked';
export type IMSink = (ev: IMEvent) => void;

/** One component's chat: login, the room's group, events, sending. */
export class ChatSession {
  private hub: SharedChat | null = null;
  private hold: GroupHold | null = null;
  private creds: ChatCredentials | null = null;
  private running: Promise<void> | null = null;
  private token = 0;
  private _state: ChatState = 'idle';
  private loggedIn = false;
  /**
   * why it was kicked, the IM code it failed with (what a newer UserSig can bring back), or why its group ended
   * (-31, the words of the sends that fail then)
   */
  private endedBy: string | number = '';
  private readonly link: SessionLink;

  constructor(
    private readonly sdk: ChatSDK,
    private readonly sink: IMSink,
    private readonly log: Logger = () => undefined,
  ) {
    this.link = { onSDKEvent: (kind, data) => this.onSDKEvent(kind, data) };
  }

  get state(): ChatState {
    return this._state;
  }

  get groupID(): string {
    return this.creds?.groupID ?? '';
  }

  /**
   * Log in (shared per SDKAppID), wait for SDK ready, join the group. Resolves once in the group (or when a
   * stop() cancels it); rejects with the IMError that was also emitted. Same credentials again: no-op.
   */
  start(creds: ChatCredentials): Promise<void> {
    // the same session (a newer UserSig only renews it)
    if (this.sameIdentity(creds) && this.running && (this._state === 'starting' || this._state === 'ready')) {
      void this.renew(creds);
      return this.running;
    }
    const previous = this.hub ? this.stop() : Promise.resolve();
    const token = ++this.token;
    this.creds = { ...creds };
    this._state = 'starting';
    this.endedBy = '';
    const hub = SharedChat.acquire(this.sdk, creds.sdkAppID, this.link);
    this.hub = hub;
    const live = () => token === this.token;
    const run = (async () => {
      await previous;
      if (!live()) return;
      let stage: 'login' | 'join' = 'login';
      try {
        await hub.ensureLogin(creds.userID, creds.userSig);
        if (!live()) return;
        this.loggedIn = true;
        this.log('chat: logged in as', creds.userID);
        this.sink(imEvent('login_event', 0, { userID: creds.userID }));
        await hub.waitReady();
        if (!live()) return;
        stage = 'join';
        const { hold, status } = hub.joinGroup(creds.groupID);
        this.hold = hold;
        const how = await status;
        if (!live()) return;
        this._state = 'ready';
        this.log('chat: in group', creds.groupID, how);
        this.sink(imEvent('join_group_event', 0, { groupID: creds.groupID, status: how }));
      } catch (e) {
        if (live()) throw this.failAt(stage, e);
      }
    })();
    this.running = run;
    return run;
  }

  /**
   * A newer UserSig (updateUserSig, the userSig or imConfig property) for the same app, user and group; other
   * changes wait for the next start(). Starting: after the login under way. In the group: the hub logs in again
   * with it and rejoins (./hub.ts renew), the page hears nothing unless that fails. Kicked for userSigExpired,
   * or a login that failed: start again with it. Resolves when done; failures are events.
   */
  renew(creds: ChatCredentials): Promise<void> {
    const c = this.creds;
    if (!c || c.userSig === creds.userSig || !this.sameIdentity(creds)) return Promise.resolve();
    const state = this._state;
    if (state === 'starting') {
      const run = this.running as Promise<void>;
      const again = () => (this.running === run ? this.renew(creds) : undefined);
      return run.then(again, again);
    }
    if (this.endedBy === USERSIG_EXPIRED || this.endedBy === IMErrorCode.LOGIN_FAILED) {
      return this.start(creds).catch(() => undefined);
    }
    if (state !== 'ready') return Promise.resolve();
    this.creds = { ...creds };
    return (this.hub as SharedChat).renew(creds.userSig);
  }

  private sameIdentity(creds: ChatCredentials): boolean {
    const c = this.creds;
    return !!c && c.sdkAppID === creds.sdkAppID && c.userID === creds.userID && c.groupID === creds.groupID;
  }

  /** The start (or a renewal) failed at `stage`: the page hears it, the session lets go of the SDK. */
  private failAt(stage: 'login' | 'join', e: unknown): IMError {
    const c = this.creds as ChatCredentials;
    const err =
      e instanceof IMError
        ? e
        : imError(
            stage === 'login' ? IMErrorCode.LOGIN_FAILED : IMErrorCode.JOIN_FAILED,
            sdkMessage(e),
            sdkCode(e),
          );
    this._state = 'failed';
    this.endedBy = err.code;
    const code = err.detail.rawCode || err.code;
    if (stage === 'login') {
      this.sink(imEvent('login_event', code, { userID: c.userID, message: err.message }));
    } else {
      this.sink(imEvent('join_group_event', code, { groupID: c.groupID, message: err.message }));
    }
    this.sink(err.toEvent());
    void this.release();
    return err;
  }

  /** Quit the group and log out (each only when this was the last holder). Idempotent. */
  stop(): Promise<void> {
    this.token++;
    this.running = null;
    // stopped: a newer UserSig brings nothing back
    this.endedBy = '';
    if (this._state !== 'kicked') this._state = 'idle';
    return this.release();
  }

  private release(): Promise<void> {
    const hub = this.hub;
    const hold = this.hold;
    this.hub = null;
    this.hold = null;
    this.loggedIn = false;
    if (!hub) return Promise.resolve();
    const quit = hold ? hub.releaseGroup(hold) : Promise.resolve();
    const out = hub.release(this.link);
    return Promise.all([quit, out]).then(() => undefined);
  }

  private onSDKEvent(kind: SDKEventKind, data: unknown): void {
    // kicked ended this session: what the shared SDK says later is about another session's login
    if (this._state === 'kicked') return;
    if (kind === 'message') {
      // ./routing.ts: this room's part of the batch; nothing before the login answered
      const c = this.creds;
      const hold = this.hold;
      // the room's group was dismissed or recycled, or an admin kicked this user out (its notice was just
      // group_system_notify): chat ends here; a renewal brings nothing back (joining again would create the
      // group, or undo the kick), only the next start() does
      const reason =
        this.loggedIn && c
          ? routeMessages({
              data,
              groupID: c.groupID,
              userID: c.userID,
              inGroup: !!hold,
              types: this.sdk.TYPES,
              log: this.log,
              sink: this.sink,
            })
          : '';
      if (reason && c && hold && this.hold === hold) this.groupEnded(hold, c.groupID, reason);
      return;
    }
    if (kind === 'net') {
      const state = (data as { state?: unknown } | null)?.state;
      if (state === 'connected' || state === 'connecting' || state === 'disconnected') {
        this.sink(imEvent('connection_event', 0, { state }));
      }
      return;
    }
    if (kind === 'error') {
      this.sink(
        imEvent('error', IMErrorCode.SDK_ERROR, { message: sdkMessage(data), rawCode: sdkCode(data) }),
      );
      return;
    }
    if (kind === 'replaced') {
      const { oldGroup, newGroup } = data as { oldGroup: string; newGroup: string };
      if (this.creds?.groupID !== oldGroup || !this.hold) return;
      this.hold = null;
      this._state = 'failed';
      this.sink(
        imError(
          IMErrorCode.GROUP_REPLACED,
          `left group ${oldGroup}: this user joined AVChatRoom ${newGroup} from another component (one AVChatRoom per user)`,
        ).toEvent(),
      );
      return;
    }
    if (kind === 'lost') {
      // a renewal failed: its login, or the rejoin
      if (this._state !== 'ready') return;
      const { stage, e } = data as { stage: 'login' | 'join'; e: unknown };
      this.dropRun();
      this.failAt(stage, e);
      return;
    }
    // kicked: the SDK logged the user out
    if (!this.hub) return;
    this.dropRun();
    this._state = 'kicked';
    this.loggedIn = false;
    // the SDK's TYPES.KICKED_OUT_* string; anything else is '' (String() of an object can throw)
    const type = Object(data).type;
    this.endedBy = typeof type === 'string' ? type : '';
    this.sink(imEvent('kicked', 0, { type: this.endedBy }));
  }

  /** The room's group ended for this user (routeMessages' reason): chat fails with -31, the group is let go. */
  private groupEnded(hold: GroupHold, groupID: string, reason: string): void {
    (this.hub as SharedChat).forget(hold);
    this.dropRun();
    this._state = 'failed';
    this.endedBy =
      reason === 'kicked' ? 'an admin kicked this user out of the group' : `the group was ${reason}`;
    this.sink(
      imEvent('error', IMErrorCode.GROUP_DISMISSED, {
        message: `chat has ended: ${this.endedBy} (group ${groupID})`,
        rawCode: 0,
        reason,
      }),
    );
    void this.release();
  }

  /** The SDK ended this session's login or group: a start under way is no longer its, and the group is not held. */
  private dropRun(): void {
    this.token++;
    this.running = null;
    this.hold = null;
  }

  // ---------------------------------------------------------------- sending (./send.ts)

  sendTextMessage(text: unknown): Promise<IMMessage> {
    return this.dispatch(this.groupTarget(), textMessage(text));
  }

  sendCustomMessage(payload: unknown): Promise<IMMessage> {
    return this.dispatch(this.groupTarget(), customMessage(payload));
  }

  sendC2CTextMessage(userID: unknown, text: unknown): Promise<IMMessage> {
    const to = c2cTarget(userID, this.sdk.TYPES);
    return to instanceof IMError ? Promise.reject(to) : this.dispatch(to, textMessage(text));
  }

  sendC2CCustomMessage(userID: unknown, payload: unknown): Promise<IMMessage> {
    const to = c2cTarget(userID, this.sdk.TYPES);
    return to instanceof IMError ? Promise.reject(to) : this.dispatch(to, customMessage(payload));
  }

  private groupTarget(): Target | null {
    return this.creds ? { to: this.creds.groupID, conversationType: this.sdk.TYPES.CONV_GROUP } : null;
  }

  /** Sends after a renewal under way (the SDK is logged out meanwhile). */
  private dispatch(target: Target | null, create: Create | IMError): Promise<IMMessage> {
    if (create instanceof IMError) return Promise.reject(create);
    return this.hub ? this.hub.renewal.then(() => this.send(target, create)) : this.send(target, create);
  }

  private send(target: Target | null, create: Create): Promise<IMMessage> {
    const hub = this.hub;
    const ready =
      target?.conversationType === this.sdk.TYPES.CONV_GROUP ? this._state === 'ready' : this.loggedIn;
    if (!hub || !target || !ready) {
      return Promise.reject(
        imError(
          IMErrorCode.NOT_LOGGED_IN,
          this._state === 'kicked'
            ? 'chat is logged out (kicked); call start() again'
            : typeof this.endedBy === 'string' && this.endedBy
              ? `chat ended: ${this.endedBy}; call start() again`
              : 'chat is not ready: enable enableIM, call start() and wait for join_group_event',
        ),
      );
    }
    return deliver(hub.chat, target, create);
  }
}
