import type { TaskSpec } from '../flow/flow-types.ts';
import type { Execution, TaskRun } from '../model/execution.ts';
import type { State } from '../model/state.ts';

/** `ENV_*` environment variables as `envs.<lowercase name>`, read once. */
let envs: Record<string, string> | undefined;
function environmentVariables(): Record<string, string> {
  if (!envs) {
    envs = {};
    for (const [name, value] of Object.entries(process.env)) {
      if (name.startsWith('ENV_') && value !== undefined) envs[name.slice(4).toLowerCase()] = value;
    }
  }
  return envs;
}

function labelMap(execution: Execution): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const { key, value } of execution.labels) labels[key] = value;
  return labels;
}

/**
 * `outputs.<taskId>` for every task run that has outputs. Runs inside loops are keyed by
 * their values, nested like their loops: `outputs.<taskId>[<value>]`.
 */
export function outputsOf(execution: Execution): Record<string, unknown> {
  const byId = new Map(execution.taskRuns.map((taskRun) => [taskRun.id, taskRun]));
  const outputs: Record<string, unknown> = {};
  for (const taskRun of execution.taskRuns) {
    if (!taskRun.outputs) continue;
    const values: string[] = [];
    for (let current: TaskRun | undefined = taskRun; current; ) {
      // Only loop iterations add a level; their children inherit the value without one.
      if (current.value !== undefined && current.iteration !== undefined) values.unshift(current.value);
      current = current.parentTaskRunId ? byId.get(current.parentTaskRunId) : undefined;
    }
    if (values.length === 0) {
      outputs[taskRun.taskId] = taskRun.outputs;
      continue;
    }
    let node = child(outputs, taskRun.taskId);
    for (const [i, value] of values.entries()) {
      if (i === values.length - 1) node[value] = taskRun.outputs;
      else node = child(node, value);
    }
  }
  return outputs;
}

/** The variables templates see when the execution itself is rendered (flow outputs, triggers). */
export function executionVariables(
  execution: Execution,
  flowVariables: Record<string, unknown> | undefined,
  inputs: Record<string, unknown>,
  stateOverride?: State,
): Record<string, unknown> {
  return {
    flow: { id: execution.flowId, namespace: execution.namespace, revision: execution.flowRevision, tenantId: 'main' },
    execution: {
      id: execution.id,
      startDate: execution.state.startDate,
      state: stateOverride ?? execution.state.current,
      originalId: execution.originalId ?? execution.id,
    },
    inputs,
    outputs: outputsOf(execution),
    vars: flowVariables ?? {},
    labels: labelMap(execution),
    trigger: execution.trigger?.variables ?? {},
    envs: environmentVariables(),
    tasks: Object.fromEntries(execution.taskRuns.map((taskRun) => [taskRun.taskId, { state: taskRun.state.current }])),
  };
}

/** Adds what a task run sees: `task`, `taskrun`, `parent`, `parents`. */
export function taskRunVariables(
  base: Record<string, unknown>,
  task: TaskSpec,
  taskRun: TaskRun | undefined,
  parentChain: TaskRun[],
): Record<string, unknown> {
  const variables: Record<string, unknown> = { ...base, task: { id: task.id, type: task.type } };
  if (taskRun) {
    variables.taskrun = {
      id: taskRun.id,
      startDate: taskRun.state.startDate,
      attemptsCount: taskRun.attempts.length,
      parentId: taskRun.parentTaskRunId,
      value: taskRun.value,
      iteration: taskRun.iteration,
    };
  }
  if (parentChain.length > 0) {
    const parents = parentChain.map((parent) => ({
      taskrun: { value: parent.value, id: parent.id },
      outputs: parent.outputs ?? {},
    }));
    variables.parent = parents[0];
    variables.parents = parents;
  }
  return variables;
}

function child(node: Record<string, unknown>, key: string): Record<string, unknown> {
  const existing = node[key];
  if (existing && typeof existing === 'object') return existing as Record<string, unknown>;
  const created: Record<string, unknown> = {};
  node[key] = created;
  return created;
}
