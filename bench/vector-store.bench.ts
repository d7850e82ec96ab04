import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANN_SETTINGS } from '../src/ai/stores/embedded/ann-index.ts';
import { EmbeddedEmbeddingStore } from '../src/ai/stores/embedded/embedded-store.ts';
import { openLocalEmbedder, readGroundTruth, readRecords } from './retrieval/faq-data.ts';
import type { DataShape, EmbeddedFigures } from './vector/embedded-scenario.ts';
import { type NeighbourhoodFigures, neighbourhood } from './vector/intrinsic-dimension.ts';
import { exactTopK, ms, percentile, recallAtK, timeEach } from './vector/measure.ts';
import { bruteForce, langChainMemory } from './vector/peers.ts';
import { CALIBRATED, ISOTROPIC, SyntheticEmbeddings } from './vector/synthetic-data.ts';

/**
 * The embedded store (KestraKVStore) against a plain Float32Array brute force and LangChain's
 * MemoryVectorStore (the reference's design), on seeded clustered synthetic embeddings whose
 * neighbourhood structure is calibrated on real sentence embeddings (see synthetic-data.ts), plus
 * an isotropic stress case. Each embedded-store scenario runs in its own process so its peak RSS is
 * its own. VECTOR_BENCH_MILLION=0 skips the 1M runs; VECTOR_BENCH_STRESS=0 skips the isotropic
 * rows; VECTOR_BENCH_MILLION_512=0 skips 1M × 512; VECTOR_BENCH_COUNT (default 100000) shrinks the
 * "100k" corpora for a quick smoke run.
 */
const SMALL = Number(process.env.VECTOR_BENCH_COUNT ?? 100_000);
const MILLION = process.env.VECTOR_BENCH_MILLION !== '0';
const STRESS = process.env.VECTOR_BENCH_STRESS !== '0';

function embedded(shape: DataShape, dimension: number, count: number, queries: number): EmbeddedFigures {
  const script = join(import.meta.dirname, 'vector', 'embedded-scenario.ts');
  console.log(`  embedded store, ${shape} ${count.toLocaleString('en')} × ${dimension}...`);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', script, shape, String(dimension), String(count), String(queries)],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (result.status !== 0) throw new Error(`embedded scenario ${shape} ${dimension}×${count} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as EmbeddedFigures;
}

/**
 * Real embeddings: the FAQ records and the labelled questions, embedded offline. Gives the neighbourhood
 * figures the synthetic data is calibrated against, and the embedded store's recall on real vectors and questions.
 */
async function realEmbeddings(): Promise<{ neighbourTable: string; realRecall: string }> {
  const embedder = await openLocalEmbedder();
  const records = await embedder.embed(
    'FAQ records',
    readRecords().map((record) => `${record.question}\n${record.text}`),
  );
  const questions = await embedder.embed(
    'FAQ questions',
    readGroundTruth().map((question) => question.question),
  );
  await embedder.close();
  const rows = [`| real: LLM Zoomcamp FAQ (3 courses), USE-lite 512-d | ${describe(neighbourhood(records.vectors))} |`];
  for (const [label, space] of [
    ['calibrated', CALIBRATED],
    ['isotropic', ISOTROPIC],
  ] as const) {
    const data = new SyntheticEmbeddings(space);
    // As the FAQ: 3 topics (its 3 courses), as many chunks; and 2 topics at the density of the 1M corpus (1,000 chunks each).
    const perTopic = Math.ceil(records.vectors.length / 3);
    const likeFaq = Array.from({ length: records.vectors.length }, (_, i) =>
      data.vector((i % 3) + 1000 * Math.floor(i / 3)),
    );
    const dense = Array.from({ length: 2000 }, (_, i) => data.vector((i % 2) + 1000 * Math.floor(i / 2)));
    rows.push(
      `| synthetic ${label}, 3 topics × ${perTopic} chunks (as the FAQ) | ${describe(neighbourhood(likeFaq))} |`,
    );
    rows.push(
      `| synthetic ${label}, 2 topics × 1,000 chunks (the 1M corpus's density) | ${describe(neighbourhood(dense))} |`,
    );
  }

  const directory = mkdtempSync(join(tmpdir(), 'windhover-vector-bench-real-'));
  try {
    const store = EmbeddedEmbeddingStore.open(directory);
    await store.replaceSources(
      records.vectors.map((vector, i) => ({
        source: `faq-${i}`,
        sourceHash: `h${i}`,
        chunks: [{ id: `${i}`, vector, text: `record ${i}`, metadata: {}, source: `faq-${i}`, sourceHash: `h${i}` }],
      })),
    );
    const found: number[][] = [];
    const times = await timeEach(questions.vectors, async (vector) => {
      found.push((await store.search({ vector, maxResults: 10 })).map((match) => Number(match.id)));
    });
    await store.close();
    const exact = questions.vectors.map((query) =>
      records.vectors
        .map((vector, i) => ({ i, dot: vector.reduce((sum, value, d) => sum + value * query[d]!, 0) }))
        .sort((a, b) => b.dot - a.dot)
        .slice(0, 10)
        .map((entry) => entry.i),
    );
    const realRecall =
      `Embedded store on the real vectors (${records.vectors.length} FAQ records, ${questions.vectors.length} real questions as queries, ` +
      `no filter): recall@10 **${recallAtK(found, exact).toFixed(3)}**, query p50 ${ms(percentile(times, 50), 3)}.`;
    return { neighbourTable: rows.join('\n'), realRecall };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function describe(figures: NeighbourhoodFigures): string {
  return `${figures.points.toLocaleString('en')} | ${figures.lid.toFixed(1)} | ${figures.contrast.toFixed(3)}`;
}

const check = (ok: boolean) => (ok ? '✔' : '✘');

export default {
  title: 'Vector store (embedded KestraKVStore vs brute force vs LangChain MemoryVectorStore)',
  async run(): Promise<string> {
    const loadBefore = loadavg()[0]!;
    const { neighbourTable, realRecall } = await realEmbeddings();
    const runs: EmbeddedFigures[] = [embedded('calibrated', 384, SMALL, 200), embedded('calibrated', 512, SMALL, 200)];
    if (MILLION) runs.push(embedded('calibrated', 384, 1_000_000, 200));
    if (MILLION && process.env.VECTOR_BENCH_MILLION_512 !== '0') runs.push(embedded('calibrated', 512, 1_000_000, 200));
    if (STRESS) runs.push(embedded('isotropic', 384, SMALL, 200));
    if (STRESS && MILLION) runs.push(embedded('isotropic', 384, 1_000_000, 200));

    // Peers on the same 384-d data, same queries.
    const data = new SyntheticEmbeddings(CALIBRATED);
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

    const at = (shape: DataShape, dimension: number, count: number) =>
      runs.find((r) => r.shape === shape && r.dimension === dimension && r.count === count);
    const e100 = at('calibrated', 384, SMALL)!;
    const e1m = at('calibrated', 384, 1_000_000);
    const s100 = at('isotropic', 384, SMALL);
    const s1m = at('isotropic', 384, 1_000_000);
    const bruteP50 = percentile(bruteTimes, 50);

    const rows = runs.map(
      (r) =>
        `| ${r.shape} | ${r.count.toLocaleString('en')} × ${r.dimension} | ${r.ingestSeconds.toFixed(1)} s | ${r.indexSeconds.toFixed(1)} s | ` +
        `${r.saveSeconds.toFixed(1)} s | ${ms(r.queryP50, 3)} | ${ms(r.queryP99)} | ${r.recall.toFixed(3)} | ` +
        `${ms(r.filteredP50)} / ${r.filteredRecall.toFixed(3)} | ${ms(r.correlatedP50)} / ${r.correlatedRecall.toFixed(3)} | ${ms(r.addWriteMedian)} / ${ms(r.addVisibleMedian)} | ` +
        `${ms(r.reopenFirstQuery, 0)} / ${ms(r.reopenP50, 3)} | ${r.peakRssMb.toFixed(0)} MB |`,
    );
    const targets = runs
      .filter((r) => r.shape === 'calibrated')
      .flatMap((r) => {
        const corpus = `${r.count >= 1_000_000 ? '1M' : `${r.count / 1000}k`} × ${r.dimension}`;
        const latency = r.count >= 1_000_000 ? 3 : 1;
        return [
          `| recall@10, ${corpus} | ≥ 0.95 | ${r.recall.toFixed(3)} | ${check(r.recall >= 0.95)} |`,
          `| query p50, ${corpus} | ≤ ${latency} ms | ${ms(r.queryP50, 3)} | ${check(r.queryP50 <= latency)} |`,
          ...(r.count >= 1_000_000
            ? [
                `| peak RSS, ${corpus} (ingest, index build, queries) | ≤ 3 GB | ${r.peakRssMb.toFixed(0)} MB | ${check(r.peakRssMb <= 3072)} |`,
              ]
            : []),
        ];
      });
    targets.splice(
      2,
      0,
      `| add 1 document (5 chunks) to 100k × 384, until searchable | ≤ 50 ms | ${ms(e100.addVisibleMedian)} | ${check(e100.addVisibleMedian <= 50)} |`,
    );

    return `
Data: seeded synthetic embeddings, 1,000 topics (Gaussian clusters on the unit sphere); queries near a chunk of a topic (the chunk
moved by half its topic's scatter), never equal to a data point; ground truth by exact search. Two shapes of scatter
(bench/vector/synthetic-data.ts): **calibrated** — variation along 64 directions per topic with power-law scales plus a small
isotropic floor, parameters chosen so that its local intrinsic dimensionality (LID) matches real sentence embeddings (table
below); the targets are checked on it. **isotropic** — noise in all 384 directions, a stress case several times harder than real
embeddings. Chunks go in through \`replaceSources\` (10 chunks per source, metadata \`group\` 0–9 by position, \`family\` 0–9 by
topic), so ingest includes SQLite, FTS5 and the metadata index. HNSW: M ${ANN_SETTINGS.connectivity}, ef_add ${ANN_SETTINGS.expansionAdd},
ef_search ${ANN_SETTINGS.expansionSearchTiers.map((tier) => (tier.fromRows ? `${tier.expansionSearch} from ${tier.fromRows.toLocaleString('en')} chunks` : `${tier.expansionSearch} below`)).join(', ')}, f16 vectors ordering the candidates; the k results read from SQLite and scored with their exact float32 vectors.
**Load average during the run: ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} on 2 cores** (other work shared the machine, so absolute
times are inflated; ratios within this run are fair).

### How realistic is the data

Local intrinsic dimensionality (maximum-likelihood estimate over the 20 nearest neighbours, median over ≤ 400 points;
bench/vector/intrinsic-dimension.ts) and the median ratio of the 10th to the 1st neighbour's distance (near 1 = all neighbours
equally far, the hard case for approximate search).

| vectors | points | LID | d₁₀ / d₁ |
|---|---|---|---|
${neighbourTable}

${realRecall}

### Embedded store

| data | corpus | ingest (SQLite) | HNSW build (first query) | index save | query p50 | query p99 | recall@10 | filtered, 1 in 10 (independent of topic) p50 / recall | filtered, 1 in 10 (excludes the query's topic) p50 / recall | add 1 doc: commit / searchable | reopen: first query / p50 | peak RSS |
|---|---|---|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}
${
  s1m && s100
    ? `
**The isotropic rows.** At 1M each topic holds 1,000 chunks whose noise in every direction puts them almost at the same distance
from a query (LID ≈ 90 at that density, against ≈ 20 for real embeddings): after the nearest chunk the next nine differ by tiny
margins, and HNSW finds ${s1m.recall.toFixed(2)} of them at 1M (${s100.recall.toFixed(2)} at 100k, 100 chunks per topic)${
        s1m.recall >= 0.95
          ? ': the graph built with ef_add ' +
            ANN_SETTINGS.expansionAdd +
            ' copes even with this data (ADR 0400 has the sweep).'
          : '. Data shaped like this needs a much wider search (ADR 0400 has the sweep); real text embeddings are not shaped like this.'
      }
`
    : ''
}${e1m ? `A filter that excludes the query's own topic is answered exactly (correct, but ${ms(e1m.correlatedP50, 0)} at 1M).\n` : ''}
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
