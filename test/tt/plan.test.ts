/** The Douyin step plans the adapter executes (utils/platform/tt/plan.ts): pure, so checked call by call. */
import {
  applyLocalSteps,
  captureSteps,
  enterSteps,
  interruptEvent,
  membersEvent,
  reportEvent,
  stateEvent,
  subscribeSteps,
  viewErrorEvent,
} from '../../utils/platform/tt/plan';
import { mapTtError } from '../../utils/platform/tt/errors';

const anchor = { publish: true, camera: true, mic: true, front: true };
const audience = { publish: false, camera: false, mic: false, front: true };
const names = (steps: Array<[string, unknown]>) => steps.map(([n]) => n);

test('enter: capture first; the back camera and invisibility only when needed', () => {
  expect(enterSteps(anchor, false, true)).toEqual([
    ['changeVideoCapture', { state: 1 }],
    ['changeAudioCapture', { state: 1 }],
  ]);
  expect(names(enterSteps({ ...anchor, front: false }, false, true))).toEqual([
    'changeVideoCapture',
    'changeAudioCapture',
    'switchCamera',
  ]);
  expect(names(enterSteps({ ...anchor, front: false }, false, false))).not.toContain('switchCamera');
  // the engine is still on the back camera from an earlier session: back to the front one
  expect(enterSteps(anchor, false, true, 'back').at(-1)).toEqual(['switchCamera', { camera: 'front' }]);
  expect(names(enterSteps({ ...anchor, front: false }, false, true, 'back'))).not.toContain('switchCamera');
  expect(enterSteps(audience, false, true).at(-1)).toEqual(['changeUserVisibility', { visible: false }]);
  // made invisible earlier on this context: visible again before the join
  expect(enterSteps(anchor, true, true).at(-1)).toEqual(['changeUserVisibility', { visible: true }]);
});

test('role changes: visible → publish → capture up, capture → unpublish → invisible down', () => {
  expect(names(applyLocalSteps(anchor, audience))).toEqual([
    'changeUserVisibility',
    'changeStreamPublishState',
    'changeVideoCapture',
    'changeAudioCapture',
  ]);
  expect(names(applyLocalSteps(audience, anchor))).toEqual([
    'changeVideoCapture',
    'changeAudioCapture',
    'changeStreamPublishState',
    'changeUserVisibility',
  ]);
  expect(applyLocalSteps({ ...anchor, mic: false }, anchor)).toEqual([['changeAudioCapture', { state: 0 }]]);
  expect(applyLocalSteps(anchor, anchor)).toEqual([]);
});

test('subscriptions: video only while subscribed and shown; one call when audio and video agree', () => {
  expect(subscribeSteps('bob', 'main', { video: true, audio: true }, true)).toEqual([
    ['changeStreamSubscribeState', { state: 1, streamType: 'both', userId: 'bob' }],
  ]);
  expect(subscribeSteps('bob', 'main', { video: true, audio: true }, false)).toEqual([
    ['changeStreamSubscribeState', { state: 0, streamType: 'video', userId: 'bob' }],
    ['changeStreamSubscribeState', { state: 1, streamType: 'audio', userId: 'bob' }],
  ]);
  expect(subscribeSteps('bob', 'aux', { video: false, audio: false }, true)).toEqual([
    ['changeScreenSubscribeState', { state: 0, streamType: 'both', userId: 'bob' }],
  ]);
});

test('pause/resume capture follows the flags', () => {
  expect(captureSteps(anchor, false)).toEqual([
    ['changeVideoCapture', { state: 0 }],
    ['changeAudioCapture', { state: 0 }],
  ]);
  expect(captureSteps({ ...anchor, camera: false }, true)).toEqual([
    ['changeVideoCapture', { state: 0 }],
    ['changeAudioCapture', { state: 1 }],
  ]);
});

test('interruptions: removal codes end the session, anything else is a loss to recover from', () => {
  expect(interruptEvent({ errNo: -1006, errMsg: '' })).toEqual({
    type: 'kicked',
    reason: -1006,
    message: 'removed from the room (-1006)',
  });
  expect(interruptEvent({ errNo: 10400 })).toEqual({
    type: 'connection_lost',
    rawCode: 10400,
    message: 'the call was interrupted',
  });
  expect(interruptEvent({})).toMatchObject({ type: 'connection_lost', rawCode: 0 });
  // the token expired (TOKEN_EXPIRED): the session ends with -9, never a re-entry with the dead token
  expect(interruptEvent({ errNo: -1009, errMsg: 'token expired' })).toEqual({
    type: 'error',
    code: -9,
    rawCode: -1009,
    message: 'token expired',
  });
});

test('a failed command: serious codes are errors (with the reason), the rest warnings', () => {
  expect(reportEvent({ code: -7, rawCode: 10200, message: 'm', reason: 'permission' })).toEqual({
    type: 'error',
    code: -7,
    rawCode: 10200,
    message: 'm',
    reason: 'permission',
  });
  expect(reportEvent({ code: -1, rawCode: 20000, message: 'm', field: 'x' })).toEqual({
    type: 'warning',
    rawCode: 20000,
    message: 'm',
  });
  expect(reportEvent({ code: null, rawCode: 5, message: 'm' })).toMatchObject({ type: 'warning' });
});

test('member lists, state events and view errors are read in one place', () => {
  expect(membersEvent('onRtcVideoMembersChanged', 'video', { userIdList: ['a', '__proto__', 'b'] })).toEqual([
    { type: 'members', list: 'video', userIDs: ['a', '__proto__', 'b'] },
  ]);
  // entries that are no Douyin user ID: dropped, one warning counts them
  expect(membersEvent('onRtcVideoMembersChanged', 'video', { userIdList: ['a', 7, 'b', 'c d', ''] })).toEqual(
    [
      {
        type: 'warning',
        rawCode: 0,
        message: 'malformed onRtcVideoMembersChanged payload: 3 entries without userid',
        i18n: { key: 'warn.malformed.entries', params: { code: 'onRtcVideoMembersChanged', count: 3 } },
      },
      { type: 'members', list: 'video', userIDs: ['a', 'b'] },
    ],
  );
  expect(membersEvent('onRtcVideoMembersChanged', 'video', {})).toMatchObject([
    { type: 'warning', message: 'onRtcVideoMembersChanged: no userIdList' },
  ]);
  // codes as the host may send them: a string of digits counts, anything else is no code
  expect(interruptEvent({ errNo: '-1004' })).toMatchObject({ type: 'kicked', reason: -1004 });
  expect(interruptEvent({ errNo: Symbol('x') })).toMatchObject({ type: 'connection_lost', rawCode: 0 });
  const map = (e: { errNo?: unknown; errMsg?: unknown }) => mapTtError(e, { api: 'onRtcStateChange' });
  expect(stateEvent({ errNo: 0 }, map)).toBeNull();
  expect(stateEvent({ errNo: -1011, errMsg: 'dismissed' }, map)).toEqual({
    event: { type: 'kicked', reason: -1011, message: 'dismissed' },
    left: true,
    destroyed: false,
  });
  expect(stateEvent({ errNo: -1009 }, map)).toEqual({
    event: { type: 'error', code: -9, rawCode: -1009, message: '' },
    left: true,
    destroyed: false,
  });
  expect(stateEvent({ errNo: 115910, errMsg: 'gone' }, map)).toMatchObject({
    event: { type: 'error', code: -13 },
    left: true,
    destroyed: true,
  });
  // a failed call on the state listener too: its own fail callback reports it
  expect(stateEvent({ errNo: 10200, errMsg: 'changeVideoCapture:fail auth deny' }, map)).toBeNull();
  expect(stateEvent({ errNo: 4242, errMsg: 'odd' }, map)).toMatchObject({
    event: { type: 'warning' },
    left: false,
  });
  expect(viewErrorEvent(mapTtError({ errNo: 21301, errMsg: 'no view' }), 'bob')).toMatchObject({
    type: 'error',
    code: -2,
    message: 'view of bob failed',
    i18n: { key: 'warn.view', params: { userID: 'bob', text: 'no view' } },
  });
  // a remote view names its user (the room drops its failure once that user left); the local one does not
  expect(viewErrorEvent(mapTtError({ errNo: 1, errMsg: 'minor' }), 'bob', true)).toMatchObject({
    type: 'warning',
    viewOf: 'bob',
  });
  expect(viewErrorEvent(mapTtError({ errNo: 1, errMsg: 'minor' }), 'alice')).not.toHaveProperty('viewOf');
  expect(viewErrorEvent(mapTtError({ errNo: 1, errMsg: 'minor' }), undefined)).toEqual({
    type: 'warning',
    rawCode: 1,
    message: 'minor',
  });
});
