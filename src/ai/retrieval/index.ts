export { injectSources, type RetrievedSource } from './content-injector.ts';
export { estimateTokens, type TrimResult, trimSourcesToContext } from './context-budget.ts';
export {
  CLASSIC_RRF,
  type FusionSettings,
  HYBRID_PRESET,
  resolveFusionSettings,
} from './hybrid-defaults.ts';
export { DEFAULT_RRF_K, type FusedMatch, reciprocalRankFusion } from './reciprocal-rank-fusion.ts';
export type { RetrievalMode, RetrievalOptions } from './retrieval-mode.ts';
export { HybridNotSupportedError, type RetrieveRequest, retrieve } from './retrieve.ts';
