// Measures the embedded store on one synthetic corpus. Run as its own process by
// vector-store.bench.ts so that peak RSS is the store's alone:
//   node --import tsx bench/vector/embedded-scenario.ts <calibrated|isotropic> <dimension> <count> <queries>
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoredChunk } from '../../src/ai/spec/embedding-store.ts';
import { EmbeddedEmbeddingStore } from '../../src/ai/stores/embedded/embedded-store.ts';
import { exactTopK, percentile, recallAtK, timeEach } from './measure.ts';
import { CALIBRATED, ISOTROPIC, SyntheticEmbeddings } from './synthetic-data.ts';

export type DataShape = 'calibrated' | 'isotropic';

/** Figures reported back to the bench as one JSON line. */
export interface EmbeddedFigures {
  shape: DataShape;
  dimension: number;
  count: number;
  ingestSeconds: number;
  indexSeconds: number;
  saveSeconds: number;
  queryP50: number;
  queryP99: number;
  recall: number;
  filteredP50: number;
  filteredRecall: number;
  correlatedP50: number;
  correlatedRecall: number;
  addWriteMedian: number;
  addVisibleMedian: number;
  reopenFirstQuery: number;
  reopenP50: number;
  peakRssMb: number;
}

const CHUNKS_PER_SOURCE = 10;
const GROUPS = 10;

/** Independent of the topic (cluster = index mod 1000), like a year or a document type. */
function groupOf(index: number): number {
  return Math.floor(index / 1000) % GROUPS;
}

function chunkOf(data: SyntheticEmbeddings, index: number): StoredChunk {
  const source = `s${Math.floor(index / CHUNKS_PER_SOURCE)}`;
  return {
    id: `c${index}`,
    vector: data.vector(index),
    text: `chunk ${index} about topic ${data.clusterOf(index)}`,
    metadata: { group: groupOf(index), family: data.clusterOf(index) % GROUPS },
    source,
    sourceHash: `h-${source}`,
  };
}

export async function measureEmbedded(
  shape: DataShape,
  dimension: number,
  count: number,
  queryCount: number,
): Promise<EmbeddedFigures> {
  const data = new SyntheticEmbeddings({ ...(shape === 'calibrated' ? CALIBRATED : ISOTROPIC), dimension });
  const directory = mkdtempSync(join(tmpdir(), 'windhover-vector-bench-'));
  try {
    const store = EmbeddedEmbeddingStore.open(directory);
    let started = performance.now();
    const batch = 10_000;
    for (let start = 0; start < count; start += batch) {
      const sources = new Map<string, StoredChunk[]>();
      for (let i = start; i < Math.min(count, start + batch); i++) {
        const chunk = chunkOf(data, i);
        sources.set(chunk.source, [...(sources.get(chunk.source) ?? []), chunk]);
      }
      await store.replaceSources(
        [...sources].map(([source, chunks]) => ({ source, sourceHash: `h-${source}`, chunks })),
      );
    }
    const ingestSeconds = (performance.now() - started) / 1000;

    const queries = Array.from({ length: queryCount }, (_, i) => data.query(i * 7919));
    started = performance.now();
    await store.search({ vector: queries[0]!, maxResults: 10 });
    const indexSeconds = (performance.now() - started) / 1000;

    const found: number[][] = [];
    const times = await timeEach(queries, async (query) => {
      found.push((await store.search({ vector: query, maxResults: 10 })).map((m) => Number(m.id.slice(1))));
    });
    const exact = exactTopK(data, count, queries, 10);
    const recall = recallAtK(found, exact);

    // A filter keeping one group in ten (metadata equality), independent of the topic; and one
    // correlated with it (topic = another cluster than the query's), the hard case for over-fetching.
    const filteredQueries = queries.slice(0, Math.min(50, queries.length));
    const filteredFound: number[][] = [];
    const filteredTimes = await timeEach(filteredQueries, async (query) => {
      const matches = await store.search({ vector: query, maxResults: 10, filter: { group: 3 } });
      filteredFound.push(matches.map((m) => Number(m.id.slice(1))));
    });
    const filteredRecall = recallAtK(
      filteredFound,
      exactTopK(data, count, filteredQueries, 10, (index) => groupOf(index) === 3),
    );
    // Correlated: each query asks for the family after its own topic's, so its nearest neighbours all fail.
    const familyOf = (q: number) => (data.clusterOf(q * 7919) + 1) % GROUPS;
    const correlatedFound: number[][] = [];
    const correlatedTimes: number[] = [];
    const correlatedExact: number[][] = [];
    for (let q = 0; q < Math.min(20, filteredQueries.length); q++) {
      const family = familyOf(q);
      const begin = performance.now();
      const matches = await store.search({ vector: filteredQueries[q]!, maxResults: 10, filter: { family } });
      correlatedTimes.push(performance.now() - begin);
      correlatedFound.push(matches.map((m) => Number(m.id.slice(1))));
      correlatedExact.push(
        exactTopK(data, count, [filteredQueries[q]!], 10, (index) => data.clusterOf(index) % GROUPS === family)[0]!,
      );
    }
    const correlatedRecall = recallAtK(correlatedFound, correlatedExact);

    // Adding one document (5 chunks) to the store: the write, and the write plus the first query that sees it.
    const writes: number[] = [];
    const visible: number[] = [];
    for (let t = 0; t < 20; t++) {
      const chunks = Array.from({ length: 5 }, (_, j) => ({ ...chunkOf(data, count + t * 5 + j), source: `new-${t}` }));
      const begin = performance.now();
      await store.replaceSources([{ source: `new-${t}`, sourceHash: 'h', chunks }]);
      writes.push(performance.now() - begin);
      await store.search({ vector: chunks[0]!.vector, maxResults: 10 });
      visible.push(performance.now() - begin);
    }

    started = performance.now();
    await store.close();
    const saveSeconds = (performance.now() - started) / 1000;

    started = performance.now();
    const reopened = EmbeddedEmbeddingStore.open(directory);
    await reopened.search({ vector: queries[1]!, maxResults: 10 });
    const reopenFirstQuery = performance.now() - started;
    const reopenTimes = await timeEach(queries.slice(0, 50), (query) =>
      reopened.search({ vector: query, maxResults: 10 }),
    );
    await reopened.close();

    return {
      shape,
      dimension,
      count,
      ingestSeconds,
      indexSeconds,
      saveSeconds,
      queryP50: percentile(times, 50),
      queryP99: percentile(times, 99),
      recall,
      filteredP50: percentile(filteredTimes, 50),
      filteredRecall,
      correlatedP50: percentile(correlatedTimes, 50),
      correlatedRecall,
      addWriteMedian: percentile(writes, 50),
      addVisibleMedian: percentile(visible, 50),
      reopenFirstQuery,
      reopenP50: percentile(reopenTimes, 50),
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const shape = process.argv[2] === 'isotropic' ? 'isotropic' : 'calibrated';
  const [dimension, count, queries] = process.argv.slice(3).map(Number);
  const figures = await measureEmbedded(shape, dimension ?? 384, count ?? 100_000, queries ?? 200);
  console.log(JSON.stringify(figures));
}
