/** A retrieved chunk as the chat task injects it and reports it in `sources`. */
export interface RetrievedSource {
  content: string;
  metadata: Record<string, unknown>;
  score?: number;
  id?: string;
}

/**
 * Builds the user message the way LangChain4j's DefaultContentInjector does ("<prompt>\n\n
 * Answer using the following information:\n<contents>"), with each source numbered `[n]` so
 * the answer can cite it. Numbering follows the ranking: `[1]` is the best match.
 */
export function injectSources(prompt: string, sources: readonly RetrievedSource[]): string {
  if (sources.length === 0) return prompt;
  const contents = sources.map((source, index) => `[${index + 1}] ${source.content}`).join('\n\n');
  return `${prompt}\n\nAnswer using the following information:\n${contents}`;
}
