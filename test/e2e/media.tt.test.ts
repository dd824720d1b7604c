/** @jest-environment node */
/** The preview's audio on the Douyin build (RtcRoomContext + <rtc-room>): sound mode, background music, who is speaking; see media-suite.ts. */
import { describeMedia } from './media-suite';

describeMedia('tt');
