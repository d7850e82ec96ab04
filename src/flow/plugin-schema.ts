import { z } from 'zod';
import { subPluginBaseProperties, taskBaseProperties, triggerBaseProperties } from '../plugin/base-properties.ts';
import type { AnyPluginDefinition, PluginCategory } from '../plugin/define-plugin.ts';
import { PLUGIN_REF_META } from '../plugin/plugin-ref.ts';

/** Names of the properties of a flowable that hold task lists, including the task-level `errors`. */
export function childListKeys(definition: AnyPluginDefinition): string[] {
  if (definition.category !== 'task' || !definition.flowable) return [];
  return [...new Set([...definition.childTaskLists, 'errors'])];
}

/** Names of the properties of a flowable that hold maps of task lists (Switch `cases`). */
export function childMapKeys(definition: AnyPluginDefinition): string[] {
  if (definition.category !== 'task' || !definition.flowable) return [];
  return definition.childTaskMaps ?? [];
}

function baseFor(category: PluginCategory): z.ZodObject {
  if (category === 'task') return taskBaseProperties;
  if (category === 'trigger') return triggerBaseProperties;
  return subPluginBaseProperties;
}

const cache = new WeakMap<AnyPluginDefinition, z.ZodObject>();

/**
 * The schema a plugin's YAML is validated against: base properties of its category plus its own,
 * with unknown keys rejected. Child task lists are only checked to be lists here: the flow model
 * validates each child task against its own type.
 */
export function validationSchema(definition: AnyPluginDefinition): z.ZodObject {
  const cached = cache.get(definition);
  if (cached) return cached;
  const shape: Record<string, z.ZodType> = { ...baseFor(definition.category).shape, ...definition.properties.shape };
  for (const key of childListKeys(definition)) {
    const own = shape[key];
    const list = z.array(z.unknown());
    shape[key] = own && !own.safeParse(undefined).success ? list : list.optional();
  }
  for (const key of childMapKeys(definition)) {
    const own = shape[key];
    const map = z.record(z.string(), z.array(z.unknown()));
    shape[key] = own && !own.safeParse(undefined).success ? map : map.optional();
  }
  const schema = z.strictObject(shape);
  cache.set(definition, schema);
  return schema;
}

/** The schema without its wrappers (optional, nullable, default, pipe input, lazy...). */
export function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (let i = 0; i < 20; i++) {
    if (refCategory(current)) return current;
    const def = current._zod.def as unknown as Record<string, unknown> & { type: string };
    if (['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(def.type)) {
      current = def.innerType as z.ZodType;
    } else if (def.type === 'pipe') {
      current = def.in as z.ZodType;
    } else if (def.type === 'lazy') {
      current = (def.getter as () => z.ZodType)();
    } else {
      return current;
    }
  }
  return current;
}

/** The sub-plugin category when the schema was made by `pluginRef(category)`. */
export function refCategory(schema: z.ZodType): PluginCategory | undefined {
  const meta = schema.meta() as Record<string, unknown> | undefined;
  const category = meta?.[PLUGIN_REF_META];
  return typeof category === 'string' ? (category as PluginCategory) : undefined;
}

export function defType(schema: z.ZodType): string {
  return (schema._zod.def as { type: string }).type;
}

/** Keys an object schema accepts at a nested path, for "did you mean" on unknown properties. */
export function keysAt(schema: z.ZodType, path: readonly (string | number)[]): string[] {
  let current = unwrap(schema);
  for (const segment of path) {
    const type = defType(current);
    if (type === 'object') {
      const child = (current as z.ZodObject).shape[String(segment)];
      if (!child) return [];
      current = unwrap(child);
    } else if (type === 'array') {
      current = unwrap((current._zod.def as unknown as { element: z.ZodType }).element);
    } else if (type === 'record') {
      current = unwrap((current._zod.def as unknown as { valueType: z.ZodType }).valueType);
    } else {
      return [];
    }
  }
  return defType(current) === 'object' ? Object.keys((current as z.ZodObject).shape) : [];
}
