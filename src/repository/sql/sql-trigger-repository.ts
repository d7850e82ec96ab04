import type { Kysely } from 'kysely';
import { CompiledQuery } from 'kysely';
import type { TriggerState } from '../../model/flow-record.ts';
import type { TriggerRepository } from '../repository.ts';
import type { DatabaseSchema } from './database-schema.ts';

/** Scheduler state per trigger, stored whole as JSON under its (namespace, flow, trigger) key. */
export class SqlTriggerRepository implements TriggerRepository {
  constructor(private readonly db: Kysely<DatabaseSchema>) {
    this.#upsertSql = SqlTriggerRepository.compileUpsert(db);
  }

  async get(namespace: string, flowId: string, triggerId: string): Promise<TriggerState | undefined> {
    const row = await this.db
      .selectFrom('triggers')
      .select('data')
      .where('namespace', '=', namespace)
      .where('flow_id', '=', flowId)
      .where('trigger_id', '=', triggerId)
      .executeTakeFirst();
    return row ? (JSON.parse(row.data) as TriggerState) : undefined;
  }

  async save(state: TriggerState): Promise<void> {
    await this.upsert(this.db, state);
  }

  async saveAll(states: TriggerState[]): Promise<void> {
    if (states.length === 0) return;
    if (states.length === 1 && states[0]) return this.upsert(this.db, states[0]);
    // Many rows per statement: the scheduler may save a thousand states in one tick.
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < states.length; i += 100) {
        await trx
          .insertInto('triggers')
          .values(
            states.slice(i, i + 100).map((state) => ({
              namespace: state.namespace,
              flow_id: state.flowId,
              trigger_id: state.triggerId,
              data: JSON.stringify(state),
              next_date: state.nextDate ?? null,
              updated: state.updated,
            })),
          )
          .onConflict((oc) =>
            oc.columns(['namespace', 'flow_id', 'trigger_id']).doUpdateSet((eb) => ({
              data: eb.ref('excluded.data'),
              next_date: eb.ref('excluded.next_date'),
              updated: eb.ref('excluded.updated'),
            })),
          )
          .execute();
      }
    });
  }

  private async upsert(db: Kysely<DatabaseSchema>, state: TriggerState): Promise<void> {
    await db.executeQuery(
      CompiledQuery.raw(this.#upsertSql, [
        state.namespace,
        state.flowId,
        state.triggerId,
        JSON.stringify(state),
        state.nextDate ?? null,
        state.updated,
      ]),
    );
  }

  /** Compiled once: the scheduler saves every trigger that fires, each second at worst. */
  readonly #upsertSql: string;

  private static compileUpsert(db: Kysely<DatabaseSchema>): string {
    return db
      .insertInto('triggers')
      .values({ namespace: '', flow_id: '', trigger_id: '', data: '', next_date: null, updated: '' })
      .onConflict((oc) =>
        oc.columns(['namespace', 'flow_id', 'trigger_id']).doUpdateSet((eb) => ({
          data: eb.ref('excluded.data'),
          next_date: eb.ref('excluded.next_date'),
          updated: eb.ref('excluded.updated'),
        })),
      )
      .compile().sql;
  }

  async list(filter: { namespace?: string; flowId?: string } = {}): Promise<TriggerState[]> {
    let query = this.db.selectFrom('triggers').select('data');
    if (filter.namespace) query = query.where('namespace', '=', filter.namespace);
    if (filter.flowId) query = query.where('flow_id', '=', filter.flowId);
    const rows = await query.orderBy('namespace').orderBy('flow_id').orderBy('trigger_id').execute();
    return rows.map((r) => JSON.parse(r.data) as TriggerState);
  }

  async delete(namespace: string, flowId: string, triggerId?: string): Promise<number> {
    let query = this.db.deleteFrom('triggers').where('namespace', '=', namespace).where('flow_id', '=', flowId);
    if (triggerId !== undefined) query = query.where('trigger_id', '=', triggerId);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
