import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Statement } from 'better-sqlite3';
import Database from 'better-sqlite3';
import type { DatabaseConnection, Driver, SqliteDialectConfig } from 'kysely';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver } from 'kysely';
import pg from 'pg';
import type { DatabaseSchema } from './database-schema.ts';

export type SqlDialectName = 'sqlite' | 'postgres';

/** An open database: the query layer plus what differs between dialects. */
export interface SqlConnection {
  db: Kysely<DatabaseSchema>;
  dialect: SqlDialectName;
  /** Closes the pool or file handle. */
  destroy(): Promise<void>;
}

export interface SqliteOptions {
  /** How long a writer waits for another process's lock before failing. */
  busyTimeoutMs?: number;
}

/**
 * Opens `<dataDir>/windhover.db`. WAL lets readers run beside the single writer, NORMAL
 * sync is durable across process crashes (only an OS crash may lose the last commits), and
 * the busy timeout makes a second process wait for the lock instead of failing.
 */
export function openSqlite(dataDir: string, options: SqliteOptions = {}): SqlConnection {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'windhover.db');
  const database = new Database(file);
  database.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  const db = new Kysely<DatabaseSchema>({
    dialect: new ImmediateSqliteDialect({ database: cachingStatements(database) }),
  });
  return {
    db,
    dialect: 'sqlite',
    destroy: () => db.destroy(),
  };
}

/**
 * Transactions start with BEGIN IMMEDIATE: a deferred transaction that reads and then writes
 * fails at once with SQLITE_BUSY when another process wrote in between, while an immediate
 * one takes the write lock first and waits for it under the busy timeout.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * Kysely prepares every query afresh; preparing costs as much as running a small write, so
 * the hot paths (execution saves, log appends) reuse prepared statements by SQL text.
 */
function cachingStatements(database: Database.Database): Database.Database {
  const cache = new Map<string, Statement>();
  const limit = 500;
  return new Proxy(database, {
    get(target, property, receiver) {
      if (property !== 'prepare') {
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (source: string) => {
        let statement = cache.get(source);
        if (!statement) {
          statement = target.prepare(source);
          if (cache.size >= limit) {
            const oldest = cache.keys().next().value;
            if (oldest !== undefined) cache.delete(oldest);
          }
          cache.set(source, statement);
        }
        return statement;
      };
    },
  });
}

/**
 * Opens a PostgreSQL pool. A `schema` (option or `?schema=` in the URL) isolates one
 * instance (or one test run) in its own schema, created when missing.
 */
export async function openPostgres(
  url: string,
  options: { schema?: string; poolSize?: number } = {},
): Promise<SqlConnection> {
  const parsed = new URL(url);
  const schema = options.schema ?? parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`database schema '${schema}' is not a plain identifier (letters, digits, _; at most 63)`);
  }
  if (schema) {
    const admin = new pg.Client({ connectionString: parsed.toString() });
    await admin.connect();
    try {
      await admin.query(`create schema if not exists "${schema}"`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max: options.poolSize ?? 10,
    ...(schema ? { options: `-c search_path="${schema}"` } : {}),
  });
  const db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', destroy: () => db.destroy() };
}
