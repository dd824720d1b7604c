/** @jest-environment node */
/** Fault scenarios on the WeChat build (dist/wx); see fault-suite.ts. */
import { describeFaults } from './fault-suite';

describeFaults('wx');
