/**
 * Douyin adapter: with ./tt-engine.ts (its RtcRoomContext plumbing) the only code that touches `tt`. Replaces
 * platform.ts in the Douyin build (dist/tt).
 * It executes the step plans of utils/platform/tt/plan.ts as RtcRoomContext calls (douyin-rtc.md §2.3), turns
 * the list-valued membership events into `members` actions (the reducer diffs them into the same RoomEvents
 * as on WeChat), and maps failures through utils/platform/tt/errors.ts. Re-entry waits for exitRtcRoom.
 */
import type {
  AdapterEvent,
  AdapterSink,
  EnterOptions,
  EnterView,
  LocalMedia,
  PlatformAdapter,
} from '../../utils/platform/adapter';
import { ErrorCode } from '../../utils/core/events';
import { componentError, platformMsg } from '../../utils/core/errors';
import { msg, t } from '../../utils/core/i18n';
import {
  applyLocalSteps,
  captureSteps,
  enterSteps,
  isCapture,
  republishSteps,
  ROOM_CONFIG_SDK,
  subscribeSteps,
  TT_MAX_PLAYERS,
  TT_SETTINGS,
  settingsSteps,
  Step,
  viewErrorEvent,
} from '../../utils/platform/tt/plan';
import { mapTtError, thrownToFailure, TtFailure } from '../../utils/platform/tt/errors';
import { ViewFailures } from '../../utils/platform/tt/view-failures';
import { checkStrRoomID, EnterParams, roomKey } from '../../utils/core/validate';
import { compareVersion } from '../../utils/core/version';
import type { MediaSettings, SettingName } from '../../utils/room/settings';
import { bounded, ComponentThis, Ctx, PLATFORM, TtEngine } from './tt-engine';

export { PLATFORM };

/** The room the component drives (WeChat's adds the retry of an entry refused for an old UserSig: utils/room/wx-room.ts). */
export { RoomController as Room } from '../../utils/room/controller';

/**
 * Data only the Douyin template reads besides VIEW_DATA (utils/room/controller.ts): the local <rtc-room>'s
 * user-id, the validated userID of the session or lobby preview (never the page's property as it is now), and
 * whether that view exists (from the first camera of a session or preview to its end: utils/room/base.ts).
 */
export const INITIAL_DATA = { localUserID: '', localView: false };

export { MIN_SDK, REMOVAL_CODES } from '../../utils/platform/tt/plan';

interface NativeEvent {
  type?: string;
  detail?: { errNo?: unknown; errMsg?: unknown };
  currentTarget?: { dataset?: Record<string, string> };
}

export class TtAdapter extends TtEngine implements PlatformAdapter {
  readonly platform = PLATFORM;
  readonly rebuildHiddenPlayers = false;
  readonly maxPlayers = TT_MAX_PLAYERS;
  /** the engine plays every subscribed member's audio; <rtc-room> renders video only */
  readonly videoOnlyViews = true;
  /** the local <rtc-room mode="camera"> takes the user ID */
  readonly localViewUserID = true;
  /** per stream: the page's subscription and whether the layout shows its video */
  private subs = new Map<
    string,
    { userID: string; streamType: 'main' | 'aux'; video: boolean; audio: boolean; shown: boolean }
  >();
  /** the roomId joinRtcRoom was called with, until exitRtcRoom */
  private joinedRoom: string | null = null;
  private paused = false;
  /** what the engine was last told (capture / publishing); applyLocal diffs against this */
  private applied: LocalMedia | null = null;
  /** settles when the last joinRtcRoom sent answered (EXIT_WAIT_MS at most): the next join waits for it */
  private joinAnswered: Promise<void> = Promise.resolve();
  private previewing = false;
  /** the binderrors this session (or lobby preview) reported */
  private views = new ViewFailures();

  /** Douyin prompts on the RTC call itself (tt.authorize is deprecated); refusals come back as 10200/115990/10201/10202. */
  ensurePermissions(): Promise<void> {
    return Promise.resolve();
  }

  enterView(_params: EnterParams, opts: EnterOptions): EnterView {
    return { pushUrl: '', devicePosition: opts.local.front ? 'front' : 'back' };
  }

  enter(params: EnterParams, opts: EnterOptions): void {
    if (this.destroyed) return;
    const ctx = this.context(String(params.sdkAppID));
    if (!ctx) return;
    this.unregister();
    // a token warning while this entry waits for the old room's exit is the session's (watchToken)
    this.watchToken(ctx);
    this.tokenBook.enter(params.userSig);
    const session = ++this.session;
    const live = () => session === this.session && !this.destroyed;
    const roomId = roomKey(params);
    const roomField = params.strRoomID !== undefined ? 'strRoomID' : 'roomID';
    const local = opts.local;
    this.applied = { ...local };
    this.joined = false;
    // the lobby preview, if any, is over: the entry owns the capture now
    this.previewing = false;
    ++this.captureOwner;
    void (async () => {
      // a re-entry joins only once the previous join answered (a late success is left again) and every
      // exitRtcRoom answered: one user is in one room at a time (21100 otherwise)
      await this.joinAnswered;
      await this.exiting;
      if (!live()) return;
      // capture first, as the official demo does; a refusal here is the permission prompt's answer
      if (local.camera || local.mic) this.sink({ type: 'enter_asking' });
      // a paused session (re-entering, or paused while entering) enters with its capture off; `paused`: as sent
      const paused = this.paused;
      const steps = enterSteps(local, this.hidden, this.has(ctx, 'switchCamera'), this.camera).map(
        ([name, args]): Step => [name, paused && isCapture(name) ? { state: 0 } : args],
      );
      const refused = (await this.run(ctx, steps, session)) as ReturnType<typeof mapTtError> | null;
      // a capture the ended session's steps turned on was released again by run()
      if (!live()) return;
      if (refused && refused.code !== null) {
        return this.sink({
          type: 'enter_failed',
          code: refused.code,
          rawCode: refused.rawCode,
          message: refused.message,
          ...(refused.reason ? { reason: refused.reason } : {}),
        });
      }
      // an earlier join that answered only now (after the wait ran out, while the prompt was open) is being left
      await this.exiting;
      if (!live()) return;
      // only now, before the join: what the engine reports while it still leaves a room is no session's
      this.register(ctx);
      this.joinedRoom = roomId;
      // the prompts are answered: the enter timeout counts from the join
      this.sink({ type: 'enter_sent' });
      let answer = bounded();
      this.joinAnswered = answer.wait;
      const fail = (e: TtFailure) => {
        answer.done();
        if (!live()) return;
        const m = mapTtError(e, { api: 'joinRtcRoom', roomField });
        // refused for its token while the page renewed it (renewToken): joined again at once with the new one
        const renewed = m.code === ErrorCode.CREDENTIAL_REJECTED ? this.tokenBook.joined() : undefined;
        if (renewed) {
          answer = bounded();
          this.joinAnswered = answer.wait;
          token = this.tokenBook.join(renewed);
          return send();
        }
        if (m.code === ErrorCode.ENGINE_DESTROYED) this.engineDestroyed = true;
        // a join that failed leaves nothing to exit (an exit would fail with "not in room"), except 21100: the
        // engine is in a room (an earlier join that landed late), which the session's end leaves
        // (the room the text names only when it is a Douyin room ID: it goes into exitRtcRoom)
        const named = /already in the room (\S+)/.exec(m.message)?.[1];
        const inRoom = named && checkStrRoomID(named, PLATFORM).ok ? named : roomId;
        this.joinedRoom = m.code === ErrorCode.ALREADY_IN_ROOM ? inRoom : null;
        const ev: AdapterEvent = {
          type: 'enter_failed',
          code: m.code ?? ErrorCode.ENTER_FAILED,
          rawCode: m.rawCode,
          message: m.message,
        };
        if (m.reason) ev.reason = m.reason;
        if (m.field) ev.field = m.field;
        this.sink(ev);
      };
      const success = () => {
        if (!live()) {
          // the session ended while the join was on its way (its exitRtcRoom came first): leave again, or the
          // next join fails with 21100; unless a newer join went out on this engine (it owns the room now)
          if (ctx !== this.ctx || this.joinedRoom === null) this.leave(ctx, roomId);
          return answer.done();
        }
        answer.done();
        this.joined = true;
        // renewed while this join was out: the room takes it now (the old token's warning is no one's then)
        const renewed = this.tokenBook.joined();
        const inPlace = this.has(ctx, 'updateToken');
        if (renewed && inPlace) {
          void this.sendToken(ctx, renewed).then((r) => {
            if (typeof r !== 'object' || !live()) return;
            // refused: the room keeps the token it joined with (the session goes on), whose expiry the page hears of
            this.tokenBook.refused(renewed, token);
            this.sink({ type: 'warning', rawCode: r.rawCode, message: r.message });
          });
        }
        // pause() or resume() while entering: the capture follows now
        if (this.paused !== paused && this.applied) {
          void this.runReporting(ctx, captureSteps(this.applied, !this.paused));
        }
        this.sink({ type: 'entered' });
        // the room's members as the engine listed them before its answer: after enter_room, as on WeChat
        const early = [...this.early.values()];
        this.early.clear();
        for (const evs of early) evs.forEach(this.sink);
        // no updateToken (< 2.68.0): the room is entered again with it, as updateUserSig() in the room does
        if (renewed && !inPlace) {
          this.fallbackWarning('warn.updateToken.fallback');
          this.sink({ type: 'credential_reentry' });
        }
      };
      const roomConfig = { autoPublish: local.publish, autoSubscribe: opts.autoSubscribe };
      // autoSubscribe false is not kept by an engine that ignores roomConfig (the page hears it; an audience
      // entry hears it from changeUserVisibility's own warning)
      if (!opts.autoSubscribe && compareVersion(this.sdk, ROOM_CONFIG_SDK) < 0)
        this.warnMissing('roomConfig.autoSubscribe');
      // a token renewed since enter() (renewToken) is the one joined with
      let token = this.tokenBook.join(params.userSig);
      const send = () => {
        try {
          ctx.joinRtcRoom({ roomId, userId: params.userID, token, roomConfig, success, fail });
        } catch (e) {
          // a host that throws instead of calling fail is that failure (as for every other method, call())
          fail(thrownToFailure(e));
        }
      };
      send();
    })();
  }

  /** exitRtcRoom (when a join was sent) and every off*. Idempotent. */
  exit(): void {
    this.session++;
    this.unregister();
    this.joined = false;
    this.subs.clear();
    // a re-entry is a new session: a view failing there is a failure of its own
    this.views.clear(true);
    const ctx = this.ctx;
    const roomId = this.joinedRoom;
    this.joinedRoom = null;
    if (ctx && roomId !== null) this.leave(ctx, roomId);
  }

  applyLocal(next: LocalMedia): void {
    // the lobby preview (never joined): the capture follows the camera, so a parked view keeps none open
    if (this.previewing && !this.joined) return this.startPreview(next, this.ctxAppId);
    const ctx = this.ctx;
    const prev = this.applied;
    if (!ctx || !prev || !this.joined) return;
    this.applied = { ...next };
    // paused: a role change still publishes / hides at once, the capture waits for resume()
    const steps = applyLocalSteps(next, prev).filter(([name]) => !this.paused || !isCapture(name));
    void this.runReporting(ctx, steps);
  }

  supportsSetting(name: SettingName): boolean {
    return TT_SETTINGS.includes(name);
  }

  /** soundMode → setAudioPlaybackDevice, fps/orientation → setVideoEncoderConfig (a missing method warns). */
  applySettings(next: MediaSettings, prev: MediaSettings | null): void {
    const ctx = this.ctx;
    if (!ctx || !this.joined) return;
    void this.runReporting(ctx, settingsSteps(next, prev));
  }

  switchCamera(toFront: boolean): Promise<void> {
    const camera = toFront ? 'front' : 'back';
    const ctx = this.ctx;
    const setView = () => this.component.setData({ devicePosition: camera });
    if (!ctx || !this.has(ctx, 'switchCamera')) {
      // before 2.68.0 the camera follows <rtc-room device-position>
      if (ctx) this.fallbackWarning('warn.switchCamera.fallback');
      setView();
      return Promise.resolve();
    }
    return this.call(ctx, 'switchCamera', { camera }).then((r) => {
      if (r === 'ok' && ctx === this.ctx) this.engineState('switchCamera', { camera });
      if (typeof r === 'object') {
        // an engine that is gone ends the session, as any command's -13 does
        if (r.code === ErrorCode.ENGINE_DESTROYED) this.report(r);
        throw componentError(ErrorCode.CAMERA_FAILED, 'camera.switch', { text: r.message }, r.rawCode);
      }
      setView();
    });
  }

  /** Douyin has no pause: the local capture stops while paused and comes back on resume. */
  pause(): void {
    const ctx = this.ctx;
    if (!ctx || this.paused || !this.applied) return;
    this.paused = true;
    // while entering: the entry's capture (or its join's answer) keeps it off
    if (!this.joined) return;
    const steps = captureSteps(this.applied, false).filter(([name]) =>
      name === 'changeVideoCapture' ? this.applied?.camera : this.applied?.mic,
    );
    void this.runReporting(ctx, steps);
  }

  resume(): void {
    const ctx = this.ctx;
    if (!ctx || !this.paused || !this.applied) return;
    this.paused = false;
    if (!this.joined) return;
    void this.runReporting(ctx, captureSteps(this.applied, true));
  }

  retryCapture(): void {
    // paused: resume() turns it on
    if (this.ctx && this.joined && !this.paused && this.applied)
      void this.runReporting(this.ctx, captureSteps(this.applied, true));
  }

  subscribe(userID: string, streamType: 'main' | 'aux', sub: { video: boolean; audio: boolean }): void {
    const key = `${userID}|${streamType}`;
    const cur = this.subs.get(key);
    this.subs.set(key, { userID, streamType, video: sub.video, audio: sub.audio, shown: cur?.shown ?? true });
    this.sendSubscription(key);
  }

  /** Off-page / unplaced video is unsubscribed where the host can; else the view stays parked out of sight. */
  showVideo(userID: string, streamType: 'main' | 'aux', shown: boolean): void {
    const key = `${userID}|${streamType}`;
    const cur = this.subs.get(key) ?? { userID, streamType, video: true, audio: true, shown: true };
    this.subs.set(key, { ...cur, shown });
    this.sendSubscription(key);
  }

  private sendSubscription(key: string): void {
    const ctx = this.ctx;
    const s = this.subs.get(key);
    if (!ctx || !this.joined || !s) return;
    void this.runReporting(ctx, subscribeSteps(s.userID, s.streamType, s, s.shown));
  }

  updateUserSig(userSig: string): Promise<'updated' | 'reenter'> {
    const ctx = this.ctx;
    if (!ctx || !this.has(ctx, 'updateToken')) {
      if (ctx) this.fallbackWarning('warn.updateToken.fallback');
      return Promise.resolve('reenter');
    }
    const session = this.session;
    return this.sendToken(ctx, userSig).then((r) => {
      // the room it was sent to was left meanwhile (a loss, the end): the next entry joins with it
      // the text is the one of the code it carries (an unknown failure: the credential's)
      if (typeof r === 'object' && session === this.session) {
        const code = r.code ?? ErrorCode.CREDENTIAL_REJECTED;
        const m = platformMsg(code, r.message);
        throw componentError(code, m.key, m.params, r.rawCode, r.field ? { field: r.field } : {});
      }
      return 'updated' as const;
    });
  }

  private sendToken(ctx: Ctx, userSig: string) {
    const session = this.session;
    return this.call(ctx, 'updateToken', { token: userSig }).then((r) => {
      // the engine holds it now (the session too): its expiry is the one to warn of
      if (r === 'ok') this.tokenBook.updated(userSig, ctx === this.ctx);
      // the new token may give back a publish right that ended: publish again as the page has it
      if (r === 'ok' && session === this.session && this.joined && this.applied)
        void this.runReporting(ctx, republishSteps(this.applied));
      return r;
    });
  }

  /**
   * No join is out (a re-entry's backoff, its wait for the exit): the session's token is the renewed one. A join
   * out with the old token: updateToken sends it once that join succeeded, or without updateToken the room is
   * re-entered with it (`credential_reentry`); a join refused for the old token (21101) joins again at once with
   * it; a join that fails otherwise: the next entry's.
   */
  renewToken(userSig: string): void {
    this.tokenBook.renew(userSig, this.joinedRoom !== null);
  }

  /** This base library lacks a method: the older way is used, and the page hears it once per call. */
  private fallbackWarning(key: 'warn.switchCamera.fallback' | 'warn.updateToken.fallback'): void {
    const i18n = msg(key);
    this.sink({ type: 'warning', rawCode: 0, message: t('en', i18n.key), i18n });
  }

  /** Lobby: capture on, so the local <rtc-room mode="camera"> shows the camera before joining. */
  startPreview(local: LocalMedia, sdkAppID: unknown): void {
    if (this.destroyed) return;
    const ctx = this.context(String(sdkAppID), 'error');
    if (!ctx) return;
    const owner = ++this.captureOwner;
    this.previewing = true;
    void this.call(ctx, 'changeVideoCapture', { state: local.camera ? 1 : 0 }).then((r) => {
      if (!this.previewing) return this.releaseLate(ctx, owner);
      if (typeof r === 'object') return this.report(r);
      // the lobby shows the camera the entry will use (frontCamera false: the back one); a failure here is
      // tried again, and reported, by the entry
      if (local.camera && (local.front ? 'front' : 'back') !== this.camera) {
        this.switchCamera(local.front).catch(() => undefined);
      }
    });
  }

  /**
   * Lobby left or session ended: camera and microphone are released (the capture enter() turned on before
   * joinRtcRoom stays on after a join that failed or never went out, which leaves no room to exit).
   */
  stopPreview(): void {
    this.previewing = false;
    this.unwatchToken();
    this.views.clear(false);
    // the session is over: the next one starts unpaused (and a pause() until then has no session to pause)
    this.paused = false;
    this.applied = null;
    if (!this.ctx || this.joined || this.destroyed || this.engineDestroyed) return;
    this.releaseCapture(this.ctx);
  }

  /** A user who left: the views they get when back are new ones (their failures are failures of their own). */
  protected membersSeen(evs: AdapterEvent[]): void {
    for (const ev of evs) if (ev.type === 'members') this.views.members(ev.list, ev.userIDs);
  }

  handleNative(raw: unknown): void {
    if (this.destroyed || !raw || typeof raw !== 'object') return;
    const e = raw as NativeEvent;
    if (e.type !== 'error') return;
    const d = e.detail ?? {};
    const data = e.currentTarget?.dataset ?? {};
    if (!this.views.report(data.role, data.userId, data.streamType)) return;
    const m = mapTtError({ errNo: d.errNo, errMsg: d.errMsg }, { api: 'rtc-room' });
    this.sink(viewErrorEvent(m, data.userId, data.role === 'remote'));
  }

  destroy(): void {
    this.exit();
    this.unwatchToken();
    this.destroyed = true;
    this.ctx = null;
    this.applied = null;
    this.subs.clear();
  }
}

export function createAdapter(component: ComponentThis, sink: AdapterSink): TtAdapter {
  return new TtAdapter(component, sink);
}
