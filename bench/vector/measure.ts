import { exactSearch, MetricKind } from 'usearch';
import type { SyntheticEmbeddings } from './synthetic-data.ts';

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

export async function timeEach<T>(items: T[], action: (item: T) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (const item of items) {
    const started = performance.now();
    await action(item);
    times.push(performance.now() - started);
  }
  return times;
}

/**
 * Exact top-k indices (0-based) of each query over the first `count` synthetic vectors,
 * computed block by block with usearch's brute-force kernel so 1M vectors are never all in memory.
 */
export function exactTopK(
  data: SyntheticEmbeddings,
  count: number,
  queries: Float32Array[],
  k: number,
  /** Only indices `offset + n * stride` (a metadata filter such as "group = 3"). */
  stride = 1,
  offset = 0,
): number[][] {
  const { dimension } = data.space;
  const best = queries.map(() => [] as { index: number; distance: number }[]);
  const queryMatrix = new Float32Array(queries.length * dimension);
  for (const [i, query] of queries.entries()) queryMatrix.set(query, i * dimension);
  const blockSize = 50_000;
  const selected = Math.ceil((count - offset) / stride);
  for (let start = 0; start < selected; start += blockSize) {
    const size = Math.min(blockSize, selected - start);
    const block = new Float32Array(size * dimension);
    for (let i = 0; i < size; i++) {
      data.vector(offset + (start + i) * stride, block.subarray(i * dimension, (i + 1) * dimension));
    }
    const rows = Array.from({ length: size }, (_, i) => block.subarray(i * dimension, (i + 1) * dimension));
    const queryRows = queries.map((_, i) => queryMatrix.subarray(i * dimension, (i + 1) * dimension));
    const result = exactSearch(rows, queryRows, dimension, k, MetricKind.Cos, 0);
    if (!('get' in result)) throw new Error('expected batch matches');
    for (let q = 0; q < queries.length; q++) {
      const matches = result.get(q);
      for (let j = 0; j < matches.keys.length; j++) {
        const position = start + Number(matches.keys[j]);
        best[q]!.push({ index: offset + position * stride, distance: matches.distances[j]! });
      }
      best[q]!.sort((a, b) => a.distance - b.distance);
      best[q]!.length = Math.min(best[q]!.length, k);
    }
  }
  return best.map((list) => list.map((entry) => entry.index));
}

export function recallAtK(found: number[][], exact: number[][]): number {
  let hits = 0;
  let total = 0;
  found.forEach((list, q) => {
    const truth = new Set(exact[q]);
    hits += list.filter((index) => truth.has(index)).length;
    total += truth.size;
  });
  return hits / total;
}

export const ms = (value: number, digits = 2) => `${value.toFixed(digits)} ms`;
