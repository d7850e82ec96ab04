import { MemoryVectorStore } from '@langchain/classic/vectorstores/memory';
import { Document } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { percentile, timeEach } from './measure.ts';
import type { SyntheticEmbeddings } from './synthetic-data.ts';

/** The simplest fast baseline: unit vectors in one Float32Array, a dot product per row, a top-k pass. */
export function bruteForce(data: SyntheticEmbeddings, count: number) {
  const { dimension } = data.space;
  const started = performance.now();
  const matrix = data.block(0, count);
  const buildSeconds = (performance.now() - started) / 1000;
  const search = (query: Float32Array, k: number): number[] => {
    const best: { index: number; score: number }[] = [];
    let floor = -Infinity;
    for (let row = 0; row < count; row++) {
      let dot = 0;
      const offset = row * dimension;
      for (let i = 0; i < dimension; i++) dot += matrix[offset + i]! * query[i]!;
      if (best.length < k || dot > floor) {
        best.push({ index: row, score: dot });
        best.sort((a, b) => b.score - a.score);
        if (best.length > k) best.pop();
        floor = best[best.length - 1]!.score;
      }
    }
    return best.map((entry) => entry.index);
  };
  return { buildSeconds, search };
}

const noEmbeddings: EmbeddingsInterface = {
  embedQuery: async () => {
    throw new Error('the bench passes vectors');
  },
  embedDocuments: async () => {
    throw new Error('the bench passes vectors');
  },
};

/** LangChain.js's MemoryVectorStore: the same design as the reference's KV store (objects, brute force). */
export async function langChainMemory(data: SyntheticEmbeddings, count: number, queries: Float32Array[]) {
  const store = new MemoryVectorStore(noEmbeddings);
  const started = performance.now();
  for (let start = 0; start < count; start += 10_000) {
    const size = Math.min(10_000, count - start);
    const vectors = Array.from({ length: size }, (_, i) => Array.from(data.vector(start + i)));
    const documents = vectors.map(
      (_, i) => new Document({ pageContent: `chunk ${start + i}`, metadata: { i: start + i } }),
    );
    await store.addVectors(vectors, documents);
  }
  const buildSeconds = (performance.now() - started) / 1000;
  const times = await timeEach(queries, (query) => store.similaritySearchVectorWithScore(Array.from(query), 10));
  return { buildSeconds, p50: percentile(times, 50), p99: percentile(times, 99) };
}
