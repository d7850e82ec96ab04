import { z } from 'zod';
import { defineSubPlugin } from '../../../plugin/define-plugin.ts';
import { dynamic } from '../../../plugin/dynamic.ts';
import { booleanOf, booleanProperty, portOf, portProperty } from '../connection-properties.ts';
import type { StoreImplementation } from '../store-plugin.ts';
import { PgVectorStore } from './pgvector-store.ts';

const implementation: StoreImplementation = {
  async open(properties, _context, options) {
    const store = new PgVectorStore({
      host: String(properties.host),
      port: portOf(properties.port),
      user: String(properties.user),
      password: String(properties.password),
      database: String(properties.database),
      table: String(properties.table),
      useIndex: booleanOf(properties.useIndex, false),
    });
    if (options.drop) await store.drop();
    return store;
  },
};

/** `PGVector`: embeddings in a PostgreSQL table with the pgvector extension. */
export const pgVectorPlugin = defineSubPlugin({
  type: 'io.kestra.plugin.ai.embeddings.PGVector',
  aliases: ['io.kestra.plugin.langchain4j.embeddings.PGVector'],
  category: 'embeddings',
  title: 'PostgreSQL with pgvector',
  description:
    "Stores embeddings in a PostgreSQL table (created at the first write with the embedding model's " +
    'dimension; needs the pgvector extension). `drop: true` drops the table. With `useIndex`, an HNSW index ' +
    '(`vector_cosine_ops`) is built, where the reference built IVFFlat: HNSW needs no training data and keeps ' +
    'recall as rows are added. Metadata filters run in SQL; a generated `tsvector` column gives full-text ' +
    'search for hybrid retrieval.',
  properties: z.object({
    host: dynamic(z.string().min(1)).meta({ description: 'Database host.' }),
    port: portProperty.meta({ description: 'Database port, usually 5432.' }),
    user: dynamic(z.string().min(1)).meta({ description: 'Database user.' }),
    password: dynamic(z.string()).meta({ description: 'Password of the user.' }),
    database: dynamic(z.string().min(1)).meta({ description: 'Database name.' }),
    table: dynamic(z.string().min(1)).meta({ description: 'Table holding the embeddings (letters, digits, _).' }),
    useIndex: booleanProperty.optional().meta({
      description: 'Build an HNSW index for approximate search (default false: exact scans).',
      default: false,
    }),
  }),
  implementation,
  examples: [
    {
      title: 'Ingest into PostgreSQL',
      code: `id: ingest_pg
namespace: company.ai
tasks:
  - id: ingest
    type: io.kestra.plugin.ai.rag.IngestDocument
    provider:
      type: io.kestra.plugin.ai.provider.OpenAI
      modelName: text-embedding-3-small
      apiKey: "{{ secret('OPENAI_API_KEY') }}"
    embeddings:
      type: io.kestra.plugin.ai.embeddings.PGVector
      host: localhost
      port: 5432
      user: "{{ secret('PG_USER') }}"
      password: "{{ secret('PG_PASSWORD') }}"
      database: rag
      table: embeddings
      useIndex: true
    fromExternalURLs:
      - https://example.com/docs/intro.md
`,
    },
  ],
});
