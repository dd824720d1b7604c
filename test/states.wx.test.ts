/** Issue 7 state matrix on wx (scenarios in behaviour/states.ts). */
import { defineStateMatrix } from './behaviour/states';

defineStateMatrix('wx');
