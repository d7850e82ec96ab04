import { isTruthy } from '../expression/index.ts';
import type { TaskSpec } from '../flow/flow-types.ts';
import type { TaskRun } from '../model/execution.ts';
import { isTerminal } from '../model/state.ts';
import { parseDuration } from '../plugin/dynamic.ts';
import { type ActiveExecution, flowableState, type Scope } from './active-execution.ts';
import type { EngineCore } from './engine-core.ts';
import { evaluateList, type ListStatus } from './executor.ts';
import { errorMessage } from './task-errors.ts';

type Flowable = (
  core: EngineCore,
  active: ActiveExecution,
  task: TaskSpec,
  taskRun: TaskRun,
  parentChain: TaskRun[],
) => Promise<ListStatus>;

const FLOWABLES: Record<string, Flowable> = {
  'io.kestra.plugin.core.flow.Sequential': (core, active, task, taskRun, chain) =>
    evaluateList(core, active, tasksOf(task, 'tasks'), childScope(taskRun), [taskRun, ...chain]),
  'io.kestra.plugin.core.flow.AllowFailure': async (core, active, task, taskRun, chain) => {
    const status = await evaluateList(core, active, tasksOf(task, 'tasks'), childScope(taskRun), [taskRun, ...chain]);
    return status === 'FAILED' ? 'WARNING' : status;
  },
  'io.kestra.plugin.core.flow.If': async (core, active, task, taskRun, chain) => {
    const state = flowableState(taskRun);
    if (state.branch === undefined) {
      const condition = task.condition;
      const value = typeof condition === 'boolean' ? condition : await core.render(active, String(condition), task);
      state.branch = isTruthy(value) ? 'then' : 'else';
      core.log(active, 'DEBUG', `condition is ${state.branch === 'then'}; running '${state.branch}'`, taskRun);
      core.markDirty(active);
    }
    return evaluateList(core, active, tasksOf(task, String(state.branch)), childScope(taskRun), [taskRun, ...chain]);
  },
  'io.kestra.plugin.core.flow.Switch': async (core, active, task, taskRun, chain) => {
    const state = flowableState(taskRun);
    if (state.case === undefined) {
      const value = await core.render(active, String(task.value), task);
      const cases = (task.cases ?? {}) as Record<string, TaskSpec[]>;
      state.case = Object.hasOwn(cases, value) ? value : null;
      taskRun.outputs = { value, defaults: state.case === null };
      core.markDirty(active);
    }
    const cases = (task.cases ?? {}) as Record<string, TaskSpec[]>;
    const list = state.case === null ? tasksOf(task, 'defaults') : (cases[String(state.case)] ?? []);
    return evaluateList(core, active, list, childScope(taskRun), [taskRun, ...chain]);
  },
  'io.kestra.plugin.core.flow.ForEach': (core, active, task, taskRun, chain) =>
    loop(core, active, task, taskRun, chain, task.values, task.concurrencyLimit ?? 1),
  'io.kestra.plugin.core.flow.EachSequential': (core, active, task, taskRun, chain) =>
    loop(core, active, task, taskRun, chain, task.value, 1),
  'io.kestra.plugin.core.flow.EachParallel': (core, active, task, taskRun, chain) =>
    loop(core, active, task, taskRun, chain, task.value, task.concurrent ?? 0),
  'io.kestra.plugin.core.flow.Parallel': async (core, active, task, taskRun, chain) => {
    const limit = await renderInt(core, active, task, task.concurrent ?? 0);
    const iterations = tasksOf(task, 'tasks').map((child) => ({ scope: childScope(taskRun), tasks: [child] }));
    return runIterations(core, active, iterations, limit, [taskRun, ...chain]);
  },
  'io.kestra.plugin.core.flow.Subflow': subflow,
  'io.kestra.plugin.core.flow.Pause': pause,
};

/**
 * Moves a flowable task forward: decides about its children, and ends it (running its
 * own `errors` first when its children failed) once they are all done.
 */
export async function evaluateFlowable(
  core: EngineCore,
  active: ActiveExecution,
  task: TaskSpec,
  taskRun: TaskRun,
  parentChain: TaskRun[],
): Promise<void> {
  const type = core.registry.canonicalType(task.type) ?? task.type;
  const flowable = FLOWABLES[type];
  let status: ListStatus;
  try {
    if (!flowable) throw new Error(`the engine cannot run flowable type '${type}' yet`);
    status = await flowable(core, active, task, taskRun, parentChain);
  } catch (error) {
    core.log(active, 'ERROR', `task '${task.id}' failed: ${errorMessage(error)}`, taskRun);
    status = 'FAILED';
  }
  if (status === 'RUNNING') return;
  if (status === 'FAILED' && Array.isArray(task.errors) && task.errors.length > 0) {
    const errors = await evaluateList(core, active, tasksOf(task, 'errors'), childScope(taskRun), [
      taskRun,
      ...parentChain,
    ]);
    if (errors === 'RUNNING') return;
  }
  if (!isTerminal(taskRun.state.current)) active.setTaskRunState(taskRun, status);
}

function tasksOf(task: TaskSpec, key: string): TaskSpec[] {
  const list = task[key];
  return Array.isArray(list) ? (list as TaskSpec[]) : [];
}

/** Children inherit their parent's loop value (so `taskrun.value` works inside loops). */
function childScope(parent: TaskRun): Scope {
  return parent.value === undefined
    ? { parentTaskRunId: parent.id }
    : { parentTaskRunId: parent.id, value: parent.value };
}

async function renderInt(core: EngineCore, active: ActiveExecution, task: TaskSpec, value: unknown): Promise<number> {
  const rendered = typeof value === 'string' ? await core.render(active, value, task) : value;
  const number = Number(rendered);
  if (!Number.isInteger(number) || number < 0)
    throw new Error(`expected a whole number ≥ 0, got '${String(rendered)}'`);
  return number;
}

async function loopValues(
  core: EngineCore,
  active: ActiveExecution,
  task: TaskSpec,
  values: unknown,
): Promise<string[]> {
  let list: unknown = values;
  if (typeof values === 'string') {
    const rendered = await core.render(active, values, task);
    try {
      list = JSON.parse(rendered);
    } catch {
      throw new Error(`values must be a list or a JSON list; '${rendered.slice(0, 200)}' is neither`);
    }
  }
  if (!Array.isArray(list)) throw new Error('values must be a list or a JSON list');
  const out: string[] = [];
  for (const item of list) {
    if (typeof item === 'string') out.push(await core.render(active, item, task));
    else out.push(JSON.stringify(item));
  }
  return out;
}

async function loop(
  core: EngineCore,
  active: ActiveExecution,
  task: TaskSpec,
  taskRun: TaskRun,
  chain: TaskRun[],
  values: unknown,
  limitValue: unknown,
): Promise<ListStatus> {
  const state = flowableState(taskRun);
  if (!Array.isArray(state.values)) {
    state.values = await loopValues(core, active, task, values);
    state.limit = await renderInt(core, active, task, limitValue);
    core.markDirty(active);
  }
  const tasks = tasksOf(task, 'tasks');
  const iterations = (state.values as string[]).map((value, iteration) => ({
    scope: { parentTaskRunId: taskRun.id, value, iteration },
    tasks,
  }));
  return runIterations(core, active, iterations, Number(state.limit), [taskRun, ...chain]);
}

/** Runs independent task lists, at most `limit` at once (0 = all); stops starting new ones after a failure. */
async function runIterations(
  core: EngineCore,
  active: ActiveExecution,
  iterations: { scope: Scope; tasks: TaskSpec[] }[],
  limit: number,
  chain: TaskRun[],
): Promise<ListStatus> {
  let running = 0;
  let failed = false;
  let killed = false;
  let warning = false;
  for (const { scope, tasks } of iterations) {
    const started = tasks.some((task) => active.find(task.id, scope) !== undefined);
    if (!started && (failed || killed || (limit > 0 && running >= limit))) continue;
    const status = await evaluateList(core, active, tasks, scope, chain);
    if (status === 'RUNNING') running++;
    else if (status === 'FAILED') failed = true;
    else if (status === 'KILLED') killed = true;
    else if (status === 'WARNING') warning = true;
  }
  if (running > 0) return 'RUNNING';
  if (killed) return 'KILLED';
  if (failed) return 'FAILED';
  return warning ? 'WARNING' : 'SUCCESS';
}

async function subflow(
  core: EngineCore,
  active: ActiveExecution,
  task: TaskSpec,
  taskRun: TaskRun,
): Promise<ListStatus> {
  const state = flowableState(taskRun);
  if (state.executionId === undefined) {
    const render = async (value: unknown) => (typeof value === 'string' ? core.render(active, value, task) : value);
    const namespace = String(await render(task.namespace));
    const flowId = String(await render(task.flowId));
    const inputs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries((task.inputs ?? {}) as Record<string, unknown>)) {
      inputs[key] = await render(value);
    }
    const labels: { key: string; value: string }[] = [];
    if (task.inheritLabels === true) labels.push(...active.execution.labels);
    const given = task.labels;
    if (Array.isArray(given)) labels.push(...(given as { key: string; value: string }[]));
    else if (given && typeof given === 'object') {
      for (const [key, value] of Object.entries(given)) labels.push({ key, value: String(await render(value)) });
    }
    const wait = isTruthy(await render(task.wait ?? true));
    const child = await core.createExecution(namespace, flowId, {
      inputs,
      labels,
      parentId: active.execution.id,
      ...(task.revision === undefined ? {} : { revision: Number(await render(task.revision)) }),
    });
    state.executionId = child.id;
    state.wait = wait;
    state.transmitFailed = isTruthy(await render(task.transmitFailed ?? true));
    taskRun.outputs = { executionId: child.id };
    core.log(active, 'INFO', `started execution ${child.id} of flow ${namespace}/${flowId}`, taskRun);
    core.markDirty(active);
    if (!wait) return 'SUCCESS';
  }
  if (state.wait === false) return 'SUCCESS';
  const child = await core.getExecution(String(state.executionId));
  if (!child) throw new Error(`subflow execution ${String(state.executionId)} no longer exists`);
  if (!isTerminal(child.state.current)) return 'RUNNING';
  taskRun.outputs = { executionId: child.id, state: child.state.current, outputs: child.outputs ?? {} };
  core.markDirty(active);
  const failed = ['FAILED', 'KILLED', 'CANCELLED'].includes(child.state.current);
  if (failed && state.transmitFailed !== false) {
    core.log(active, 'ERROR', `subflow execution ${child.id} ended ${child.state.current}`, taskRun);
    return 'FAILED';
  }
  return child.state.current === 'WARNING' ? 'WARNING' : 'SUCCESS';
}

async function pause(
  core: EngineCore,
  active: ActiveExecution,
  task: TaskSpec,
  taskRun: TaskRun,
  chain: TaskRun[],
): Promise<ListStatus> {
  const state = flowableState(taskRun);
  if (state.pausedAt === undefined) {
    const render = async (value: unknown) =>
      typeof value === 'string' ? core.render(active, value, task) : (value as string | undefined);
    const delay = task.delay === undefined ? undefined : await render(task.delay);
    const timeout = task.timeout === undefined ? undefined : await render(task.timeout);
    state.pausedAt = new Date().toISOString();
    if (delay) state.resumeAt = new Date(Date.now() + parseDuration(delay)).toISOString();
    if (timeout) state.timeoutAt = new Date(Date.now() + parseDuration(timeout)).toISOString();
    active.setTaskRunState(taskRun, 'PAUSED');
    core.log(
      active,
      'INFO',
      delay ? `paused for ${delay}` : 'paused until resumed (windhover executions resume, the API or the UI)',
      taskRun,
    );
    return 'RUNNING';
  }
  if (taskRun.state.current === 'PAUSED') return 'RUNNING';
  return evaluateList(core, active, tasksOf(task, 'tasks'), childScope(taskRun), [taskRun, ...chain]);
}
