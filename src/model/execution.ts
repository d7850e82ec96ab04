import type { StateWithHistory } from './state.ts';

/** One attempt of a task run: each retry is a new attempt with its own state and timing. */
export interface TaskRunAttempt {
  state: StateWithHistory;
  /** Why the attempt failed, when it did. */
  error?: { message: string; name?: string };
}

/** The run of one task inside an execution (a task inside ForEach runs once per value). */
export interface TaskRun {
  id: string;
  executionId: string;
  namespace: string;
  flowId: string;
  taskId: string;
  parentTaskRunId?: string;
  /** The ForEach value this run belongs to, as a string (the reference's `taskrun.value`). */
  value?: string;
  iteration?: number;
  state: StateWithHistory;
  attempts: TaskRunAttempt[];
  outputs?: Record<string, unknown>;
  /** Free-form state a flowable task keeps between evaluations (e.g. the chosen If branch). */
  flowableState?: Record<string, unknown>;
}

export interface Execution {
  id: string;
  namespace: string;
  flowId: string;
  flowRevision: number;
  state: StateWithHistory;
  inputs: Record<string, unknown>;
  /** Flow-level `outputs`, rendered when the execution ends. */
  outputs?: Record<string, unknown>;
  labels: { key: string; value: string }[];
  variables?: Record<string, unknown>;
  taskRuns: TaskRun[];
  trigger?: { id: string; type: string; variables: Record<string, unknown> };
  parentId?: string;
  originalId?: string;
  /** When the execution was scheduled to start (a trigger date or an explicit schedule). */
  scheduleDate?: string;
  /** Why the execution failed, kill reason, or other terminal detail. */
  error?: { message: string };
}

export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export const LOG_LEVELS: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

export function levelRank(level: LogLevel): number {
  return LOG_LEVELS.indexOf(level);
}

export interface LogEntry {
  namespace: string;
  flowId: string;
  executionId: string;
  taskId?: string;
  taskRunId?: string;
  attemptNumber?: number;
  triggerId?: string;
  level: LogLevel;
  message: string;
  /** ISO-8601 timestamp. */
  timestamp: string;
}
