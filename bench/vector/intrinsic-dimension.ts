/**
 * Local intrinsic dimensionality (LID): how fast the number of neighbours grows with the radius
 * around a point, the property that makes nearest-neighbour search hard or easy (Levina & Bickel's
 * maximum-likelihood estimator over the k nearest neighbours). Real text embeddings sit around 20;
 * Gaussian noise in every one of 384 directions is several times higher. The vector-store bench
 * prints it for real embeddings and for its synthetic data, so the data's realism is measured, not assumed.
 */
export interface NeighbourhoodFigures {
  points: number;
  /** Median LID over the sampled points, at k = 20. */
  lid: number;
  /** Median ratio of the 10th to the 1st neighbour's distance (≈ 1: neighbours all equally far). */
  contrast: number;
}

/** Figures over `vectors` (unit length), estimated from up to `sample` of them against all. */
export function neighbourhood(vectors: Float32Array[], k = 20, sample = 400): NeighbourhoodFigures {
  const lids: number[] = [];
  const contrasts: number[] = [];
  const step = Math.max(1, Math.floor(vectors.length / sample));
  for (let i = 0; i < vectors.length && lids.length < sample; i += step) {
    const point = vectors[i]!;
    const distances: number[] = [];
    for (const [j, other] of vectors.entries()) {
      if (j === i) continue;
      let dot = 0;
      for (let d = 0; d < point.length; d++) dot += point[d]! * other[d]!;
      distances.push(Math.sqrt(Math.max(1e-12, 2 - 2 * dot)));
    }
    distances.sort((a, b) => a - b);
    let sum = 0;
    for (let j = 0; j < k - 1; j++) sum += Math.log(distances[j]! / distances[k - 1]!);
    lids.push(-(k - 1) / sum);
    contrasts.push(distances[9]! / distances[0]!);
  }
  return { points: vectors.length, lid: median(lids), contrast: median(contrasts) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? Number.NaN;
}
