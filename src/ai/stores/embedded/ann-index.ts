import { readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Index, MetricKind, ScalarKind } from 'usearch';

/**
 * HNSW parameters. Half-precision vectors halve the memory (1M × 384 fits in ~0.9 GB with
 * the graph) at no measurable recall cost: f16 distances order candidates as float32 does, and
 * the store scores the results it returns with the float32 vectors kept in SQLite. ef_add 128 builds a graph that stays navigable at 1M chunks: with
 * 40, recall@10 at 1M stalled near 0.8 whatever ef_search (the graph, not the search, was the
 * limit); with 128 it reaches 0.96 at ef_search 128 and 0.99 at 200, for a build about 2.5× slower.
 * Figures in BENCHMARKS.md ("Vector store") and ADR 0400.
 */
export const ANN_SETTINGS = {
  connectivity: 16,
  expansionAdd: 128,
  /**
   * ef_search by store size, largest first: a larger store puts more near-equal neighbours
   * within reach of a query, so it searches wider. Measured on calibrated data (ADR 0400):
   * recall@10 0.993 at 100k with 48, 1.000 at 300k with 96; at 1M, 160 gave 0.95–0.98 from one
   * build to the next (HNSW builds on several threads are not deterministic), 200 gives 0.99. Below 20k
   * chunks a wide search costs little, and it covers small corpora spread over many topics,
   * where a query's neighbours after the first are scattered (0.78 at 5k with 48, 0.96 with 200).
   */
  expansionSearchTiers: [
    { fromRows: 500_000, expansionSearch: 200 },
    { fromRows: 200_000, expansionSearch: 96 },
    { fromRows: 20_000, expansionSearch: 48 },
    { fromRows: 0, expansionSearch: 200 },
  ],
} as const;

/**
 * ef_search for a store of this many chunks. usearch searches with max(its ef_search, the number of
 * results asked for), so asking for this many candidates applies it per search: a store that grows
 * past a tier in a long-running process searches wider at once, without reopening.
 */
export function expansionSearchFor(rows: number): number {
  const tier = ANN_SETTINGS.expansionSearchTiers.find((candidate) => rows >= candidate.fromRows);
  return tier?.expansionSearch ?? 48;
}

const FILE_PATTERN = /^ann-(\d+)-(\d+)\.usearch$/;

/** A candidate from the approximate index: the chunk's SQLite rowid and its cosine distance. */
export interface AnnCandidate {
  rowid: number;
  distance: number;
}

/**
 * The in-memory HNSW index of one store, a cache of the vectors in SQLite. `seq` is the last
 * change-log entry applied; the index is saved as `ann-<epoch>-<seq>.usearch` (written to a
 * temporary name, then renamed, so a crash never leaves a half file under a real name) and a
 * process that loads it replays only the changes after `seq`.
 */
export class AnnIndex {
  readonly #index: Index;
  /** Changes applied since the last save. */
  unsaved = 0;

  private constructor(
    readonly directory: string,
    readonly dimension: number,
    readonly epoch: number,
    public seq: number,
  ) {
    this.#index = createIndex(dimension);
  }

  /** Loads the newest saved index of this epoch, or starts empty (seq 0) when none is usable. */
  static open(directory: string, dimension: number, epoch: number): AnnIndex {
    const saved = savedFiles(directory)
      .filter((file) => file.epoch === epoch)
      .sort((a, b) => b.seq - a.seq);
    for (const file of saved) {
      const index = new AnnIndex(directory, dimension, epoch, file.seq);
      try {
        index.#index.load(join(directory, file.name));
        if (index.#index.dimensions() === dimension) return index;
      } catch {
        // A file from an older version or a damaged disk: rebuilding from SQLite is always possible.
      }
    }
    return new AnnIndex(directory, dimension, epoch, 0);
  }

  get size(): number {
    return this.#index.size();
  }

  add(rowids: number[], vectors: Float32Array[]): void {
    if (rowids.length === 0) return;
    const keys = BigUint64Array.from(rowids, (rowid) => BigInt(rowid));
    const matrix = new Float32Array(rowids.length * this.dimension);
    for (const [i, vector] of vectors.entries()) matrix.set(vector, i * this.dimension);
    this.#index.add(keys, matrix, 0);
    this.unsaved += rowids.length;
  }

  remove(rowid: number): void {
    const key = BigInt(rowid);
    if (this.#index.contains(key)) {
      this.#index.remove(key);
      this.unsaved++;
    }
  }

  search(vector: Float32Array, k: number): AnnCandidate[] {
    if (this.size === 0 || k <= 0) return [];
    const wanted = Math.min(Math.max(k, expansionSearchFor(this.size)), this.size);
    const matches = this.#index.search(vector, wanted, 1);
    const candidates: AnnCandidate[] = [];
    for (let i = 0; i < Math.min(k, matches.keys.length); i++) {
      candidates.push({ rowid: Number(matches.keys[i]), distance: matches.distances[i]! });
    }
    return candidates;
  }

  /**
   * Frees the index's memory now. usearch's binding has no explicit free: its native memory goes
   * when the garbage collector finalises the wrapper, which for a small JS object holding a large
   * native index can be much later (a closed 1M-chunk store kept 1.2 GB while the next one loaded).
   * Loading an empty index resets the native one first, which unmaps its memory.
   */
  release(): void {
    const empty = join(tmpdir(), `windhover-empty-${process.pid}-${Date.now()}.usearch`);
    try {
      createIndex(this.dimension).save(empty);
      this.#index.load(empty);
    } finally {
      rmSync(empty, { force: true });
    }
  }

  /** Writes the index and removes the older files of this store. */
  save(): void {
    const name = `ann-${this.epoch}-${this.seq}.usearch`;
    const temporary = join(this.directory, `${name}.${process.pid}.tmp`);
    this.#index.save(temporary);
    renameSync(temporary, join(this.directory, name));
    this.unsaved = 0;
    for (const file of savedFiles(this.directory)) {
      if (file.name !== name && (file.epoch < this.epoch || file.seq < this.seq)) {
        rmSync(join(this.directory, file.name), { force: true });
      }
    }
  }
}

function createIndex(dimension: number): Index {
  return new Index({
    dimensions: dimension,
    metric: MetricKind.Cos,
    quantization: ScalarKind.F16,
    connectivity: ANN_SETTINGS.connectivity,
    expansion_add: ANN_SETTINGS.expansionAdd,
    // The floor only: each search asks for its tier's number of candidates (see expansionSearchFor).
    expansion_search: 16,
    multi: false,
  });
}

/** Removes every saved index (after a drop). */
export function removeSavedIndexes(directory: string): void {
  for (const file of savedFiles(directory)) rmSync(join(directory, file.name), { force: true });
}

function savedFiles(directory: string): { name: string; epoch: number; seq: number }[] {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const match = FILE_PATTERN.exec(name);
    return match ? [{ name, epoch: Number(match[1]), seq: Number(match[2]) }] : [];
  });
}
