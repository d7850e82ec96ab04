import pg from 'pg';
import type { PluginConfig } from '../../../plugin/plugin-ref.ts';

/** The PostgreSQL server the memory tests run against (CI sets it), or undefined. */
export const postgresTestUrl = process.env.WINDHOVER_TEST_POSTGRES_URL;

/** Test options that skip a PostgreSQL test, saying how to run it, when no server is given. */
export const postgresTestOptions = postgresTestUrl
  ? {}
  : { skip: 'set WINDHOVER_TEST_POSTGRES_URL=postgres://… to run against a server' };

/** The `memory.PostgreSQL` config (no memoryId) that keeps conversations in `tableName` on the server at `url`. */
export function postgresMemoryConfig(url: string, tableName: string): PluginConfig {
  const parsed = new URL(url);
  return {
    type: 'io.kestra.plugin.ai.memory.PostgreSQL',
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    database: parsed.pathname.slice(1) || 'postgres',
    user: decodeURIComponent(parsed.username || 'postgres'),
    password: decodeURIComponent(parsed.password),
    tableName,
  };
}

/** Drops a table a test created on the server at `url`. */
export async function dropPostgresTable(url: string, tableName: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP TABLE IF EXISTS ${tableName}`);
  } finally {
    await client.end();
  }
}
