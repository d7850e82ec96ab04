/** One piece of content a retriever found for a query. */
export interface RetrievedContent {
  content: string;
  /** Where it came from: chunk metadata for stores; `url`, `title` and `retriever` for web searches. */
  metadata: Record<string, unknown>;
  /** Relevance when the retriever reports one (stores: (cosine + 1) / 2; Tavily: its own score). */
  score?: number;
  /** Chunk id for stores, the page URL for web results. */
  id?: string;
}

/**
 * A content retriever, version 1 of the spec (the reference's `ContentRetrieverProvider`): given
 * the user's query it returns content to inject into the prompt. Retrievers are always queried,
 * unlike tools, which the model may or may not call.
 */
export interface ContentRetrieverV1 {
  readonly specificationVersion: 'v1';
  /** Short name for logs and errors, e.g. `TavilyWebSearch`. */
  readonly name: string;
  retrieve(query: string, options: { signal: AbortSignal }): Promise<RetrievedContent[]>;
  /** Releases what `open` took (a borrowed store); optional. */
  close?(): Promise<void>;
}
