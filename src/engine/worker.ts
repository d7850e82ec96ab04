import type { FlowSpec, TaskSpec } from '../flow/flow-types.ts';
import type { TaskRun, TaskRunAttempt } from '../model/execution.ts';
import { newState, transition } from '../model/state.ts';
import type { TaskDefinition } from '../plugin/define-plugin.ts';
import { parseDuration } from '../plugin/dynamic.ts';
import type { RunContext } from '../plugin/run-context.ts';
import type { ActiveExecution } from './active-execution.ts';
import type { EngineCore } from './engine-core.ts';
import { renderTaskProperties } from './render-properties.ts';
import { nextRetry } from './retry-policy.ts';
import { errorMessage, isRetryable, NonRetryableError, TaskKilledError, TaskTimeoutError } from './task-errors.ts';

export type RunContextFactory = (
  active: ActiveExecution,
  task: TaskSpec,
  taskRun: TaskRun,
  signal: AbortSignal,
) => RunContext;

/** A counting semaphore: at most `limit` task attempts run at once in this process. */
class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];
  constructor(limit: number) {
    this.#free = limit;
  }
  async acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }
  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}

/**
 * Runs runnable tasks: renders and validates their properties, runs each attempt under its
 * timeout with an AbortSignal, and retries per the task's (or the flow's) retry policy.
 */
export class Worker {
  readonly #slots: Slots;

  constructor(
    private readonly core: EngineCore,
    private readonly contextFor: RunContextFactory,
    concurrency: number,
  ) {
    this.#slots = new Slots(concurrency);
  }

  /** Runs the next attempt of a task run, then asks the executor to move on. */
  async run(active: ActiveExecution, task: TaskSpec, taskRun: TaskRun): Promise<void> {
    await this.#slots.acquire();
    try {
      await this.#attempt(active, task, taskRun);
    } finally {
      this.#slots.release();
      this.core.requestAdvance(active);
    }
  }

  async #attempt(active: ActiveExecution, task: TaskSpec, taskRun: TaskRun): Promise<void> {
    if (active.terminal || taskRun.state.current === 'KILLED') return;
    const core = this.core;
    const definition = core.definition(task) as TaskDefinition;
    const controller = new AbortController();
    active.running.set(taskRun.id, controller);
    const attempt: TaskRunAttempt = { state: newState('RUNNING') };
    taskRun.attempts.push(attempt);
    active.setTaskRunState(taskRun, 'RUNNING');
    core.markDirty(active);
    const attemptNumber = taskRun.attempts.length;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = task.timeout === undefined ? undefined : await core.render(active, String(task.timeout), task);
      if (timeout !== undefined) {
        let ms: number;
        try {
          ms = parseDuration(timeout);
        } catch (error) {
          throw new NonRetryableError(`timeout: ${errorMessage(error)}`);
        }
        timer = setTimeout(() => controller.abort(new TaskTimeoutError(timeout)), ms);
      }
      const skip = new Set(definition.lateRendered ?? []);
      const properties = await renderTaskProperties(
        task,
        definition.properties,
        (template) => core.render(active, template, task, taskRun),
        skip,
      );
      const context = this.contextFor(active, task, taskRun, controller.signal);
      const outputs = await untilAborted(definition.run(context, properties), controller.signal);
      if (wasKilled(taskRun)) return;
      attempt.state = transition(attempt.state, 'SUCCESS');
      taskRun.outputs = active.masker.maskDeep(outputs ?? {});
      const warned = attemptNumber > 1 && retrySpec(task, active.flow)?.warningOnRetry === true;
      active.setTaskRunState(taskRun, warned ? 'WARNING' : 'SUCCESS');
    } catch (caught) {
      // A shutdown is not the task's failure: the attempt stays RUNNING in the database and
      // the next start treats it as interrupted (retried per the policy).
      if (core.stopping) return;
      if (wasKilled(taskRun) || caught instanceof TaskKilledError) {
        attempt.state = transition(attempt.state, 'KILLED');
        return;
      }
      const error =
        controller.signal.aborted && controller.signal.reason instanceof Error ? controller.signal.reason : caught;
      attempt.state = transition(attempt.state, 'FAILED');
      const message = active.masker.mask(errorMessage(error));
      attempt.error = {
        message,
        name: error instanceof Error ? error.name : 'Error',
      };
      core.log(active, 'ERROR', `attempt ${attemptNumber} failed: ${message}`, taskRun, attemptNumber);
      this.#afterFailure(active, task, taskRun, error);
    } finally {
      if (timer) clearTimeout(timer);
      active.running.delete(taskRun.id);
      core.markDirty(active);
    }
  }

  /** Retries when the error and the policy allow, else fails the task run. */
  #afterFailure(active: ActiveExecution, task: TaskSpec, taskRun: TaskRun, error: unknown): void {
    const spec = retrySpec(task, active.flow);
    const first = taskRun.attempts[0]?.state.startDate ?? taskRun.state.startDate;
    const decision = isRetryable(error)
      ? nextRetry(spec, taskRun.attempts.length, Date.now() - Date.parse(first))
      : { retry: false, delayMs: 0, reason: 'the error is not retryable' };
    if (!decision.retry) {
      if (spec && decision.reason) this.core.log(active, 'DEBUG', `not retrying: ${decision.reason}`, taskRun);
      active.setTaskRunState(taskRun, 'FAILED');
      return;
    }
    active.setTaskRunState(taskRun, 'RETRYING');
    this.core.log(
      active,
      'WARN',
      `retrying in ${(decision.delayMs / 1000).toFixed(1)} s (attempt ${taskRun.attempts.length + 1})`,
      taskRun,
    );
    active.after(decision.delayMs, () => void this.run(active, task, taskRun));
  }
}

/** The task's own retry, else the flow-level one. */
export function retrySpec(task: TaskSpec, flow: FlowSpec) {
  return task.retry ?? flow.retry;
}

/** Settles with the task's result, or rejects as soon as the signal aborts (timeout, kill). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Re-reads the state: a kill may have happened while the attempt awaited. */
function wasKilled(taskRun: TaskRun): boolean {
  return taskRun.state.current === 'KILLED';
}
