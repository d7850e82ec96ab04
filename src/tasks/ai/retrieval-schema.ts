import { z } from 'zod';
import { dynamic } from '../../plugin/dynamic.ts';

const metadataValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/**
 * Our `retrieval:` property (not in the reference):
 *
 * ```yaml
 * retrieval:
 *   mode: HYBRID          # VECTOR (default, the reference's behaviour) | HYBRID (BM25 + vector, RRF)
 *   filter:               # equality on chunk metadata; a list means "any of"
 *     course: llm-zoomcamp
 *     lang: [en, fr]
 *   rrfK: 60              # HYBRID: reciprocal-rank-fusion constant
 *   candidates: 20        # HYBRID: candidates per search before fusion
 *   weights:              # HYBRID: weight of each ranking in the fusion
 *     vector: 0.5         #   lower it when the embedding model is weaker than keyword search
 *     text: 1
 * ```
 *
 * With none of rrfK, candidates and weights set, HYBRID uses the preset the FAQ benchmark's
 * held-out evaluation supports (k = 1, vector weight 0.3, text 1, max(10 × maxResults, 50)
 * candidates: keyword ranking first, vectors re-rank). Setting any of them opts out of the
 * preset: the unset ones take textbook RRF (k = 60, weights 1, max(4 × maxResults, 20)
 * candidates), so flows that set weights keep their earlier behaviour.
 */
export const retrievalSchema = z
  .object({
    mode: dynamic(z.enum(['VECTOR', 'HYBRID']))
      .default('VECTOR')
      .describe(
        'VECTOR (default, as the reference) or HYBRID: BM25 and vector search fused by reciprocal rank fusion.',
      ),
    filter: z
      .record(z.string(), z.union([metadataValue, z.array(metadataValue)]))
      .optional()
      .describe('Chunk metadata that must match, e.g. {course: ml} or {lang: [en, fr]} (a list means any of).'),
    rrfK: dynamic(z.number().positive())
      .optional()
      .describe(
        'HYBRID: the fusion constant k. Default: 1 with the preset (rrfK, candidates and weights all unset), else 60.',
      ),
    candidates: dynamic(z.int().positive().max(10_000))
      .optional()
      .describe(
        'HYBRID: candidates taken from each search before fusion. Default: max(10 × maxResults, 50) with the ' +
          'preset, else max(4 × maxResults, 20).',
      ),
    weights: z
      .object({
        vector: dynamic(z.number().min(0).max(100))
          .optional()
          .describe('Default: 0.3 with the preset, else 1. Raise to 1 for an embedding model as good as BM25.'),
        text: dynamic(z.number().min(0).max(100)).optional().describe('Default: 1.'),
      })
      .optional()
      .describe('HYBRID: weight of each ranking in the fusion. Setting any weight opts out of the preset.'),
  })
  .meta({
    description:
      'How chunks are retrieved: VECTOR (default) or HYBRID, and a metadata filter. HYBRID alone uses a preset ' +
      'measured on the LLM Zoomcamp FAQ (k = 1, vector weight 0.3); setting rrfK, candidates or weights opts out ' +
      'of it (unset ones: k = 60, weights 1).',
  });

export type RetrievalProperty = z.output<typeof retrievalSchema>;

/** The rendered property with its defaults, typed for `retrieve`. */
export function retrievalOptionsOf(value: RetrievalProperty | undefined) {
  return {
    mode: (value?.mode === 'HYBRID' ? 'HYBRID' : 'VECTOR') as 'VECTOR' | 'HYBRID',
    filter: value?.filter,
    rrfK: value?.rrfK as number | undefined,
    candidates: value?.candidates as number | undefined,
    weights: value?.weights as { vector?: number; text?: number } | undefined,
  };
}
