import type { EmbeddingStoreV1, MetadataFilter } from '../spec/embedding-store.ts';
import { resolveFusionSettings } from './hybrid-defaults.ts';
import { type FusedMatch, reciprocalRankFusion } from './reciprocal-rank-fusion.ts';
import type { RetrievalMode } from './retrieval-mode.ts';

/** Asked for HYBRID retrieval of a store that has no full-text index. */
export class HybridNotSupportedError extends Error {
  override name = 'HybridNotSupportedError';
  readonly isRetryable = false;
  constructor(storeName: string) {
    super(
      `retrieval.mode HYBRID needs full-text search, which the '${storeName}' store does not offer; ` +
        `use retrieval.mode: VECTOR or a store with full-text search (the embedded store has it)`,
    );
  }
}

export interface RetrieveRequest {
  store: EmbeddingStoreV1;
  query: string;
  /** Embeds the query with the same model the chunks were embedded with. */
  embedQuery(query: string): Promise<Float32Array>;
  mode: RetrievalMode;
  maxResults: number;
  /** On the (cosine + 1) / 2 scale; in HYBRID it filters the vector candidates only. */
  minScore?: number;
  filter?: MetadataFilter;
  /**
   * HYBRID fusion settings. None given: the evaluated preset (`HYBRID_PRESET`: k = 1, vector
   * weight 0.3, max(10 × maxResults, 50) candidates). Any given: unset ones take textbook RRF
   * (`CLASSIC_RRF`: k = 60, weights 1, max(4 × maxResults, 20) candidates), as before the preset.
   */
  rrfK?: number;
  /** Candidates per list before fusion (see `rrfK` for the default). */
  candidates?: number;
  /** Weights of each ranking in the fusion: lower `vector` when the embedding model is weaker than BM25. */
  weights?: { vector?: number; text?: number };
}

/**
 * Retrieves the chunks for a query. VECTOR returns the store's nearest neighbours (the
 * reference's behaviour). HYBRID runs BM25 and vector search with the same filter and fuses
 * the two rankings with reciprocal rank fusion; `score` is then the fused score and the
 * per-list scores are in `vectorScore` / `textScore`.
 */
export async function retrieve(request: RetrieveRequest): Promise<FusedMatch[]> {
  const { store, query, mode, maxResults, filter } = request;
  if (mode === 'HYBRID' && (!store.capabilities.fullText || !store.searchText)) {
    throw new HybridNotSupportedError(store.name);
  }
  if (maxResults <= 0) return [];
  const vector = await request.embedQuery(query);
  if (mode === 'VECTOR') {
    const matches = await store.search({ vector, maxResults, minScore: request.minScore, filter });
    return matches.map((match) => ({ ...match, vectorScore: match.score }));
  }
  const settings = resolveFusionSettings(request, maxResults);
  const [vectorMatches, textMatches] = await Promise.all([
    store.search({ vector, maxResults: settings.candidates, minScore: request.minScore, filter }),
    store.searchText!({ query, maxResults: settings.candidates, filter }),
  ]);
  const fused = reciprocalRankFusion(
    [
      { matches: vectorMatches, kind: 'vector', weight: settings.weights.vector },
      { matches: textMatches, kind: 'text', weight: settings.weights.text },
    ],
    settings.rrfK,
  );
  return fused.slice(0, maxResults);
}
