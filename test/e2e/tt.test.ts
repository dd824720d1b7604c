/** @jest-environment node */
/** The Douyin build (dist/tt: RtcRoomContext + <rtc-room>) in a real call; see call-suite.ts. */
import { describeCall } from './call-suite';

describeCall('tt');
