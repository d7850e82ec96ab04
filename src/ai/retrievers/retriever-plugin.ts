import type { PluginConfig } from '../../plugin/plugin-ref.ts';
import type { PluginRegistry } from '../../plugin/plugin-registry.ts';
import { type OpeningImplementation, resolveSubPlugin } from '../memory/resolve-sub-plugin.ts';
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

/** The `implementation` of a `retriever` sub-plugin: opens the retriever. */
export type RetrieverImplementation = OpeningImplementation<RetrieverOpenContext, ContentRetrieverV1>;

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
  const { definition, properties } = resolveSubPlugin<RetrieverImplementation>(registry, config, {
    category: 'retriever',
    noun: 'content retriever',
    where,
  });
  return definition.implementation.open(properties, context);
}
