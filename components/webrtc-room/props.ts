import { ROOM_STATES, SMALL_VIEW_DEFAULTS } from '../../utils/core/validate';
import { MEDIA_DEFAULTS } from '../../utils/room/props';

/** The property of a default: the constructor of its type, and the default. */
type PropertyOf<V> = V extends boolean
  ? { type: BooleanConstructor; value: boolean }
  : V extends number
    ? { type: NumberConstructor; value: number }
    : { type: StringConstructor; value: string };

/** One property per key of a table of defaults, in its order, typed and defaulted by it. */
function propertiesOf<T extends Readonly<Record<string, string | number | boolean>>>(
  defaults: T,
): { [K in keyof T]: PropertyOf<T[K]> } {
  const out: Record<string, { type: unknown; value: unknown }> = {};
  for (const [k, value] of Object.entries(defaults)) {
    out[k] = {
      type: typeof value === 'boolean' ? Boolean : typeof value === 'number' ? Number : String,
      value,
    };
  }
  return out as { [K in keyof T]: PropertyOf<T[K]> };
}

/**
 * The public properties of <webrtc-room>: the API table in the README mirrors this file.
 * Identity properties (sdkAppID, userID, userSig, roomID, strRoomID) are read at the next start() (a newer
 * userSig also by a WeChat entry refused for its UserSig, entered again with it: utils/room/wx-room.ts);
 * every other change takes effect in the room.
 */
export const PROPERTIES = {
  /**
   * TRTC SDKAppID (WeChat, a number) or the 24-character Volcengine AppId (Douyin, a string). `type: null`
   * accepts both as given: a Number-typed property turns a string AppId into 0 on runtimes without optionalTypes.
   */
  sdkAppID: { type: null, optionalTypes: [Number, String], value: 0 as number | string },
  /** WeChat: letters, digits, `_`, `-`, ≤ 32 bytes. Douyin: `^[a-zA-Z0-9@._-]{1,128}$`. */
  userID: { type: String, value: '' },
  /** TRTC UserSig (WeChat) or Volcengine RTC token (Douyin). */
  userSig: { type: String, value: '' },
  /** Numeric room in [1, 4294967294]; a numeric string is converted. */
  roomID: { type: Number, optionalTypes: [String], value: 0 },
  /** String room (1-64 bytes); never together with roomID. */
  strRoomID: { type: String, value: '' },
  /** Optional room permission key (WeChat). */
  privateMapKey: { type: String, value: '' },
  /** 'bigsmall', 'float', 'grid' or 'custom'. */
  template: { type: String, value: 'bigsmall' },
  /** Front camera at start; switch in the room with switchCamera(). */
  frontCamera: { type: Boolean, value: true },
  /** Play remote audio/video as soon as it is available. */
  autoSubscribe: { type: Boolean, value: true },
  /** In-room chat (see the IM section of the README). */
  enableIM: { type: Boolean, value: false },
  /**
   * Chat credentials `{sdkAppID, userSig, userID?, groupID?}` (Tencent Cloud Chat). Required on Douyin, where
   * `userSig` is a Volcengine token; on WeChat optional overrides of sdkAppID/userID/userSig/room ID. `type: null`:
   * an Object-typed property turns a string or number into null on WeChat, so a wrong one could not be reported.
   */
  imConfig: { type: null, value: null as unknown as Record<string, unknown> },
  /**
   * `custom` template: `{local: Rect, <userID>: Rect, '<userID>|main': Rect, '<userID>|aux': Rect}`; numbers are
   * px. `local` is the local view's only (a remote user named `local` is placed by 'local|main').
   */
  customRects: { type: Object, value: null as unknown as Record<string, unknown> },
  /** 'zh-CN' or 'en' for every visible string and RoomEvent message; '' follows the system language. */
  lang: { type: String, value: '' },
  /**
   * Which room states the component shows itself (comma list): entering, waiting, reconnecting, ended,
   * cameraOff, muted, weak, speaking (ROOM_STATES; all of them by default). '' shows none.
   */
  states: { type: String, value: ROOM_STATES.join(',') },
  /** `bigsmall`: the big view follows the active speaker (with hysteresis); `pin()` wins until `pin('')`. */
  followSpeaker: { type: Boolean, value: false },
  /** Publish a small stream as well (WeChat `encsmall`); thumbnails then play the small stream. Read at start(). */
  enableSmallStream: { type: Boolean, value: false },
  /**
   * The media properties, one per key of MEDIA_DEFAULTS (utils/room/props.ts), typed and defaulted by it, in its
   * order:
   * - local media settings (the live-pusher names and ranges, README "Media settings"; applied in the room), the
   *   remote audio output `soundMode` ('speaker' or 'ear', the earpiece) and `pictureInPictureMode` (remote views
   *   in the system picture-in-picture window: '' off, 'push' or 'pop'; live-player, 2.10.3): SETTINGS_DEFAULTS;
   * - `role` 'anchor' or 'audience' (camera and mic off, publishes nothing; switchable in the room);
   * - `scene` 'rtc' (video calls, meetings), 'live' (live streaming), 'audiocall', 'voicechatroom' (audio only;
   *   roles as live); default 'rtc';
   * - `enableCamera` local video on/off (true); `muted` local microphone muted (false);
   * - `beauty`, `whiteness`: levels 0-9 (0); `aspect` '3:4' or '9:16' (default);
   * - `minBitrate` 200, `maxBitrate` 1000 (kbps);
   * - `waitingImage`: image shown to others while this user is in the background (WeChat; '');
   * - `debug`: native debug overlays and the component log (false).
   */
  ...propertiesOf(MEDIA_DEFAULTS),
  /** On error -7, explain and offer the platform's settings page (then enter again when granted). */
  permissionGuide: { type: Boolean, value: true },
  /**
   * `bigsmall`: position and size of the local view, CSS lengths with a unit ('66%', '12px', '120rpx', '4vw',
   * `calc(100% - 24px)`; '0' without). Anything else is error -1 naming the property; the last good value stays.
   * smallViewLeft '66%', smallViewTop '4%', smallViewWidth '30%', smallViewHeight '30%' (SMALL_VIEW_DEFAULTS).
   */
  ...propertiesOf(SMALL_VIEW_DEFAULTS),
};

/** The chat properties: the chat hooks watch them (components/webrtc-room/index.ts), the room does not. */
type ChatProperty = 'enableIM' | 'imConfig';

/** Properties whose changes the controller must see: every property but the chat ones, in table order. */
export const WATCHED = Object.keys(PROPERTIES).filter(
  (k) => k !== 'enableIM' && k !== 'imConfig',
) as ReadonlyArray<Exclude<keyof typeof PROPERTIES, ChatProperty>>;
