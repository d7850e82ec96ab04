import pg from 'pg';
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

/** Connection and table of a PGVector store (the plugin's properties). */
export interface PgVectorOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  table: string;
  /** Builds an HNSW index (`vector_cosine_ops`) on the embeddings. */
  useIndex: boolean;
  /** Connections kept open (default 4). */
  poolSize?: number;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,50}$/;

interface Row {
  id: string;
  text: string;
  metadata: Record<string, MetadataValue>;
  source: string;
  score: number;
}

/**
 * Embeddings in a PostgreSQL table with pgvector: `(id text primary key, embedding vector(d),
 * text, metadata jsonb, source, source_hash)` plus a generated `tsvector` for full-text search
 * and a `<table>_sources` table with the hash of every source (also sources without chunks).
 * The table is created at the first write, when the dimension is known.
 */
export class PgVectorStore implements EmbeddingStoreV1 {
  readonly specificationVersion = 'v1';
  readonly name = 'PGVector';
  readonly capabilities = { fullText: true };
  readonly #pool: pg.Pool;
  readonly #table: string;
  readonly #sources: string;
  readonly #label: string;
  #dimension: number | undefined;

  constructor(readonly options: PgVectorOptions) {
    if (!IDENTIFIER.test(options.table)) {
      throw new Error(
        `embeddings.table: '${options.table}' is not a usable table name; use letters, digits and '_' (at most 50)`,
      );
    }
    this.#table = `"${options.table}"`;
    this.#sources = `"${options.table}_sources"`;
    this.#label = `PGVector ${options.host}:${options.port}/${options.database}.${options.table}`;
    this.#pool = new pg.Pool({
      host: options.host,
      port: options.port,
      user: options.user,
      password: options.password,
      database: options.database,
      max: options.poolSize ?? 4,
    });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    this.#pool.on('error', () => undefined);
  }

  async dimension(): Promise<number | undefined> {
    if (this.#dimension !== undefined) return this.#dimension;
    const { rows } = await this.#pool.query<{ dimension: number }>(
      `SELECT atttypmod AS dimension FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'embedding'`,
      [this.#table],
    );
    const found = rows[0]?.dimension;
    this.#dimension = found !== undefined && found > 0 ? found : undefined;
    return this.#dimension;
  }

  async replaceSources(sources: { source: string; sourceHash: string; chunks: StoredChunk[] }[]): Promise<void> {
    const dimension = checkChunkDimensions(
      this.#label,
      sources.flatMap((entry) => entry.chunks),
      await this.dimension(),
    );
    if (dimension === undefined) {
      if (sources.length > 0) await this.#ensureTables(undefined);
    } else {
      await this.#ensureTables(dimension);
    }
    if (sources.length === 0) return;
    await this.#transaction(async (client) => {
      // Serialise writers of the same sources (in a fixed order, so two writers never deadlock).
      for (const source of [...new Set(sources.map((entry) => entry.source))].sort()) {
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${this.options.table}:${source}`]);
      }
      for (const { source, sourceHash, chunks } of sources) {
        if (this.#dimension !== undefined) await client.query(`DELETE FROM ${this.#table} WHERE source = $1`, [source]);
        for (const chunk of chunks) {
          await client.query(
            `INSERT INTO ${this.#table} (id, embedding, text, metadata, source, source_hash)
             VALUES ($1, $2::vector, $3, $4::jsonb, $5, $6)
             ON CONFLICT (id) DO UPDATE SET embedding = excluded.embedding, text = excluded.text,
               metadata = excluded.metadata, source = excluded.source, source_hash = excluded.source_hash`,
            [chunk.id, vectorLiteral(chunk.vector), chunk.text, JSON.stringify(chunk.metadata), source, sourceHash],
          );
        }
        await client.query(
          `INSERT INTO ${this.#sources} (source, hash) VALUES ($1, $2)
           ON CONFLICT (source) DO UPDATE SET hash = excluded.hash`,
          [source, sourceHash],
        );
      }
    });
  }

  async sourceHashes(): Promise<Map<string, string>> {
    if (!(await this.#sourcesExist())) return new Map();
    const { rows } = await this.#pool.query<{ source: string; hash: string }>(
      `SELECT source, hash FROM ${this.#sources}`,
    );
    return new Map(rows.map((row) => [row.source, row.hash]));
  }

  async deleteSources(sources: string[]): Promise<void> {
    if (sources.length === 0 || !(await this.#sourcesExist())) return;
    await this.#transaction(async (client) => {
      if ((await this.dimension()) !== undefined) {
        await client.query(`DELETE FROM ${this.#table} WHERE source = ANY($1)`, [sources]);
      }
      await client.query(`DELETE FROM ${this.#sources} WHERE source = ANY($1)`, [sources]);
    });
  }

  async search(request: SearchRequest): Promise<SearchMatch[]> {
    const dimension = await this.dimension();
    if (dimension === undefined || request.maxResults <= 0) return [];
    checkQueryDimension(this.#label, request.vector, dimension);
    const parameters: unknown[] = [vectorLiteral(request.vector), request.maxResults];
    const where = filterSql(request.filter, parameters);
    const run = async (client: pg.Pool | pg.PoolClient) => {
      const { rows } = await client.query<Row>(
        `SELECT id, text, metadata, source, 1 - (embedding <=> $1::vector) AS score FROM ${this.#table}
         ${where} ORDER BY embedding <=> $1::vector, id LIMIT $2`,
        parameters,
      );
      return rows
        .map((row) => toMatch(row, relevance(Number(row.score))))
        .filter((match) => request.minScore === undefined || match.score >= request.minScore)
        .sort((a, b) => b.score - a.score);
    };
    if (!this.options.useIndex) return run(this.#pool);
    return this.#transaction(async (client) => {
      // HNSW returns at most ef_search rows, and filters apply after the scan: widen the scan,
      // and let pgvector ≥ 0.8 keep scanning until enough rows pass the filter.
      await client.query(`SET LOCAL hnsw.ef_search = ${Math.min(1000, Math.max(40, request.maxResults * 2))}`);
      await client.query("SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true)").catch(() => undefined);
      return run(client);
    });
  }

  async searchText(request: { query: string; maxResults: number; filter?: MetadataFilter }): Promise<SearchMatch[]> {
    const terms = request.query.match(/[\p{L}\p{N}]+/gu) ?? [];
    if (terms.length === 0 || request.maxResults <= 0 || (await this.dimension()) === undefined) return [];
    const parameters: unknown[] = [terms.join(' OR '), request.maxResults];
    const where = filterSql(request.filter, parameters);
    const { rows } = await this.#pool.query<Row>(
      `SELECT id, text, metadata, source, ts_rank(tsv, query) AS score
       FROM ${this.#table}, websearch_to_tsquery('english', $1) AS query
       ${where ? `${where} AND` : 'WHERE'} tsv @@ query ORDER BY score DESC, id LIMIT $2`,
      parameters,
    );
    return rows.map((row) => toMatch(row, Number(row.score)));
  }

  async count(): Promise<number> {
    if ((await this.dimension()) === undefined) return 0;
    const { rows } = await this.#pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.#table}`);
    return Number(rows[0]?.n ?? 0);
  }

  async drop(): Promise<void> {
    await this.#pool.query(`DROP TABLE IF EXISTS ${this.#table}, ${this.#sources}`);
    this.#dimension = undefined;
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  async #sourcesExist(): Promise<boolean> {
    const { rows } = await this.#pool.query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [
      this.#sources,
    ]);
    return rows[0]?.found != null;
  }

  /** Creates the tables (and indexes) when missing; one creator at a time per table. */
  async #ensureTables(dimension: number | undefined): Promise<void> {
    await this.#transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`windhover-create:${this.options.table}`]);
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.#sources} (source text PRIMARY KEY, hash text NOT NULL)`);
      if (dimension === undefined) return;
      await client.query('CREATE EXTENSION IF NOT EXISTS vector');
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${this.#table} (
           id text PRIMARY KEY,
           embedding vector(${dimension}) NOT NULL,
           text text NOT NULL,
           metadata jsonb NOT NULL DEFAULT '{}',
           source text NOT NULL,
           source_hash text NOT NULL,
           tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED)`,
      );
      const prefix = this.options.table;
      await client.query(`CREATE INDEX IF NOT EXISTS "${prefix}_source_idx" ON ${this.#table} (source)`);
      await client.query(`CREATE INDEX IF NOT EXISTS "${prefix}_metadata_idx" ON ${this.#table} USING gin (metadata)`);
      await client.query(`CREATE INDEX IF NOT EXISTS "${prefix}_tsv_idx" ON ${this.#table} USING gin (tsv)`);
      if (this.options.useIndex) {
        await client.query(
          `CREATE INDEX IF NOT EXISTS "${prefix}_embedding_hnsw_idx" ON ${this.#table} USING hnsw (embedding vector_cosine_ops)`,
        );
      }
    });
    this.#dimension = undefined;
    await this.dimension();
  }

  async #transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

function vectorLiteral(vector: Float32Array): string {
  return `[${Array.from(vector).join(',')}]`;
}

/** `WHERE` clause for a metadata filter; any-of values become `@>` alternatives (GIN-indexed). */
function filterSql(filter: MetadataFilter | undefined, parameters: unknown[]): string {
  const conditions = filterConditions(filter);
  if (conditions.length === 0) return '';
  const parts = conditions.map(({ key, values }) => {
    const alternatives = values.map((value) => {
      parameters.push(JSON.stringify({ [key]: value }));
      return `metadata @> $${parameters.length}::jsonb`;
    });
    return `(${alternatives.join(' OR ')})`;
  });
  return `WHERE ${parts.join(' AND ')}`;
}

function toMatch(row: Row, score: number): SearchMatch {
  return { id: row.id, score, text: row.text, metadata: row.metadata, source: row.source };
}
