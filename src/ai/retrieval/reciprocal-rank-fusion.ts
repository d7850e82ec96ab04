import type { SearchMatch } from '../spec/embedding-store.ts';

/** A match after fusion: `score` is the fused score, the per-list scores are kept for display. */
export interface FusedMatch extends SearchMatch {
  /** Relevance from the vector search ((cosine + 1) / 2), when the chunk was in that list. */
  vectorScore?: number;
  /** BM25 score from the full-text search, when the chunk was in that list. */
  textScore?: number;
}

/**
 * The constant of Cormack et al. (2009); large k flattens the advantage of the very top ranks.
 * The default of `reciprocalRankFusion` and of textbook RRF (`CLASSIC_RRF`); HYBRID retrieval's
 * own default is `HYBRID_PRESET`.
 */
export const DEFAULT_RRF_K = 60;

/**
 * Reciprocal rank fusion: each list contributes weight / (k + rank) for every chunk it holds.
 * Rank-based, so BM25 scores (unbounded) and cosine relevance (0..1) need no normalisation.
 * Ties break by the order of first appearance, which keeps the result deterministic.
 */
export function reciprocalRankFusion(
  lists: { matches: SearchMatch[]; kind: 'vector' | 'text'; weight?: number }[],
  k = DEFAULT_RRF_K,
): FusedMatch[] {
  const fused = new Map<string, FusedMatch>();
  const order = new Map<string, number>();
  for (const list of lists) {
    const weight = list.weight ?? 1;
    list.matches.forEach((match, index) => {
      let entry = fused.get(match.id);
      if (!entry) {
        entry = { ...match, score: 0 };
        delete entry.vectorScore;
        delete entry.textScore;
        fused.set(match.id, entry);
        order.set(match.id, order.size);
      }
      entry.score += weight / (k + index + 1);
      if (list.kind === 'vector') entry.vectorScore = match.score;
      else entry.textScore = match.score;
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score || (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
}
