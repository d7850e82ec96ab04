import assert from 'node:assert/strict';
import type { Execution, TaskRun } from '../../model/execution.ts';

/**
 * The first run of `taskId` in an execution. Fails the test, naming the task runs that do
 * exist, when the task never ran (a branch not taken, a typo in the flow).
 */
export function taskRunOf(execution: Execution, taskId: string): TaskRun {
  const taskRun = execution.taskRuns.find((candidate) => candidate.taskId === taskId);
  assert.ok(
    taskRun,
    `no run of task '${taskId}' in execution ${execution.id}; its task runs: ${taskIdsOf(execution).join(', ') || 'none'}`,
  );
  return taskRun;
}

/** The outputs of the first run of `taskId` (`{}` when it has none); fails when it never ran. */
export function outputsOf(execution: Execution, taskId: string): Record<string, unknown> {
  return taskRunOf(execution, taskId).outputs ?? {};
}

/** Every run of `taskId`, in creation order (one per ForEach value, for instance). */
export function taskRunsOf(execution: Execution, taskId: string): TaskRun[] {
  return execution.taskRuns.filter((taskRun) => taskRun.taskId === taskId);
}

/** The ids of the tasks that ran, in creation order, once per run. */
export function taskIdsOf(execution: Execution): string[] {
  return execution.taskRuns.map((taskRun) => taskRun.taskId);
}

/** The state each attempt of a task run ended in (or is in), first attempt first. */
export function attemptStates(taskRun: TaskRun): string[] {
  return taskRun.attempts.map((attempt) => attempt.state.current);
}
