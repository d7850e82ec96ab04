import type { Kysely, Selectable } from 'kysely';
import type { QueueItem, QueueRepository } from '../repository.ts';
import type { DatabaseSchema, QueueItemsTable } from './database-schema.ts';
import type { SqlDialectName } from './sql-dialect.ts';
import { toCount } from './sql-text.ts';

function iso(date: Date | string | undefined, fallback: Date): string {
  if (date === undefined) return fallback.toISOString();
  const parsed = typeof date === 'string' ? new Date(date) : date;
  if (Number.isNaN(parsed.getTime())) throw new Error(`queue: '${String(date)}' is not a valid date`);
  return parsed.toISOString();
}

function toItem(row: Selectable<QueueItemsTable>): QueueItem {
  const item: QueueItem = {
    id: Number(row.id),
    queue: row.queue,
    payload: JSON.parse(row.payload) as unknown,
    availableAt: row.available_at,
    attempts: Number(row.attempts),
    created: row.created,
  };
  if (row.item_key !== null) item.key = row.item_key;
  if (row.claimed_by !== null) item.claimedBy = row.claimed_by;
  if (row.lease_until !== null) item.leaseUntil = row.lease_until;
  return item;
}

/**
 * The durable work queue. A claim is one `UPDATE … WHERE id IN (SELECT …) RETURNING` statement.
 * PostgreSQL adds `FOR UPDATE SKIP LOCKED` so concurrent workers take disjoint rows without
 * waiting. On SQLite the statement is its own immediate write transaction: SQLite takes the
 * file's write lock before the statement reads, so two processes cannot pick the same free rows.
 * (An explicit BEGIN IMMEDIATE held across an `await` would block the event loop of a second
 * handle in the same process for the whole busy timeout.)
 */
export class SqlQueueRepository implements QueueRepository {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly dialect: SqlDialectName,
  ) {}

  async enqueue(
    queue: string,
    payload: unknown,
    options: { key?: string; availableAt?: Date | string } = {},
  ): Promise<{ id: number; created: boolean }> {
    const json = JSON.stringify(payload);
    if (json === undefined) throw new Error(`queue '${queue}': the payload is undefined; give a JSON value`);
    const now = new Date();
    const inserted = await this.db
      .insertInto('queue_items')
      .values({
        queue,
        item_key: options.key ?? null,
        payload: json,
        available_at: iso(options.availableAt, now),
        claimed_by: null,
        lease_until: null,
        attempts: 0,
        created: now.toISOString(),
      })
      .onConflict((oc) => oc.columns(['queue', 'item_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return { id: Number(inserted.id), created: true };
    const existing = await this.db
      .selectFrom('queue_items')
      .select('id')
      .where('queue', '=', queue)
      .where('item_key', '=', options.key ?? '')
      .executeTakeFirst();
    if (!existing) throw new Error(`queue '${queue}': item with key '${options.key}' vanished while enqueuing; retry`);
    return { id: Number(existing.id), created: false };
  }

  async claim(queue: string, workerId: string, limit: number, leaseMs: number): Promise<QueueItem[]> {
    if (!(Number.isInteger(limit) && limit > 0))
      throw new Error(`queue '${queue}': claim limit must be a positive integer`);
    if (!(Number.isFinite(leaseMs) && leaseMs > 0)) throw new Error(`queue '${queue}': lease must be positive (ms)`);
    const now = new Date();
    const nowIso = now.toISOString();
    const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
    const claim = (db: Kysely<DatabaseSchema>) =>
      db
        .updateTable('queue_items')
        .set((eb) => ({
          claimed_by: workerId,
          lease_until: leaseUntil,
          attempts: eb('attempts', '+', 1),
        }))
        .where('id', 'in', (eb) => {
          const ready = eb
            .selectFrom('queue_items')
            .select('id')
            .where('queue', '=', queue)
            .where('available_at', '<=', nowIso)
            .where((w) => w.or([w('claimed_by', 'is', null), w('lease_until', '<=', nowIso)]))
            .orderBy('available_at')
            .orderBy('id')
            .limit(limit);
          return this.dialect === 'postgres' ? ready.forUpdate().skipLocked() : ready;
        })
        .returningAll()
        .execute();
    const rows = await claim(this.db);
    return rows.map(toItem).sort((a, b) => a.availableAt.localeCompare(b.availableAt) || a.id - b.id);
  }

  async complete(id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('queue_items').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async release(id: number, availableAt?: Date | string): Promise<boolean> {
    const result = await this.db
      .updateTable('queue_items')
      .set({ claimed_by: null, lease_until: null, available_at: iso(availableAt, new Date()) })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async reclaimExpired(now: Date = new Date()): Promise<number> {
    const result = await this.db
      .updateTable('queue_items')
      .set({ claimed_by: null, lease_until: null })
      .where('claimed_by', 'is not', null)
      .where('lease_until', '<=', now.toISOString())
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async size(queue: string): Promise<number> {
    const row = await this.db
      .selectFrom('queue_items')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('queue', '=', queue)
      .executeTakeFirst();
    return toCount(row?.n);
  }
}
