/** A stored revision of a flow: its YAML source exactly as the user wrote it. */
export interface FlowRecord {
  namespace: string;
  id: string;
  revision: number;
  source: string;
  deleted: boolean;
  disabled: boolean;
  /** ISO-8601 time this revision was saved. */
  updated: string;
}

export type KvType = 'STRING' | 'NUMBER' | 'BOOLEAN' | 'DATETIME' | 'DATE' | 'DURATION' | 'JSON';

export interface KvEntry {
  namespace: string;
  key: string;
  type: KvType;
  value: unknown;
  description?: string;
  /** ISO-8601; absent means never expires. */
  expirationDate?: string;
  creationDate: string;
  updateDate: string;
}

/** What the scheduler remembers of one trigger between evaluations and across restarts. */
export interface TriggerState {
  namespace: string;
  flowId: string;
  triggerId: string;
  /** The last date that fired (ISO-8601). */
  lastDate?: string;
  /** The next date due (ISO-8601). */
  nextDate?: string;
  disabled: boolean;
  /** The execution started by the last fire while it has not ended. */
  runningExecutionId?: string;
  lastExecutionId?: string;
  /** Backfill in progress: {start, end, currentDate, paused, inputs, labels}. */
  backfill?: Record<string, unknown>;
  updated: string;
}
