import type { Repository } from './repository.ts';
import { openPostgres, openSqlite } from './sql/sql-dialect.ts';
import { createRepository } from './sql/sql-repository.ts';

/** Where the repository lives. */
export interface OpenRepositoryOptions {
  /**
   * `postgres://user@host:port/db[?schema=name]` for PostgreSQL; absent (or `sqlite:`) for
   * the embedded SQLite file `<dataDir>/windhover.db`.
   */
  url?: string;
  dataDir: string;
  /** PostgreSQL schema to use (created when missing); overrides `?schema=` in the URL. */
  schema?: string;
}

/**
 * Opens (and migrates) the repository of an instance. SQLite by default; PostgreSQL when
 * `url` says so, for several processes or machines sharing one database.
 */
export async function openRepository(options: OpenRepositoryOptions): Promise<Repository> {
  const url = options.url?.trim();
  if (!url || url === 'sqlite:' || url === 'sqlite') {
    return createRepository(openSqlite(options.dataDir));
  }
  if (/^postgres(ql)?:\/\//i.test(url)) {
    return createRepository(await openPostgres(url, options.schema ? { schema: options.schema } : {}));
  }
  const scheme = url.split(':')[0] ?? url;
  throw new Error(
    `database url: unsupported scheme '${scheme}'; use postgres://user@host:port/database, or no url for the embedded SQLite file`,
  );
}
