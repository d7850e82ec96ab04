import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { EmbeddingStoreV1, MetadataValue, StoredChunk } from '../spec/embedding-store.ts';

/** How the conformance suite gets stores of one implementation. */
export interface ConformanceHarness {
  /** Opens the store called `name` (creating it when missing); a second call opens another handle on it. */
  open(name: string): Promise<EmbeddingStoreV1>;
  /** True when the store outlives its handles (a reopened store still holds the data). */
  persistent: boolean;
  /** Called once after every test ran. */
  cleanup?(): Promise<void>;
}

const DIMENSION = 8;

/** A unit-length vector pointing mostly along `axis`, tilted towards `towards` by `tilt`. */
export function axisVector(
  axis: number,
  tilt = 0,
  towards = (axis + 1) % DIMENSION,
  dimension = DIMENSION,
): Float32Array {
  const vector = new Float32Array(dimension);
  vector[axis] = Math.cos(tilt);
  vector[towards] = (vector[towards] ?? 0) + Math.sin(tilt);
  return vector;
}

export function chunk(
  source: string,
  index: number,
  vector: Float32Array,
  metadata: Record<string, MetadataValue> = {},
  text = `${source} chunk ${index}`,
): StoredChunk {
  return { id: `${source}#${index}`, vector, text, metadata, source, sourceHash: `hash-${source}` };
}

/**
 * The behaviour every embedding store promises (EmbeddingStoreV1), run against a real
 * instance of the store by each store's test file.
 */
export function runEmbeddingStoreConformance(storeName: string, harness: ConformanceHarness): void {
  let counter = 0;
  const opened: EmbeddingStoreV1[] = [];
  const fresh = async (): Promise<{ store: EmbeddingStoreV1; name: string }> => {
    const name = `conformance-${process.pid}-${++counter}`;
    const store = await harness.open(name);
    opened.push(store);
    await store.drop();
    return { store, name };
  };
  const another = async (name: string): Promise<EmbeddingStoreV1> => {
    const store = await harness.open(name);
    opened.push(store);
    return store;
  };

  describe(`${storeName} conformance`, () => {
    after(async () => {
      for (const store of opened) await store.close().catch(() => undefined);
      await harness.cleanup?.();
    });

    test('stores chunks and reports count, dimension and source hashes', async () => {
      const { store } = await fresh();
      assert.equal(await store.dimension(), undefined);
      await store.replaceSources([
        { source: 'a', sourceHash: 'h-a', chunks: [chunk('a', 0, axisVector(0)), chunk('a', 1, axisVector(1))] },
        { source: 'b', sourceHash: 'h-b', chunks: [chunk('b', 0, axisVector(2))] },
      ]);
      assert.equal(await store.count(), 3);
      assert.equal(await store.dimension(), DIMENSION);
      assert.deepEqual([...(await store.sourceHashes()).entries()].sort(), [
        ['a', 'h-a'],
        ['b', 'h-b'],
      ]);
    });

    test('returns the top k by relevance, best first, on the (cosine + 1) / 2 scale', async () => {
      const { store } = await fresh();
      await store.replaceSources([
        {
          source: 'doc',
          sourceHash: 'h',
          chunks: [
            chunk('doc', 0, axisVector(0), { lang: 'en' }, 'exact'),
            chunk('doc', 1, axisVector(0, Math.PI / 3), {}, 'sixty degrees'),
            chunk('doc', 2, axisVector(1), {}, 'orthogonal'),
            chunk('doc', 3, axisVector(0, Math.PI), {}, 'opposite'),
          ],
        },
      ]);
      const matches = await store.search({ vector: axisVector(0), maxResults: 3 });
      assert.deepEqual(
        matches.map((m) => m.text),
        ['exact', 'sixty degrees', 'orthogonal'],
      );
      assert.ok(Math.abs(matches[0]!.score - 1) < 1e-3, `exact match scores 1, got ${matches[0]!.score}`);
      assert.ok(Math.abs(matches[1]!.score - 0.75) < 1e-3, `cos 0.5 scores 0.75, got ${matches[1]!.score}`);
      assert.ok(Math.abs(matches[2]!.score - 0.5) < 1e-3, `orthogonal scores 0.5, got ${matches[2]!.score}`);
      assert.equal(matches[0]!.source, 'doc');
      assert.equal(matches[0]!.id, 'doc#0');
      assert.deepEqual(matches[0]!.metadata, { lang: 'en' });
    });

    test('drops matches below minScore', async () => {
      const { store } = await fresh();
      await store.replaceSources([
        {
          source: 'doc',
          sourceHash: 'h',
          chunks: [chunk('doc', 0, axisVector(0)), chunk('doc', 1, axisVector(1)), chunk('doc', 2, axisVector(0, 3))],
        },
      ]);
      const matches = await store.search({ vector: axisVector(0), maxResults: 10, minScore: 0.6 });
      assert.deepEqual(
        matches.map((m) => m.id),
        ['doc#0'],
      );
    });

    test('applies metadata filters: equality, any-of, several keys, typed values', async () => {
      const { store } = await fresh();
      const chunks = Array.from({ length: 12 }, (_, i) =>
        chunk('doc', i, axisVector(0, i * 0.1), {
          lang: i % 2 === 0 ? 'en' : 'fr',
          year: 2020 + (i % 3),
          page: String(i),
        }),
      );
      await store.replaceSources([{ source: 'doc', sourceHash: 'h', chunks }]);
      const english = await store.search({ vector: axisVector(0), maxResults: 3, filter: { lang: 'en' } });
      assert.deepEqual(
        english.map((m) => m.id),
        ['doc#0', 'doc#2', 'doc#4'],
      );
      const years = await store.search({ vector: axisVector(0), maxResults: 20, filter: { year: [2021, 2022] } });
      assert.equal(years.length, 8);
      assert.ok(years.every((m) => m.metadata.year !== 2020));
      const both = await store.search({ vector: axisVector(0), maxResults: 20, filter: { lang: 'fr', year: 2020 } });
      assert.deepEqual(
        both.map((m) => m.id),
        ['doc#3', 'doc#9'],
      );
      const typed = await store.search({ vector: axisVector(0), maxResults: 20, filter: { year: '2020' } });
      assert.equal(typed.length, 0, 'the string "2020" does not match the number 2020');
      const none = await store.search({ vector: axisVector(0), maxResults: 20, filter: { missing: 'x' } });
      assert.equal(none.length, 0);
    });

    test('replacing a source removes its old chunks and updates its hash', async () => {
      const { store } = await fresh();
      await store.replaceSources([
        { source: 'a', sourceHash: 'v1', chunks: [0, 1, 2].map((i) => chunk('a', i, axisVector(i), { v: 1 })) },
        { source: 'b', sourceHash: 'b1', chunks: [chunk('b', 0, axisVector(5))] },
      ]);
      await store.replaceSources([
        { source: 'a', sourceHash: 'v2', chunks: [chunk('a', 0, axisVector(3), { v: 2 }, 'new text')] },
      ]);
      assert.equal(await store.count(), 2);
      const matches = await store.search({ vector: axisVector(3), maxResults: 10 });
      const fromA = matches.filter((m) => m.source === 'a');
      assert.deepEqual(
        fromA.map((m) => [m.id, m.text, m.metadata.v]),
        [['a#0', 'new text', 2]],
      );
      assert.equal((await store.sourceHashes()).get('a'), 'v2');
      assert.equal((await store.sourceHashes()).get('b'), 'b1');
    });

    test('deletes sources', async () => {
      const { store } = await fresh();
      await store.replaceSources([
        { source: 'a', sourceHash: 'ha', chunks: [chunk('a', 0, axisVector(0))] },
        { source: 'b', sourceHash: 'hb', chunks: [chunk('b', 0, axisVector(0, 0.2)), chunk('b', 1, axisVector(1))] },
      ]);
      await store.deleteSources(['b', 'not-there']);
      assert.equal(await store.count(), 1);
      assert.deepEqual([...(await store.sourceHashes()).keys()], ['a']);
      const matches = await store.search({ vector: axisVector(0), maxResults: 10 });
      assert.deepEqual(
        matches.map((m) => m.id),
        ['a#0'],
      );
    });

    test('drop empties the store and frees the dimension', async () => {
      const { store } = await fresh();
      await store.replaceSources([{ source: 'a', sourceHash: 'h', chunks: [chunk('a', 0, axisVector(0))] }]);
      await store.search({ vector: axisVector(0), maxResults: 1 });
      await store.drop();
      assert.equal(await store.count(), 0);
      assert.equal(await store.dimension(), undefined);
      assert.equal((await store.sourceHashes()).size, 0);
      assert.deepEqual(await store.search({ vector: axisVector(0), maxResults: 5 }), []);
      await store.replaceSources([
        { source: 'c', sourceHash: 'h', chunks: [chunk('c', 0, axisVector(1, 0, 2, 16), {})] },
      ]);
      assert.equal(await store.dimension(), 16);
      const matches = await store.search({ vector: axisVector(1, 0, 2, 16), maxResults: 5 });
      assert.deepEqual(
        matches.map((m) => m.id),
        ['c#0'],
      );
    });

    test('a vector of another size is an error naming both sizes', async () => {
      const { store } = await fresh();
      await store.replaceSources([{ source: 'a', sourceHash: 'h', chunks: [chunk('a', 0, axisVector(0))] }]);
      const wrong = new Float32Array(12).fill(0.1);
      await assert.rejects(
        store.replaceSources([{ source: 'b', sourceHash: 'h', chunks: [chunk('b', 0, wrong)] }]),
        (error: Error) => error.message.includes('12') && error.message.includes(String(DIMENSION)),
      );
      await assert.rejects(
        store.search({ vector: wrong, maxResults: 3 }),
        (error: Error) => error.message.includes('12') && error.message.includes(String(DIMENSION)),
      );
      assert.equal(await store.count(), 1, 'a rejected write changes nothing');
    });

    test('concurrent writers through two handles lose and duplicate nothing', async () => {
      const { store, name } = await fresh();
      const second = await another(name);
      const write = (target: EmbeddingStoreV1, prefix: string) =>
        Promise.all(
          Array.from({ length: 15 }, (_, i) =>
            target.replaceSources([
              {
                source: `${prefix}-${i}`,
                sourceHash: `h${i}`,
                chunks: [0, 1, 2].map((j) => chunk(`${prefix}-${i}`, j, axisVector((i + j) % DIMENSION, 0.1 * j))),
              },
            ]),
          ),
        );
      await Promise.all([write(store, 'left'), write(second, 'right'), write(store, 'left'), write(second, 'right')]);
      assert.equal(await store.count(), 90);
      assert.equal(await second.count(), 90);
      assert.equal((await second.sourceHashes()).size, 30);
      const all = await second.search({ vector: axisVector(0), maxResults: 200 });
      assert.equal(all.length, 90);
      assert.equal(new Set(all.map((m) => m.id)).size, 90);
    });

    test('readers see a source entirely old or entirely new while it is replaced', async () => {
      const { store, name } = await fresh();
      const reader = await another(name);
      const version = (v: number) => [
        {
          source: 'doc',
          sourceHash: `v${v}`,
          chunks: Array.from({ length: 4 + (v % 3) }, (_, i) => chunk('doc', i, axisVector(i % DIMENSION), { v })),
        },
      ];
      await store.replaceSources(version(0));
      const writes = (async () => {
        for (let v = 1; v <= 12; v++) await store.replaceSources(version(v));
      })();
      const reads = (async () => {
        for (let r = 0; r < 12; r++) {
          const matches = await reader.search({ vector: axisVector(0), maxResults: 50 });
          const versions = new Set(matches.map((m) => m.metadata.v));
          assert.equal(versions.size, 1, `one version visible, saw ${[...versions].join(', ')}`);
          const v = [...versions][0] as number;
          assert.equal(matches.length, 4 + (v % 3));
        }
      })();
      await Promise.all([writes, reads]);
    });

    test('a reopened store keeps its data', { skip: !harness.persistent }, async () => {
      const { store, name } = await fresh();
      await store.replaceSources([
        { source: 'kept', sourceHash: 'h', chunks: [chunk('kept', 0, axisVector(4), { k: true })] },
      ]);
      await store.search({ vector: axisVector(4), maxResults: 1 });
      await store.close();
      const reopened = await another(name);
      assert.equal(await reopened.count(), 1);
      assert.equal((await reopened.sourceHashes()).get('kept'), 'h');
      const matches = await reopened.search({ vector: axisVector(4), maxResults: 1, filter: { k: true } });
      assert.equal(matches[0]?.id, 'kept#0');
    });

    test('full-text search ranks chunks by BM25 and applies filters', async (t) => {
      const { store } = await fresh();
      if (!store.capabilities.fullText || !store.searchText) {
        t.skip(`${storeName} has no full-text search`);
        return;
      }
      await store.replaceSources([
        {
          source: 'docs',
          sourceHash: 'h',
          chunks: [
            chunk('docs', 0, axisVector(0), { lang: 'en' }, 'Kestra schedules flows with cron triggers'),
            chunk('docs', 1, axisVector(1), { lang: 'en' }, 'Retries retry a failed task; retry policies retry often'),
            chunk('docs', 2, axisVector(2), { lang: 'de' }, 'Ein retry wiederholt eine Aufgabe'),
            chunk('docs', 3, axisVector(3), { lang: 'en' }, 'Nothing relevant here'),
          ],
        },
      ]);
      const matches = await store.searchText({ query: 'retry policy!', maxResults: 10 });
      assert.equal(matches[0]?.id, 'docs#1');
      assert.ok(matches.every((m) => m.id !== 'docs#3'));
      assert.ok(matches[0]!.score > 0);
      const german = await store.searchText({ query: 'retry', maxResults: 10, filter: { lang: 'de' } });
      assert.deepEqual(
        german.map((m) => m.id),
        ['docs#2'],
      );
      assert.deepEqual(await store.searchText({ query: '   ', maxResults: 10 }), []);
    });
  });
}
