import type { Kysely } from 'kysely';
import type { LogEntry, LogLevel } from '../../model/execution.ts';
import { LOG_LEVELS, levelRank } from '../../model/execution.ts';
import type { LogFilter, LogRepository, Page, StoredLogEntry } from '../repository.ts';
import type { DatabaseSchema, LogsTable } from './database-schema.ts';
import type { SqlDialectName } from './sql-dialect.ts';
import { containsText, pageBounds, toCount } from './sql-text.ts';

/** Rows per INSERT: 12 columns × 400 stays under every dialect's bound-parameter limit. */
const BATCH = 400;

type LogRow = Omit<LogsTable, 'sequence'> & { sequence: number | string };

function toEntry(row: LogRow): StoredLogEntry {
  const entry: StoredLogEntry = {
    sequence: Number(row.sequence),
    namespace: row.namespace,
    flowId: row.flow_id,
    executionId: row.execution_id,
    level: row.level as LogLevel,
    message: row.message,
    timestamp: row.timestamp,
  };
  if (row.task_id !== null) entry.taskId = row.task_id;
  if (row.task_run_id !== null) entry.taskRunId = row.task_run_id;
  if (row.attempt_number !== null) entry.attemptNumber = Number(row.attempt_number);
  if (row.trigger_id !== null) entry.triggerId = row.trigger_id;
  return entry;
}

/** Logs, append-only, numbered by an auto-increment sequence for paging and following. */
export class SqlLogRepository implements LogRepository {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly dialect: SqlDialectName,
  ) {}

  async append(entries: LogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const rows = entries.map((e) => {
      if (!LOG_LEVELS.includes(e.level)) {
        throw new Error(
          `log entry for execution ${e.executionId}: unknown level '${String(e.level)}'; known: ${LOG_LEVELS.join(', ')}`,
        );
      }
      return {
        namespace: e.namespace,
        flow_id: e.flowId,
        execution_id: e.executionId,
        task_id: e.taskId ?? null,
        task_run_id: e.taskRunId ?? null,
        attempt_number: e.attemptNumber ?? null,
        trigger_id: e.triggerId ?? null,
        level: e.level,
        level_rank: levelRank(e.level),
        message: e.message,
        timestamp: e.timestamp,
      };
    });
    const insert = async (db: Kysely<DatabaseSchema>) => {
      for (let i = 0; i < rows.length; i += BATCH) {
        await db
          .insertInto('logs')
          .values(rows.slice(i, i + BATCH))
          .execute();
      }
    };
    if (rows.length <= BATCH) await insert(this.db);
    else await this.db.transaction().execute(insert);
  }

  async find(filter: LogFilter): Promise<Page<StoredLogEntry>> {
    let query = this.db.selectFrom('logs');
    if (filter.executionId) query = query.where('execution_id', '=', filter.executionId);
    if (filter.namespace) query = query.where('namespace', '=', filter.namespace);
    if (filter.flowId) query = query.where('flow_id', '=', filter.flowId);
    if (filter.taskRunId) query = query.where('task_run_id', '=', filter.taskRunId);
    if (filter.minLevel) query = query.where('level_rank', '>=', levelRank(filter.minLevel));
    if (filter.afterSequence !== undefined) query = query.where('sequence', '>', filter.afterSequence);
    if (filter.query) {
      const text = filter.query;
      query = query.where((eb) => containsText(this.dialect, eb.ref('message'), text));
    }
    const { limit, offset } = pageBounds(filter.page, filter.size, 1000);
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy('sequence').limit(limit).offset(offset).execute(),
      query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
    ]);
    return { results: rows.map(toEntry), total: toCount(count?.n) };
  }

  async deleteByExecution(executionId: string): Promise<number> {
    const result = await this.db.deleteFrom('logs').where('execution_id', '=', executionId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
