/**
 * Media state of a running room: native quality reports (net_status, player failures and bounded rebuilds), who
 * is speaking (audio levels, Douyin's speakers list, the localSpeaking flag) and the media settings the platform
 * applies on entry and on change (one warning per setting a client cannot apply).
 */
import { orZero } from '../core/values';
import { roomEvent } from '../core/events';
import { msg, t } from '../core/i18n';
import type { FrameWatch } from './first-frame';
import { tileBase } from '../view/tiles';
import { RoomRecovery } from './recovery';
import type { ControllerHost, Phase } from './base';
import type { RoomProps } from './props';
import type { PlatformAdapter } from '../platform/adapter';
import type { RoomAction } from './reducer';
import { Speakers, SpeakerTick } from './speakers';
import { nonDefault, pickSettings, SettingName } from './settings';

/** net_status quality from which a stream counts as weak (4 poor, 5 bad, 6 down). */
export const WEAK_QUALITY = 4;
export const NET_STATUS_INTERVAL_MS = 1000;
/** A remote player still reporting quality 6 (down) this many times in a row in the room is rebuilt. */
export const DOWN_REPORTS_REBUILD = 5;
/** A remote stream's first reports within this time of its start (no frame yet) are not "down". */
export const STARTING_MS = 3000;

export abstract class RoomMedia extends RoomRecovery {
  protected readonly speakers: Speakers;
  private localSpeaking = false;
  /** unsupported settings already warned about (until they change again) */
  protected warnedSettings = new Set<SettingName>();
  protected warnedSmall = false;
  /** when each stream's first net_status of this (re-)entry came */
  private readonly firstReportAt = new Map<string, number>();
  /**
   * WeChat: players pulling video that have not rendered a frame yet (2003); none where the adapter has none. No
   * initializer: the Douyin bundle (no `wechat:` blocks) neither sets nor reads it
   */
  private readonly frames?: FrameWatch;

  constructor(adapter: PlatformAdapter, host: ControllerHost, props: RoomProps) {
    super(adapter, host, props);
    // WeChat only (build/bundle.ts WECHAT_ONLY): the Douyin bundle has no adapter seam for it, nor this wiring
    wechat: {
      const Frames = adapter.firstFrames;
      if (!Frames) break wechat;
      this.frames = new Frames({
        timers: host.timers,
        tiles: () => this.view.currentTiles(),
        running: () => this.phase === 'in_room' && !this.hidden,
        streamDown: (base) => this.view.streamDown(base),
        emit: (ev) => this.emit(ev),
        text: (m) => t(this.lang, m.key, m.params),
        restarted: (base) => {
          this.firstReportAt.delete(base);
          this.markView();
        },
      });
    }
    this.speakers = new Speakers(
      host.timers,
      () => host.now(),
      (tick) => this.onSpeakers(tick),
    );
  }

  // ---------------------------------------------------------------- native reports

  protected onNetStatus(
    userID: string,
    streamType: 'main' | 'aux',
    quality: number,
    info: Record<string, unknown>,
  ): void {
    // WeChat only (build/bundle.ts WECHAT_ONLY): its one caller is the controller's `wechat:` switch
    wechat: {
      if (this.phase !== 'in_room') return;
      const key = tileBase(userID, streamType);
      const now = this.host.now();
      // all-zero figures are no outage from a pusher with camera off and microphone muted (it sends nothing), nor
      // from a remote stream starting: in its first STARTING_MS of reports since it appeared or the (re-)entry
      let first = this.firstReportAt.get(key);
      if (first === undefined) this.firstReportAt.set(key, (first = now));
      const local = this.local;
      if (quality === 6 && (userID === '' ? !local.camera && !local.mic : now - first < STARTING_MS))
        quality = 0;
      const last = this.netStatusAt.get(key);
      if (last !== undefined && now - last < NET_STATUS_INTERVAL_MS) return;
      this.netStatusAt.set(key, now);
      const weak = quality >= WEAK_QUALITY;
      if (userID === '') this.setLocalWeak(weak);
      else if (this.view.setWeak(key, weak)) this.markView();
      // a user's screen share reports apart from the camera: it says so
      const which = streamType === 'aux' ? { streamType } : {};
      this.emit(roomEvent('net_status', quality, { ...info, userID, ...which }));
      if (userID !== '') this.countDown(key, quality);
      break wechat;
    }
  }

  /** The room recovered but a player stays down: rebuild it after DOWN_REPORTS_REBUILD reports (bounded). */
  private countDown(key: string, quality: number): void {
    // WeChat only (build/bundle.ts WECHAT_ONLY): its one caller is onNetStatus
    wechat: {
      // a hidden page's players may lose their stream in the background: not counted
      if (quality !== 6 || this.hidden) {
        this.downReports.delete(key);
        return;
      }
      const n = orZero(this.downReports.get(key)) + 1;
      this.downReports.set(key, n);
      if (n !== DOWN_REPORTS_REBUILD) return;
      const hit = this.view.streamDown(key);
      if (!hit) return;
      const userID = hit.tile.userID;
      if (!hit.rebuilt) return this.warn(6, '', msg('warn.player.failed', { userID }));
      this.downReports.delete(key);
      this.firstReportAt.delete(key);
      this.warn(6, '', msg('warn.player.rebuild', { userID, n: hit.rebuilt }));
      this.markView();
      break wechat;
    }
  }

  protected onPlayerState(
    playerId: string,
    code: number,
    message: string,
    shown?: string,
    key?: string,
  ): void {
    // WeChat live-player statechange only (build/bundle.ts WECHAT_ONLY): Douyin's views report none
    wechat: {
      if (code !== 2003 && code !== -2301) break wechat;
      // a player reports on until the view drops it: not for a slot another user took over since, nor from the
      // instance a rebuild replaced (same element id, its tile's old key)
      const tile = this.view.currentTiles().find((x) => x.id === playerId);
      if (!tile || (shown && shown !== tile.userID) || (key && key !== tile.key)) return;
      // a first frame counts for the stream the player shows
      if (code === 2003) return this.frames?.rendered(tile);
      // nor for a user who left
      if (!this.state.users.has(tile.userID)) return;
      // the players lost the room with the pusher, or the page is in the background: the re-entry or the show
      // rebuilds them, not counted
      if (this.phase === 'reconnecting' || this.hidden) return this.view.playerFailedAway(playerId);
      // the same bounded rebuild as a stream that stays down (one tile per stream)
      const hit = this.view.streamDown(tileBase(tile.userID, tile.streamType));
      if (!hit) return;
      const userID = hit.tile.userID;
      if (!hit.rebuilt) return this.warn(code, '', msg('warn.player.failed', { userID, text: message }));
      // the new player starts afresh
      this.firstReportAt.delete(tileBase(userID, hit.tile.streamType));
      this.warn(code, '', msg('warn.player.rebuild', { userID, n: hit.rebuilt }));
      this.markView();
    }
  }

  /** The black-screen watchdog (WeChat: utils/room/first-frame.ts) follows the tiles: view patch, hide / show, entry. */
  protected watchFrames(): void {
    wechat: {
      if (!this.frames) break wechat;
      this.frames.watch();
    }
  }

  /** Reconnecting: the windows stop (a player that rendered stays so); back in the room they start in full. */
  protected override setPhase(phase: Phase): void {
    super.setPhase(phase);
    this.watchFrames();
  }

  override pageHide(): void {
    super.pageHide();
    this.watchFrames();
  }

  override pageShow(): void {
    super.pageShow();
    // players fail away only on WeChat (onPlayerState)
    wechat: {
      if (this.phase !== 'in_room') break wechat;
      if (this.view.rebuildFailedAway()) this.markView();
    }
    this.watchFrames();
  }

  // ---------------------------------------------------------------- who is speaking

  /** Douyin's speakers list is who talks now (not who has audio): it feeds the speaking state. */
  protected override dispatch(action: RoomAction): void {
    const prev = this.state;
    super.dispatch(action);
    // Douyin only (build/bundle.ts DOUYIN_ONLY): the one platform with a speakers list
    douyin: {
      if (action.type !== 'members' || action.list !== 'speakers') break douyin;
      const local = this.state.localUserID;
      this.speakers.setSpeaking(action.userIDs.map((id) => (id === local ? '' : id)));
    }
    if (this.state.users !== prev.users) {
      for (const id of prev.users.keys()) {
        if (this.state.users.has(id)) continue;
        this.speakers.forget(id);
        for (const key of [tileBase(id, 'main'), tileBase(id, 'aux')]) {
          this.netStatusAt.delete(key);
          this.downReports.delete(key);
          this.firstReportAt.delete(key);
        }
      }
    }
  }

  /** Entered (or re-entered): the platform applies the settings that differ from its defaults. */
  protected override onEntered(): void {
    super.onEntered();
    if (this.phase !== 'in_room') return;
    // the streams start again; players that gave up while the room was away are built anew
    this.firstReportAt.clear();
    wechat: {
      if (!this.view.rebuildFailedAway()) break wechat;
      this.markView();
    }
    this.warnSettings(nonDefault(this.media));
    if (this.props.enableSmallStream === true && !this.adapter.smallStream && !this.warnedSmall) {
      this.warnedSmall = true;
      this.warn(0, '', msg('warn.setting', { field: 'enableSmallStream' }));
    }
    const settings = pickSettings(this.media);
    this.whenVisible(() => this.adapter.applySettings?.(settings, null));
  }

  /** A set setting this client cannot apply: one warning naming it, never an error. */
  protected warnSettings(names: SettingName[]): void {
    const own = new Set(nonDefault(this.media));
    for (const k of names) {
      if (!own.has(k) || this.warnedSettings.has(k) || this.adapter.supportsSetting?.(k) !== false) continue;
      this.warnedSettings.add(k);
      this.warn(0, '', msg('warn.setting', { field: k }));
    }
  }

  /** The session ended: nobody speaks, no volume timer. */
  protected override teardown(): void {
    super.teardown();
    this.firstReportAt.clear();
    wechat: {
      if (!this.frames) break wechat;
      this.frames.reset();
    }
    this.speakers.reset();
    this.setLocalSpeaking(false);
  }

  private setLocalSpeaking(on: boolean): void {
    if (on === this.localSpeaking) return;
    this.localSpeaking = on;
    this.queueData({ localSpeaking: on });
  }

  /** One closed volume window: at most one audio_volume, and a setData only for flipped flags. */
  private onSpeakers(tick: SpeakerTick): void {
    if (this.phase !== 'in_room' && this.phase !== 'reconnecting') return;
    if (tick.volumes.length) this.emit(roomEvent('audio_volume', 0, { volumes: tick.volumes }));
    if (tick.changed) {
      this.setLocalSpeaking(this.speakers.isSpeaking(''));
      this.markView();
    } else if (tick.activeChanged && this.props.followSpeaker) this.markView();
  }
}
