import { z } from 'zod';
import type { AnyPluginDefinition } from '../plugin/define-plugin.ts';
import type { PluginRegistry } from '../plugin/plugin-registry.ts';

type JsonSchema = Record<string, unknown>;

/** JSON Schema of one plugin: its properties plus `type` (and `id` for tasks and triggers), outputs alongside. */
export function pluginSchema(definition: AnyPluginDefinition): JsonSchema {
  const properties = toJson(definition.properties) as { properties?: JsonSchema; required?: string[] };
  const withId = definition.category === 'task' || definition.category === 'trigger';
  return {
    type: 'object',
    title: definition.title,
    description: definition.description,
    properties: {
      ...(withId ? { id: { type: 'string', pattern: '^[a-zA-Z0-9][a-zA-Z0-9_-]*$' } } : {}),
      type: { const: definition.type },
      ...(properties.properties ?? {}),
    },
    required: [...(withId ? ['id'] : []), 'type', ...(properties.required ?? [])],
    ...(definition.outputs ? { outputs: toJson(definition.outputs) } : {}),
  };
}

/**
 * The flow JSON Schema the editor completes from: every registered task and trigger as a
 * `type`-discriminated alternative, so `type:` values, property names and enums all come from it.
 */
export function flowSchema(registry: PluginRegistry): JsonSchema {
  const of = (category: 'task' | 'trigger') => ({ anyOf: registry.list(category).map(pluginSchema) });
  const tasks = { type: 'array', items: of('task') };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Windhover flow',
    type: 'object',
    required: ['id', 'namespace', 'tasks'],
    properties: {
      id: { type: 'string' },
      namespace: { type: 'string' },
      description: { type: 'string' },
      labels: { type: 'object' },
      inputs: { type: 'array', items: { type: 'object', required: ['id', 'type'] } },
      variables: { type: 'object' },
      tasks,
      errors: tasks,
      finally: tasks,
      triggers: { type: 'array', items: of('trigger') },
      outputs: { type: 'array' },
      disabled: { type: 'boolean' },
    },
  };
}

function toJson(schema: z.ZodType): JsonSchema {
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  } catch {
    return { type: 'object' };
  }
}
