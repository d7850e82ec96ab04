import { createHash } from 'node:crypto';
import { QdrantClient, type Schemas } from '@qdrant/js-client-rest';
import type {
  EmbeddingStoreV1,
  MetadataFilter,
  MetadataValue,
  SearchMatch,
  SearchRequest,
  StoredChunk,
} from '../../spec/embedding-store.ts';
import { filterConditions } from '../metadata-filter.ts';
import { checkChunkDimensions, checkQueryDimension } from '../store-errors.ts';
import { relevance } from '../vector-math.ts';

/** Connection and collection of a Qdrant store (the plugin's properties). */
export interface QdrantOptions {
  host: string;
  /** REST port (6333 by default in Qdrant). */
  port: number;
  apiKey?: string;
  collectionName: string;
  /** Create the collection (cosine, the model's dimension) at the first write when missing. */
  createCollection: boolean;
  https?: boolean;
}

interface Payload {
  id: string;
  text: string;
  metadata: Record<string, MetadataValue>;
  source: string;
  source_hash: string;
  /** Orders the versions of a source: a replace writes a new generation, then deletes older ones. */
  generation: number;
}

type QdrantFilter = Schemas['Filter'];

/**
 * Embeddings in a Qdrant collection over its REST API. Qdrant has no transactions, so a
 * replace writes the source's new chunks under a new generation first, then deletes the older
 * generations; searches keep only the newest generation of each source they see, so a reader
 * never gets duplicates or a mix of versions of one source.
 */
export class QdrantStore implements EmbeddingStoreV1 {
  readonly specificationVersion = 'v1';
  readonly name = 'Qdrant';
  readonly capabilities = { fullText: false };
  readonly #client: QdrantClient;
  readonly #collection: string;
  readonly #label: string;

  constructor(readonly options: QdrantOptions) {
    this.#collection = options.collectionName;
    this.#label = `Qdrant ${options.host}:${options.port}/${options.collectionName}`;
    const hasScheme = /^https?:\/\//.test(options.host);
    this.#client = new QdrantClient({
      ...(hasScheme ? { url: options.host } : { host: options.host, https: options.https ?? false }),
      port: options.port,
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
      checkCompatibility: false,
    });
  }

  async dimension(): Promise<number | undefined> {
    if (!(await this.#exists())) return undefined;
    const info = await this.#call('read the collection', () => this.#client.getCollection(this.#collection));
    const vectors = info.config.params.vectors;
    if (vectors && typeof vectors === 'object' && 'size' in vectors && typeof vectors.size === 'number') {
      return vectors.size;
    }
    throw new Error(`${this.#label}: the collection uses named vectors; use a collection with one unnamed vector`);
  }

  async replaceSources(sources: { source: string; sourceHash: string; chunks: StoredChunk[] }[]): Promise<void> {
    const existing = await this.dimension();
    const dimension = checkChunkDimensions(
      this.#label,
      sources.flatMap((entry) => entry.chunks),
      existing,
    );
    if (existing === undefined && dimension !== undefined) await this.#create(dimension);
    if (dimension === undefined) return;
    for (const { source, sourceHash, chunks } of sources) {
      const generation = nextGeneration();
      if (chunks.length > 0) {
        for (let start = 0; start < chunks.length; start += 256) {
          const points = chunks.slice(start, start + 256).map((chunk) => ({
            id: pointId(`${chunk.id}\u0000${generation}`),
            vector: Array.from(chunk.vector),
            payload: {
              id: chunk.id,
              text: chunk.text,
              metadata: chunk.metadata,
              source,
              source_hash: sourceHash,
              generation,
            } satisfies Payload,
          }));
          await this.#call('write points', () => this.#client.upsert(this.#collection, { wait: true, points }));
        }
      }
      const ofSource = { key: 'source', match: { value: source } };
      const older: QdrantFilter = { must: [ofSource, { key: 'generation', range: { lt: generation } }] };
      await this.#call('delete replaced points', () =>
        this.#client.delete(this.#collection, { wait: true, filter: older }),
      );
      // A concurrent writer of the same source with a newer generation won: withdraw ours.
      const newer: QdrantFilter = { must: [ofSource, { key: 'generation', range: { gt: generation } }] };
      const { count } = await this.#call('count points', () =>
        this.#client.count(this.#collection, { filter: newer, exact: true }),
      );
      if (count > 0) {
        const ours: QdrantFilter = { must: [ofSource, { key: 'generation', match: { value: generation } }] };
        await this.#call('delete superseded points', () =>
          this.#client.delete(this.#collection, { wait: true, filter: ours }),
        );
      }
    }
  }

  async sourceHashes(): Promise<Map<string, string>> {
    const newest = new Map<string, { hash: string; generation: number }>();
    if (!(await this.#exists())) return new Map();
    let offset: string | number | undefined | null;
    do {
      const page = await this.#call('list points', () =>
        this.#client.scroll(this.#collection, {
          limit: 1000,
          with_payload: ['source', 'source_hash', 'generation'],
          with_vector: false,
          ...(offset !== undefined && offset !== null ? { offset } : {}),
        }),
      );
      for (const point of page.points) {
        const payload = point.payload as Partial<Payload> | null | undefined;
        if (!payload?.source || !payload.source_hash || !payload.generation) continue;
        const known = newest.get(payload.source);
        if (!known || known.generation < payload.generation) {
          newest.set(payload.source, { hash: payload.source_hash, generation: payload.generation });
        }
      }
      offset = page.next_page_offset as string | number | null | undefined;
    } while (offset !== undefined && offset !== null);
    return new Map([...newest].map(([source, { hash }]) => [source, hash]));
  }

  async deleteSources(sources: string[]): Promise<void> {
    if (sources.length === 0 || !(await this.#exists())) return;
    await this.#call('delete points', () =>
      this.#client.delete(this.#collection, {
        wait: true,
        filter: { must: [{ key: 'source', match: { any: sources } }] },
      }),
    );
  }

  async search(request: SearchRequest): Promise<SearchMatch[]> {
    const dimension = await this.dimension();
    if (dimension === undefined || request.maxResults <= 0) return [];
    checkQueryDimension(this.#label, request.vector, dimension);
    const filter = toQdrantFilter(request.filter);
    const hits = await this.#call('search', () =>
      this.#client.search(this.#collection, {
        vector: Array.from(request.vector),
        // Over-fetch a little: points of a replaced generation may still be there for a moment.
        limit: request.maxResults * 2 + 10,
        with_payload: true,
        ...(filter ? { filter } : {}),
        ...(request.minScore !== undefined ? { score_threshold: request.minScore * 2 - 1 } : {}),
      }),
    );
    const results = hits.map((hit) => ({ payload: hit.payload as unknown as Payload, cosine: hit.score }));
    const newest = new Map<string, number>();
    for (const { payload } of results) {
      const known = newest.get(payload.source);
      if (!known || known < payload.generation) newest.set(payload.source, payload.generation);
    }
    return results
      .filter(({ payload }) => newest.get(payload.source) === payload.generation)
      .map(({ payload, cosine }) => ({
        id: payload.id,
        score: relevance(cosine),
        text: payload.text,
        metadata: payload.metadata,
        source: payload.source,
      }))
      .filter((match) => request.minScore === undefined || match.score >= request.minScore)
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
      .slice(0, request.maxResults);
  }

  async count(): Promise<number> {
    if (!(await this.#exists())) return 0;
    const result = await this.#call('count points', () => this.#client.count(this.#collection, { exact: true }));
    return result.count;
  }

  async drop(): Promise<void> {
    if (await this.#exists()) {
      await this.#call('delete the collection', () => this.#client.deleteCollection(this.#collection));
    }
  }

  async close(): Promise<void> {}

  async #exists(): Promise<boolean> {
    const result = await this.#call('check the collection', () => this.#client.collectionExists(this.#collection));
    return result.exists;
  }

  async #create(dimension: number): Promise<void> {
    if (!this.options.createCollection) {
      throw new Error(
        `${this.#label}: the collection does not exist; create it with vectors of size ${dimension} and distance ` +
          'Cosine, or set createCollection: true',
      );
    }
    try {
      await this.#client.createCollection(this.#collection, { vectors: { size: dimension, distance: 'Cosine' } });
    } catch (error) {
      // Another writer may have created it meanwhile; anything else is a real failure.
      if (!(await this.#exists())) throw this.#wrap('create the collection', error);
    }
  }

  async #call<T>(what: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      throw this.#wrap(what, error);
    }
  }

  #wrap(what: string, error: unknown): Error {
    const detail = error instanceof Error ? error.message : String(error);
    const hint =
      this.options.port === 6334 ? " (port 6334 is Qdrant's gRPC port; Windhover uses the REST API, usually 6333)" : '';
    return new Error(`${this.#label}: could not ${what}: ${detail}${hint}`, { cause: error });
  }
}

let lastGeneration = 0;

/** Increasing per process, and by time across processes (microsecond-scaled clock). */
function nextGeneration(): number {
  lastGeneration = Math.max(lastGeneration + 1, Date.now() * 1000 + Math.floor(Math.random() * 1000));
  return lastGeneration;
}

/** Qdrant accepts unsigned integers or UUIDs as point ids; chunk ids are hashed into a UUID. */
export function pointId(key: string): string {
  const hex = createHash('sha256').update(key).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Each condition becomes a `should` group (any of its values) under `must`. */
export function toQdrantFilter(filter: MetadataFilter | undefined): QdrantFilter | undefined {
  const conditions = filterConditions(filter);
  if (conditions.length === 0) return undefined;
  return {
    must: conditions.map(({ key, values }) => ({
      should: values.map((value) =>
        value === null ? { is_null: { key: `metadata.${key}` } } : { key: `metadata.${key}`, match: { value } },
      ),
    })),
  };
}
