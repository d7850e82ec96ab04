import { randomUUID } from 'node:crypto';
import type { FlowSpec, TaskSpec } from '../flow/flow-types.ts';
import type { Execution, LogEntry, TaskRun } from '../model/execution.ts';
import { isTerminal, newState, type State, transition } from '../model/state.ts';
import type { FileStorage } from '../plugin/run-context.ts';
import { SecretMasker } from '../secrets/secret-masker.ts';

/** Where a task list runs: under which parent task run, for which loop value. */
export interface Scope {
  parentTaskRunId?: string;
  value?: string;
  iteration?: number;
}

function key(taskId: string, scope: Scope): string {
  return `${taskId}\u0000${scope.parentTaskRunId ?? ''}\u0000${scope.value ?? ''}`;
}

/**
 * An execution the engine is driving, with what it needs in memory: the flow it runs,
 * an index of its task runs, the secrets to mask, the attempts running, and timers.
 */
export class ActiveExecution {
  readonly #index = new Map<string, TaskRun>();
  readonly #byId = new Map<string, TaskRun>();
  readonly masker = new SecretMasker();
  /** Abort controllers of the attempts running now, by task-run id. */
  readonly running = new Map<string, AbortController>();
  readonly timers = new Set<NodeJS.Timeout>();
  readonly pendingLogs: LogEntry[] = [];
  dirty = false;
  /** The state the execution ends in, known before `afterExecution` tasks run. */
  pendingFinalState: State | undefined;
  /** Serialises `advance` calls for this execution. */
  advancing: Promise<void> = Promise.resolve();
  advanceRequested = false;
  /** The inputs with SECRET values decrypted, computed on first use (never persisted). */
  plainInputs: Record<string, unknown> | undefined;
  /** Built on first use: the template renderer and file storage of this execution. */
  renderer: ((template: string, variables: Record<string, unknown>) => Promise<string>) | undefined;
  storage: FileStorage | undefined;

  constructor(
    public execution: Execution,
    readonly flow: FlowSpec,
  ) {
    for (const taskRun of execution.taskRuns) this.#indexTaskRun(taskRun);
  }

  #indexTaskRun(taskRun: TaskRun): void {
    this.#index.set(key(taskRun.taskId, { parentTaskRunId: taskRun.parentTaskRunId, value: taskRun.value }), taskRun);
    this.#byId.set(taskRun.id, taskRun);
  }

  /** Rebuilds the index after task runs were removed (restart, replay). */
  reindex(): void {
    this.#index.clear();
    this.#byId.clear();
    for (const taskRun of this.execution.taskRuns) this.#indexTaskRun(taskRun);
  }

  find(taskId: string, scope: Scope): TaskRun | undefined {
    return this.#index.get(key(taskId, scope));
  }

  byId(id: string): TaskRun | undefined {
    return this.#byId.get(id);
  }

  createTaskRun(task: TaskSpec, scope: Scope, state: State = 'CREATED'): TaskRun {
    const taskRun: TaskRun = {
      id: randomUUID(),
      executionId: this.execution.id,
      namespace: this.execution.namespace,
      flowId: this.execution.flowId,
      taskId: task.id,
      state: newState(state),
      attempts: [],
    };
    if (scope.parentTaskRunId !== undefined) taskRun.parentTaskRunId = scope.parentTaskRunId;
    if (scope.value !== undefined) taskRun.value = scope.value;
    if (scope.iteration !== undefined) taskRun.iteration = scope.iteration;
    this.execution.taskRuns.push(taskRun);
    this.#indexTaskRun(taskRun);
    this.dirty = true;
    return taskRun;
  }

  setTaskRunState(taskRun: TaskRun, state: State): void {
    if (taskRun.state.current === state) return;
    taskRun.state = transition(taskRun.state, state);
    this.dirty = true;
  }

  setState(state: State): void {
    if (this.execution.state.current === state) return;
    this.execution.state = transition(this.execution.state, state);
    this.dirty = true;
  }

  get terminal(): boolean {
    return isTerminal(this.execution.state.current);
  }

  clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** Runs `callback` after `ms`, unless the execution ends first. */
  after(ms: number, callback: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      callback();
    }, ms);
    this.timers.add(timer);
  }
}

/** The free-form state a flowable task keeps on its task run, created on first use. */
export function flowableState(taskRun: TaskRun): Record<string, unknown> {
  if (!taskRun.flowableState) taskRun.flowableState = {};
  return taskRun.flowableState;
}
