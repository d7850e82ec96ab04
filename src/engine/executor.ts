import { isTruthy } from '../expression/index.ts';
import type { TaskSpec } from '../flow/flow-types.ts';
import type { TaskRun } from '../model/execution.ts';
import { isTerminal, type State } from '../model/state.ts';
import type { AnyPluginDefinition, FlowableDefinition } from '../plugin/define-plugin.ts';
import type { ActiveExecution, Scope } from './active-execution.ts';
import type { EngineCore } from './engine-core.ts';
import { evaluateFlowable } from './flowables.ts';
import { errorMessage } from './task-errors.ts';

/** What a task list amounts to so far. */
export type ListStatus = 'RUNNING' | 'SUCCESS' | 'WARNING' | 'FAILED' | 'KILLED';

/**
 * Walks the flow from the top and moves the execution forward: starts the next task of each
 * list, lets flowable tasks decide about their children, runs `errors`, `finally` and
 * `afterExecution`, and ends the execution. Re-walking from the top every time keeps the
 * logic stateless: everything it decides from is in the execution's task runs.
 */
export async function advance(core: EngineCore, active: ActiveExecution): Promise<void> {
  if (active.terminal) return;
  const flow = active.flow;
  if (['CREATED', 'RESTARTED', 'QUEUED'].includes(active.execution.state.current)) active.setState('RUNNING');

  const main = await evaluateList(core, active, flow.tasks, {}, []);
  if (main === 'RUNNING') {
    updatePausedState(active);
    return;
  }
  let final: State = main;
  if (main === 'FAILED' && flow.errors?.length) {
    if ((await evaluateList(core, active, flow.errors, {}, [])) === 'RUNNING') return;
  }
  if (flow.finally?.length) {
    const status = await evaluateList(core, active, flow.finally, {}, []);
    if (status === 'RUNNING') return;
    if (status === 'FAILED') final = 'FAILED';
    else if (status === 'WARNING' && final === 'SUCCESS') final = 'WARNING';
  }
  if (active.pendingFinalState === undefined) {
    if ((final === 'SUCCESS' || final === 'WARNING') && flow.outputs?.length) {
      try {
        const outputs: Record<string, unknown> = {};
        for (const output of flow.outputs) {
          const value = output.value;
          outputs[output.id] = typeof value === 'string' ? await core.render(active, value) : value;
        }
        active.execution.outputs = active.masker.maskDeep(outputs);
      } catch (error) {
        core.log(active, 'ERROR', `flow outputs could not be rendered: ${errorMessage(error)}`);
        final = 'FAILED';
      }
    }
    active.pendingFinalState = final;
  }
  if (flow.afterExecution?.length) {
    if ((await evaluateList(core, active, flow.afterExecution, {}, [])) === 'RUNNING') return;
  }
  active.setState(active.pendingFinalState);
}

/** The execution is PAUSED while nothing runs and some task waits for a resume. */
function updatePausedState(active: ActiveExecution): void {
  const runs = active.execution.taskRuns;
  const paused = runs.some((run) => run.state.current === 'PAUSED');
  const busy = runs.some((run) => ['CREATED', 'RETRYING'].includes(run.state.current) || active.running.has(run.id));
  if (paused && !busy) active.setState('PAUSED');
  else if (active.execution.state.current === 'PAUSED' && !paused) active.setState('RUNNING');
}

/** Runs a list sequentially: one task after the other, stopping at a failure. */
export async function evaluateList(
  core: EngineCore,
  active: ActiveExecution,
  tasks: TaskSpec[],
  scope: Scope,
  parentChain: TaskRun[],
): Promise<ListStatus> {
  let warning = false;
  for (const task of tasks) {
    if (task.disabled === true) continue;
    let taskRun = active.find(task.id, scope);
    if (!taskRun) taskRun = await startTask(core, active, task, scope, parentChain);
    else if (!isTerminal(taskRun.state.current) && isFlowable(core.definition(task))) {
      await evaluateFlowable(core, active, task, taskRun, parentChain);
    }
    const state = taskRun.state.current;
    if (!isTerminal(state)) return 'RUNNING';
    if (state === 'FAILED') {
      if (task.allowFailure) {
        warning = true;
        continue;
      }
      return 'FAILED';
    }
    if (state === 'KILLED' || state === 'CANCELLED') return 'KILLED';
    if (state === 'WARNING' && !task.allowWarning) warning = true;
  }
  return warning ? 'WARNING' : 'SUCCESS';
}

async function startTask(
  core: EngineCore,
  active: ActiveExecution,
  task: TaskSpec,
  scope: Scope,
  parentChain: TaskRun[],
): Promise<TaskRun> {
  if (task.runIf !== undefined && task.runIf !== true) {
    let run: boolean;
    try {
      run =
        typeof task.runIf === 'boolean' ? task.runIf : isTruthy(await core.render(active, String(task.runIf), task));
    } catch (error) {
      const failed = active.createTaskRun(task, scope, 'FAILED');
      core.log(active, 'ERROR', `runIf of task '${task.id}' could not be rendered: ${errorMessage(error)}`, failed);
      return failed;
    }
    if (!run) return active.createTaskRun(task, scope, 'SKIPPED');
  }
  if (isFlowable(core.definition(task))) {
    const taskRun = active.createTaskRun(task, scope, 'RUNNING');
    await evaluateFlowable(core, active, task, taskRun, parentChain);
    return taskRun;
  }
  const taskRun = active.createTaskRun(task, scope, 'CREATED');
  core.dispatch(active, task, taskRun);
  return taskRun;
}

export function isFlowable(definition: AnyPluginDefinition): definition is FlowableDefinition {
  return 'flowable' in definition && definition.flowable === true;
}
