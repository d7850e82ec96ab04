import type { Kysely } from 'kysely';
import { CompiledQuery } from 'kysely';
import type { Execution } from '../../model/execution.ts';
import { TERMINAL_STATES } from '../../model/state.ts';
import type { ExecutionFilter, ExecutionRepository, Page } from '../repository.ts';
import type { DatabaseSchema, ExecutionsTable } from './database-schema.ts';
import type { SqlDialectName } from './sql-dialect.ts';
import { containsExact, pageBounds, toCount } from './sql-text.ts';

/** One label as it appears in the `labels` column: `|key=value|`, both parts URI-encoded. */
function labelToken(key: string, value: string): string {
  return `|${encodeURIComponent(key)}=${encodeURIComponent(value)}|`;
}

function toRow(execution: Execution): ExecutionsTable {
  return {
    id: execution.id,
    namespace: execution.namespace,
    flow_id: execution.flowId,
    state: execution.state.current,
    start_date: execution.state.startDate,
    end_date: execution.state.endDate ?? null,
    labels: execution.labels.map((l) => labelToken(l.key, l.value)).join(''),
    data: JSON.stringify(execution),
  };
}

function parse(data: string): Execution {
  return JSON.parse(data) as Execution;
}

const TERMINAL = [...TERMINAL_STATES];

/**
 * Executions stored whole as JSON (what the engine reads back) beside the indexed columns
 * that searches filter on. Saving is an upsert, so the engine can save at every step.
 */
export class SqlExecutionRepository implements ExecutionRepository {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly dialect: SqlDialectName,
  ) {
    this.#upsertSql = SqlExecutionRepository.compileUpsert(db);
  }

  /** The upsert compiled once: building and compiling the query cost more than running it. */
  readonly #upsertSql: string;

  async save(execution: Execution): Promise<void> {
    await this.upsert(this.db, [toRow(execution)]);
  }

  async saveAll(executions: Execution[]): Promise<void> {
    if (executions.length === 0) return;
    const rows = executions.map(toRow);
    if (rows.length === 1) return this.upsert(this.db, rows);
    // One row per statement keeps the SQL text constant, so the prepared statement is reused.
    await this.db.transaction().execute((trx) => this.upsert(trx, rows));
  }

  private async upsert(db: Kysely<DatabaseSchema>, rows: ExecutionsTable[]): Promise<void> {
    for (const row of rows) {
      await db.executeQuery(
        CompiledQuery.raw(this.#upsertSql, [
          row.id,
          row.namespace,
          row.flow_id,
          row.state,
          row.start_date,
          row.end_date,
          row.labels,
          row.data,
        ]),
      );
    }
  }

  private static compileUpsert(db: Kysely<DatabaseSchema>): string {
    const placeholder: ExecutionsTable = {
      id: '',
      namespace: '',
      flow_id: '',
      state: '',
      start_date: '',
      end_date: null,
      labels: '',
      data: '',
    };
    return db
      .insertInto('executions')
      .values(placeholder)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          namespace: eb.ref('excluded.namespace'),
          flow_id: eb.ref('excluded.flow_id'),
          state: eb.ref('excluded.state'),
          start_date: eb.ref('excluded.start_date'),
          end_date: eb.ref('excluded.end_date'),
          labels: eb.ref('excluded.labels'),
          data: eb.ref('excluded.data'),
        })),
      )
      .compile().sql;
  }

  async get(id: string): Promise<Execution | undefined> {
    const row = await this.db.selectFrom('executions').select('data').where('id', '=', id).executeTakeFirst();
    return row ? parse(row.data) : undefined;
  }

  async search(filter: ExecutionFilter): Promise<Page<Execution>> {
    let query = this.db.selectFrom('executions');
    if (filter.namespace) query = query.where('namespace', '=', filter.namespace);
    if (filter.flowId) query = query.where('flow_id', '=', filter.flowId);
    if (filter.states) {
      if (filter.states.length === 0) return { results: [], total: 0 };
      query = query.where('state', 'in', filter.states);
    }
    if (filter.startDate) query = query.where('start_date', '>=', filter.startDate);
    if (filter.endDate) query = query.where('start_date', '<=', filter.endDate);
    for (const label of filter.labels ?? []) {
      const token = labelToken(label.key, label.value);
      query = query.where((eb) => containsExact(this.dialect, eb.ref('labels'), token));
    }
    const { limit, offset } = pageBounds(filter.page, filter.size, 25);
    const [rows, count] = await Promise.all([
      query.select('data').orderBy('start_date', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
      query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
    ]);
    return { results: rows.map((r) => parse(r.data)), total: toCount(count?.n) };
  }

  async findUnfinished(): Promise<Execution[]> {
    const rows = await this.db
      .selectFrom('executions')
      .select('data')
      .where('state', 'not in', TERMINAL)
      .orderBy('start_date')
      .orderBy('id')
      .execute();
    return rows.map((r) => parse(r.data));
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('executions').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
