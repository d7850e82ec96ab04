/** Usage a provider reports for a call; any field may be unknown. */
export interface TokenUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
}

/**
 * An embedding model, version 1 of the spec. A provider implements only `doEmbed` for one
 * batch; batching, parallel calls, caching and retry live in `embedMany` (ai/embed-many.ts).
 */
export interface EmbeddingModelV1 {
  readonly specificationVersion: 'v1';
  /** Provider name, e.g. `openai`, `local`. */
  readonly provider: string;
  readonly modelId: string;
  /**
   * Settings that change the vectors beyond the model id (output dimensionality, task type);
   * part of the embedding-cache key so vectors of different spaces never mix. Optional.
   */
  readonly settingsKey?: string;
  /** Vector size when known before the first call. */
  readonly dimensions?: number;
  /** Largest number of texts one `doEmbed` call accepts. */
  readonly maxEmbeddingsPerCall: number;
  /** Whether several `doEmbed` calls may run at once. */
  readonly supportsParallelCalls: boolean;
  doEmbed(options: { values: string[]; abortSignal: AbortSignal }): Promise<{
    embeddings: Float32Array[];
    usage?: TokenUsage;
    warnings?: string[];
  }>;
}
