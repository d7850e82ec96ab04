import type { SubPluginDefinition } from '../../plugin/define-plugin.ts';
import { embeddingStoreRetriever } from './embedding-store-retriever.ts';
import { googleCustomWebSearchRetriever } from './google-custom-web-search-retriever.ts';
import { tavilyWebSearchRetriever } from './tavily-web-search-retriever.ts';

export type { ContentRetrieverV1, RetrievedContent } from './content-retriever.ts';
export type { RetrieverImplementation, RetrieverOpenContext } from './retriever-plugin.ts';
export { openContentRetriever } from './retriever-plugin.ts';

/**
 * Every content retriever sub-plugin (category `retriever`), for the default registry.
 * `SqlDatabaseRetriever` is not implemented: the flow model reports it as an unsupported type.
 */
export const retrieverPlugins: SubPluginDefinition[] = [
  embeddingStoreRetriever,
  tavilyWebSearchRetriever,
  googleCustomWebSearchRetriever,
].map((plugin) => plugin as unknown as SubPluginDefinition);
