import type { z } from 'zod';
import { coerceToSchema } from '../../engine/coerce-to-schema.ts';
import type { SubPluginDefinition } from '../../plugin/define-plugin.ts';
import type { PluginConfig } from '../../plugin/plugin-ref.ts';
import type { PluginRegistry } from '../../plugin/plugin-registry.ts';

/** The `implementation` of a sub-plugin that opens something from its validated properties. */
export interface OpeningImplementation<Context, Opened> {
  open(properties: Record<string, unknown>, context: Context): Promise<Opened>;
}

/** A sub-plugin chosen by a config's `type:`, and that config's properties, validated. */
export interface ResolvedSubPlugin<Implementation> {
  definition: SubPluginDefinition<z.ZodObject, Implementation>;
  /** The properties with rendered strings converted to their declared types and defaults applied. */
  properties: Record<string, unknown>;
}

/** Which sub-plugin a config may name, and how errors speak of it. */
export interface SubPluginLookup {
  category: 'retriever' | 'memory';
  /** What the flow asked for, in errors: `content retriever`, `chat memory`. */
  noun: string;
  /** The property path of the config in the task, prefixed to every error: `memory`, `contentRetrievers[1]`. */
  where: string;
}

/**
 * Finds the sub-plugin a rendered `type:` + properties config names and validates the properties
 * against its schema. Shared by the chat memories and the content retrievers, which open their
 * sub-plugins the same way (it lives with the memories because they depend on no other AI
 * module). An unknown type lists the known ones; invalid properties are named by their path.
 */
export function resolveSubPlugin<Implementation>(
  registry: PluginRegistry,
  config: PluginConfig,
  lookup: SubPluginLookup,
): ResolvedSubPlugin<Implementation> {
  const found = registry.get(config.type);
  if (found?.category !== lookup.category || !('implementation' in found)) {
    const known = registry.names(lookup.category).sort().join(', ');
    throw new Error(`${lookup.where}.type: unknown ${lookup.noun} '${config.type}'; known: ${known}`);
  }
  const definition = found as SubPluginDefinition<z.ZodObject, Implementation>;
  const { type: _type, ...raw } = config;
  const parsed = definition.properties.safeParse(coerceToSchema(raw, definition.properties));
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${[lookup.where, ...issue.path.map(String)].join('.')}: ${issue.message}`)
      .join('; ');
    throw new Error(`${config.type}: invalid properties: ${problems}`);
  }
  return { definition, properties: parsed.data as Record<string, unknown> };
}
