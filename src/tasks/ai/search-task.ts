import { z } from 'zod';
import { retrieve } from '../../ai/retrieval/retrieve.ts';
import { openEmbeddingStore } from '../../ai/stores/store-plugin.ts';
import { defineTask } from '../../plugin/define-plugin.ts';
import { dynamic } from '../../plugin/dynamic.ts';
import { type PluginConfig, pluginRef } from '../../plugin/plugin-ref.ts';
import { storeContextOf } from './ai-contexts.ts';
import { openEmbedder } from './query-embedder.ts';
import { pluginRegistryOf } from './registry-access.ts';
import { retrievalOptionsOf, retrievalSchema } from './retrieval-schema.ts';
import { sourceSchema, toSource } from './source-output.ts';

/** `rag.Search`: retrieval only, returning the chunks (and, unlike the reference, their scores). */
export const searchTask = defineTask({
  type: 'io.kestra.plugin.ai.rag.Search',
  aliases: ['io.kestra.plugin.langchain4j.rag.Search'],
  category: 'task',
  title: 'Search an embedding store',
  description:
    'Embeds `query` with `provider` and returns the closest chunks of `embeddings`. `results` is the list of ' +
    "texts (as in the reference); `matches` adds each chunk's score, id and metadata. `fetchType`: FETCH " +
    '(also when not set) outputs both lists, FETCH_ONE only the best match, NONE only `size`, STORE writes the ' +
    'matches to an .ion file (one value per line) and outputs its `uri`. `retrieval` chooses VECTOR (default) ' +
    'or HYBRID search and a metadata filter.',
  properties: z.object({
    query: dynamic(z.string()),
    maxResults: dynamic(z.int().min(1).max(1000)).default(3),
    minScore: dynamic(z.number().min(0).max(1)).default(0),
    provider: pluginRef('provider'),
    embeddings: pluginRef('embeddings'),
    fetchType: dynamic(z.enum(['NONE', 'FETCH', 'FETCH_ONE', 'STORE'])).optional(),
    retrieval: retrievalSchema.optional(),
  }),
  outputs: z.object({
    results: z.array(z.string()).optional().describe('Texts of the matching chunks, best first.'),
    matches: z.array(sourceSchema).optional().describe('The same chunks with score, id and metadata.'),
    size: z.number(),
    uri: z.string().optional().describe('With fetchType STORE: the .ion file holding the matches.'),
  }),
  async run(ctx, props) {
    const registry = pluginRegistryOf(ctx);
    const embedder = await openEmbedder(ctx, props.provider as PluginConfig);
    const store = await openEmbeddingStore(registry, props.embeddings as PluginConfig, storeContextOf(ctx), {
      drop: false,
    });
    try {
      const found = await retrieve({
        store,
        query: String(props.query),
        embedQuery: embedder.embedQuery,
        maxResults: Number(props.maxResults),
        minScore: Number(props.minScore),
        ...retrievalOptionsOf(props.retrieval),
      });
      const matches = found.map(toSource);
      ctx.metric({ name: 'fetch.size', value: matches.length });
      const fetchType = props.fetchType ?? 'FETCH';
      if (fetchType === 'NONE') return { size: matches.length };
      if (fetchType === 'FETCH_ONE') {
        const first = matches.slice(0, 1);
        return { results: first.map((match) => match.content), matches: first, size: first.length };
      }
      if (fetchType === 'STORE') {
        // JSON values are valid Ion text, so one JSON value per line is a readable .ion file.
        const body = matches.map((match) => JSON.stringify(match)).join('\n');
        const uri = await ctx.storage.put(`${ctx.taskRun.taskId}.ion`, new TextEncoder().encode(body));
        return { size: matches.length, uri };
      }
      return { results: matches.map((match) => match.content), matches, size: matches.length };
    } finally {
      await store.close();
    }
  },
});
