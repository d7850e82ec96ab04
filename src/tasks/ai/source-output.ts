import { z } from 'zod';
import type { FusedMatch } from '../../ai/retrieval/reciprocal-rank-fusion.ts';

/** One retrieved chunk as outputs show it. */
export const sourceSchema = z.object({
  content: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  score: z.number().describe('Relevance: (cosine + 1) / 2 in VECTOR mode, the fused RRF score in HYBRID mode.'),
  id: z.string(),
});

export type SourceOutput = z.output<typeof sourceSchema>;

export function toSource(match: FusedMatch): SourceOutput {
  return { content: match.text, metadata: { ...match.metadata }, score: match.score, id: match.id };
}
