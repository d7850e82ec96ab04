/**
 * Seeded synthetic embeddings: Gaussian clusters on the unit sphere (topics), points scattered
 * around their cluster centre, queries near a point of a cluster. Any vector can be regenerated
 * from its index alone, so a million vectors never need to sit in memory.
 *
 * Two shapes of scatter:
 * - `isotropic`: noise in every direction. Within a topic, points are then all at nearly the same
 *   distance from each other (local intrinsic dimensionality ≈ 90 at 1,000 points per topic in
 *   384-d) — far harder for any approximate index than real text embeddings, a stress case.
 * - `calibrated`: noise along `rank` directions per topic (drawn from a shared pool, as topics share
 *   semantic axes) with power-law scales, plus a small isotropic floor. Its parameters were chosen so
 *   that its local intrinsic dimensionality matches the one measured on real sentence embeddings
 *   (the FAQ corpus embedded by the offline model: ≈ 21), see `intrinsic-dimension.ts`; the bench
 *   prints both figures each run.
 */
export interface SyntheticSpace {
  dimension: number;
  clusters: number;
  /** Spread of points around their centre, relative to the centre's length. */
  spread: number;
  seed: number;
  shape?: IsotropicShape | CalibratedShape;
}

export interface IsotropicShape {
  kind: 'isotropic';
}

export interface CalibratedShape {
  kind: 'calibrated';
  /** Directions of variation per topic. */
  rank: number;
  /** Scale of the i-th direction ∝ (i + 1)^-decay. */
  decay: number;
  /** Isotropic noise added on top, relative to the centre's length. */
  floor: number;
}

/** The calibrated shape used by the benchmark (matched to real embeddings' intrinsic dimensionality). */
export const CALIBRATED: SyntheticSpace = {
  dimension: 384,
  clusters: 1000,
  spread: 2.5,
  seed: 42,
  shape: { kind: 'calibrated', rank: 64, decay: 0.5, floor: 0.2 },
};

/** The isotropic stress shape (every direction equally noisy). */
export const ISOTROPIC: SyntheticSpace = { dimension: 384, clusters: 1000, spread: 1.2, seed: 42 };

const DIRECTION_POOL = 2048;

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
  /** Calibrated shape: the shared pool of directions, each topic's picks, and the per-direction scales. */
  readonly #directions: Float32Array[] = [];
  readonly #picks: Uint16Array[] = [];
  readonly #scales: number[] = [];

  constructor(readonly space: SyntheticSpace) {
    const normal = gaussian(random(space.seed));
    this.#centres = Array.from({ length: space.clusters }, () =>
      normalise(Float32Array.from({ length: space.dimension }, normal)),
    );
    const shape = space.shape;
    if (shape?.kind === 'calibrated') {
      for (let i = 0; i < DIRECTION_POOL; i++) {
        this.#directions.push(normalise(Float32Array.from({ length: space.dimension }, normal)));
      }
      for (let topic = 0; topic < space.clusters; topic++) {
        const next = random(space.seed * 31 + topic + 1);
        this.#picks.push(Uint16Array.from({ length: shape.rank }, () => Math.floor(next() * DIRECTION_POOL)));
      }
      const raw = Array.from({ length: shape.rank }, (_, i) => (i + 1) ** -shape.decay);
      const total = Math.sqrt(raw.reduce((sum, value) => sum + value * value, 0));
      this.#scales = raw.map((value) => (value / total) * space.spread);
    }
  }

  clusterOf(index: number): number {
    return index % this.space.clusters;
  }

  /** The vector of data point `index` (unit length). */
  vector(index: number, target = new Float32Array(this.space.dimension)): Float32Array {
    const topic = this.clusterOf(index);
    return this.#around(this.#centres[topic]!, topic, 1, index * 2 + 1, target);
  }

  /**
   * A query about data point `index`: that point moved by half the cluster spread, so it sits
   * in the point's topic near (but never at) the point, as a question near the chunk answering it.
   */
  query(index: number): Float32Array {
    return this.#around(this.vector(index), this.clusterOf(index), 0.5, -(index * 2 + 2), undefined);
  }

  /** A query at the centre of a topic: equidistant from all its points, the hard case for ANN. */
  centroidQuery(index: number): Float32Array {
    const topic = this.clusterOf(index);
    return this.#around(this.#centres[topic]!, topic, 0.25, -(index * 2 + 2), undefined);
  }

  /** Vectors `start..start+count` in one row-major matrix. */
  block(start: number, count: number): Float32Array {
    const { dimension } = this.space;
    const matrix = new Float32Array(count * dimension);
    for (let i = 0; i < count; i++) this.vector(start + i, matrix.subarray(i * dimension, (i + 1) * dimension));
    return matrix;
  }

  /** `centre` moved by the topic's scatter times `scale`, from the noise stream `stream`. */
  #around(
    centre: Float32Array,
    topic: number,
    scale: number,
    stream: number,
    target: Float32Array | undefined,
  ): Float32Array {
    const normal = gaussian(random((this.space.seed * 2654435761) ^ stream));
    const out = target ?? new Float32Array(centre.length);
    const shape = this.space.shape;
    if (shape?.kind !== 'calibrated') {
      const step = (this.space.spread * scale) / Math.sqrt(centre.length);
      for (let i = 0; i < centre.length; i++) out[i] = centre[i]! + normal() * step;
      return normalise(out);
    }
    out.set(centre);
    const picks = this.#picks[topic]!;
    for (let d = 0; d < picks.length; d++) {
      const amount = normal() * this.#scales[d]! * scale;
      const direction = this.#directions[picks[d]!]!;
      for (let i = 0; i < out.length; i++) out[i]! += amount * direction[i]!;
    }
    const step = (shape.floor * scale) / Math.sqrt(centre.length);
    for (let i = 0; i < out.length; i++) out[i]! += normal() * step;
    return normalise(out);
  }
}
