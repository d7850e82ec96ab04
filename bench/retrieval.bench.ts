/**
 * Retrieval quality on the LLM Zoomcamp FAQ set (the course's protocol: k = 5, each query
 * filtered to its course; hit = the gold record among the 5; MRR = mean 1/rank). Measures the
 * embedded store's BM25, the Local provider's USE-lite vectors and hybrid retrieval (our RRF).
 * Hybrid fusion settings are tuned honestly: grid search on one half of the questions, figures
 * on the other half, both ways (bench/retrieval/cross-validation.ts). Embeddings are cached on
 * disk, so only the first run pays for embedding 948 records and 1,000 questions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HYBRID_PRESET } from '../src/ai/retrieval/hybrid-defaults.ts';
import { retrieve } from '../src/ai/retrieval/retrieve.ts';
import type { EmbeddingStoreV1, SearchMatch } from '../src/ai/spec/embedding-store.ts';
import {
  type CrossValidation,
  crossValidate,
  describeSetting,
  type Figures,
  type FusionSetting,
  figuresOf,
  grid,
  type RankedLists,
  reciprocalRanks,
  robustSetting,
  splitByRecord,
} from './retrieval/cross-validation.ts';
import {
  buildFaqStore,
  type FaqRecord,
  type GroundTruth,
  openLocalEmbedder,
  readGroundTruth,
  readRecords,
} from './retrieval/faq-data.ts';

const K = 5;
/** The split the reported held-out figures use; other seeds only give their spread. */
const SEED = 521;
const SPREAD_SEEDS = Array.from({ length: 20 }, (_, index) => 1000 + index);
const TARGET_BM25 = 'hit ≥ 0.80';
const TARGET_HYBRID = 'hit ≥ 0.952, MRR ≥ 0.875';
/** The grid searched on each tuning half: 6 × 3 × 5 = 90 settings. */
const GRID = grid({ rrfK: [1, 2, 5, 10, 20, 60], candidates: [10, 20, 50], vectorWeight: [0.1, 0.2, 0.3, 0.5, 1] });
const DEPTH = Math.max(...GRID.map((setting) => setting.candidates));

type Ranker = (query: GroundTruth, vector: Float32Array) => Promise<SearchMatch[]>;

/** Figures of a ranker over the questions at `indices`, through the product's own code path. */
async function evaluate(queries: GroundTruth[], vectors: Float32Array[], indices: number[], rank: Ranker) {
  let hits = 0;
  let reciprocal = 0;
  const ranks = new Float64Array(queries.length);
  const started = performance.now();
  for (const index of indices) {
    const query = queries[index]!;
    const matches = await rank(query, vectors[index]!);
    const position = matches.findIndex((match) => match.metadata.docId === query.document);
    if (position >= 0) {
      hits++;
      reciprocal += 1 / (position + 1);
      ranks[index] = 1 / (position + 1);
    }
  }
  const figures: Figures = { hitRate: hits / indices.length, mrr: reciprocal / indices.length };
  return { figures, ranks, ms: (performance.now() - started) / indices.length };
}

const f3 = (value: number) => value.toFixed(3);
const meets = (figures: Figures) => figures.hitRate >= 0.952 && figures.mrr >= 0.875;

const variants = [
  { name: 'question + text', textOf: (r: FaqRecord) => `${r.question}\n${r.text}` },
  {
    name: 'question ×3 + section + text (field boost)',
    textOf: (r: FaqRecord) => `${r.question}\n${r.question}\n${r.question}\n${r.section}\n${r.text}`,
  },
];

export default {
  title: 'Retrieval quality: LLM Zoomcamp FAQ (BM25, Local vectors, hybrid)',
  async run(): Promise<string> {
    const records = readRecords();
    const queries = readGroundTruth();
    const all = queries.map((_, index) => index);
    const embedder = await openLocalEmbedder();
    const docs = await embedder.embed(
      'records',
      records.map((r) => `${r.question}\n${r.text}`),
    );
    const questions = await embedder.embed(
      'questions',
      queries.map((q) => q.question),
    );
    await embedder.close();

    const folds = splitByRecord(queries, SEED);
    const halves = [0, 1].map((fold) => all.filter((index) => folds[index] === fold));
    const spreadSplits = SPREAD_SEEDS.map((seed) => splitByRecord(queries, seed));
    const filter = (q: GroundTruth) => ({ course: q.course });
    const hybrid =
      (
        store: EmbeddingStoreV1,
        settings: { rrfK?: number; candidates?: number; weights?: { vector: number; text: number } },
      ): Ranker =>
      (q, vector) =>
        retrieve({
          store,
          query: q.question,
          embedQuery: async () => vector,
          mode: 'HYBRID',
          maxResults: K,
          filter: filter(q),
          ...settings,
        });

    const rows: string[] = [];
    const row = (
      method: string,
      variant: string,
      questionsLabel: string,
      figures: Figures,
      ms: number,
      target = '',
    ) => {
      rows.push(
        `| ${method} | ${variant} | ${questionsLabel} | ${f3(figures.hitRate)} | ${f3(figures.mrr)} | ${ms.toFixed(2)} | ${target} |`,
      );
      console.log(rows.at(-1));
    };
    const cvRows: string[] = [];
    const summaries: {
      variant: string;
      bm25: Figures;
      cv: CrossValidation;
      heldOut: Figures;
      spread: { hit: [number, number]; mrr: [number, number] };
      mismatches: number;
    }[] = [];
    /** Per variant, the 1/rank of every grid setting for every question: input of the robust pick. */
    const perSettingByVariant: Float64Array[][] = [];

    for (const variant of variants) {
      const dir = mkdtempSync(join(tmpdir(), 'wh-bench-faq-'));
      const store = await buildFaqStore(dir, records, docs.vectors, variant.textOf);
      try {
        const bm25 = await evaluate(queries, questions.vectors, all, (q) =>
          store.searchText!({ query: q.question, maxResults: K, filter: filter(q) }),
        );
        row('BM25 (embedded store FTS5)', variant.name, 'all 1,000', bm25.figures, bm25.ms, TARGET_BM25);
        if (variant === variants[0]) {
          const vector = await evaluate(queries, questions.vectors, all, (q, v) =>
            store.search({ vector: v, maxResults: K, filter: filter(q) }),
          );
          row('vector (Local USE-lite 512-d)', variant.name, 'all 1,000', vector.figures, vector.ms);
        }
        const textbook = await evaluate(
          queries,
          questions.vectors,
          all,
          hybrid(store, { rrfK: 60, candidates: 20, weights: { vector: 1, text: 1 } }),
        );
        row(
          'hybrid, untuned textbook RRF (k=60, 20 candidates, equal weights)',
          variant.name,
          'all 1,000',
          textbook.figures,
          textbook.ms,
        );

        // Both searches once per question, deep enough for every grid point; the grid fuses prefixes.
        const lists: RankedLists[] = [];
        for (const [index, q] of queries.entries()) {
          const [vector, text] = await Promise.all([
            store.search({ vector: questions.vectors[index]!, maxResults: DEPTH, filter: filter(q) }),
            store.searchText!({ query: q.question, maxResults: DEPTH, filter: filter(q) }),
          ]);
          lists.push({ vector, text });
        }
        const perSetting = GRID.map((setting) =>
          reciprocalRanks(lists, (index) => queries[index]!.document, setting, K),
        );
        perSettingByVariant.push(perSetting);
        const cv = crossValidate(perSetting, folds);

        // The held-out figures come from `retrieve` itself with each half's chosen settings; the
        // grid's in-memory fusion must agree with it question by question.
        const pooled = new Float64Array(queries.length);
        let mismatches = 0;
        let ms = 0;
        for (const fold of cv.folds) {
          const setting = GRID[fold.chosen]!;
          const testHalf = halves[1 - fold.tunedOn]!;
          const measured = await evaluate(
            queries,
            questions.vectors,
            testHalf,
            hybrid(store, {
              rrfK: setting.rrfK,
              candidates: setting.candidates,
              weights: { vector: setting.vectorWeight, text: 1 },
            }),
          );
          for (const index of testHalf) {
            pooled[index] = measured.ranks[index]!;
            if (Math.abs(measured.ranks[index]! - perSetting[fold.chosen]![index]!) > 1e-12) mismatches++;
          }
          ms += (measured.ms * testHalf.length) / queries.length;
          cvRows.push(
            `| ${variant.name} | half ${fold.tunedOn + 1} (${halves[fold.tunedOn]!.length} q) | ${describeSetting(setting)} | ` +
              `${f3(fold.tuned.hitRate)} / ${f3(fold.tuned.mrr)} | half ${2 - fold.tunedOn} (${testHalf.length} q) | ` +
              `${f3(measured.figures.hitRate)} | ${f3(measured.figures.mrr)} | ${measured.ms.toFixed(2)} | |`,
          );
          console.log(cvRows.at(-1));
        }
        const heldOut = figuresOf(pooled, folds);
        cvRows.push(
          `| ${variant.name} | **both, crossed** | (each half's own choice) | | **all 1,000, each held out once** | ` +
            `**${f3(heldOut.hitRate)}** | **${f3(heldOut.mrr)}** | ${ms.toFixed(2)} | ${TARGET_HYBRID}: ${meets(heldOut) ? 'met' : 'NOT met'} |`,
        );
        console.log(cvRows.at(-1));
        const spreadFigures = spreadSplits.map((split) => crossValidate(perSetting, split).pooled);
        const range = (values: number[]): [number, number] => [Math.min(...values), Math.max(...values)];
        summaries.push({
          variant: variant.name,
          bm25: bm25.figures,
          cv,
          heldOut,
          spread: {
            hit: range(spreadFigures.map((figures) => figures.hitRate)),
            mrr: range(spreadFigures.map((figures) => figures.mrr)),
          },
          mismatches,
        });

        const preset = await evaluate(queries, questions.vectors, all, hybrid(store, {}));
        row(
          `hybrid, product default (\`mode: HYBRID\` alone: ${describeSetting(presetSetting())})`,
          variant.name,
          'all 1,000 (chose it: in-sample)',
          preset.figures,
          preset.ms,
        );
      } finally {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }

    // The robust pick: the grid point whose worst half is best, over every half of the spread
    // splits and both indexing choices — what the product's preset should be.
    const robustChoice = GRID[robustSetting(perSettingByVariant, spreadSplits)]!;
    const preset = presetSetting();
    const presetMatches =
      preset.rrfK === robustChoice.rrfK &&
      preset.candidates === robustChoice.candidates &&
      preset.vectorWeight === robustChoice.vectorWeight;

    const headline = summaries.at(-1)!;
    const plain = summaries[0]!;
    const gain = (summary: (typeof summaries)[number]) =>
      `${(summary.heldOut.hitRate - summary.bm25.hitRate >= 0 ? '+' : '') + (summary.heldOut.hitRate - summary.bm25.hitRate).toFixed(3)} hit, ` +
      `${(summary.heldOut.mrr - summary.bm25.mrr >= 0 ? '+' : '') + (summary.heldOut.mrr - summary.bm25.mrr).toFixed(3)} MRR`;
    const bm25Best = Math.max(...summaries.map((summary) => summary.bm25.hitRate));
    const mismatches = summaries.reduce((sum, summary) => sum + summary.mismatches, 0);
    return [
      `${records.length} FAQ records, ${queries.length} questions (ground-truth-dev.csv), k = ${K}, each query filtered to its course.`,
      `Embedding: ${docs.calls + questions.calls} model calls this run (${docs.seconds.toFixed(1)} s records, ` +
        `${questions.seconds.toFixed(1)} s questions; 0 calls when the on-disk embedding cache is warm). ` +
        'Records are embedded as question + text; the full-text index takes the indexed text below.',
      '',
      '| method | indexed text | questions | hit rate | MRR | ms/query | target |',
      '|---|---|---|---|---|---|---|',
      ...rows,
      '',
      `**Hybrid, tuned honestly (2-fold cross-validation, split seed ${SEED})**: the questions are split in two ` +
        'halves by gold record (every question of a record on the same side; records of each course shuffled ' +
        `with the seed and dealt alternately). On each half, a grid of ${GRID.length} fusion settings ` +
        '(RRF k ∈ {1, 2, 5, 10, 20, 60} × candidates ∈ {10, 20, 50} × vector weight ∈ {0.1, 0.2, 0.3, 0.5, 1}, ' +
        'text weight 1) is searched for the best hit rate + MRR; the chosen setting is then measured through ' +
        '`retrieve` on the other half. Pooling both held-out halves scores every question once with settings ' +
        'tuned without it: that row is the hybrid figure checked against the targets.',
      '',
      '| indexed text | tuned on | chosen setting | hit / MRR on tuning half | measured on | hit rate | MRR | ms/query | target |',
      '|---|---|---|---|---|---|---|---|---|',
      ...cvRows,
      '',
      `Spread over ${SPREAD_SEEDS.length} other seeded splits (pooled held-out figures): ` +
        summaries
          .map(
            (summary) =>
              `${summary.variant}: hit ${f3(summary.spread.hit[0])}–${f3(summary.spread.hit[1])}, ` +
              `MRR ${f3(summary.spread.mrr[0])}–${f3(summary.spread.mrr[1])}`,
          )
          .join('; ') +
        `. In-memory grid fusion vs \`retrieve\` on the held-out halves: ${mismatches === 0 ? 'identical for every question' : `${mismatches} questions DIFFER`}.`,
      '',
      `Product default: \`retrieval: {mode: HYBRID}\` with no rrfK, candidates or weights uses ${describeSetting(preset)} ` +
        '(`HYBRID_PRESET`; candidates = max(10 × maxResults, 50)). The robust pick from the grid — the setting whose ' +
        `worst half is best over all ${SPREAD_SEEDS.length * 2} halves of the ${SPREAD_SEEDS.length} splits, with both ` +
        `indexing choices — is ${describeSetting(robustChoice)}: ${presetMatches ? 'the same' : 'DIFFERENT from the preset'}. ` +
        'Its all-1,000 row above is in-sample (the pick used every question); the held-out rows are the honest estimate. ' +
        'Setting any of rrfK, candidates or weights opts out of the preset (unset ones: k = 60, weights 1, ' +
        'max(4 × maxResults, 20) candidates), so flows that set weights keep their earlier results.',
      '',
      'Published figures of the course (all 4,627 questions): Elasticsearch text 0.740 / 0.603; minsearch text ' +
        '(boosts) 0.772 / 0.661; vector multi-qa-MiniLM on question + text 0.917 / 0.824; hybrid RRF 0.952 / 0.875.',
      '',
      "Notes: plain BM25 over question + text is far above the course's text-search figures (minsearch is TF-IDF, " +
        'Elasticsearch used best_fields); a standalone BM25 written separately (k1 1.2, b 0.75) gave 0.941 / 0.875 on ' +
        'the same set, so the gap is the method, not a bug. The offline USE-lite model is much weaker than MiniLM ' +
        '(0.653 vs 0.917 hit rate), so textbook equal-weight RRF loses to BM25 alone. Every setting the halves choose ' +
        'has a small RRF k and vector weight: keyword ranking first, vectors re-ranking within it. Held out, that ' +
        `adds little over BM25 alone (${headline.variant}: ${gain(headline)}; ${plain.variant}: ${gain(plain)}): with ` +
        'this model, hybrid meets the targets mostly because BM25 does. With a stronger embedding model, set ' +
        '`weights` (e.g. equal weights, k = 60).',
      '',
      `Best BM25 hit rate: ${f3(bm25Best)} (target ≥ 0.80: ${bm25Best >= 0.8 ? 'met' : 'NOT met'}). ` +
        `Hybrid, held out (${headline.variant}): hit ${f3(headline.heldOut.hitRate)}, MRR ${f3(headline.heldOut.mrr)} ` +
        `(targets 0.952 / 0.875: ${meets(headline.heldOut) ? 'met' : 'NOT met'}; ratio to the course's hybrid: ` +
        `${(headline.heldOut.hitRate / 0.952).toFixed(3)} hit, ${(headline.heldOut.mrr / 0.875).toFixed(3)} MRR); ` +
        `${plain.variant}: hit ${f3(plain.heldOut.hitRate)}, MRR ${f3(plain.heldOut.mrr)} (${meets(plain.heldOut) ? 'met' : 'NOT met'}).`,
    ].join('\n');
  },
};

/** The preset as a grid point at k = 5 results. */
function presetSetting(): FusionSetting {
  return {
    rrfK: HYBRID_PRESET.rrfK,
    candidates: HYBRID_PRESET.candidates(K),
    vectorWeight: HYBRID_PRESET.vectorWeight,
  };
}
