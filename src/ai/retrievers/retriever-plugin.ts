import type { z } from 'zod';
import { coerceToSchema } from '../../engine/coerce-to-schema.ts';
import type { SubPluginDefinition } from '../../plugin/define-plugin.ts';
import type { PluginConfig } from '../../plugin/plugin-ref.ts';
import type { PluginRegistry } from '../../plugin/plugin-registry.ts';
import type { ProviderContext } from '../providers/provider-plugin.ts';
import type { RetryOptions } from '../providers/retry-policy.ts';
import type { StoreOpenContext } from '../stores/store-plugin.ts';
import type { ContentRetrieverV1 } from './content-retriever.ts';

/** What a retriever may use while opening: stores and providers for `EmbeddingStoreRetriever`. */
export interface RetrieverOpenContext extends StoreOpenContext, ProviderContext {
  registry: PluginRegistry;
  /** Retry policy of remote calls; tests shorten it, flows keep the shared defaults. */
  retry?: RetryOptions;
}

/** The `implementation` of a `retriever` sub-plugin. */
export interface RetrieverImplementation {
  open(properties: Record<string, unknown>, context: RetrieverOpenContext): Promise<ContentRetrieverV1>;
}

/** A content retriever sub-plugin definition (category `retriever`). */
export type RetrieverDefinition = SubPluginDefinition<z.ZodObject, RetrieverImplementation>;

/**
 * Opens the retriever a `contentRetrievers[n]` item describes (its properties already rendered),
 * validating them against the plugin's schema so defaults apply; `where` names the item in errors.
 */
export async function openContentRetriever(
  registry: PluginRegistry,
  config: PluginConfig,
  context: RetrieverOpenContext,
  where = 'contentRetrievers',
): Promise<ContentRetrieverV1> {
  const found = registry.get(config.type);
  if (found?.category !== 'retriever' || !('implementation' in found)) {
    const known = registry.names('retriever').sort().join(', ');
    throw new Error(`${where}.type: unknown content retriever '${config.type}'; known: ${known}`);
  }
  const definition = found as RetrieverDefinition;
  const { type: _type, ...raw } = config;
  const parsed = definition.properties.safeParse(coerceToSchema(raw, definition.properties));
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${[where, ...issue.path.map(String)].join('.')}: ${issue.message}`)
      .join('; ');
    throw new Error(`${config.type}: invalid properties: ${problems}`);
  }
  return definition.implementation.open(parsed.data as Record<string, unknown>, context);
}
