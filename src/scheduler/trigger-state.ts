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
}

export function stateKey(namespace: string, flowId: string, triggerId: string): string {
  return `${namespace}\u0000${flowId}\u0000${triggerId}`;
}
