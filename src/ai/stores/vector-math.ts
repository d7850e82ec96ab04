export function norm(vector: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i]! * vector[i]!;
  return Math.sqrt(sum);
}

/** Cosine similarity; 0 for a zero vector rather than NaN. */
export function cosine(a: Float32Array, b: Float32Array, normA = norm(a)): number {
  let dot = 0;
  let sumB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    sumB += b[i]! * b[i]!;
  }
  const denominator = normA * Math.sqrt(sumB);
  return denominator === 0 ? 0 : dot / denominator;
}

/** The reference's relevance scale: (cosine + 1) / 2, 0..1. */
export function relevance(cosineSimilarity: number): number {
  return (cosineSimilarity + 1) / 2;
}
