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
  /** Only indices this accepts (what a metadata filter keeps). */
  keep: (index: number) => boolean = () => true,
): number[][] {
  const { dimension } = data.space;
  const best = queries.map(() => [] as { index: number; distance: number }[]);
  const queryRows = queries.map((query) => query);
  const blockSize = 50_000;
  let next = 0;
  while (next < count) {
    const indices: number[] = [];
    while (next < count && indices.length < blockSize) {
      if (keep(next)) indices.push(next);
      next++;
    }
    if (indices.length === 0) continue;
    const block = new Float32Array(indices.length * dimension);
    const rows = indices.map((index, i) => data.vector(index, block.subarray(i * dimension, (i + 1) * dimension)));
    const result = exactSearch(rows, queryRows, dimension, k, MetricKind.Cos, 0);
    for (let q = 0; q < queries.length; q++) {
      const matches = 'get' in result ? result.get(q) : result;
      for (let j = 0; j < matches.keys.length; j++) {
        best[q]!.push({ index: indices[Number(matches.keys[j])]!, distance: matches.distances[j]! });
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
