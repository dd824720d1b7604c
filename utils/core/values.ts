/** Small value helpers shared by the room and the platform code. Pure: no wx/tt. */

/** `v`, or '' when it is undefined or null (a field a platform result, event or property may leave out). */
export function orEmpty<T>(v: T | null | undefined): T | '' {
  return v ?? '';
}

/** `v`, or 0 when it is undefined or null (a count not kept yet, a code a platform result may leave out). */
export function orZero(v: number | null | undefined): number {
  return v ?? 0;
}
