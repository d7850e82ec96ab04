import { chunkId } from '../../ai/documents/splitter/chunk-id.ts';
import { splitText } from '../../ai/documents/splitter/split-text.ts';
import { embedMany } from '../../ai/embed-many.ts';
import { ingestIncrementally } from '../../ai/ingestion/incremental-ingest.ts';
import { openEmbeddingStore } from '../../ai/stores/store-plugin.ts';
import { defineTask } from '../../plugin/define-plugin.ts';
import type { PluginConfig } from '../../plugin/plugin-ref.ts';
import { storeContextOf } from './ai-contexts.ts';
import { ingestItemsOf } from './document-items.ts';
import { ingestDocumentOutputs, ingestDocumentProperties } from './ingest-document-schema.ts';
import { embeddingModelKey, openEmbedder } from './query-embedder.ts';
import { pluginRegistryOf } from './registry-access.ts';

/** `rag.IngestDocument`: load, split, embed and store documents, incrementally by default. */
export const ingestDocumentTask = defineTask({
  type: 'io.kestra.plugin.ai.rag.IngestDocument',
  aliases: ['io.kestra.plugin.langchain4j.rag.IngestDocument'],
  category: 'task',
  title: 'Ingest documents into an embedding store',
  description: [
    'Loads documents (`fromPath` with optional `include`/`exclude` globs, `fromDocuments`, `fromInternalURIs`,',
    '`fromExternalURLs`), splits them with `documentSplitter`, embeds the chunks with `provider` and writes them',
    'to `embeddings`.',
    '',
    'Incremental by default: a source whose content, splitter settings, embedding model and metadata are',
    'unchanged since the last run is skipped without any embedding call; a changed source has all its chunks',
    'replaced atomically; chunk ids are deterministic, so a retried or restarted run never duplicates.',
    'Options beyond the reference: `metadata` is applied to every chunk; `removeMissingSources: true` deletes',
    'the sources no longer given; `onDocumentError: WARN` skips documents that fail to load. `drop: true` still',
    'wipes the store first.',
  ].join('\n'),
  properties: ingestDocumentProperties,
  outputs: ingestDocumentOutputs,
  async run(ctx, props) {
    const registry = pluginRegistryOf(ctx);
    const embedder = await openEmbedder(ctx, props.provider as PluginConfig);
    const drop = props.drop === true;
    const store = await openEmbeddingStore(registry, props.embeddings as PluginConfig, storeContextOf(ctx), { drop });
    try {
      const splitter = props.documentSplitter
        ? {
            splitter: props.documentSplitter.splitter as 'RECURSIVE',
            maxSegmentSizeInChars: Number(props.documentSplitter.maxSegmentSizeInChars),
            maxOverlapSizeInChars: Number(props.documentSplitter.maxOverlapSizeInChars),
          }
        : null;
      if (splitter && splitter.maxOverlapSizeInChars >= splitter.maxSegmentSizeInChars) {
        throw new Error(
          `documentSplitter.maxOverlapSizeInChars (${splitter.maxOverlapSizeInChars}) must be smaller than ` +
            `maxSegmentSizeInChars (${splitter.maxSegmentSizeInChars})`,
        );
      }
      const { items, total } = await ingestItemsOf(ctx, props);
      const stats = await ingestIncrementally({
        store,
        items,
        total,
        split: (text) => (splitter ? splitText(text, splitter) : [{ text, index: 0, start: 0, end: text.length }]),
        chunkId,
        embed: (values, signal) => embedMany(embedder.model, values, { signal, cache: embedder.cache }),
        settings: { splitter, embeddingModel: embeddingModelKey(embedder.model) },
        taskMetadata: props.metadata ?? {},
        bulkSize: Number(props.bulkSize),
        drop,
        removeMissingSources: props.removeMissingSources === true,
        onDocumentError: props.onDocumentError === 'WARN' ? 'WARN' : 'FAIL',
        logger: ctx.logger,
        signal: ctx.signal,
      });
      const ingested = stats.documentsAdded + stats.documentsUpdated + stats.documentsUnchanged;
      ctx.metric({ name: 'indexed.documents', value: stats.documentsAdded + stats.documentsUpdated });
      ctx.metric({
        name: 'ai.provider.calls',
        value: stats.embeddingCalls,
        tags: { provider: embedder.model.provider },
      });
      const tokens = (value: number) => (value === 0 ? undefined : value);
      return {
        ingestedDocuments: ingested,
        inputTokenCount: tokens(stats.inputTokens),
        outputTokenCount: tokens(stats.outputTokens),
        totalTokenCount: tokens(stats.totalTokens),
        embeddingStoreOutputs: {
          ...storeOutputsOf(props.embeddings as PluginConfig, ctx.flow.id),
          store: store.name,
          chunks: await store.count(),
        },
        documentsAdded: stats.documentsAdded,
        documentsUpdated: stats.documentsUpdated,
        documentsUnchanged: stats.documentsUnchanged,
        documentsRemoved: stats.documentsRemoved,
        documentsFailed: stats.documentsFailed,
        chunksWritten: stats.chunksWritten,
        embeddingCalls: stats.embeddingCalls,
        cacheHits: stats.cacheHits,
      };
    } finally {
      await store.close();
    }
  },
});

/** The reference's KV store reports its `kvName`; we keep that and add the store name and chunk count. */
function storeOutputsOf(config: PluginConfig, flowId: string): Record<string, unknown> {
  if (!/\.KestraKVStore$/.test(config.type)) return {};
  return { kvName: typeof config.kvName === 'string' ? config.kvName : `${flowId}-embedding-store` };
}
