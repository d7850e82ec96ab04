/**
 * Retrieval quality on the LLM Zoomcamp FAQ set (the course's protocol: k = 5, each query
 * filtered to its course; hit = the gold record among the 5; MRR = mean 1/rank). Measures the
 * embedded store's BM25, the Local provider's USE-lite vectors and hybrid retrieval (our RRF),
 * and compares with the course's published figures. Embeddings are cached on disk, so only the
 * first run pays for embedding 948 records and 1,000 questions.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embedMany } from '../src/ai/embed-many.ts';
import { EmbeddingCache } from '../src/ai/embedding-cache.ts';
import { providerPlugins } from '../src/ai/providers/index.ts';
import { createEmbeddingModel } from '../src/ai/providers/provider-plugin.ts';
import { retrieve } from '../src/ai/retrieval/retrieve.ts';
import type { EmbeddingStoreV1, SearchMatch, StoredChunk } from '../src/ai/spec/embedding-store.ts';
import { EmbeddedEmbeddingStore } from '../src/ai/stores/embedded/embedded-store.ts';
import { ResourceCache } from '../src/engine/shared-resources.ts';
import type { AnyPluginDefinition } from '../src/plugin/define-plugin.ts';
import { PluginRegistry } from '../src/plugin/plugin-registry.ts';
import type { TaskLogger } from '../src/plugin/run-context.ts';

const DATA = join(import.meta.dirname, '../../shared/data/llm-zoomcamp-faq');
const K = 5;

interface FaqRecord {
  text: string;
  section: string;
  question: string;
  course: string;
  id: string;
}
interface GroundTruth {
  question: string;
  course: string;
  document: string;
}

function readGroundTruth(): GroundTruth[] {
  const lines = readFileSync(join(DATA, 'ground-truth-dev.csv'), 'utf8').split(/\r?\n/).slice(1);
  const rows: GroundTruth[] = [];
  for (const line of lines) {
    if (!line.trim()) continue;
    // question may be quoted and contain commas; the last two fields never do.
    const document = line.slice(line.lastIndexOf(',') + 1);
    const rest = line.slice(0, line.lastIndexOf(','));
    const course = rest.slice(rest.lastIndexOf(',') + 1);
    let question = rest.slice(0, rest.lastIndexOf(','));
    if (question.startsWith('"') && question.endsWith('"')) question = question.slice(1, -1).replace(/""/g, '"');
    rows.push({ question, course, document });
  }
  return rows;
}

const logger: TaskLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
};

type Ranker = (query: GroundTruth, vector: Float32Array) => Promise<SearchMatch[]>;

async function evaluate(queries: GroundTruth[], vectors: Float32Array[], rank: Ranker) {
  let hits = 0;
  let reciprocal = 0;
  for (const [index, query] of queries.entries()) {
    const matches = await rank(query, vectors[index]!);
    const position = matches.findIndex((match) => match.metadata.docId === query.document);
    if (position >= 0) {
      hits++;
      reciprocal += 1 / (position + 1);
    }
  }
  return { hitRate: hits / queries.length, mrr: reciprocal / queries.length };
}

async function buildStore(
  dir: string,
  records: FaqRecord[],
  vectors: Float32Array[],
  textOf: (r: FaqRecord) => string,
) {
  const store = EmbeddedEmbeddingStore.open(dir);
  const sources = records.map((record, index) => {
    const chunk: StoredChunk = {
      id: `faq-${index}`,
      vector: vectors[index]!,
      text: textOf(record),
      metadata: { course: record.course, docId: record.id },
      source: `faq:${index}`,
      sourceHash: record.id,
    };
    return { source: chunk.source, sourceHash: chunk.sourceHash, chunks: [chunk] };
  });
  for (let start = 0; start < sources.length; start += 500)
    await store.replaceSources(sources.slice(start, start + 500));
  return store;
}

export default {
  title: 'Retrieval quality: LLM Zoomcamp FAQ (BM25, Local vectors, hybrid)',
  async run(): Promise<string> {
    const records = JSON.parse(readFileSync(join(DATA, 'documents-with-ids.json'), 'utf8')) as FaqRecord[];
    const queries = readGroundTruth();
    const resources = new ResourceCache();
    const signal = new AbortController().signal;
    const registry = new PluginRegistry().register(...(providerPlugins as AnyPluginDefinition[]));
    const cacheDir = join(tmpdir(), 'windhover-bench-cache');
    const model = await createEmbeddingModel(
      registry,
      { type: 'io.windhover.plugin.ai.provider.Local' },
      { dataDir: cacheDir, logger, resources, signal },
    );
    const cache = EmbeddingCache.open(cacheDir);
    const embedTexts = async (label: string, texts: string[]) => {
      const started = performance.now();
      let last = 0;
      const result = await embedMany(model, texts, {
        signal,
        cache,
        onProgress: ({ done, total }) => {
          if (done - last >= 200 || done === total) {
            last = done;
            console.log(`  embedding ${label}: ${done}/${total}`);
          }
        },
      });
      return { vectors: result.embeddings, seconds: (performance.now() - started) / 1000, calls: result.calls };
    };
    const docs = await embedTexts(
      'records',
      records.map((r) => `${r.question}\n${r.text}`),
    );
    const questions = await embedTexts(
      'questions',
      queries.map((q) => q.question),
    );

    const variants = [
      { name: 'question + text', textOf: (r: FaqRecord) => `${r.question}\n${r.text}` },
      {
        name: 'question ×3 + section + text (field boost)',
        textOf: (r: FaqRecord) => `${r.question}\n${r.question}\n${r.question}\n${r.section}\n${r.text}`,
      },
    ];
    const rows: string[] = [];
    const dirs: string[] = [];
    const results: Record<string, { hitRate: number; mrr: number }> = {};
    for (const variant of variants) {
      const dir = mkdtempSync(join(tmpdir(), 'wh-bench-faq-'));
      dirs.push(dir);
      const store: EmbeddingStoreV1 = await buildStore(dir, records, docs.vectors, variant.textOf);
      const filter = (q: GroundTruth) => ({ course: q.course });
      const measure = async (method: string, rank: Ranker, target?: string) => {
        const started = performance.now();
        const figures = await evaluate(queries, questions.vectors, rank);
        const ms = (performance.now() - started) / queries.length;
        results[`${variant.name}|${method}`] = figures;
        rows.push(
          `| ${method} | ${variant.name} | ${figures.hitRate.toFixed(3)} | ${figures.mrr.toFixed(3)} | ${ms.toFixed(2)} | ${target ?? ''} |`,
        );
        console.log(rows.at(-1));
      };
      await measure(
        'BM25 (embedded store FTS5)',
        (q) => store.searchText!({ query: q.question, maxResults: K, filter: filter(q) }),
        'hit ≥ 0.80',
      );
      if (variant === variants[0]) {
        await measure('vector (Local USE-lite 512-d)', (q, vector) =>
          store.search({ vector, maxResults: K, filter: filter(q) }),
        );
      }
      const settings: [number, number, number][] =
        variant === variants[0]
          ? [[60, 20, 1]]
          : [
              [60, 20, 1],
              [60, 20, 0.3],
              [60, 20, 0.05],
              [20, 20, 0.3],
              [10, 20, 0.2],
              [5, 20, 0.3],
            ];
      for (const [rrfK, candidates, vectorWeight] of settings) {
        await measure(
          `hybrid RRF k=${rrfK}, ${candidates} candidates, vector weight ${vectorWeight}`,
          (q, vector) =>
            retrieve({
              store,
              query: q.question,
              embedQuery: async () => vector,
              mode: 'HYBRID',
              maxResults: K,
              filter: filter(q),
              rrfK,
              candidates,
              weights: { vector: vectorWeight, text: 1 },
            }),
          'hit ≥ 0.952, MRR ≥ 0.875',
        );
      }
      await store.close();
    }
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    cache.close();
    await resources.closeAll();

    const best = Object.entries(results)
      .filter(([key]) => key.includes('hybrid'))
      .sort(([, a], [, b]) => b.hitRate - a.hitRate || b.mrr - a.mrr)[0];
    const bm25Best = Math.max(
      ...Object.entries(results)
        .filter(([key]) => key.includes('BM25'))
        .map(([, value]) => value.hitRate),
    );
    return [
      `${records.length} FAQ records, ${queries.length} questions (ground-truth-dev.csv), k = ${K}, each query filtered to its course.`,
      `Embedding: ${docs.calls + questions.calls} model calls this run (${docs.seconds.toFixed(1)} s records, ` +
        `${questions.seconds.toFixed(1)} s questions; 0 calls when the on-disk embedding cache is warm).`,
      '',
      '| method | indexed text | hit rate | MRR | ms/query | target |',
      '|---|---|---|---|---|---|',
      ...rows,
      '',
      'Published figures of the course (all 4,627 questions): Elasticsearch text 0.740 / 0.603; minsearch text ' +
        '(boosts) 0.772 / 0.661; vector multi-qa-MiniLM on question + text 0.917 / 0.824; hybrid RRF 0.952 / 0.875.',
      '',
      'Notes: the weights and k were tuned on these same 1,000 dev questions (6 settings), so the best hybrid ' +
        "row is optimistic by the usual tuning bias. Plain BM25 over question + text is far above the course's " +
        'text-search figures (minsearch is TF-IDF, Elasticsearch used best_fields); a standalone BM25 written ' +
        'separately (k1 1.2, b 0.75) gave 0.941 / 0.875 on the same set, so the gap is the method, not a bug. The ' +
        'offline USE-lite model is much weaker than MiniLM (0.653 vs 0.917 hit rate), so equal-weight fusion loses ' +
        'to BM25 alone; a small vector weight (retrieval.weights.vector) lets vectors re-rank without overruling.',
      '',
      `Best BM25 hit rate: ${bm25Best.toFixed(3)} (target ≥ 0.80: ${bm25Best >= 0.8 ? 'met' : 'NOT met'}). ` +
        `Best hybrid: ${best?.[0].replace('|', ', ')} → hit ${best?.[1].hitRate.toFixed(3)}, MRR ${best?.[1].mrr.toFixed(3)} ` +
        `(targets 0.952 / 0.875: ${best && best[1].hitRate >= 0.952 && best[1].mrr >= 0.875 ? 'met' : 'NOT met'}; ` +
        `ratio to the course's hybrid: ${best ? (best[1].hitRate / 0.952).toFixed(3) : '-'} hit, ${best ? (best[1].mrr / 0.875).toFixed(3) : '-'} MRR).`,
    ].join('\n');
  },
};
