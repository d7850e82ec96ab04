import type { Kysely } from 'kysely';
import type { TriggerState } from '../../model/flow-record.ts';
import type { TriggerRepository } from '../repository.ts';
import type { DatabaseSchema } from './database-schema.ts';

/** Scheduler state per trigger, stored whole as JSON under its (namespace, flow, trigger) key. */
export class SqlTriggerRepository implements TriggerRepository {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

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
    await this.db.transaction().execute(async (trx) => {
      for (const state of states) await this.upsert(trx, state);
    });
  }

  private async upsert(db: Kysely<DatabaseSchema>, state: TriggerState): Promise<void> {
    await db
      .insertInto('triggers')
      .values({
        namespace: state.namespace,
        flow_id: state.flowId,
        trigger_id: state.triggerId,
        data: JSON.stringify(state),
        next_date: state.nextDate ?? null,
        updated: state.updated,
      })
      .onConflict((oc) =>
        oc.columns(['namespace', 'flow_id', 'trigger_id']).doUpdateSet((eb) => ({
          data: eb.ref('excluded.data'),
          next_date: eb.ref('excluded.next_date'),
          updated: eb.ref('excluded.updated'),
        })),
      )
      .execute();
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
