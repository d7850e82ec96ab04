import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { SqlDialectName } from './sql-dialect.ts';

/**
 * Schema migrations, in code, shared by both dialects: only the auto-increment column type
 * differs. Append new migrations with the next number; never edit a released one.
 */
export function migrationProvider(dialect: SqlDialectName): MigrationProvider {
  // SQLite's AUTOINCREMENT never reuses a number (log sequences stay monotonic after deletes);
  // PostgreSQL gets the same from bigserial.
  const serial = dialect === 'postgres' ? 'bigserial' : 'integer';
  const autoIncrement = dialect === 'sqlite';
  const migrations: Record<string, Migration> = {
    '0001_initial': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('flows')
          .addColumn('namespace', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('revision', 'integer', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('updated', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('flows_pk', ['namespace', 'id', 'revision'])
          .execute();

        await db.schema
          .createTable('executions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('namespace', 'text', (c) => c.notNull())
          .addColumn('flow_id', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('start_date', 'text', (c) => c.notNull())
          .addColumn('end_date', 'text')
          .addColumn('labels', 'text', (c) => c.notNull())
          .addColumn('data', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('executions_flow_idx')
          .on('executions')
          .columns(['namespace', 'flow_id', 'start_date'])
          .execute();
        await db.schema.createIndex('executions_start_idx').on('executions').column('start_date').execute();
        await db.schema.createIndex('executions_state_idx').on('executions').column('state').execute();

        await db.schema
          .createTable('logs')
          .addColumn('sequence', serial, (c) => (autoIncrement ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('namespace', 'text', (c) => c.notNull())
          .addColumn('flow_id', 'text', (c) => c.notNull())
          .addColumn('execution_id', 'text', (c) => c.notNull())
          .addColumn('task_id', 'text')
          .addColumn('task_run_id', 'text')
          .addColumn('attempt_number', 'integer')
          .addColumn('trigger_id', 'text')
          .addColumn('level', 'text', (c) => c.notNull())
          .addColumn('level_rank', 'integer', (c) => c.notNull())
          .addColumn('message', 'text', (c) => c.notNull())
          .addColumn('timestamp', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('logs_execution_idx').on('logs').columns(['execution_id', 'sequence']).execute();
        await db.schema.createIndex('logs_flow_idx').on('logs').columns(['namespace', 'flow_id', 'sequence']).execute();

        await db.schema
          .createTable('kv')
          .addColumn('namespace', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('description', 'text')
          .addColumn('expiration_date', 'text')
          .addColumn('creation_date', 'text', (c) => c.notNull())
          .addColumn('update_date', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('kv_pk', ['namespace', 'key'])
          .execute();
        await db.schema.createIndex('kv_expiration_idx').on('kv').column('expiration_date').execute();

        await db.schema
          .createTable('triggers')
          .addColumn('namespace', 'text', (c) => c.notNull())
          .addColumn('flow_id', 'text', (c) => c.notNull())
          .addColumn('trigger_id', 'text', (c) => c.notNull())
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('next_date', 'text')
          .addColumn('updated', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('triggers_pk', ['namespace', 'flow_id', 'trigger_id'])
          .execute();

        await db.schema
          .createTable('queue_items')
          .addColumn('id', serial, (c) => (autoIncrement ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('queue', 'text', (c) => c.notNull())
          .addColumn('item_key', 'text')
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('available_at', 'text', (c) => c.notNull())
          .addColumn('claimed_by', 'text')
          .addColumn('lease_until', 'text')
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('queue_items_key_idx')
          .on('queue_items')
          .columns(['queue', 'item_key'])
          .unique()
          .execute();
        await db.schema
          .createIndex('queue_items_ready_idx')
          .on('queue_items')
          .columns(['queue', 'claimed_by', 'available_at'])
          .execute();
        await db.schema.createIndex('queue_items_lease_idx').on('queue_items').column('lease_until').execute();
      },
    },
  };
  return { getMigrations: async () => migrations };
}
