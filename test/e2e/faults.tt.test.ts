/** @jest-environment node */
/** Fault scenarios on the Douyin build (dist/tt); see fault-suite.ts. */
import { describeFaults } from './fault-suite';

describeFaults('tt');
