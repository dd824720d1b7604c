/** @jest-environment node */
/** The preview's audio on the WeChat build (live-pusher / live-player): sound mode, background music, who is speaking; see media-suite.ts. */
import { describeMedia } from './media-suite';

describeMedia('wx');
