import { z } from 'zod';
import { defineSubPlugin } from '../../../plugin/define-plugin.ts';
import { dynamic } from '../../../plugin/dynamic.ts';
import { booleanOf, booleanProperty, portOf, portProperty } from '../connection-properties.ts';
import type { StoreImplementation } from '../store-plugin.ts';
import { QdrantStore } from './qdrant-store.ts';

const GRPC_PORT = 6334;

const implementation: StoreImplementation = {
  async open(properties, context, options) {
    const port = portOf(properties.port);
    if (port === GRPC_PORT) {
      context.logger.warn(
        `embeddings.port: ${GRPC_PORT} is Qdrant's gRPC port, which the reference used; Windhover talks to ` +
          "Qdrant's REST API, usually on port 6333",
      );
    }
    const store = new QdrantStore({
      host: String(properties.host),
      port,
      ...(typeof properties.apiKey === 'string' && properties.apiKey !== '' ? { apiKey: properties.apiKey } : {}),
      collectionName: String(properties.collectionName),
      createCollection: booleanOf(properties.createCollection, true),
    });
    if (options.drop) await store.drop();
    return store;
  },
};

/** `Qdrant`: embeddings in a Qdrant collection, over Qdrant's REST API. */
export const qdrantPlugin = defineSubPlugin({
  type: 'io.kestra.plugin.ai.embeddings.Qdrant',
  aliases: ['io.kestra.plugin.langchain4j.embeddings.Qdrant'],
  category: 'embeddings',
  title: 'Qdrant',
  description:
    "Stores embeddings in a Qdrant collection through Qdrant's REST API (port 6333 by default; the " +
    "reference used gRPC on 6334). The collection is created with the embedding model's dimension and " +
    'cosine distance when missing (set `createCollection: false` to require an existing one). ' +
    '`drop: true` deletes the collection. Metadata filters become Qdrant filters; no full-text search.',
  properties: z.object({
    host: dynamic(z.string().min(1)).meta({
      description: 'Qdrant host name, or a base URL such as https://x.cloud.qdrant.io.',
    }),
    port: portProperty.meta({ description: 'REST port, usually 6333.' }),
    apiKey: dynamic(z.string()).optional().meta({ description: 'API key (sent as the `api-key` header).' }),
    collectionName: dynamic(z.string().min(1)).meta({ description: 'Collection holding the embeddings.' }),
    createCollection: booleanProperty
      .optional()
      .meta({ description: 'Create the collection when missing (default true).', default: true }),
  }),
  implementation,
  examples: [
    {
      title: 'Search a Qdrant collection',
      code: `id: search_qdrant
namespace: company.ai
inputs:
  - id: question
    type: STRING
tasks:
  - id: search
    type: io.kestra.plugin.ai.rag.Search
    query: "{{ inputs.question }}"
    embeddingProvider:
      type: io.kestra.plugin.ai.provider.OpenAI
      modelName: text-embedding-3-small
      apiKey: "{{ secret('OPENAI_API_KEY') }}"
    embeddings:
      type: io.kestra.plugin.ai.embeddings.Qdrant
      host: localhost
      port: 6333
      apiKey: "{{ secret('QDRANT_API_KEY') }}"
      collectionName: docs
`,
    },
  ],
});
