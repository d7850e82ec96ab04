import type { StoredChunk } from '../spec/embedding-store.ts';

/** A vector whose size differs from the store's: names both sizes and how to fix it. */
export class DimensionMismatchError extends Error {
  override readonly name = 'DimensionMismatchError';
  constructor(
    readonly store: string,
    readonly expected: number,
    readonly actual: number,
    what: string,
  ) {
    super(
      `embedding store ${store}: ${what} has ${actual} dimensions but the store holds ${expected}-dimensional vectors; ` +
        'the embedding model changed since the store was filled: re-ingest with drop: true, or use another store name',
    );
  }
}

/**
 * Checks that every chunk has the same, finite-valued vector size as the store (or as the
 * first chunk when the store is still empty) and returns that size.
 */
export function checkChunkDimensions(
  store: string,
  chunks: StoredChunk[],
  dimension: number | undefined,
): number | undefined {
  let expected = dimension;
  for (const chunk of chunks) {
    const size = chunk.vector.length;
    if (size === 0) throw new Error(`embedding store ${store}: chunk '${chunk.id}' has an empty vector`);
    if (expected === undefined) expected = size;
    else if (size !== expected)
      throw new DimensionMismatchError(store, expected, size, `the vector of chunk '${chunk.id}'`);
    for (let i = 0; i < size; i++) {
      if (!Number.isFinite(chunk.vector[i])) {
        throw new Error(`embedding store ${store}: the vector of chunk '${chunk.id}' holds a non-finite value at ${i}`);
      }
    }
  }
  return expected;
}

export function checkQueryDimension(store: string, vector: Float32Array, dimension: number): void {
  if (vector.length !== dimension)
    throw new DimensionMismatchError(store, dimension, vector.length, 'the query vector');
}
