import type { MetadataFilter } from '../spec/embedding-store.ts';

/** VECTOR is the reference's behaviour; HYBRID fuses BM25 and vector results. */
export type RetrievalMode = 'VECTOR' | 'HYBRID';

/** How chunks are retrieved for a query (the tasks' `retrieval:` property). */
export interface RetrievalOptions {
  mode: RetrievalMode;
  /** Equality on metadata keys; a list means "any of". Applied to both searches. */
  filter?: MetadataFilter;
  /**
   * Reciprocal-rank-fusion constant (HYBRID only). With none of rrfK, candidates and weights
   * set, HYBRID uses `HYBRID_PRESET`; with any set, the unset ones come from `CLASSIC_RRF`.
   */
  rrfK?: number;
  /** How many candidates each search contributes before fusion (HYBRID only). */
  candidates?: number;
  /** Weight of each ranking in the fusion (HYBRID only). */
  weights?: { vector?: number; text?: number };
}
