/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * `<live-pusher>` / `<live-player>` stand-ins (WeChat TRTC room mode) on WebRTC + the room emulator
 * (pusher.ts, player.ts; shared helpers in native-util.ts), and their contexts (createLivePusherContext …).
 * Same attributes, same events (`statechange {code, message}`, `netstatus {info}`, `error`) as the client.
 */
import './pusher';
import './player';
import { fail } from './native-util';

export { fail, mark, ok, playWithAutoplayFallback, roomParams, volumeOf } from './native-util';

/** The method a context call lands on: the stand-in's own method of that name. */
function contextFor(resolve: () => any, names: string[]): Record<string, (o?: any) => void> {
  const ctx: Record<string, (o?: any) => void> = {};
  for (const n of names) {
    ctx[n] = (o?: any) => {
      const inst = resolve();
      if (!inst) return fail(n, o, 'context not found (element not rendered)');
      inst[n](o);
    };
  }
  return ctx;
}

export const PUSHER_METHODS = [
  'start',
  'stop',
  'pause',
  'resume',
  'switchCamera',
  'startPreview',
  'stopPreview',
  'snapshot',
  'toggleTorch',
  'setMICVolume',
  'playBGM',
  'stopBGM',
  'pauseBGM',
  'resumeBGM',
  'setBGMVolume',
  'sendMessage',
];
export const PLAYER_METHODS = [
  'play',
  'stop',
  'pause',
  'resume',
  'mute',
  'requestFullScreen',
  'exitFullScreen',
  'snapshot',
  'exitPictureInPicture',
];

export function createNativeContext(
  resolve: () => any,
  kind: 'pusher' | 'player',
): Record<string, (o?: any) => void> {
  return contextFor(resolve, kind === 'pusher' ? PUSHER_METHODS : PLAYER_METHODS);
}
