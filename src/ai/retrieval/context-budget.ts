import type { RetrievedSource } from './content-injector.ts';

/** The usual rough estimate for English text: about 4 characters per token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export interface TrimResult<S extends RetrievedSource> {
  kept: S[];
  /** How many of the lowest-ranked sources were dropped to fit. */
  dropped: number;
  estimatedPromptTokens: number;
}

/**
 * Keeps the best-ranked sources that fit the model's context window next to the fixed part
 * of the prompt and the room reserved for the answer. Sources come best first, so dropping
 * from the end drops the weakest evidence, never the prompt itself.
 */
export function trimSourcesToContext<S extends RetrievedSource>(
  sources: readonly S[],
  options: { contextWindowTokens?: number; fixedText: string; reservedOutputTokens: number },
): TrimResult<S> {
  const fixed = estimateTokens(options.fixedText) + 12; // the "Answer using..." header
  const perSource = sources.map((source) => estimateTokens(source.content) + 3); // "[n] " and blank line
  const total = fixed + perSource.reduce((sum, tokens) => sum + tokens, 0);
  if (options.contextWindowTokens === undefined) {
    return { kept: [...sources], dropped: 0, estimatedPromptTokens: total };
  }
  const budget = options.contextWindowTokens - options.reservedOutputTokens;
  const kept: S[] = [];
  let used = fixed;
  for (const [index, source] of sources.entries()) {
    const cost = perSource[index] ?? 0;
    if (used + cost > budget) break;
    used += cost;
    kept.push(source);
  }
  return { kept, dropped: sources.length - kept.length, estimatedPromptTokens: used };
}
