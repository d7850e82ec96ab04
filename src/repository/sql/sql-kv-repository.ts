import type { Kysely, SqlBool } from 'kysely';
import { sql } from 'kysely';
import type { KvEntry, KvType } from '../../model/flow-record.ts';
import type { KvRepository } from '../repository.ts';
import { KvKeyExistsError } from '../repository.ts';
import type { DatabaseSchema, KvTable } from './database-schema.ts';
import { escapeLike } from './sql-text.ts';

const KV_TYPES: readonly KvType[] = ['STRING', 'NUMBER', 'BOOLEAN', 'DATETIME', 'DATE', 'DURATION', 'JSON'];

function toEntry(row: KvTable): KvEntry {
  const entry: KvEntry = {
    namespace: row.namespace,
    key: row.key,
    type: row.type as KvType,
    value: JSON.parse(row.value) as unknown,
    creationDate: row.creation_date,
    updateDate: row.update_date,
  };
  if (row.description !== null) entry.description = row.description;
  if (row.expiration_date !== null) entry.expirationDate = row.expiration_date;
  return entry;
}

/**
 * The namespaced key-value store. Expired entries are invisible at once and deleted lazily
 * (on read) or in bulk by `purgeExpired`.
 */
export class SqlKvRepository implements KvRepository {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async set(entry: {
    namespace: string;
    key: string;
    type: KvType;
    value: unknown;
    description?: string;
    ttlMs?: number;
    overwrite?: boolean;
  }): Promise<KvEntry> {
    const where = `KV key '${entry.key}' in namespace '${entry.namespace}'`;
    if (!KV_TYPES.includes(entry.type)) {
      throw new Error(`${where}: unknown type '${String(entry.type)}'; known: ${KV_TYPES.join(', ')}`);
    }
    if (entry.ttlMs !== undefined && !(Number.isFinite(entry.ttlMs) && entry.ttlMs > 0)) {
      throw new Error(`${where}: ttl must be a positive duration, got ${String(entry.ttlMs)} ms`);
    }
    let json: string | undefined;
    try {
      json = JSON.stringify(entry.value);
    } catch (error) {
      throw new Error(`${where}: the value cannot be stored as JSON (${(error as Error).message})`);
    }
    if (json === undefined) throw new Error(`${where}: the value is undefined; give a value to store`);

    const now = new Date();
    const nowIso = now.toISOString();
    const row: KvTable = {
      namespace: entry.namespace,
      key: entry.key,
      type: entry.type,
      value: json,
      description: entry.description ?? null,
      expiration_date: entry.ttlMs !== undefined ? new Date(now.getTime() + entry.ttlMs).toISOString() : null,
      creation_date: nowIso,
      update_date: nowIso,
    };
    // One atomic upsert in both dialects: an expired row counts as absent, and with
    // overwrite false a live row makes the update match nothing (no row returned).
    const expired = sql<SqlBool>`kv.expiration_date is not null and kv.expiration_date <= ${nowIso}`;
    const stored = await this.db
      .insertInto('kv')
      .values(row)
      .onConflict((oc) => {
        const update = oc.columns(['namespace', 'key']).doUpdateSet((eb) => ({
          type: eb.ref('excluded.type'),
          value: eb.ref('excluded.value'),
          description: eb.ref('excluded.description'),
          expiration_date: eb.ref('excluded.expiration_date'),
          update_date: eb.ref('excluded.update_date'),
          creation_date: sql<string>`case when ${expired} then excluded.creation_date else kv.creation_date end`,
        }));
        return entry.overwrite === false ? update.where(expired) : update;
      })
      .returningAll()
      .executeTakeFirst();
    if (!stored) throw new KvKeyExistsError(entry.namespace, entry.key);
    return toEntry(stored);
  }

  async get(namespace: string, key: string): Promise<KvEntry | undefined> {
    const row = await this.db
      .selectFrom('kv')
      .selectAll()
      .where('namespace', '=', namespace)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.expiration_date !== null && row.expiration_date <= new Date().toISOString()) {
      await this.db
        .deleteFrom('kv')
        .where('namespace', '=', namespace)
        .where('key', '=', key)
        .where('expiration_date', '=', row.expiration_date)
        .execute();
      return undefined;
    }
    return toEntry(row);
  }

  async list(namespace: string, options: { prefix?: string } = {}): Promise<KvEntry[]> {
    const now = new Date().toISOString();
    let query = this.db
      .selectFrom('kv')
      .selectAll()
      .where('namespace', '=', namespace)
      .where((eb) => eb.or([eb('expiration_date', 'is', null), eb('expiration_date', '>', now)]));
    if (options.prefix) {
      query = query.where('key', 'like', sql<string>`${`${escapeLike(options.prefix)}%`} escape '\\'`);
    }
    const rows = await query.orderBy('key').execute();
    return rows.map(toEntry);
  }

  async namespaces(): Promise<string[]> {
    const now = new Date().toISOString();
    const rows = await this.db
      .selectFrom('kv')
      .select('namespace')
      .distinct()
      .where((eb) => eb.or([eb('expiration_date', 'is', null), eb('expiration_date', '>', now)]))
      .orderBy('namespace')
      .execute();
    return rows.map((r) => r.namespace);
  }

  async delete(namespace: string, key: string): Promise<boolean> {
    const now = new Date().toISOString();
    const row = await this.db
      .deleteFrom('kv')
      .where('namespace', '=', namespace)
      .where('key', '=', key)
      .returning('expiration_date')
      .executeTakeFirst();
    // Deleting an already expired key reports false: it was not there for any reader.
    return row !== undefined && (row.expiration_date === null || row.expiration_date > now);
  }

  async purgeExpired(): Promise<number> {
    const result = await this.db
      .deleteFrom('kv')
      .where('expiration_date', 'is not', null)
      .where('expiration_date', '<=', new Date().toISOString())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
