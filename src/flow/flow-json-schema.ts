import { z } from 'zod';
import { retrySchema } from '../plugin/base-properties.ts';
import { type AnyPluginDefinition, PLUGIN_CATEGORIES } from '../plugin/define-plugin.ts';
import { PLUGIN_REF_META } from '../plugin/plugin-ref.ts';
import type { PluginRegistry } from '../plugin/plugin-registry.ts';
import { flowTopLevelSchema, pluginDefaultSchema } from './flow-schema.ts';
import { inputSpecSchema } from './input-spec-schema.ts';
import { isPlainObject, namesOf } from './plugin-defaults.ts';
import { childListKeys, childMapKeys, validationSchema } from './plugin-schema.ts';

type JsonSchema = Record<string, unknown>;

const TASK_LIST_META = 'windhoverTaskList';

/**
 * The JSON Schema of a flow, generated from the same zod definitions that validate it: tasks,
 * triggers and sub-plugins are unions discriminated by `type` (canonical name and aliases), so
 * editors (the VS Code YAML extension, the web UI) complete `type:` and every property.
 */
export function flowJsonSchema(registry: PluginRegistry): JsonSchema {
  const defs = pluginDefs(registry);
  const taskList = { type: 'array', items: { $ref: '#/$defs/task' } };
  const top = toJson(flowTopLevelSchema);
  const properties = (top.properties ?? {}) as Record<string, JsonSchema>;
  for (const key of ['tasks', 'errors', 'finally', 'afterExecution']) {
    properties[key] = { ...taskList, ...(key === 'tasks' ? { minItems: 1 } : {}) };
  }
  properties.triggers = { type: 'array', items: { $ref: '#/$defs/trigger' } };
  properties.inputs = { type: 'array', items: inputItemSchema() };
  const defaults = { type: 'array', items: toJson(pluginDefaultSchema) };
  properties.pluginDefaults = defaults;
  properties.retry = { $ref: '#/$defs/retry' };
  properties.taskDefaults = { ...defaults, deprecated: true, description: 'Old name of pluginDefaults' };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Windhover flow',
    ...top,
    properties,
    $defs: defs,
  };
}

/** An input needs an `id`, or `name` (its pre-0.15 spelling). */
function inputItemSchema(): JsonSchema {
  const schema = toJson(inputSpecSchema);
  const required = Array.isArray(schema.required) ? schema.required.filter((key) => key !== 'id') : [];
  return { ...schema, required, anyOf: [{ required: ['id'] }, { required: ['name'] }] };
}

/** The JSON Schema of one plugin (by canonical name or alias), self-contained. */
export function pluginJsonSchema(registry: PluginRegistry, type: string): JsonSchema | undefined {
  const definition = registry.get(type);
  if (!definition) return undefined;
  const defs = pluginDefs(registry);
  const own = defs[definition.type] as JsonSchema;
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', ...own, $defs: defs };
}

/** One definition per plugin, plus one union per category (`#/$defs/task`, `#/$defs/provider`...). */
function pluginDefs(registry: PluginRegistry): Record<string, JsonSchema> {
  const defs: Record<string, JsonSchema> = {};
  for (const category of PLUGIN_CATEGORIES) {
    const plugins = registry.list(category);
    defs[category] = plugins.length
      ? { anyOf: plugins.map((plugin) => ({ $ref: `#/$defs/${plugin.type}` })) }
      : { type: 'object', required: ['type'], properties: { type: { type: 'string' } } };
  }
  defs.retry = toJson(retrySchema);
  for (const definition of registry.list()) defs[definition.type] = pluginDef(definition, defs);
  return defs;
}

function pluginDef(definition: AnyPluginDefinition, rootDefs: Record<string, JsonSchema>): JsonSchema {
  const schema = toJson(validationSchema(definition));
  hoistDefs(schema, definition.type, rootDefs);
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  properties.type = { enum: namesOf(definition), description: definition.title };
  // The retry policy is the same everywhere: one shared definition keeps the schema small.
  if (properties.retry && !('retry' in definition.properties.shape)) {
    properties.retry = { $ref: '#/$defs/retry' };
  }
  for (const key of childListKeys(definition)) properties[key] = { type: 'array', items: { $ref: '#/$defs/task' } };
  for (const key of childMapKeys(definition)) {
    properties[key] = { type: 'object', additionalProperties: { type: 'array', items: { $ref: '#/$defs/task' } } };
  }
  return {
    title: definition.title,
    description: definition.description,
    ...schema,
    properties: replaceMarkers(properties) as Record<string, JsonSchema>,
    ...(definition.outputs ? { 'x-outputs': toJson(definition.outputs) } : {}),
  };
}

function toJson(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', reused: 'inline', cycles: 'ref' });
  const { $schema: _ignored, ...rest } = json as JsonSchema;
  return rest;
}

/** Sub-plugin properties become references to their category's union; task lists to the task union. */
function replaceMarkers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(replaceMarkers);
  if (!isPlainObject(value)) return value;
  const category = value[PLUGIN_REF_META];
  if (typeof category === 'string') {
    return { $ref: `#/$defs/${category}`, ...(value.description ? { description: value.description } : {}) };
  }
  if (value[TASK_LIST_META] === true) return { type: 'array', items: { $ref: '#/$defs/task' } };
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceMarkers(item)]));
}

/** Moves a plugin's own `$defs` (recursive schemas) to the root under a prefixed name. */
function hoistDefs(schema: JsonSchema, prefix: string, rootDefs: Record<string, JsonSchema>): void {
  const own = schema.$defs;
  if (!isPlainObject(own)) return;
  delete schema.$defs;
  const rename = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rename);
    if (!isPlainObject(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] =
        key === '$ref' && typeof item === 'string' && item.startsWith('#/$defs/')
          ? `#/$defs/${prefix}.${item.slice('#/$defs/'.length)}`
          : rename(item);
    }
    return out;
  };
  for (const [name, def] of Object.entries(own)) rootDefs[`${prefix}.${name}`] = rename(def) as JsonSchema;
  Object.assign(schema, rename(schema));
}
