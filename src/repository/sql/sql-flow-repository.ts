import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { FlowRecord } from '../../model/flow-record.ts';
import type { FlowRepository, Page } from '../repository.ts';
import type { DatabaseSchema, FlowsTable } from './database-schema.ts';
import type { SqlDialectName } from './sql-dialect.ts';
import { containsText, escapeLike, pageBounds, toCount } from './sql-text.ts';

function toRecord(row: FlowsTable): FlowRecord {
  return {
    namespace: row.namespace,
    id: row.id,
    revision: Number(row.revision),
    source: row.source,
    deleted: Boolean(Number(row.deleted)),
    disabled: Boolean(Number(row.disabled)),
    updated: row.updated,
  };
}

/**
 * Flows as an append-only list of revisions: a changed source adds a revision, deleting adds
 * a tombstone revision, so history survives deletion and re-creation.
 */
export class SqlFlowRepository implements FlowRepository {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly dialect: SqlDialectName,
  ) {}

  async save(flow: { namespace: string; id: string; source: string; disabled?: boolean }): Promise<FlowRecord> {
    return this.db.transaction().execute(async (trx) => {
      const last = await trx
        .selectFrom('flows')
        .selectAll()
        .where('namespace', '=', flow.namespace)
        .where('id', '=', flow.id)
        .orderBy('revision', 'desc')
        .limit(1)
        .executeTakeFirst();
      const disabled = flow.disabled ?? false;
      if (last && !Number(last.deleted) && last.source === flow.source) {
        if (Boolean(Number(last.disabled)) === disabled) return toRecord(last);
        // Enabling or disabling is not a new revision of the source.
        await trx
          .updateTable('flows')
          .set({ disabled: disabled ? 1 : 0 })
          .where('namespace', '=', flow.namespace)
          .where('id', '=', flow.id)
          .where('revision', '=', last.revision)
          .execute();
        return toRecord({ ...last, disabled: disabled ? 1 : 0 });
      }
      const row: FlowsTable = {
        namespace: flow.namespace,
        id: flow.id,
        revision: (last ? Number(last.revision) : 0) + 1,
        source: flow.source,
        deleted: 0,
        disabled: disabled ? 1 : 0,
        updated: new Date().toISOString(),
      };
      await trx.insertInto('flows').values(row).execute();
      return toRecord(row);
    });
  }

  async get(namespace: string, id: string, revision?: number): Promise<FlowRecord | undefined> {
    let query = this.db.selectFrom('flows').selectAll().where('namespace', '=', namespace).where('id', '=', id);
    query =
      revision === undefined ? query.orderBy('revision', 'desc').limit(1) : query.where('revision', '=', revision);
    const row = await query.executeTakeFirst();
    if (!row || (revision === undefined && Number(row.deleted))) return undefined;
    return toRecord(row);
  }

  async search(filter: {
    namespace?: string;
    query?: string;
    page?: number;
    size?: number;
  }): Promise<Page<FlowRecord>> {
    let query = this.db
      .selectFrom('flows as f')
      .where('f.deleted', '=', 0)
      .where(
        'f.revision',
        '=',
        sql<number>`(select max(l.revision) from flows l where l.namespace = f.namespace and l.id = f.id)`,
      );
    if (filter.namespace) {
      const ns = filter.namespace;
      query = query.where((eb) =>
        eb.or([
          eb('f.namespace', '=', ns),
          eb('f.namespace', 'like', sql<string>`${`${escapeLike(ns)}.%`} escape '\\'`),
        ]),
      );
    }
    if (filter.query) {
      const text = filter.query;
      query = query.where((eb) =>
        eb.or([
          containsText(this.dialect, eb.ref('f.id'), text),
          containsText(this.dialect, eb.ref('f.namespace'), text),
        ]),
      );
    }
    const { limit, offset } = pageBounds(filter.page, filter.size, 25);
    const [rows, count] = await Promise.all([
      query.selectAll('f').orderBy('f.namespace').orderBy('f.id').limit(limit).offset(offset).execute(),
      query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
    ]);
    return { results: rows.map(toRecord), total: toCount(count?.n) };
  }

  async revisions(namespace: string, id: string): Promise<FlowRecord[]> {
    const rows = await this.db
      .selectFrom('flows')
      .selectAll()
      .where('namespace', '=', namespace)
      .where('id', '=', id)
      .orderBy('revision')
      .execute();
    return rows.map(toRecord);
  }

  async delete(namespace: string, id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const last = await trx
        .selectFrom('flows')
        .selectAll()
        .where('namespace', '=', namespace)
        .where('id', '=', id)
        .orderBy('revision', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!last || Number(last.deleted)) return false;
      await trx
        .insertInto('flows')
        .values({ ...last, revision: Number(last.revision) + 1, deleted: 1, updated: new Date().toISOString() })
        .execute();
      return true;
    });
  }
}
