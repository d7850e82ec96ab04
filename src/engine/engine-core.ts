import type { TaskSpec } from '../flow/flow-types.ts';
import type { Execution, LogLevel, TaskRun } from '../model/execution.ts';
import type { AnyPluginDefinition } from '../plugin/define-plugin.ts';
import type { PluginRegistry } from '../plugin/plugin-registry.ts';
import type { Repository } from '../repository/repository.ts';
import type { ActiveExecution } from './active-execution.ts';
import type { CreateExecutionOptions } from './engine-api.ts';

/** What the executor and the worker need from the engine that drives them. */
export interface EngineCore {
  readonly registry: PluginRegistry;
  readonly repository: Repository;
  /** True once the engine is shutting down: running attempts are left for the next start. */
  readonly stopping: boolean;
  definition(task: TaskSpec): AnyPluginDefinition;
  /** Renders a template with the variables a task run (or the execution) sees. */
  render(active: ActiveExecution, template: string, task?: TaskSpec, taskRun?: TaskRun): Promise<string>;
  /** Persists soon (batched with other changes in the same tick). */
  markDirty(active: ActiveExecution): void;
  /** Re-evaluates the execution soon (after the current evaluation, if one runs). */
  requestAdvance(active: ActiveExecution): void;
  /** Starts a runnable task run on the worker. */
  dispatch(active: ActiveExecution, task: TaskSpec, taskRun: TaskRun): void;
  log(active: ActiveExecution, level: LogLevel, message: string, taskRun?: TaskRun, attempt?: number): void;
  createExecution(namespace: string, flowId: string, options: CreateExecutionOptions): Promise<Execution>;
  /** Loads an execution by id (active or stored). */
  getExecution(id: string): Promise<Execution | undefined>;
}
