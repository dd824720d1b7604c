/**
 * Built-in layouts. A layout is one folder `templates/<name>/` with `<name>.wxs`, which places the local view
 * and each remote tile in the render layer (no setData). Register it here and in `registry.wxs`;
 * test/templates.test.ts fails when the folders and the two registries disagree.
 */
export const TEMPLATE_NAMES = ['bigsmall', 'float', 'grid', 'custom'] as const;

export type TemplateName = (typeof TEMPLATE_NAMES)[number];

export function isTemplateName(v: unknown): v is TemplateName {
  return typeof v === 'string' && (TEMPLATE_NAMES as readonly string[]).includes(v);
}
