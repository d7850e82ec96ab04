import type { Generated } from 'kysely';

/**
 * The tables of a Windhover database, as Kysely sees them. Dates are ISO-8601 UTC strings
 * (`Date#toISOString`) in both dialects so they compare as text and round-trip unchanged.
 */
export interface DatabaseSchema {
  flows: FlowsTable;
  executions: ExecutionsTable;
  logs: LogsTable;
  kv: KvTable;
  triggers: TriggersTable;
  queue_items: QueueItemsTable;
}

export interface FlowsTable {
  namespace: string;
  id: string;
  revision: number;
  source: string;
  deleted: number;
  disabled: number;
  updated: string;
}

export interface ExecutionsTable {
  id: string;
  namespace: string;
  flow_id: string;
  state: string;
  start_date: string;
  end_date: string | null;
  /** `|key=value|` pairs, URI-encoded, for substring matching of label filters. */
  labels: string;
  /** The whole Execution as JSON. */
  data: string;
}

export interface LogsTable {
  sequence: Generated<number>;
  namespace: string;
  flow_id: string;
  execution_id: string;
  task_id: string | null;
  task_run_id: string | null;
  attempt_number: number | null;
  trigger_id: string | null;
  level: string;
  level_rank: number;
  message: string;
  timestamp: string;
}

export interface KvTable {
  namespace: string;
  key: string;
  type: string;
  /** The value as JSON. */
  value: string;
  description: string | null;
  expiration_date: string | null;
  creation_date: string;
  update_date: string;
}

export interface TriggersTable {
  namespace: string;
  flow_id: string;
  trigger_id: string;
  /** The whole TriggerState as JSON. */
  data: string;
  next_date: string | null;
  updated: string;
}

export interface QueueItemsTable {
  id: Generated<number>;
  queue: string;
  /** Optional deduplication key, unique per queue while the item exists. */
  item_key: string | null;
  payload: string;
  available_at: string;
  claimed_by: string | null;
  lease_until: string | null;
  attempts: number;
  created: string;
}
