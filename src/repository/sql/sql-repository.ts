import { Migrator } from 'kysely';
import type { Repository } from '../repository.ts';
import { migrationProvider } from './migrations.ts';
import type { SqlConnection } from './sql-dialect.ts';
import { SqlExecutionRepository } from './sql-execution-repository.ts';
import { SqlFlowRepository } from './sql-flow-repository.ts';
import { SqlKvRepository } from './sql-kv-repository.ts';
import { SqlLogRepository } from './sql-log-repository.ts';
import { SqlQueueRepository } from './sql-queue-repository.ts';
import { SqlTriggerRepository } from './sql-trigger-repository.ts';

/** Brings the schema up to date, then builds the repositories on the connection. */
export async function createRepository(connection: SqlConnection): Promise<Repository> {
  const { db, dialect } = connection;
  const migrator = new Migrator({
    db,
    provider: migrationProvider(dialect),
    migrationTableName: 'windhover_migrations',
    migrationLockTableName: 'windhover_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    await connection.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`repository (${dialect}): migration ${failed} failed: ${reason}`);
  }
  let closed = false;
  return {
    dialect,
    flows: new SqlFlowRepository(db, dialect),
    executions: new SqlExecutionRepository(db, dialect),
    logs: new SqlLogRepository(db, dialect),
    kv: new SqlKvRepository(db),
    triggers: new SqlTriggerRepository(db),
    queue: new SqlQueueRepository(db, dialect),
    async close() {
      if (closed) return;
      closed = true;
      await connection.destroy();
    },
  };
}
