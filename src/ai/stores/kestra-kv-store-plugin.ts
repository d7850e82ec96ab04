import { join } from 'node:path';
import { z } from 'zod';
import { defineSubPlugin } from '../../plugin/define-plugin.ts';
import { dynamic } from '../../plugin/dynamic.ts';
import { BorrowedStore } from './borrowed-store.ts';
import { EmbeddedEmbeddingStore } from './embedded/embedded-store.ts';
import type { StoreImplementation } from './store-plugin.ts';

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Where the embedded store of a namespace and name lives. */
export function embeddedStoreDirectory(dataDir: string, namespace: string, kvName: string): string {
  for (const [what, value] of [
    ['kvName', kvName],
    ['namespace', namespace],
  ] as const) {
    if (!SAFE_NAME.test(value) || value.includes('..')) {
      throw new Error(
        `embeddings.${what}: '${value}' cannot name a store; use letters, digits, '.', '_' and '-' (starting with a letter or digit)`,
      );
    }
  }
  return join(dataDir, 'vector-stores', namespace, kvName);
}

const implementation: StoreImplementation = {
  async open(properties, context, options) {
    const kvName = typeof properties.kvName === 'string' ? properties.kvName : `${context.flowId}-embedding-store`;
    const directory = embeddedStoreDirectory(context.dataDir, context.namespace, kvName);
    const shared = await context.resources.get(
      `embedded-embedding-store:${directory}`,
      async () => EmbeddedEmbeddingStore.open(directory),
      (store) => store.close(),
    );
    if (options.drop) await shared.drop();
    return new BorrowedStore(shared);
  },
};

/**
 * `KestraKVStore`: same YAML as the reference, but an embedded, incrementally updated store
 * (SQLite + HNSW) under `<dataDir>/vector-stores/<namespace>/<kvName>/` instead of one JSON
 * value rewritten on every ingest.
 */
export const kestraKvStorePlugin = defineSubPlugin({
  type: 'io.kestra.plugin.ai.embeddings.KestraKVStore',
  aliases: ['io.kestra.plugin.langchain4j.embeddings.KestraKVStore'],
  category: 'embeddings',
  title: 'Embedded embedding store',
  description:
    'Stores embeddings on this instance: a SQLite file with the chunks, their metadata, source hashes and a ' +
    'full-text index, plus an HNSW index for fast approximate search. Ingesting adds or replaces only the ' +
    'documents given; searches stay fast at a million chunks. Files live under ' +
    '`<data dir>/vector-stores/<namespace>/<kvName>/`.',
  properties: z.object({
    kvName: dynamic(z.string().min(1)).optional().meta({
      description: 'Name of the store within the flow namespace. Defaults to `{{ flow.id }}-embedding-store`.',
      default: '{{ flow.id }}-embedding-store',
    }),
  }),
  implementation,
  examples: [
    {
      title: 'Ingest documents into the embedded store',
      code: `id: ingest
namespace: company.ai
tasks:
  - id: ingest
    type: io.kestra.plugin.ai.rag.IngestDocument
    provider:
      type: io.kestra.plugin.ai.provider.GoogleGemini
      modelName: gemini-embedding-exp-03-07
      apiKey: "{{ secret('GEMINI_API_KEY') }}"
    embeddings:
      type: io.kestra.plugin.ai.embeddings.KestraKVStore
    fromExternalURLs:
      - https://example.com/docs/intro.md
`,
    },
  ],
});
