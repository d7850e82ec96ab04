/**
 * Seeded synthetic embeddings shaped like real ones: Gaussian clusters on the unit sphere
 * (topics), points scattered around their cluster centre, queries near a point of a cluster. Any vector
 * can be regenerated from its index alone, so a million vectors never need to sit in memory.
 */
export interface SyntheticSpace {
  dimension: number;
  clusters: number;
  /** Spread of points around their centre, relative to the centre's length. */
  spread: number;
  seed: number;
}

/** splitmix32: a tiny, fast, well-mixed PRNG. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
  };
}

function gaussian(next: () => number): () => number {
  return () => {
    const u = next() || 1e-12;
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
}

function normalise(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const scale = 1 / Math.sqrt(sum || 1);
  for (let i = 0; i < vector.length; i++) vector[i]! *= scale;
  return vector;
}

export class SyntheticEmbeddings {
  readonly #centres: Float32Array[];

  constructor(readonly space: SyntheticSpace) {
    const normal = gaussian(random(space.seed));
    this.#centres = Array.from({ length: space.clusters }, () =>
      normalise(Float32Array.from({ length: space.dimension }, normal)),
    );
  }

  clusterOf(index: number): number {
    return index % this.space.clusters;
  }

  /** The vector of data point `index` (unit length). */
  vector(index: number, target = new Float32Array(this.space.dimension)): Float32Array {
    return this.#around(this.#centres[this.clusterOf(index)]!, this.space.spread, index * 2 + 1, target);
  }

  /**
   * A query about data point `index`: that point moved by half the cluster spread, so it sits
   * in the point's topic near (but never at) the point, as a question near the chunk answering it.
   */
  query(index: number): Float32Array {
    return this.#around(this.vector(index), this.space.spread / 2, -(index * 2 + 2), undefined);
  }

  /** A query at the centre of a topic: equidistant from all its points, the hard case for ANN. */
  centroidQuery(index: number): Float32Array {
    return this.#around(this.#centres[this.clusterOf(index)]!, this.space.spread / 4, -(index * 2 + 2), undefined);
  }

  /** Vectors `start..start+count` in one row-major matrix. */
  block(start: number, count: number): Float32Array {
    const { dimension } = this.space;
    const matrix = new Float32Array(count * dimension);
    for (let i = 0; i < count; i++) this.vector(start + i, matrix.subarray(i * dimension, (i + 1) * dimension));
    return matrix;
  }

  #around(centre: Float32Array, spread: number, stream: number, target: Float32Array | undefined): Float32Array {
    const normal = gaussian(random((this.space.seed * 2654435761) ^ stream));
    const out = target ?? new Float32Array(centre.length);
    const scale = spread / Math.sqrt(centre.length);
    for (let i = 0; i < centre.length; i++) out[i] = centre[i]! + normal() * scale;
    return normalise(out);
  }
}
