import type {
  EmbeddingStoreV1,
  MetadataFilter,
  SearchMatch,
  SearchRequest,
  StoredChunk,
} from '../../spec/embedding-store.ts';

/**
 * A small in-memory EmbeddingStoreV1 for unit tests of ingestion and retrieval logic:
 * exact cosine search, a plain BM25 over whitespace tokens, and write counters.
 */
export class MemoryEmbeddingStore implements EmbeddingStoreV1 {
  readonly specificationVersion = 'v1';
  readonly name = 'memory';
  readonly capabilities: { fullText: boolean };
  readonly chunks = new Map<string, StoredChunk>();
  readonly hashes = new Map<string, string>();
  replaceCalls = 0;

  constructor(options: { fullText?: boolean } = {}) {
    this.capabilities = { fullText: options.fullText ?? true };
    if (!this.capabilities.fullText) this.searchText = undefined;
  }

  async dimension(): Promise<number | undefined> {
    return this.chunks.values().next().value?.vector.length;
  }

  async replaceSources(sources: { source: string; sourceHash: string; chunks: StoredChunk[] }[]): Promise<void> {
    this.replaceCalls++;
    for (const { source, sourceHash, chunks } of sources) {
      for (const [id, chunk] of this.chunks) if (chunk.source === source) this.chunks.delete(id);
      for (const chunk of chunks) this.chunks.set(chunk.id, chunk);
      this.hashes.set(source, sourceHash);
    }
  }

  async sourceHashes(): Promise<Map<string, string>> {
    return new Map(this.hashes);
  }

  async deleteSources(sources: string[]): Promise<void> {
    for (const source of sources) {
      this.hashes.delete(source);
      for (const [id, chunk] of this.chunks) if (chunk.source === source) this.chunks.delete(id);
    }
  }

  async search(request: SearchRequest): Promise<SearchMatch[]> {
    return [...this.chunks.values()]
      .filter((chunk) => matchesFilter(chunk, request.filter))
      .map((chunk) => toMatch(chunk, (cosine(chunk.vector, request.vector) + 1) / 2))
      .filter((match) => match.score >= (request.minScore ?? 0))
      .sort((a, b) => b.score - a.score)
      .slice(0, request.maxResults);
  }

  searchText?: EmbeddingStoreV1['searchText'] = async (request) => {
    const docs = [...this.chunks.values()].filter((chunk) => matchesFilter(chunk, request.filter));
    const terms = tokenize(request.query);
    const tokenized = docs.map((chunk) => tokenize(chunk.text));
    const avg = tokenized.reduce((sum, tokens) => sum + tokens.length, 0) / Math.max(1, docs.length);
    const scored = docs.map((chunk, index) => {
      const tokens = tokenized[index] ?? [];
      let score = 0;
      for (const term of terms) {
        const tf = tokens.filter((token) => token === term).length;
        if (tf === 0) continue;
        const df = tokenized.filter((other) => other.includes(term)).length;
        const idf = Math.log(1 + (docs.length - df + 0.5) / (df + 0.5));
        score += (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * tokens.length) / avg));
      }
      return toMatch(chunk, score);
    });
    return scored
      .filter((match) => match.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, request.maxResults);
  };

  async count(): Promise<number> {
    return this.chunks.size;
  }

  async drop(): Promise<void> {
    this.chunks.clear();
    this.hashes.clear();
  }

  async close(): Promise<void> {}
}

function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

function toMatch(chunk: StoredChunk, score: number): SearchMatch {
  return { id: chunk.id, score, text: chunk.text, metadata: chunk.metadata, source: chunk.source };
}

function matchesFilter(chunk: StoredChunk, filter: MetadataFilter | undefined): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([key, expected]) => {
    const actual = chunk.metadata[key];
    return Array.isArray(expected) ? expected.includes(actual ?? null) : actual === expected;
  });
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
