import type { EmbeddingCacheLike } from './embedding-cache.ts';
import { MalformedResponseError } from './errors.ts';
import { callWithRetry, type RetryOptions } from './providers/retry-policy.ts';

export type { RetryEvent, RetryOptions } from './providers/retry-policy.ts';

import type { EmbeddingModelV1, TokenUsage } from './spec/embedding-model.ts';

/** Options of `embedMany`. */
export interface EmbedManyOptions {
  signal: AbortSignal;
  /** Vectors already computed by the same model are taken from here, and new ones stored. */
  cache?: EmbeddingCacheLike;
  /** Concurrent `doEmbed` calls when the model supports them (default 4). */
  maxParallelCalls?: number;
  /** Called after each batch with texts embedded so far (cache hits count as done). */
  onProgress?: (progress: { done: number; total: number }) => void;
  retry?: RetryOptions;
}

/** Result of `embedMany`: one vector per input value, in order. */
export interface EmbedManyResult {
  embeddings: Float32Array[];
  usage: TokenUsage;
  /** `doEmbed` calls actually made (0 when everything came from the cache). */
  calls: number;
  /** Values served by the cache. */
  cacheHits: number;
  warnings: string[];
}

/** The embedding-cache namespace of a model: provider, model and vector-changing settings. */
export function cacheNamespace(model: EmbeddingModelV1): string {
  return [model.provider, model.modelId, model.settingsKey ?? ''].join('\u0000');
}

/**
 * Embeds many values: identical texts once, cached ones not at all, the rest in batches of
 * `maxEmbeddingsPerCall`, in parallel when the model allows, each call retried on transient
 * failures. New vectors reach the cache batch by batch, so an interrupted run keeps its work.
 */
export async function embedMany(
  model: EmbeddingModelV1,
  values: readonly string[],
  options: EmbedManyOptions,
): Promise<EmbedManyResult> {
  const namespace = cacheNamespace(model);
  const unique = [...new Set(values)];
  const vectors = options.cache ? options.cache.getMany(namespace, unique) : new Map<string, Float32Array>();
  const cacheHits = values.filter((value) => vectors.has(value)).length;
  const missing = unique.filter((value) => !vectors.has(value));

  const batchSize = Math.max(1, Math.floor(model.maxEmbeddingsPerCall));
  const batches: string[][] = [];
  for (let start = 0; start < missing.length; start += batchSize) batches.push(missing.slice(start, start + batchSize));

  const usage: TokenUsage = {};
  const warnings: string[] = [];
  let calls = 0;
  let done = values.length - missing.length;
  let expectedDimension = model.dimensions ?? [...vectors.values()][0]?.length;
  options.onProgress?.({ done: Math.min(done, values.length), total: values.length });

  const runBatch = async (batch: string[]) => {
    const result = await callWithRetry(
      () => {
        calls++;
        return model.doEmbed({ values: batch, abortSignal: options.signal });
      },
      {
        signal: options.signal,
        retry: options.retry,
        provider: model.provider,
        what: `embedding ${batch.length} texts`,
      },
    );
    if (result.embeddings.length !== batch.length) {
      throw new MalformedResponseError(
        `${model.provider}: model '${model.modelId}' returned ${result.embeddings.length} embeddings for ${batch.length} texts`,
        { provider: model.provider },
      );
    }
    for (const embedding of result.embeddings) {
      expectedDimension ??= embedding.length;
      if (!embedding.every(Number.isFinite)) {
        throw new MalformedResponseError(
          `${model.provider}: model '${model.modelId}' returned a vector with NaN or infinite values`,
          { provider: model.provider },
        );
      }
      if (embedding.length !== expectedDimension || embedding.length === 0) {
        throw new MalformedResponseError(
          `${model.provider}: model '${model.modelId}' returned a vector of size ${embedding.length}, expected ${expectedDimension}`,
          { provider: model.provider },
        );
      }
    }
    for (const [index, text] of batch.entries()) vectors.set(text, result.embeddings[index]!);
    options.cache?.putMany(
      namespace,
      batch.map((text, index) => ({ text, vector: result.embeddings[index]! })),
    );
    addUsage(usage, result.usage);
    if (result.warnings) warnings.push(...result.warnings);
    done += batch.length;
    options.onProgress?.({ done: Math.min(done, values.length), total: values.length });
  };

  const parallel = model.supportsParallelCalls ? Math.max(1, options.maxParallelCalls ?? 4) : 1;
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      options.signal.throwIfAborted();
      const batch = batches[next++]!;
      await runBatch(batch);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, batches.length) }, worker));

  return {
    embeddings: values.map((value) => vectors.get(value)!),
    usage,
    calls,
    cacheHits,
    warnings: [...new Set(warnings)],
  };
}

function addUsage(total: TokenUsage, add: TokenUsage | undefined): void {
  if (!add) return;
  for (const key of ['inputTokens', 'outputTokens', 'totalTokens'] as const) {
    const value = add[key];
    if (value !== undefined) total[key] = (total[key] ?? 0) + value;
  }
}
