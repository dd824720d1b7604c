/** Issue 7 state matrix on tt (scenarios in behaviour/states.ts). */
import { defineStateMatrix } from './behaviour/states';

defineStateMatrix('tt');
