import { DEFAULT_RRF_K } from './reciprocal-rank-fusion.ts';

/** The fusion settings of one HYBRID retrieval, every field resolved. */
export interface FusionSettings {
  rrfK: number;
  /** Candidates taken from each search before fusion. */
  candidates: number;
  weights: { vector: number; text: number };
}

/**
 * What `retrieval: {mode: HYBRID}` uses when no fusion setting is given: keyword ranking first,
 * vectors re-ranking within it. Chosen by the FAQ benchmark (bench/retrieval.bench.ts) as the
 * grid point whose worst half is best over 20 seeded 2-fold splits and two indexing choices
 * with the offline USE-lite model; its held-out figures are in BENCHMARKS.md and ADR 0521.
 * With an embedding model as strong as keyword search, set `weights` (equal weights, k = 60).
 */
export const HYBRID_PRESET = {
  rrfK: 1,
  vectorWeight: 0.3,
  textWeight: 1,
  candidates: (maxResults: number) => Math.max(10 * maxResults, 50),
} as const;

/**
 * Textbook RRF (Cormack et al.: k = 60, equal weights): what any unset field takes once a flow
 * sets one of `rrfK`, `candidates` or `weights` itself — exactly the behaviour such flows had
 * before the preset existed.
 */
export const CLASSIC_RRF = {
  rrfK: DEFAULT_RRF_K,
  vectorWeight: 1,
  textWeight: 1,
  candidates: (maxResults: number) => Math.max(4 * maxResults, 20),
} as const;

/**
 * Resolves the fusion settings of a HYBRID request: nothing given → the evaluated preset;
 * anything given → the given values, the rest from textbook RRF. Never fewer candidates than
 * results asked for.
 */
export function resolveFusionSettings(
  request: { rrfK?: number; candidates?: number; weights?: { vector?: number; text?: number } },
  maxResults: number,
): FusionSettings {
  const tuned =
    request.rrfK !== undefined ||
    request.candidates !== undefined ||
    request.weights?.vector !== undefined ||
    request.weights?.text !== undefined;
  const base = tuned ? CLASSIC_RRF : HYBRID_PRESET;
  return {
    rrfK: request.rrfK ?? base.rrfK,
    candidates: Math.max(request.candidates ?? base.candidates(maxResults), maxResults),
    weights: { vector: request.weights?.vector ?? base.vectorWeight, text: request.weights?.text ?? base.textWeight },
  };
}
