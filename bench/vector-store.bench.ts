import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ANN_SETTINGS } from '../src/ai/stores/embedded/ann-index.ts';
import type { EmbeddedFigures } from './vector/embedded-scenario.ts';
import { exactTopK, ms, percentile, recallAtK, timeEach } from './vector/measure.ts';
import { bruteForce, langChainMemory } from './vector/peers.ts';
import { SyntheticEmbeddings } from './vector/synthetic-data.ts';

/**
 * The embedded store (KestraKVStore) against a plain Float32Array brute force and LangChain's
 * MemoryVectorStore (the reference's design), on seeded clustered synthetic embeddings.
 * Each embedded-store scenario runs in its own process so its peak RSS is its own.
 * VECTOR_BENCH_MILLION=0 skips the 1M runs; VECTOR_BENCH_MILLION_512=1 adds 1M × 512;
 * VECTOR_BENCH_COUNT (default 100000) shrinks the "100k" corpora for a quick smoke run.
 */
const SMALL = Number(process.env.VECTOR_BENCH_COUNT ?? 100_000);
function embedded(dimension: number, count: number, queries: number): EmbeddedFigures {
  const script = join(import.meta.dirname, 'vector', 'embedded-scenario.ts');
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', script, String(dimension), String(count), String(queries)],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  if (result.status !== 0) throw new Error(`embedded scenario ${dimension}×${count} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as EmbeddedFigures;
}

const check = (ok: boolean) => (ok ? '✔' : '✘');

export default {
  title: 'Vector store (embedded KestraKVStore vs brute force vs LangChain MemoryVectorStore)',
  async run(): Promise<string> {
    const loadBefore = loadavg()[0]!;
    const runs: EmbeddedFigures[] = [embedded(384, SMALL, 200), embedded(512, SMALL, 200)];
    if (process.env.VECTOR_BENCH_MILLION !== '0') runs.push(embedded(384, 1_000_000, 200));
    if (process.env.VECTOR_BENCH_MILLION_512 === '1') runs.push(embedded(512, 1_000_000, 100));

    // Peers on the same 384-d data, same queries.
    const data = new SyntheticEmbeddings({ dimension: 384, clusters: 1000, spread: 1.2, seed: 42 });
    const queries = Array.from({ length: 200 }, (_, i) => data.query(i * 7919));
    const brute = bruteForce(data, SMALL);
    const bruteFound: number[][] = [];
    const bruteTimes = await timeEach(queries.slice(0, 50), async (query) => {
      bruteFound.push(brute.search(query, 10));
    });
    const bruteRecall = recallAtK(bruteFound, exactTopK(data, SMALL, queries.slice(0, 50), 10));
    const memory10k = await langChainMemory(data, SMALL / 10, queries.slice(0, 30));
    const memory100k = await langChainMemory(data, SMALL, queries.slice(0, 10));
    const loadAfter = loadavg()[0]!;

    const at = (dimension: number, count: number) => runs.find((r) => r.dimension === dimension && r.count === count);
    const e100 = at(384, SMALL)!;
    const e1m = at(384, 1_000_000);
    const bruteP50 = percentile(bruteTimes, 50);

    const rows = runs.map(
      (r) =>
        `| ${r.count.toLocaleString('en')} × ${r.dimension} | ${r.ingestSeconds.toFixed(1)} s | ${r.indexSeconds.toFixed(1)} s | ` +
        `${r.saveSeconds.toFixed(1)} s | ${ms(r.queryP50, 3)} | ${ms(r.queryP99)} | ${r.recall.toFixed(3)} | ` +
        `${ms(r.filteredP50)} / ${r.filteredRecall.toFixed(3)} | ${ms(r.correlatedP50)} / ${r.correlatedRecall.toFixed(3)} | ${ms(r.addWriteMedian)} / ${ms(r.addVisibleMedian)} | ` +
        `${ms(r.reopenFirstQuery, 0)} / ${ms(r.reopenP50, 3)} | ${r.peakRssMb.toFixed(0)} MB |`,
    );

    const targets = [
      `| recall@10, 100k × 384 | ≥ 0.95 | ${e100.recall.toFixed(3)} | ${check(e100.recall >= 0.95)} |`,
      `| query p50, 100k × 384 | ≤ 1 ms | ${ms(e100.queryP50, 3)} | ${check(e100.queryP50 <= 1)} |`,
      `| add 1 document (5 chunks) to 100k, until searchable | ≤ 50 ms | ${ms(e100.addVisibleMedian)} | ${check(e100.addVisibleMedian <= 50)} |`,
      ...(e1m
        ? [
            `| recall@10, 1M × 384 | ≥ 0.95 | ${e1m.recall.toFixed(3)} | ${check(e1m.recall >= 0.95)} |`,
            `| query p50, 1M × 384 | ≤ 3 ms | ${ms(e1m.queryP50, 3)} | ${check(e1m.queryP50 <= 3)} |`,
            `| peak RSS, 1M × 384 (ingest, index build, queries) | ≤ 3 GB | ${e1m.peakRssMb.toFixed(0)} MB | ${check(e1m.peakRssMb <= 3072)} |`,
          ]
        : []),
    ];

    return `
Data: seeded Gaussian clusters on the unit sphere (1,000 topics, spread 1.2), queries near a chunk of a topic (the chunk plus half the spread), never equal to a data
point; ground truth by exact search. Chunks go in through \`replaceSources\` (10 chunks per source, metadata
\`group\` 0–9 by position, \`family\` 0–9 by topic), so ingest includes SQLite, FTS5 and the metadata index. HNSW: M ${ANN_SETTINGS.connectivity},
ef_add ${ANN_SETTINGS.expansionAdd}, ef_search ${ANN_SETTINGS.expansionSearch} (${ANN_SETTINGS.largeStoreExpansionSearch} from ${ANN_SETTINGS.largeStoreRows.toLocaleString('en')} chunks), f16 vectors, ≥ 20 candidates re-ranked with exact
float32 vectors. **Load average during the run: ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} on 2 cores** (other
work shared the machine, so absolute times are inflated; ratios within this run are fair).

### Embedded store

| corpus | ingest (SQLite) | HNSW build (first query) | index save | query p50 | query p99 | recall@10 | filtered, 1 in 10 (independent of topic) p50 / recall | filtered, 1 in 10 (excludes the query's topic) p50 / recall | add 1 doc: commit / searchable | reopen: first query / p50 | peak RSS |
|---|---|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

${
  e1m
    ? `
**Reading the 1M row.** Each topic then holds 1,000 chunks whose isotropic noise puts them almost at the
same distance from a query: after the nearest chunk, the next nine differ by tiny margins, and HNSW at
ef_search ${ANN_SETTINGS.largeStoreExpansionSearch} misses many of them (recall ${e1m.recall.toFixed(2)}), where at 100k (100 chunks per topic) it finds ${e100.recall.toFixed(2)}. The
1M recall target is ${e1m.recall >= 0.95 ? 'met' : '**not met**'} on this data; a wider search or more re-ranked candidates
trade latency for it, and a check on real embeddings is pending.
A filter that excludes the query's own topic is answered exactly (correct, but ${ms(e1m.correlatedP50, 0)} at 1M).
`
    : ''
}
### Peers (same 384-d data and queries)

| store | corpus | build | query p50 | query p99 | recall@10 | embedded store is faster by |
|---|---|---|---|---|---|---|
| Float32Array brute force | 100k × 384 | ${brute.buildSeconds.toFixed(1)} s | ${ms(bruteP50)} | ${ms(percentile(bruteTimes, 99))} | ${bruteRecall.toFixed(3)} | ${(bruteP50 / e100.queryP50).toFixed(0)}× |
| LangChain MemoryVectorStore | 10k × 384 | ${memory10k.buildSeconds.toFixed(1)} s | ${ms(memory10k.p50)} | ${ms(memory10k.p99)} | 1.000 (exact) | ${(memory10k.p50 / e100.queryP50).toFixed(0)}× (at 10× its size) |
| LangChain MemoryVectorStore | 100k × 384 | ${memory100k.buildSeconds.toFixed(1)} s | ${ms(memory100k.p50)} | ${ms(memory100k.p99)} | 1.000 (exact) | ${(memory100k.p50 / e100.queryP50).toFixed(0)}× |

### Targets

| figure | target | measured | |
|---|---|---|---|
${targets.join('\n')}
`;
  },
};
