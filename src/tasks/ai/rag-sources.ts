import { z } from 'zod';
import { retrieve } from '../../ai/retrieval/retrieve.ts';
import type { ContentRetrieverV1, RetrievedContent } from '../../ai/retrievers/content-retriever.ts';
import { openContentRetriever, type RetrieverOpenContext } from '../../ai/retrievers/retriever-plugin.ts';
import { openEmbeddingStore } from '../../ai/stores/store-plugin.ts';
import type { PluginConfig } from '../../plugin/plugin-ref.ts';
import type { RunContext } from '../../plugin/run-context.ts';
import { providerContextOf, storeContextOf } from './ai-contexts.ts';
import { openEmbedder } from './query-embedder.ts';
import { pluginRegistryOf } from './registry-access.ts';
import { type RetrievalProperty, retrievalOptionsOf } from './retrieval-schema.ts';
import { toSource } from './source-output.ts';

/** One source in rag.ChatCompletion's `sources` output; web results have a URL id and maybe no score. */
export const ragSourceSchema = z.object({
  content: z.string(),
  metadata: z
    .record(z.string(), z.unknown())
    .describe('Chunk metadata; results of contentRetrievers add `retriever` (and `url`, `title` for web pages).'),
  score: z
    .number()
    .optional()
    .describe('Relevance: (cosine + 1) / 2 in VECTOR mode, the fused RRF score in HYBRID mode, Tavily’s own score.'),
  id: z.string().optional().describe('Chunk id, or the page URL of a web result.'),
});

export type RagSource = z.output<typeof ragSourceSchema>;

/** What `gatherSources` reads from the task's rendered properties. */
export interface SourceProperties {
  chatProvider: PluginConfig;
  embeddingProvider?: PluginConfig;
  embeddings?: PluginConfig;
  contentRetrievers?: PluginConfig[];
  contentRetrieverConfiguration: { maxResults: number; minScore: number };
  retrieval?: RetrievalProperty;
}

/**
 * Queries every retriever for the prompt: the `embeddings` store first, then each of
 * `contentRetrievers` in order, all at once. Every retriever is always queried (the reference's
 * DefaultQueryRouter); a failing one fails the task with an error naming it.
 */
export async function gatherSources(ctx: RunContext, props: SourceProperties, prompt: string): Promise<RagSource[]> {
  const fromStore = props.embeddings ? searchEmbeddings(ctx, props, props.embeddings, prompt) : Promise.resolve([]);
  const fromRetrievers = (props.contentRetrievers ?? []).map((config, index) =>
    queryRetriever(ctx, config, index, prompt),
  );
  const lists = await Promise.all([fromStore, ...fromRetrievers]);
  return lists.flat();
}

async function searchEmbeddings(
  ctx: RunContext,
  props: SourceProperties,
  embeddings: PluginConfig,
  prompt: string,
): Promise<RagSource[]> {
  const registry = pluginRegistryOf(ctx);
  const embedder = await openEmbedder(ctx, props.embeddingProvider ?? props.chatProvider);
  const store = await openEmbeddingStore(registry, embeddings, storeContextOf(ctx), { drop: false });
  try {
    const retrieval = retrievalOptionsOf(props.retrieval);
    const matches = await retrieve({
      store,
      query: prompt,
      embedQuery: embedder.embedQuery,
      maxResults: props.contentRetrieverConfiguration.maxResults,
      minScore: props.contentRetrieverConfiguration.minScore,
      ...retrieval,
    });
    if (matches.length === 0) {
      ctx.logger.warn(
        `no chunk retrieved from the '${store.name}' store (${await store.count()} chunks); the model answers without ` +
          `its sources. Check that an IngestDocument task wrote to the same embeddings (type and kvName/collection) ` +
          `with the same embedding model, and that minScore or retrieval.filter are not too strict`,
      );
    }
    ctx.metric({ name: 'ai.embedding.store.calls', value: 1, tags: { store: store.name } });
    ctx.logger.info(`retrieved ${matches.length} source(s) from '${store.name}' with ${retrieval.mode} search`);
    return matches.map(toSource);
  } finally {
    await store.close();
  }
}

async function queryRetriever(ctx: RunContext, config: PluginConfig, index: number, prompt: string) {
  const where = `contentRetrievers[${index}]`;
  let retriever: ContentRetrieverV1 | undefined;
  try {
    retriever = await openContentRetriever(pluginRegistryOf(ctx), config, retrieverContextOf(ctx), where);
    const found: RetrievedContent[] = await retriever.retrieve(prompt, { signal: ctx.signal });
    ctx.logger.info(`${where} (${retriever.name}) retrieved ${found.length} source(s)`);
    ctx.metric({ name: 'ai.content.retriever.calls', value: 1, tags: { retriever: retriever.name } });
    return found.map((content): RagSource => ({ ...content, metadata: { ...content.metadata } }));
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    throw namedFailure(where, error);
  } finally {
    await retriever?.close?.();
  }
}

/** What retrievers get from a task run. */
export function retrieverContextOf(ctx: RunContext): RetrieverOpenContext {
  return { ...storeContextOf(ctx), ...providerContextOf(ctx), registry: pluginRegistryOf(ctx) };
}

/** Prefixes the failing retriever's place in the flow; keeps whether retrying may help. */
function namedFailure(where: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const wrapped = new Error(`${where}: ${message}`, { cause: error });
  wrapped.name = error instanceof Error ? error.name : 'Error';
  const retryable = (error as { isRetryable?: unknown } | undefined)?.isRetryable;
  if (typeof retryable === 'boolean') Object.assign(wrapped, { isRetryable: retryable });
  return wrapped;
}
