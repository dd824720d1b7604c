/** Compares dotted versions numerically: compareVersion('2.10.0', '2.9.9') === 1. Missing parts count as 0. */
export function compareVersion(a: string, b: string): number {
  const pa = String(a ?? '').split('.');
  const pb = String(b ?? '').split('.');
  const n = Math.max(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const x = parseInt(pa[i] ?? '0', 10) || 0;
    const y = parseInt(pb[i] ?? '0', 10) || 0;
    if (x !== y) return x > y ? 1 : -1;
  }
  return 0;
}
