/** Small value helpers shared by the room and the platform code. Pure: no wx/tt. */

/** `v`, or '' when it is undefined or null (a field a platform result, event or property may leave out). */
export function orEmpty<T>(v: T | null | undefined): T | '' {
  return v ?? '';
}
