/** @jest-environment node */
/** The WeChat build (dist/wx: live-pusher / live-player in TRTC room mode) in a real call; see call-suite.ts. */
import { describeCall } from './call-suite';

describeCall('wx');
