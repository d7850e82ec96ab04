/** Metadata values a chunk may carry and a filter may test. */
export type MetadataValue = string | number | boolean | null;

/** A chunk of a document with its vector, as stores keep it. */
export interface StoredChunk {
  /** Deterministic: derived from source and content, so re-ingesting never duplicates. */
  id: string;
  vector: Float32Array;
  text: string;
  metadata: Record<string, MetadataValue>;
  /** The document this chunk came from (URL, path, or inline document id). */
  source: string;
  /** Content hash of the whole source document at ingestion. */
  sourceHash: string;
}

/** A metadata filter: equality on every key given (a list means "any of"). */
export type MetadataFilter = Record<string, MetadataValue | MetadataValue[]>;

export interface SearchRequest {
  vector: Float32Array;
  maxResults: number;
  /** On the reference's relevance scale (cosine + 1) / 2, 0..1. */
  minScore?: number;
  filter?: MetadataFilter;
}

export interface SearchMatch {
  id: string;
  /** Relevance on the (cosine + 1) / 2 scale. */
  score: number;
  text: string;
  metadata: Record<string, MetadataValue>;
  source: string;
}

export interface StoreCapabilities {
  /** Full-text (BM25) search for hybrid retrieval. */
  fullText: boolean;
}

/**
 * An embedding store, version 1 of the spec. Every implementation passes the shared
 * conformance suite (ai/stores/embedding-store.conformance.ts).
 */
export interface EmbeddingStoreV1 {
  readonly specificationVersion: 'v1';
  readonly name: string;
  readonly capabilities: StoreCapabilities;
  /** Vector size of the store, fixed by its first write; undefined while empty. */
  dimension(): Promise<number | undefined>;
  /**
   * Replaces every chunk of each given source with the chunks given for it, atomically per
   * call: readers see all old or all new chunks of a source, never a mix or duplicates.
   * A dimension other than the store's is an error naming both sizes.
   */
  replaceSources(sources: { source: string; sourceHash: string; chunks: StoredChunk[] }[]): Promise<void>;
  /** The content hash of every source in the store: what incremental re-indexing compares. */
  sourceHashes(): Promise<Map<string, string>>;
  deleteSources(sources: string[]): Promise<void>;
  search(request: SearchRequest): Promise<SearchMatch[]>;
  /** BM25 search, when `capabilities.fullText`; scores are BM25, higher is better. */
  searchText?(request: { query: string; maxResults: number; filter?: MetadataFilter }): Promise<SearchMatch[]>;
  count(): Promise<number>;
  /** Removes everything (the reference's `drop: true`). */
  drop(): Promise<void>;
  close(): Promise<void>;
}
