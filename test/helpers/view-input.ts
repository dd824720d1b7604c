/** A TileView input for unit tests: the room state and the defaults a fresh bigsmall room has, plus `patch`. */
import type { RoomState } from '../../utils/room/reducer';
import type { ViewInput } from '../../utils/view/tiles';

export function viewInput(state: RoomState, patch: Partial<ViewInput> = {}): ViewInput {
  return {
    state,
    subs: new Map(),
    autoSubscribe: true,
    template: 'bigsmall',
    gridPage: 0,
    customRects: null,
    revs: new Map(),
    ...patch,
  };
}
