/**
 * What works on this client, decided from the facts an adapter reads (versions, `wx.canIUse`, Douyin context
 * method presence), so a page hides buttons instead of failing. Pure: no wx/tt. The README's capability matrix
 * is this table for the two platforms.
 */
import { compareVersion } from '../core/version';
import { Platform, Scene, SCENES } from '../core/validate';
import { SETTING_NAMES, SettingName, wxSchema } from './settings';

export interface PlatformFacts {
  platform: Platform;
  /** base library */
  sdkVersion: string;
  /** WeChat / Douyin client version ('' when unknown) */
  clientVersion: string;
  /** 'ios', 'android', 'devtools' … */
  os: string;
  /** the platform's RTC room works (what start() checks first) */
  rtc: boolean;
  /**
   * WeChat: `wx.canIUse(schema)` (true where canIUse itself is missing). Douyin: whether the named
   * RtcRoomContext method exists, undefined before a context was created.
   */
  can(schema: string): boolean | undefined;
}

export interface Capabilities {
  platform: Platform;
  sdkVersion: string;
  clientVersion: string;
  os: string;
  rtc: boolean;
  scenes: Scene[];
  /** `audio_volume` levels */
  audioVolume: boolean;
  /** the speaking ring */
  speaking: boolean;
  followSpeaker: boolean;
  sendMessage: boolean;
  snapshot: boolean;
  /** playBGM … */
  bgm: boolean;
  /** enableSmallStream and subscribe(…, {streamType: 'small'}) */
  smallStream: boolean;
  /** per media setting (soundMode, fps …): the platform applies it */
  settings: Record<SettingName, boolean>;
}

/** Douyin's full RtcRoomContext (updateToken, visibility, subscribe, device and encoder control). */
export const TT_FULL_SDK = '2.68.0';
const TT_SETTING_METHOD: Partial<Record<SettingName, string>> = {
  soundMode: 'setAudioPlaybackDevice',
  fps: 'setVideoEncoderConfig',
  orientation: 'setVideoEncoderConfig',
};

export function capabilities(f: PlatformFacts): Capabilities {
  const settings = {} as Record<SettingName, boolean>;
  const wx = f.platform === 'wx';
  for (const name of SETTING_NAMES) {
    if (wx) settings[name] = f.rtc && f.can(wxSchema(name)) !== false;
    else {
      const method = TT_SETTING_METHOD[name];
      const has = method ? f.can(method) : false;
      settings[name] = f.rtc && (has ?? compareVersion(f.sdkVersion, TT_FULL_SDK) >= 0);
    }
  }
  return {
    platform: f.platform,
    sdkVersion: f.sdkVersion,
    clientVersion: f.clientVersion,
    os: f.os,
    rtc: f.rtc,
    scenes: f.rtc ? [...SCENES] : [],
    audioVolume: wx && f.rtc,
    speaking: f.rtc,
    followSpeaker: f.rtc,
    sendMessage: wx && f.rtc && f.can('LivePusherContext.sendMessage') !== false,
    snapshot: wx && f.rtc && f.can('LivePusherContext.snapshot') !== false,
    smallStream: wx && f.rtc,
    bgm: wx && f.rtc && f.can('LivePusherContext.playBGM') !== false,
    settings,
  };
}
