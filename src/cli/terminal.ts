import type { Execution, LogEntry } from '../model/execution.ts';
import type { State } from '../model/state.ts';

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);

const STATE_COLORS: Partial<Record<State, number>> = {
  SUCCESS: 32,
  WARNING: 33,
  FAILED: 31,
  KILLED: 31,
  CANCELLED: 33,
  RUNNING: 36,
  RETRYING: 33,
  PAUSED: 35,
  SKIPPED: 90,
};

export function stateText(state: State): string {
  return paint(STATE_COLORS[state] ?? 0, state);
}

const LEVEL_COLORS: Record<string, number> = { ERROR: 31, WARN: 33, INFO: 0, DEBUG: 90, TRACE: 90 };

export function logLine(entry: LogEntry): string {
  const time = entry.timestamp.slice(11, 23);
  const where = entry.taskId
    ? `${entry.taskId}${entry.attemptNumber && entry.attemptNumber > 1 ? `#${entry.attemptNumber}` : ''}`
    : 'execution';
  return `${paint(90, time)} ${paint(LEVEL_COLORS[entry.level] ?? 0, entry.level.padEnd(5))} ${paint(36, where)} ${entry.message}`;
}

export function durationText(start: string, end?: string): string {
  const ms = (end ? Date.parse(end) : Date.now()) - Date.parse(start);
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function executionSummary(execution: Execution): string {
  const lines = [
    `execution ${execution.id}  ${execution.namespace}/${execution.flowId} rev ${execution.flowRevision}  ${stateText(execution.state.current)}  ${durationText(execution.state.startDate, execution.state.endDate)}`,
  ];
  if (execution.labels.length > 0) {
    lines.push(`  labels: ${execution.labels.map((label) => `${label.key}=${label.value}`).join(', ')}`);
  }
  for (const taskRun of execution.taskRuns) {
    const value = taskRun.value === undefined ? '' : ` [${taskRun.value}]`;
    const attempts = taskRun.attempts.length > 1 ? ` (${taskRun.attempts.length} attempts)` : '';
    lines.push(
      `  ${taskRun.taskId}${value}  ${stateText(taskRun.state.current)}  ${durationText(taskRun.state.startDate, taskRun.state.endDate)}${attempts}`,
    );
  }
  if (execution.error) lines.push(`  error: ${execution.error.message}`);
  return lines.join('\n');
}

/** Prints a value as indented JSON, keeping long strings readable. */
export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}
