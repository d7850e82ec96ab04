import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bagOfWordsVector } from '../ingestion/testing/fake-embedder.ts';
import { MemoryEmbeddingStore } from '../ingestion/testing/memory-embedding-store.ts';
import type { StoredChunk } from '../spec/embedding-store.ts';
import { injectSources } from './content-injector.ts';
import { trimSourcesToContext } from './context-budget.ts';
import { CLASSIC_RRF, HYBRID_PRESET, resolveFusionSettings } from './hybrid-defaults.ts';
import { reciprocalRankFusion } from './reciprocal-rank-fusion.ts';
import { HybridNotSupportedError, retrieve } from './retrieve.ts';

function chunk(id: string, text: string, metadata: StoredChunk['metadata'] = {}): StoredChunk {
  return { id, text, vector: bagOfWordsVector(text), metadata, source: `${id}.md`, sourceHash: id };
}

async function storeWith(chunks: StoredChunk[], fullText = true) {
  const store = new MemoryEmbeddingStore({ fullText });
  await store.replaceSources(
    chunks.map((item) => ({ source: item.source, sourceHash: item.sourceHash, chunks: [item] })),
  );
  return store;
}

const embedQuery = async (query: string) => bagOfWordsVector(query);

describe('retrieval', () => {
  test('reciprocal rank fusion rewards chunks ranked well by both lists', () => {
    const match = (id: string, score: number) => ({ id, score, text: id, metadata: {}, source: id });
    const fused = reciprocalRankFusion([
      { kind: 'vector', matches: [match('a', 0.9), match('b', 0.8), match('c', 0.7)] },
      { kind: 'text', matches: [match('b', 12), match('d', 10), match('a', 1)] },
    ]);
    assert.deepEqual(
      fused.map((item) => item.id),
      ['b', 'a', 'd', 'c'],
    );
    assert.equal(fused[0]?.vectorScore, 0.8);
    assert.equal(fused[0]?.textScore, 12);
  });

  test('a lower vector weight lets the keyword ranking decide', () => {
    const match = (id: string) => ({ id, score: 1, text: id, metadata: {}, source: id });
    const lists = (vectorWeight: number) =>
      reciprocalRankFusion([
        { kind: 'vector', matches: [match('v')], weight: vectorWeight },
        { kind: 'text', matches: [match('t2')], weight: 1 },
      ]).map((item) => item.id);
    assert.equal(lists(1)[0], 'v');
    assert.equal(lists(0.2)[0], 't2');
  });

  test('HYBRID alone uses the evaluated preset: keyword ranking first, vectors re-rank within it', () => {
    assert.deepEqual(resolveFusionSettings({}, 5), { rrfK: 1, candidates: 50, weights: { vector: 0.3, text: 1 } });
    assert.equal(resolveFusionSettings({ weights: {} }, 20).candidates, 200);
    const match = (id: string) => ({ id, score: 1, text: id, metadata: {}, source: id });
    const fuse = (vector: string[], text: string[]) =>
      reciprocalRankFusion(
        [
          { kind: 'vector', matches: vector.map(match), weight: HYBRID_PRESET.vectorWeight },
          { kind: 'text', matches: text.map(match), weight: HYBRID_PRESET.textWeight },
        ],
        HYBRID_PRESET.rrfK,
      ).map((item) => item.id);
    // The vectors' favourite does not overrule BM25's first hit...
    assert.deepEqual(fuse(['t2', 'v'], ['t1', 't2', 't3']).slice(0, 2), ['t1', 't2']);
    // ...but lifts a keyword candidate above the one BM25 ranked just ahead of it.
    assert.deepEqual(fuse(['t3'], ['t1', 't2', 't3']), ['t1', 't3', 't2']);
  });

  test('flows that set any fusion setting keep textbook RRF for the others, as before the preset', () => {
    assert.deepEqual(resolveFusionSettings({ weights: { vector: 1, text: 1 } }, 5), {
      rrfK: 60,
      candidates: 20,
      weights: { vector: 1, text: 1 },
    });
    assert.deepEqual(resolveFusionSettings({ weights: { vector: 0.5 } }, 10), {
      rrfK: CLASSIC_RRF.rrfK,
      candidates: 40,
      weights: { vector: 0.5, text: 1 },
    });
    assert.deepEqual(resolveFusionSettings({ rrfK: 10 }, 5).weights, { vector: 1, text: 1 });
    assert.equal(resolveFusionSettings({ candidates: 3 }, 5).candidates, 5, 'never fewer candidates than results');
  });

  test('retrieve applies the preset when HYBRID has no fusion settings and honours explicit ones', async () => {
    const store = await storeWith([
      chunk('a', 'docker compose volumes keep data'),
      chunk('b', 'docker volumes and bind mounts'),
      chunk('c', 'compose files describe services'),
      chunk('d', 'volumes persist data between container runs'),
      chunk('e', 'kubernetes pods and services'),
    ]);
    const ids = async (settings: {
      rrfK?: number;
      candidates?: number;
      weights?: { vector?: number; text?: number };
    }) =>
      (
        await retrieve({ store, query: 'docker volumes data', embedQuery, mode: 'HYBRID', maxResults: 5, ...settings })
      ).map((item) => [item.id, item.score.toFixed(6)]);
    assert.deepEqual(
      await ids({}),
      await ids({ rrfK: 1, candidates: 50, weights: { vector: 0.3, text: 1 } }),
      'no settings = the preset',
    );
    assert.deepEqual(
      await ids({ weights: { vector: 1, text: 1 } }),
      await ids({ rrfK: 60, candidates: 20, weights: { vector: 1, text: 1 } }),
      'explicit weights = textbook RRF for the rest',
    );
    const [top] = await retrieve({ store, query: 'docker volumes data', embedQuery, mode: 'HYBRID', maxResults: 1 });
    assert.ok(top && top.score > 0.5, 'a preset score is on the k = 1 scale (BM25 first hit alone gives 0.5)');
  });

  test('the metadata filter applies to both vector and text search in HYBRID mode', async () => {
    const store = await storeWith([
      chunk('x1', 'docker compose volumes', { course: 'x' }),
      chunk('y1', 'docker compose volumes', { course: 'y' }),
      chunk('y2', 'kubernetes pods', { course: 'y' }),
    ]);
    for (const mode of ['VECTOR', 'HYBRID'] as const) {
      const results = await retrieve({
        store,
        query: 'docker volumes',
        embedQuery,
        mode,
        maxResults: 5,
        filter: { course: 'y' },
      });
      assert.ok(results.length > 0);
      assert.ok(
        results.every((item) => item.metadata.course === 'y'),
        mode,
      );
    }
    const anyOf = await retrieve({
      store,
      query: 'docker',
      embedQuery,
      mode: 'VECTOR',
      maxResults: 5,
      filter: { course: ['x', 'y'] },
    });
    assert.equal(anyOf.length, 3);
  });

  test('HYBRID finds an exact identifier the embedding model does not know', async () => {
    // Embedding models map unknown identifiers to nothing in particular; BM25 matches them exactly.
    const semanticOnly = async (text: string) => bagOfWordsVector(text.replace(/\S*\d\S*/g, ''));
    const store = await storeWith([
      chunk('flows', 'flows are written in yaml files'),
      chunk('tasks', 'tasks run inside a flow'),
      chunk('rare', 'error WH1234 means the flow file is not valid'),
    ]);
    const vector = await retrieve({ store, query: 'WH1234', embedQuery: semanticOnly, mode: 'VECTOR', maxResults: 1 });
    const hybrid = await retrieve({ store, query: 'WH1234', embedQuery: semanticOnly, mode: 'HYBRID', maxResults: 1 });
    assert.notEqual(vector[0]?.id, 'rare');
    assert.equal(hybrid[0]?.id, 'rare');
    assert.ok(hybrid[0]?.textScore !== undefined && hybrid[0].vectorScore !== undefined);
  });

  test('HYBRID on a store without full-text search is a clear error', async () => {
    const store = await storeWith([chunk('a', 'alpha')], false);
    await assert.rejects(
      retrieve({ store, query: 'alpha', embedQuery, mode: 'HYBRID', maxResults: 3 }),
      (error: unknown) => error instanceof HybridNotSupportedError && /VECTOR/.test(error.message),
    );
  });

  test('sources are injected numbered after the prompt, as LangChain4j does', () => {
    const message = injectSources('What is X?', [
      { content: 'X is a thing.', metadata: {} },
      { content: 'X was made in 2020.', metadata: {} },
    ]);
    assert.equal(
      message,
      'What is X?\n\nAnswer using the following information:\n[1] X is a thing.\n\n[2] X was made in 2020.',
    );
    assert.equal(injectSources('Q', []), 'Q');
  });

  test('sources that do not fit the context window are dropped from the lowest rank', () => {
    const sources = [1, 2, 3, 4].map((n) => ({ content: 'x'.repeat(400), metadata: { n } }));
    const trimmed = trimSourcesToContext(sources, {
      contextWindowTokens: 400,
      fixedText: 'q'.repeat(40),
      reservedOutputTokens: 100,
    });
    assert.equal(trimmed.kept.length, 2);
    assert.equal(trimmed.dropped, 2);
    assert.deepEqual(
      trimmed.kept.map((source) => source.metadata.n),
      [1, 2],
    );
    assert.equal(trimSourcesToContext(sources, { fixedText: '', reservedOutputTokens: 0 }).dropped, 0);
  });
});
