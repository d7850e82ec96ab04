/**
 * The LLM Zoomcamp FAQ evaluation set (records, ground truth, cached USE-lite embeddings) and
 * the embedded store built from it, shared by the retrieval benchmark's steps.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embedMany } from '../../src/ai/embed-many.ts';
import { EmbeddingCache } from '../../src/ai/embedding-cache.ts';
import { providerPlugins } from '../../src/ai/providers/index.ts';
import { createEmbeddingModel } from '../../src/ai/providers/provider-plugin.ts';
import type { StoredChunk } from '../../src/ai/spec/embedding-store.ts';
import { EmbeddedEmbeddingStore } from '../../src/ai/stores/embedded/embedded-store.ts';
import { ResourceCache } from '../../src/engine/shared-resources.ts';
import type { AnyPluginDefinition } from '../../src/plugin/define-plugin.ts';
import { PluginRegistry } from '../../src/plugin/plugin-registry.ts';
import type { TaskLogger } from '../../src/plugin/run-context.ts';

export const FAQ_DIR = join(import.meta.dirname, '../../../shared/data/llm-zoomcamp-faq');

/** One record of documents-with-ids.json. */
export interface FaqRecord {
  text: string;
  section: string;
  question: string;
  course: string;
  id: string;
}

/** One row of ground-truth-dev.csv: the question, its course and the id of the answering record. */
export interface GroundTruth {
  question: string;
  course: string;
  document: string;
}

export function readRecords(): FaqRecord[] {
  return JSON.parse(readFileSync(join(FAQ_DIR, 'documents-with-ids.json'), 'utf8')) as FaqRecord[];
}

export function readGroundTruth(): GroundTruth[] {
  const lines = readFileSync(join(FAQ_DIR, 'ground-truth-dev.csv'), 'utf8').split(/\r?\n/).slice(1);
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

/** Embeddings of the given texts with the Local provider (USE-lite), through the on-disk cache. */
export interface Embedded {
  vectors: Float32Array[];
  seconds: number;
  calls: number;
}

/**
 * Opens the Local embedding model and the bench's embedding cache (in the OS temp folder, so
 * only the first run on a machine pays for embedding ~2,000 texts).
 */
export async function openLocalEmbedder() {
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
  return {
    async embed(label: string, texts: string[]): Promise<Embedded> {
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
    },
    async close() {
      cache.close();
      await resources.closeAll();
    },
  };
}

/** One record per chunk, metadata `{course, docId}`, the full-text index over `textOf(record)`. */
export async function buildFaqStore(
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
