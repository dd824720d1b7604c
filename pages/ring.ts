/**
 * A list the demo keeps as a ring of at most `max` entries, sent as paths (setData is the hot path: never the
 * whole list): while it fills, each entry takes the next slot `list[k]`; once full, the oldest one's slot, at
 * `head`, where the template starts listing (oldest first), so nothing else moves. `headKey` is in the patch only
 * when the head moved. The chat panel's items and the room page's event log both use it.
 */
export function ringPatch(
  list: string,
  headKey: string,
  at: { length: number; head: number; max: number },
  entries: readonly unknown[],
): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  let n = at.length;
  let head = at.head;
  for (const entry of entries) {
    if (n < at.max) {
      patch[`${list}[${n++}]`] = entry;
    } else {
      patch[`${list}[${head}]`] = entry;
      head = (head + 1) % at.max;
    }
  }
  if (head !== at.head) patch[headKey] = head;
  return patch;
}
