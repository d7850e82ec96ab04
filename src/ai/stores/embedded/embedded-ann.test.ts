import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { StoredChunk } from '../../spec/embedding-store.ts';
import { cosine } from '../vector-math.ts';
import { EmbeddedEmbeddingStore } from './embedded-store.ts';

const root = mkdtempSync(join(tmpdir(), 'windhover-embedded-ann-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Seeded clustered vectors, so the ANN path is exercised on data shaped like embeddings. */
function clustered(count: number, dimension: number, seed: number): Float32Array[] {
  let state = seed;
  const random = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 4294967296 - 0.5;
  };
  const centres = Array.from({ length: 20 }, () => Float32Array.from({ length: dimension }, random));
  return Array.from({ length: count }, (_, i) =>
    Float32Array.from(centres[i % centres.length]!, (value) => value + random() * 0.6),
  );
}

function chunks(vectors: Float32Array[], source: (i: number) => string): StoredChunk[] {
  return vectors.map((vector, i) => ({
    id: `c${i}`,
    vector,
    text: `chunk ${i}`,
    metadata: { half: i % 2 === 0 ? 'even' : 'odd', tenth: i % 10 },
    source: source(i),
    sourceHash: 'h',
  }));
}

function exactTop(vectors: Float32Array[], query: Float32Array, k: number, keep: (i: number) => boolean): string[] {
  return vectors
    .map((vector, i) => ({ id: `c${i}`, score: cosine(query, vector), i }))
    .filter(({ i }) => keep(i))
    .sort((a, b) => b.score - a.score)
    .slice(0, k)
    .map(({ id }) => id);
}

describe('embedded store at ANN scale', () => {
  const dimension = 24;
  const vectors = clustered(12_000, dimension, 7);
  // Queries near the data, as questions about an ingested corpus are.
  const queries = clustered(20, dimension, 99).map((noise, i) =>
    Float32Array.from(vectors[i * 37]!, (value, j) => value + noise[j]! * 0.2),
  );
  const directory = join(root, 'large');

  test('approximate search finds the exact top 10, with and without broad or selective filters', async () => {
    const store = EmbeddedEmbeddingStore.open(directory);
    const all = chunks(vectors, (i) => `s${Math.floor(i / 100)}`);
    const sources = new Map<string, StoredChunk[]>();
    for (const item of all) sources.set(item.source, [...(sources.get(item.source) ?? []), item]);
    await store.replaceSources([...sources].map(([source, list]) => ({ source, sourceHash: 'h', chunks: list })));
    let hits = 0;
    let filteredHits = 0;
    let selectiveHits = 0;
    for (const query of queries) {
      const found = new Set((await store.search({ vector: query, maxResults: 10 })).map((m) => m.id));
      hits += exactTop(vectors, query, 10, () => true).filter((id) => found.has(id)).length;
      const even = await store.search({ vector: query, maxResults: 10, filter: { half: 'even' } });
      assert.ok(even.every((m) => m.metadata.half === 'even'));
      const evenIds = new Set(even.map((m) => m.id));
      filteredHits += exactTop(vectors, query, 10, (i) => i % 2 === 0).filter((id) => evenIds.has(id)).length;
      const selective = await store.search({ vector: query, maxResults: 10, filter: { tenth: [3, 7], half: 'odd' } });
      assert.deepEqual(
        selective.map((m) => m.id),
        exactTop(vectors, query, 10, (i) => i % 10 === 3 || i % 10 === 7),
        'selective filters are answered exactly',
      );
      selectiveHits += selective.length;
    }
    assert.ok(hits / (queries.length * 10) >= 0.95, `recall@10 ${hits / (queries.length * 10)}`);
    assert.ok(
      filteredHits / (queries.length * 10) >= 0.95,
      `filtered recall@10 ${filteredHits / (queries.length * 10)}`,
    );
    assert.equal(selectiveHits, queries.length * 10);
    await store.close();
    assert.ok(
      readdirSync(directory).some((name) => name.endsWith('.usearch')),
      'the index is saved so the next open does not rebuild it',
    );
  });

  test('a reopened store loads its index and replays writes made by another handle since', async () => {
    const writer = EmbeddedEmbeddingStore.open(directory);
    const reader = EmbeddedEmbeddingStore.open(directory);
    const query = queries[0]!;
    await reader.search({ vector: query, maxResults: 1 });
    await writer.replaceSources([
      {
        source: 'late',
        sourceHash: 'h',
        chunks: [{ id: 'late', vector: query, text: 'late', metadata: {}, source: 'late', sourceHash: 'h' }],
      },
      { source: 's0', sourceHash: 'h2', chunks: [] },
    ]);
    const matches = await reader.search({ vector: query, maxResults: 5 });
    assert.equal(matches[0]?.id, 'late');
    assert.ok(Math.abs(matches[0]!.score - 1) < 1e-5);
    const removed = await reader.search({ vector: vectors[0]!, maxResults: 50 });
    assert.ok(
      removed.every((m) => m.source !== 's0'),
      'chunks of a replaced source leave the index',
    );
    assert.equal(await reader.count(), 12_000 - 100 + 1);
    await writer.close();
    await reader.close();
  });
});

describe('embedded store across processes', () => {
  test('two processes and this one write into the same store at once without losing chunks', async () => {
    const directory = join(root, 'shared');
    const store = EmbeddedEmbeddingStore.open(directory);
    const fixture = fileURLToPath(new URL('./concurrent-writer.fixture.ts', import.meta.url));
    const run = (prefix: string) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', fixture, directory, prefix, '40'], { stdio: 'pipe' });
        let errors = '';
        child.stderr.on('data', (data: Buffer) => {
          errors += data.toString();
        });
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${prefix} failed: ${errors}`))));
      });
    const local = (async () => {
      for (let i = 0; i < 40; i++) {
        const vector = new Float32Array(8);
        vector[i % 8] = 1;
        await store.replaceSources([
          {
            source: `local-${i}`,
            sourceHash: 'h',
            chunks: [
              {
                id: `local-${i}#0`,
                vector,
                text: 'x',
                metadata: { writer: 'local' },
                source: `local-${i}`,
                sourceHash: 'h',
              },
            ],
          },
        ]);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await Promise.all([run('one'), run('two'), local]);
    assert.equal(await store.count(), 40 * 2 * 2 + 40);
    assert.equal((await store.sourceHashes()).size, 120);
    const fromOne = await store.search({
      vector: Float32Array.of(1, 0, 0, 0, 0, 0, 0, 0),
      maxResults: 500,
      filter: { writer: 'one' },
    });
    assert.equal(fromOne.length, 80);
    const everything = await store.search({ vector: Float32Array.of(1, 0, 0, 0, 0, 0, 0, 0), maxResults: 500 });
    assert.equal(new Set(everything.map((m) => m.id)).size, 200);
    await store.close();
  });
});
