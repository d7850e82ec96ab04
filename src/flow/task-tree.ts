import type { PluginRegistry } from '../plugin/plugin-registry.ts';
import type { FlowSpec, TaskSpec } from './flow-types.ts';
import { isPlainObject } from './plugin-defaults.ts';
import { childListKeys, childMapKeys } from './plugin-schema.ts';

/**
 * The child task lists of a flowable task, by property: `tasks`, `then`, `else`, task-level
 * `errors`, and each Switch case as `cases.<value>`. Dag items (`{task, dependsOn}`) give their task.
 */
export function childTaskLists(spec: TaskSpec, registry: PluginRegistry): { key: string; tasks: TaskSpec[] }[] {
  const definition = registry.get(spec.type);
  if (!definition) return [];
  const lists: { key: string; tasks: TaskSpec[] }[] = [];
  for (const key of childListKeys(definition)) {
    const list = spec[key];
    if (Array.isArray(list)) lists.push({ key, tasks: list.map(unwrapDagItem).filter(isTask) });
  }
  for (const key of childMapKeys(definition)) {
    const map = spec[key];
    if (!isPlainObject(map)) continue;
    for (const [name, list] of Object.entries(map)) {
      if (Array.isArray(list)) lists.push({ key: `${key}.${name}`, tasks: list.map(unwrapDagItem).filter(isTask) });
    }
  }
  return lists;
}

/** Every task of a flow, depth-first: tasks, errors, finally, afterExecution, and all their children. */
export function allTasks(flow: FlowSpec, registry: PluginRegistry): TaskSpec[] {
  const out: TaskSpec[] = [];
  const visit = (tasks: readonly TaskSpec[] | undefined) => {
    for (const task of tasks ?? []) {
      out.push(task);
      for (const child of childTaskLists(task, registry)) visit(child.tasks);
    }
  };
  visit(flow.tasks);
  visit(flow.errors);
  visit(flow.finally);
  visit(flow.afterExecution);
  return out;
}

function unwrapDagItem(item: unknown): unknown {
  return isPlainObject(item) && !('type' in item) && isPlainObject(item.task) ? item.task : item;
}

function isTask(value: unknown): value is TaskSpec {
  return isPlainObject(value) && typeof value.id === 'string' && typeof value.type === 'string';
}
