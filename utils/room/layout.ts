/**
 * What the layout gets from the properties, validated: the template and role it uses (the last good ones while a
 * property is invalid), `customRects` and the local rectangle, the smallView* lengths, and the tile view's
 * patch with the player-limit warning and the video the layout shows or hides.
 */
import {
  checkCustomRects,
  checkDisplayProps,
  checkSmallView,
  isAudioScene,
  SMALL_VIEW_DEFAULTS,
  SmallViewName,
} from '../core/validate';
import { isTemplateName, TemplateName } from '../view/templates';
import { msg } from '../core/i18n';
import { invalidParam } from '../core/errors';
import type { ControllerHost } from './base';
import type { RoomProps } from './props';
import type { PlatformAdapter } from '../platform/adapter';
import { RoomStreams } from './streams';

const SMALL_VIEW = Object.keys(SMALL_VIEW_DEFAULTS) as SmallViewName[];

export abstract class RoomLayout extends RoomStreams {
  private rects: Record<string, unknown> | null = null;
  private warnedCustom = false;
  private warnedLimit = false;
  private warnedLocal = false;
  private customShown = '';
  /** the smallView* values the layout has: the last good one of each */
  private small: Record<SmallViewName, string> = { ...SMALL_VIEW_DEFAULTS };
  /** the template the view uses: the property's while it is valid, else the last good one */
  private goodTemplate: TemplateName;
  private kept = { keptTemplate: '', keptRole: '' };
  /** the layout's part of the first setData (the controller sends it once at attach) */
  protected readonly initialLayout: Record<string, unknown>;

  constructor(adapter: PlatformAdapter, host: ControllerHost, props: RoomProps) {
    super(adapter, host, props);
    this.goodTemplate = isTemplateName(props.template) ? props.template : 'bigsmall';
    this.rects = checkCustomRects(props.customRects) ? null : (props.customRects ?? null);
    // a bad display property given at attach is reported now, as a later change would be
    const shown = checkDisplayProps({ states: props.states, lang: props.lang });
    if (shown) this.raise(invalidParam(shown));
    this.takeSmallView(props, SMALL_VIEW);
    // once at attach, so later state changes never carry it
    const custom = this.customData();
    this.customShown = JSON.stringify(custom);
    this.initialLayout = { ...custom, smallView: this.smallView() };
  }

  /** The layout's property changes: each bad one is error -1 and changes nothing; the good ones are queued. */
  protected setLayoutProps(next: RoomProps, prev: RoomProps): void {
    for (const key of ['states', 'lang'] as const) {
      if (next[key] === prev[key]) continue;
      const shown = checkDisplayProps({ [key]: next[key] });
      if (shown) this.raise(invalidParam(shown));
    }
    if (
      this.takeSmallView(
        next,
        SMALL_VIEW.filter((k) => next[k] !== prev[k]),
      )
    )
      this.queueData({ smallView: this.smallView() });
    if (next.customRects !== prev.customRects) {
      const bad = checkCustomRects(next.customRects);
      if (bad) this.raise(invalidParam(bad));
      else this.rects = next.customRects ?? null;
    }
    if (next.template !== prev.template || next.customRects !== prev.customRects) {
      if (next.template !== prev.template && !isTemplateName(next.template)) this.raise(this.templateError());
      const template = next.template ?? 'bigsmall';
      if (isTemplateName(template)) this.goodTemplate = template;
      const custom = this.customData();
      const key = JSON.stringify(custom);
      if (key !== this.customShown) {
        this.customShown = key;
        this.queueData(custom);
      }
      this.markView();
    }
    // unset is the default ('bigsmall', 'anchor'), as start() reads it
    this.keep({
      keptTemplate: isTemplateName(next.template ?? 'bigsmall') ? '' : this.goodTemplate,
      keptRole: (next.role ?? 'anchor') === this.media.role ? '' : this.media.role,
    });
    if (
      next.autoSubscribe !== prev.autoSubscribe ||
      next.followSpeaker !== prev.followSpeaker ||
      next.enableSmallStream !== prev.enableSmallStream
    )
      this.markView();
  }

  /**
   * The smallView* properties `keys`, validated one by one: a bad one is error -1 naming it and keeps its last
   * good value. Whether what the layout gets changed.
   */
  private takeSmallView(p: RoomProps, keys: readonly SmallViewName[]): boolean {
    let changed = false;
    for (const k of keys) {
      const c = checkSmallView(k, p[k]);
      if (!c.ok) this.raise(invalidParam(c.error));
      else if (c.value !== this.small[k]) {
        this.small[k] = c.value;
        changed = true;
      }
    }
    return changed;
  }

  /** The local view's 'left,top,width,height' in bigsmall (the `smallView` view data). */
  private smallView(): string {
    return SMALL_VIEW.map((k) => this.small[k]).join(',');
  }

  /** The layout's template and role while their properties are invalid (README: nothing else changes). */
  private keep(next: { keptTemplate: string; keptRole: string }): void {
    for (const k of ['keptTemplate', 'keptRole'] as const) {
      if (next[k] === this.kept[k]) continue;
      this.kept[k] = next[k];
      this.queueData({ [k]: next[k] });
    }
  }

  /** `custom` without customRects: a default placement, and a warning naming the missing field. */
  private customData(): Record<string, unknown> {
    const rects = this.rects && Object.keys(this.rects).length ? this.rects : null;
    const own = rects && Object.prototype.hasOwnProperty.call(rects, 'local') ? rects.local : null;
    if (this.props.template === 'custom' && !rects && !this.warnedCustom) {
      this.warnedCustom = true;
      this.warn(0, '', msg('warn.custom.rects'));
    }
    return { custom: { local: own ?? null, fallback: !rects } };
  }

  /** The tile view's changes; the platform hears which streams' video the layout shows and which it hides. */
  protected viewPatch(): Record<string, unknown> | null {
    const patch = this.view.patch({
      state: this.state,
      autoSubscribe: this.props.autoSubscribe !== false,
      template: this.goodTemplate,
      customRects: this.rects,
      maxPlayers: this.adapter.maxPlayers,
      src: this.adapter.playSrc,
      hidden: this.hidden,
      speaking: this.speakers.speakingSet(),
      follow: this.props.followSpeaker ? this.speakers.activeSpeaker : '',
      videoOnlyViews: this.adapter.videoOnlyViews === true,
      audioOnly: isAudioScene(this.media.scene),
      autoSmall: this.props.enableSmallStream === true && this.adapter.smallStream === true,
    });
    if (!patch) return null;
    this.watchFrames();
    if (this.view.waiting > 0 && !this.warnedLimit) {
      this.warnedLimit = true;
      this.warn(0, '', msg('warn.player.limit', { max: this.adapter.maxPlayers }));
    } else if (this.view.waiting === 0) this.warnedLimit = false;
    if (this.view.reservedLocal !== this.warnedLocal) {
      this.warnedLocal = !this.warnedLocal;
      if (this.warnedLocal) this.warn(0, '', msg('warn.custom.local'));
    }
    if (this.phase === 'in_room' || this.phase === 'reconnecting') {
      for (const c of this.view.videoChanges()) {
        this.whenVisible(() => this.adapter.showVideo(c.userID, c.streamType, c.shown));
      }
    }
    return patch;
  }
}
