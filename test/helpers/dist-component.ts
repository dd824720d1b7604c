/**
 * Built component JS run the way the mini-program runtime runs it, outside jest's module system: a CommonJS
 * loader over the files on disk, `Component()` captured, and an instance with `data`, `setData` and
 * `triggerEvent` (the Douyin build's markup is TTML, which miniprogram-simulate cannot render).
 */
import * as fs from 'fs';
import * as path from 'path';

/** Loads `entry` (and what it requires, relative paths only) with the given globals. */
export function loadDist(entry: string, globals: Record<string, unknown>): void {
  const cache = new Map<string, { exports: unknown }>();
  const req = (file: string): unknown => {
    const abs = fs.existsSync(file) && fs.statSync(file).isFile() ? file : file + '.js';
    const hit = cache.get(abs);
    if (hit) return hit.exports;
    const module = { exports: {} as unknown };
    cache.set(abs, module);
    const names = Object.keys(globals);
    const fn = new Function('require', 'module', 'exports', ...names, fs.readFileSync(abs, 'utf8'));
    fn(
      (p: string) => req(path.resolve(path.dirname(abs), p)),
      module,
      module.exports,
      ...names.map((n) => globals[n]),
    );
    return module.exports;
  };
  req(entry);
}

export interface ComponentDef {
  data: Record<string, unknown>;
  properties: Record<string, { value?: unknown }>;
  methods: Record<string, (...a: unknown[]) => unknown>;
  lifetimes: Record<string, () => void>;
  observers?: Record<string, (...values: unknown[]) => void>;
}

/** Captures the `Component({...})` definition of the built component at `entry`. */
export function loadComponent(entry: string, globals: Record<string, unknown>): ComponentDef {
  let def: ComponentDef | null = null;
  loadDist(entry, { ...globals, Component: (d: ComponentDef) => (def = d), Behavior: (b: unknown) => b });
  if (!def) throw new Error(`${entry} did not call Component()`);
  return def;
}

/** An instance of the definition: property defaults, then `data`; events go to `onEvent(name, detail)`. */
export function instantiate(
  def: ComponentDef,
  data: Record<string, unknown>,
  onEvent: (name: string, detail: any) => void,
): Record<string, any> {
  const props: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(def.properties))
    props[k] = v && typeof v === 'object' ? v.value : undefined;
  const inst: Record<string, any> = {
    data: { ...def.data, ...props, ...data },
    setData(patch: Record<string, unknown>, cb?: () => void) {
      Object.assign(this.data, patch);
      cb?.();
    },
    triggerEvent(name: string, detail: unknown) {
      onEvent(name, detail);
    },
  };
  for (const [k, fn] of Object.entries(def.methods)) inst[k] = fn.bind(inst);
  return inst;
}

/** What the runtime does when the owner page changes bound properties: update `data`, then run the observers. */
export function setProperties(
  def: ComponentDef,
  inst: Record<string, any>,
  patch: Record<string, unknown>,
): void {
  Object.assign(inst.data, patch);
  for (const [fields, fn] of Object.entries(def.observers ?? {})) {
    const names = fields.split(',').map((f) => f.trim());
    if (names.some((n) => n in patch))
      fn.apply(
        inst,
        names.map((n) => inst.data[n]),
      );
  }
}
