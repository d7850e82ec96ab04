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
  let current = objectBranch(unwrap(schema));
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
    current = objectBranch(current);
  }
  return defType(current) === 'object' ? Object.keys((current as z.ZodObject).shape) : [];
}

/** For `dynamic(object)` and similar unions, the branch that is a map or list. */
function objectBranch(schema: z.ZodType): z.ZodType {
  if (defType(schema) !== 'union') return schema;
  const options = (schema._zod.def as unknown as { options: z.ZodType[] }).options.map(unwrap);
  return options.find((option) => ['object', 'array', 'record'].includes(defType(option))) ?? schema;
}

/** True for the template-only branch of `dynamic(...)`: it accepts `{{ x }}` but not plain text. */
function isTemplateBranch(schema: z.ZodType): boolean {
  return schema.safeParse('{{ x }}').success && !schema.safeParse('plain text').success;
}

/**
 * Zod reports only the template branch's "must match pattern" when a string fits neither branch
 * of a dynamic property (`type: user` for an enum). Re-check the value against the literal branch
 * at that path to say what was expected instead.
 */
export function literalIssuesAt(
  schema: z.ZodType,
  value: unknown,
  path: readonly (string | number)[],
): z.core.$ZodIssue[] | undefined {
  let current = unwrap(schema);
  let currentValue = value;
  for (const segment of path) {
    const type = defType(current);
    if (type === 'union') {
      const options = (current._zod.def as unknown as { options: z.ZodType[] }).options;
      const next = options.find((option) => !isTemplateBranch(option));
      if (!next) return undefined;
      current = unwrap(next);
    }
    const inner = defType(current);
    if (inner === 'object') current = (current as z.ZodObject).shape[String(segment)] as z.ZodType;
    else if (inner === 'array') current = (current._zod.def as unknown as { element: z.ZodType }).element;
    else if (inner === 'record') current = (current._zod.def as unknown as { valueType: z.ZodType }).valueType;
    else return undefined;
    if (!current) return undefined;
    current = unwrap(current);
    currentValue =
      typeof currentValue === 'object' && currentValue !== null
        ? (currentValue as Record<string | number, unknown>)[segment]
        : undefined;
  }
  if (defType(current) !== 'union') return undefined;
  const options = (current._zod.def as unknown as { options: z.ZodType[] }).options;
  const literal = options.filter((option) => !isTemplateBranch(option));
  if (literal.length !== 1 || !literal[0]) return undefined;
  const result = literal[0].safeParse(currentValue);
  return result.success ? undefined : result.error.issues;
}
