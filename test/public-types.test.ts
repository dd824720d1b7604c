/**
 * The published types describe the real component: every method of `WebrtcRoom` exists on an instance, and
 * page code written against the types compiles (this file is type-checked by `npm run typecheck`).
 */
import type { RoomEvent, WebrtcRoom } from '../types';
import { ErrorCode, WEBRTC_ROOM_METHODS } from '../types';
import { installWx } from './helpers/wx-fake';
import { mountRoom } from './helpers/mp';

test('every WebrtcRoom method exists on a mounted <webrtc-room>', () => {
  installWx();
  const m = mountRoom({ sdkAppID: 1400000001, userID: 'alice', userSig: 's', roomID: 1 });
  const room = m.inst as unknown as WebrtcRoom;
  expect(WEBRTC_ROOM_METHODS.filter((k) => typeof room[k] !== 'function')).toEqual([]);
  expect(room.getRemoteUsers()).toEqual([]);
  m.host.detach();
});

test('page code narrows RoomEvent by tag', () => {
  const describe = (e: RoomEvent): string => {
    switch (e.tag) {
      case 'user_join':
        return `join ${e.detail.userID}`;
      case 'video_available':
        return `${e.detail.userID} ${e.detail.streamType} ${e.code}`;
      case 'error':
        return `${e.code} ${e.detail.field ?? ''}`;
      default:
        return e.tag;
    }
  };
  expect(describe({ tag: 'video_available', code: 1, detail: { userID: 'b', streamType: 'aux' } })).toBe(
    'b aux 1',
  );
  expect(
    describe({
      tag: 'error',
      code: ErrorCode.INVALID_PARAM,
      detail: { message: 'x', rawCode: 0, field: 'userID' },
    }),
  ).toBe('-1 userID');
});
