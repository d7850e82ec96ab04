import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { embedMany } from './embed-many.ts';
import { EmbeddingCache } from './embedding-cache.ts';
import { AiProviderError, MalformedResponseError, RetriesExhaustedError } from './errors.ts';
import type { EmbeddingModelV1 } from './spec/embedding-model.ts';

const dir = mkdtempSync(join(tmpdir(), 'windhover-embed-many-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const fastRetry = { initialDelayMs: 1, maxDelayMs: 5 };

/** A model that embeds a text as [length, first char code] and records its calls. */
function countingModel(
  options: { maxPerCall?: number; parallel?: boolean; fail?: (call: number) => Error | undefined } = {},
) {
  const calls: string[][] = [];
  let active = 0;
  let maxActive = 0;
  const model: EmbeddingModelV1 = {
    specificationVersion: 'v1',
    provider: 'test',
    modelId: 'counting',
    maxEmbeddingsPerCall: options.maxPerCall ?? 3,
    supportsParallelCalls: options.parallel ?? false,
    async doEmbed({ values }) {
      calls.push(values);
      const failure = options.fail?.(calls.length);
      if (failure) throw failure;
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise((resolve) => setTimeout(resolve, 2));
      active--;
      return {
        embeddings: values.map((value) => Float32Array.from([value.length, value.charCodeAt(0) || 0])),
        usage: { inputTokens: values.length },
      };
    },
  };
  return { model, calls, maxActive: () => maxActive };
}

describe('embedMany', () => {
  test('batches by maxEmbeddingsPerCall, keeps input order and embeds duplicates once', async () => {
    const { model, calls } = countingModel({ maxPerCall: 2 });
    const values = ['aa', 'b', 'aa', 'cccc', 'dd', 'b'];
    const result = await embedMany(model, values, { signal: new AbortController().signal });
    assert.deepEqual(
      result.embeddings.map((vector) => [...vector]),
      values.map((value) => [value.length, value.charCodeAt(0)]),
    );
    assert.deepEqual(calls, [
      ['aa', 'b'],
      ['cccc', 'dd'],
    ]);
    assert.equal(result.calls, 2);
    assert.equal(result.usage.inputTokens, 4);
  });

  test('no values: no call, no vectors', async () => {
    const { model, calls } = countingModel();
    const result = await embedMany(model, [], { signal: new AbortController().signal });
    assert.deepEqual(result.embeddings, []);
    assert.equal(calls.length, 0);
  });

  test('a vector with NaN is a MalformedResponseError', async () => {
    const broken: EmbeddingModelV1 = {
      ...countingModel().model,
      async doEmbed({ values }) {
        return { embeddings: values.map(() => Float32Array.from([1, Number.NaN])) };
      },
    };
    await assert.rejects(embedMany(broken, ['a'], { signal: new AbortController().signal }), MalformedResponseError);
  });

  test('runs calls in parallel only when the model supports it, up to maxParallelCalls', async () => {
    const values = Array.from({ length: 20 }, (_, i) => `v${i}`);
    const serial = countingModel({ maxPerCall: 2, parallel: false });
    await embedMany(serial.model, values, { signal: new AbortController().signal, maxParallelCalls: 4 });
    assert.equal(serial.maxActive(), 1);
    const parallel = countingModel({ maxPerCall: 2, parallel: true });
    await embedMany(parallel.model, values, { signal: new AbortController().signal, maxParallelCalls: 3 });
    assert.equal(parallel.maxActive(), 3);
  });

  test('a second run of the same texts makes no model call: every vector comes from the cache', async () => {
    const cache = EmbeddingCache.open(dir);
    const values = ['one', 'two', 'three', 'four'];
    const first = countingModel();
    const initial = await embedMany(first.model, values, { signal: new AbortController().signal, cache });
    assert.equal(initial.cacheHits, 0);
    const second = countingModel();
    const rerun = await embedMany(second.model, [...values, 'five'], { signal: new AbortController().signal, cache });
    assert.equal(rerun.cacheHits, 4);
    assert.deepEqual(second.calls, [['five']]);
    assert.deepEqual([...rerun.embeddings[2]!], [5, 't'.charCodeAt(0)]);
    const third = countingModel();
    const cached = await embedMany(third.model, values, { signal: new AbortController().signal, cache });
    assert.equal(cached.calls, 0);
    cache.close();
  });

  test('retries a rate-limited call and succeeds, reporting progress to the end', async () => {
    const { model, calls } = countingModel({
      fail: (call) =>
        call === 1
          ? new AiProviderError('rate limited', { provider: 'test', status: 429, isRetryable: true, retryAfterMs: 5 })
          : undefined,
    });
    const progress: number[] = [];
    const retries: string[] = [];
    const result = await embedMany(model, ['a', 'b'], {
      signal: new AbortController().signal,
      retry: { ...fastRetry, onRetry: (event) => retries.push(event.message) },
      onProgress: ({ done }) => progress.push(done),
    });
    assert.equal(result.embeddings.length, 2);
    assert.equal(calls.length, 2);
    assert.equal(result.calls, 2);
    assert.equal(progress.at(-1), 2);
    assert.equal(retries.length, 1);
    assert.match(
      retries[0]!,
      /^test: embedding 2 texts failed \(rate limited\); retrying in \d+\.\d s \(attempt 2 of 5\)$/,
    );
  });

  test('gives up after the attempt budget with an error naming the provider and the last failure', async () => {
    const { model, calls } = countingModel({
      fail: () => new AiProviderError('HTTP 503 overloaded', { provider: 'test', status: 503, isRetryable: true }),
    });
    await assert.rejects(
      embedMany(model, ['a'], { signal: new AbortController().signal, retry: { ...fastRetry, maxAttempts: 3 } }),
      (error: unknown) =>
        error instanceof RetriesExhaustedError &&
        /3 attempts/.test(error.message) &&
        /503 overloaded/.test(error.message),
    );
    assert.equal(calls.length, 3);
  });

  test('does not retry a non-retryable error such as a bad API key', async () => {
    const { model, calls } = countingModel({
      fail: () => new AiProviderError('HTTP 401 invalid key', { provider: 'test', status: 401 }),
    });
    await assert.rejects(embedMany(model, ['a'], { signal: new AbortController().signal, retry: fastRetry }), /401/);
    assert.equal(calls.length, 1);
  });

  test('rejects a response with the wrong number of vectors or mixed sizes', async () => {
    const short: EmbeddingModelV1 = {
      ...countingModel().model,
      async doEmbed() {
        return { embeddings: [Float32Array.from([1])] };
      },
    };
    await assert.rejects(
      embedMany(short, ['a', 'b'], { signal: new AbortController().signal }),
      /returned 1 embeddings for 2 texts/,
    );
    const ragged: EmbeddingModelV1 = {
      ...countingModel().model,
      async doEmbed({ values }) {
        return { embeddings: values.map((_, i) => new Float32Array(i + 1)) };
      },
    };
    await assert.rejects(embedMany(ragged, ['a', 'b'], { signal: new AbortController().signal }), /size 2, expected 1/);
  });

  test('stops waiting between retries when the signal aborts', async () => {
    const { model } = countingModel({
      fail: () =>
        new AiProviderError('busy', { provider: 'test', status: 429, isRetryable: true, retryAfterMs: 60_000 }),
    });
    const controller = new AbortController();
    const pending = embedMany(model, ['a'], { signal: controller.signal, retry: { maxTotalMs: 120_000 } });
    setTimeout(() => controller.abort(new Error('task timeout')), 20);
    await assert.rejects(pending, /task timeout/);
  });
});
