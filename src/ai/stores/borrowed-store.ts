import type {
  EmbeddingStoreV1,
  MetadataFilter,
  SearchMatch,
  SearchRequest,
  StoredChunk,
} from '../spec/embedding-store.ts';

/**
 * A task's view of a store shared through `SharedResources`: everything is delegated except
 * `close`, which only marks this handle closed; the shared store closes with the process.
 */
export class BorrowedStore implements EmbeddingStoreV1 {
  readonly specificationVersion = 'v1';
  #closed = false;

  constructor(readonly shared: EmbeddingStoreV1) {}

  get name(): string {
    return this.shared.name;
  }
  get capabilities() {
    return this.shared.capabilities;
  }
  async dimension(): Promise<number | undefined> {
    return await this.#store().dimension();
  }
  async replaceSources(sources: { source: string; sourceHash: string; chunks: StoredChunk[] }[]): Promise<void> {
    return await this.#store().replaceSources(sources);
  }
  async sourceHashes(): Promise<Map<string, string>> {
    return await this.#store().sourceHashes();
  }
  async deleteSources(sources: string[]): Promise<void> {
    return await this.#store().deleteSources(sources);
  }
  async search(request: SearchRequest): Promise<SearchMatch[]> {
    return await this.#store().search(request);
  }
  async searchText(request: { query: string; maxResults: number; filter?: MetadataFilter }): Promise<SearchMatch[]> {
    const store = this.#store();
    if (!store.searchText) throw new Error(`embedding store ${store.name} has no full-text search`);
    return store.searchText(request);
  }
  async count(): Promise<number> {
    return await this.#store().count();
  }
  async drop(): Promise<void> {
    return await this.#store().drop();
  }
  async close(): Promise<void> {
    this.#closed = true;
  }

  #store(): EmbeddingStoreV1 {
    if (this.#closed) throw new Error(`embedding store ${this.shared.name}: this handle was closed`);
    return this.shared;
  }
}
