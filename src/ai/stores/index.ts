import type { SubPluginDefinition } from '../../plugin/define-plugin.ts';
import { kestraKvStorePlugin } from './kestra-kv-store-plugin.ts';
import { pgVectorPlugin } from './pgvector/pgvector-plugin.ts';
import { qdrantPlugin } from './qdrant/qdrant-plugin.ts';

export { BorrowedStore } from './borrowed-store.ts';
export { EmbeddedEmbeddingStore } from './embedded/embedded-store.ts';
export { embeddedStoreDirectory, kestraKvStorePlugin } from './kestra-kv-store-plugin.ts';
export { pgVectorPlugin } from './pgvector/pgvector-plugin.ts';
export { PgVectorStore } from './pgvector/pgvector-store.ts';
export { qdrantPlugin } from './qdrant/qdrant-plugin.ts';
export { QdrantStore } from './qdrant/qdrant-store.ts';
export { DimensionMismatchError } from './store-errors.ts';
export type { StoreImplementation, StoreOpenContext } from './store-plugin.ts';
export { openEmbeddingStore } from './store-plugin.ts';

/** Every embedding store sub-plugin (category `embeddings`), for the default registry. */
export const storePlugins: SubPluginDefinition[] = [kestraKvStorePlugin, pgVectorPlugin, qdrantPlugin].map(
  (plugin) => plugin as unknown as SubPluginDefinition,
);
