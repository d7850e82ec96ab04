import { z } from 'zod';
import { defineSubPlugin } from '../../plugin/define-plugin.ts';
import { dynamic } from '../../plugin/dynamic.ts';
import { type PluginConfig, pluginRef } from '../../plugin/plugin-ref.ts';
import { embedMany } from '../embed-many.ts';
import { EmbeddingCache } from '../embedding-cache.ts';
import { createEmbeddingModel } from '../providers/provider-plugin.ts';
import { retrieve } from '../retrieval/retrieve.ts';
import { openEmbeddingStore } from '../stores/store-plugin.ts';
import type { RetrieverImplementation } from './retriever-plugin.ts';

const NAME = 'EmbeddingStoreRetriever';

const implementation: RetrieverImplementation = {
  async open(properties, context) {
    const model = await createEmbeddingModel(context.registry, properties.embeddingProvider as PluginConfig, context);
    const cache = await EmbeddingCache.shared(context.dataDir, context.resources);
    const store = await openEmbeddingStore(context.registry, properties.embeddings as PluginConfig, context, {
      drop: false,
    });
    const maxResults = Number(properties.maxResults);
    const minScore = Number(properties.minScore);
    return {
      specificationVersion: 'v1',
      name: `${NAME} (${store.name})`,
      async retrieve(query, { signal }) {
        const matches = await retrieve({
          store,
          query,
          mode: 'VECTOR',
          maxResults,
          minScore,
          embedQuery: async (text) =>
            (await embedMany(model, [text], { signal, cache, retry: context.retry })).embeddings[0]!,
        });
        return matches.map((match) => ({
          content: match.text,
          metadata: { ...match.metadata, retriever: NAME },
          score: match.score,
          id: match.id,
        }));
      },
      close: () => store.close(),
    };
  },
};

/** `retriever.EmbeddingStoreRetriever`: one more store (with its own embedding model) for a chat. */
export const embeddingStoreRetriever = defineSubPlugin({
  type: 'io.kestra.plugin.ai.retriever.EmbeddingStoreRetriever',
  aliases: ['io.kestra.plugin.langchain4j.retriever.EmbeddingStoreRetriever'],
  category: 'retriever',
  title: 'Embedding store retriever',
  description:
    'Retrieves the chunks closest to the prompt from an embedding store, embedding the prompt with ' +
    '`embeddingProvider` (the model the store was ingested with). Lets one chat query several stores.',
  properties: z.object({
    embeddings: pluginRef('embeddings'),
    embeddingProvider: pluginRef('provider'),
    maxResults: dynamic(z.int().min(0).max(1000)).default(3).describe('Chunks to retrieve.'),
    minScore: dynamic(z.number().min(0).max(1))
      .default(0)
      .describe('Minimum relevance, (cosine + 1) / 2, from 0 to 1.'),
  }),
  implementation,
  examples: [
    {
      title: 'Chat over two stores',
      code: `id: multi_store_rag
namespace: company.ai
tasks:
  - id: chat
    type: io.kestra.plugin.ai.rag.ChatCompletion
    chatProvider:
      type: io.kestra.plugin.ai.provider.GoogleGemini
      modelName: gemini-2.5-flash
      apiKey: "{{ secret('GEMINI_API_KEY') }}"
    contentRetrievers:
      - type: io.kestra.plugin.ai.retriever.EmbeddingStoreRetriever
        embeddings:
          type: io.kestra.plugin.ai.embeddings.KestraKVStore
          kvName: technical-docs
        embeddingProvider:
          type: io.kestra.plugin.ai.provider.GoogleGemini
          modelName: gemini-embedding-001
          apiKey: "{{ secret('GEMINI_API_KEY') }}"
      - type: io.kestra.plugin.ai.retriever.EmbeddingStoreRetriever
        embeddings:
          type: io.kestra.plugin.ai.embeddings.KestraKVStore
          kvName: business-docs
        embeddingProvider:
          type: io.kestra.plugin.ai.provider.GoogleGemini
          modelName: gemini-embedding-001
          apiKey: "{{ secret('GEMINI_API_KEY') }}"
    prompt: What does the refund policy say about annual plans?
`,
    },
  ],
});
