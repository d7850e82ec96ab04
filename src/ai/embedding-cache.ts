import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { SharedResources } from '../plugin/run-context.ts';

/** What `embedMany` needs from a cache: batch lookups and batch writes by model namespace. */
export interface EmbeddingCacheLike {
  getMany(namespace: string, texts: readonly string[]): Map<string, Float32Array>;
  putMany(namespace: string, entries: readonly { text: string; vector: Float32Array }[]): void;
}

const LOOKUP_BATCH = 500;

/**
 * A persistent embedding cache in one SQLite file, keyed by (namespace = provider + model +
 * settings, sha256 of the text), so identical text is never embedded twice by the same model.
 * Vectors are float32 blobs. Safe to share between processes (WAL, busy timeout).
 */
export class EmbeddingCache implements EmbeddingCacheLike {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement<[string, Buffer, Buffer]>;

  constructor(readonly path: string) {
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(
      'CREATE TABLE IF NOT EXISTS embeddings (namespace TEXT NOT NULL, hash BLOB NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (namespace, hash)) WITHOUT ROWID',
    );
    this.#insert = this.#db.prepare('INSERT OR REPLACE INTO embeddings (namespace, hash, vector) VALUES (?, ?, ?)');
  }

  /** Opens `<dataDir>/cache/embeddings.db`, creating the folder. */
  static open(dataDir: string): EmbeddingCache {
    const dir = join(dataDir, 'cache');
    mkdirSync(dir, { recursive: true });
    return new EmbeddingCache(join(dir, 'embeddings.db'));
  }

  /** One cache per data directory per process, closed with the engine's shared resources. */
  static shared(dataDir: string, resources: SharedResources): Promise<EmbeddingCache> {
    return resources.get(
      `embedding-cache:${dataDir}`,
      async () => EmbeddingCache.open(dataDir),
      async (cache) => cache.close(),
    );
  }

  /** The cached vectors of the texts found, keyed by text. */
  getMany(namespace: string, texts: readonly string[]): Map<string, Float32Array> {
    const found = new Map<string, Float32Array>();
    const byHash = new Map<string, string>();
    for (const text of texts) byHash.set(hashText(text).toString('hex'), text);
    const hashes = [...byHash.keys()];
    for (let start = 0; start < hashes.length; start += LOOKUP_BATCH) {
      const batch = hashes.slice(start, start + LOOKUP_BATCH);
      const rows = this.#db
        .prepare(
          `SELECT hash, vector FROM embeddings WHERE namespace = ? AND hash IN (${batch.map(() => '?').join(',')})`,
        )
        .all(namespace, ...batch.map((hex) => Buffer.from(hex, 'hex'))) as { hash: Buffer; vector: Buffer }[];
      for (const row of rows) {
        const text = byHash.get(row.hash.toString('hex'));
        // A blob that is not whole float32s is treated as a miss and overwritten later.
        if (text === undefined || row.vector.byteLength % 4 !== 0 || row.vector.byteLength === 0) continue;
        found.set(text, bufferToVector(row.vector));
      }
    }
    return found;
  }

  putMany(namespace: string, entries: readonly { text: string; vector: Float32Array }[]): void {
    const write = this.#db.transaction(() => {
      for (const { text, vector } of entries) {
        this.#insert.run(namespace, hashText(text), Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength));
      }
    });
    write();
  }

  /** Number of cached vectors, all namespaces together. */
  count(): number {
    return (this.#db.prepare('SELECT count(*) AS n FROM embeddings').get() as { n: number }).n;
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

function hashText(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function bufferToVector(buffer: Buffer): Float32Array {
  // Copy: a SQLite blob's offset is not guaranteed to be 4-byte aligned.
  const copy = new Uint8Array(buffer.byteLength);
  copy.set(buffer);
  return new Float32Array(copy.buffer);
}
