import type { TriggerState } from '../model/flow-record.ts';

/** A backfill in progress: dates from `currentDate` to `end` run one after the other. */
export interface BackfillState {
  start: string;
  end: string;
  currentDate: string;
  paused: boolean;
  inputs?: Record<string, unknown>;
  labels?: { key: string; value: string }[];
}

/**
 * What the scheduler stores per trigger. Fields beyond TriggerState are kept in the same
 * JSON document by the repository.
 */
export interface SchedulerTriggerState extends TriggerState {
  /** A fire persisted before its execution was created: a restart finishes or finds it. */
  pendingDate?: string;
  pendingAt?: string;
  /** cron + timezone + withSeconds the dates were computed for; a change reschedules. */
  signature?: string;
  /** Flow-trigger preconditions met so far: upstream index → execution id. */
  seen?: Record<string, string>;
  /** A Flow trigger's progress through ended executions, so a restart neither misses nor repeats one. */
  flowCursor?: FlowCursor;
}

/**
 * How far a Flow trigger has evaluated ended executions. Catch-up reads the executions that
 * started at or after `scanFrom` plus those listed in `open`: together they hold every execution
 * that can end at or after `after`.
 */
export interface FlowCursor {
  /** ISO-8601: executions that ended before this instant are never evaluated (done, or older than the trigger). */
  after: string;
  /** ISO-8601 start date from which a catch-up scans executions. */
  scanFrom: string;
  /** Executions unfinished at the last catch-up that started before `scanFrom` (a start-date scan misses them). */
  open: string[];
  /**
   * Ended executions this trigger acted on (fired, counted toward preconditions, or failed to
   * start) that ended at or after `after`: execution id → its end date. A restarted execution that
   * ends again has a new end date and is evaluated again.
   */
  done: Record<string, string>;
}

export function stateKey(namespace: string, flowId: string, triggerId: string): string {
  return `${namespace}\u0000${flowId}\u0000${triggerId}`;
}
