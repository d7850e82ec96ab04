import type { FlowSpec, TaskSpec } from '../flow/flow-types.ts';
import { childTaskLists } from '../flow/task-tree.ts';
import type { PluginRegistry } from '../plugin/plugin-registry.ts';

/** A node of a flow's topology: a task, a trigger, or the start/end markers. */
export interface GraphNode {
  uid: string;
  kind: 'start' | 'end' | 'task' | 'trigger';
  /** Task or trigger id (absent for start/end). */
  id?: string;
  type?: string;
  /** The cluster (flowable task or errors/finally branch) this node sits in. */
  cluster?: string;
  flowable?: boolean;
}

export interface GraphEdge {
  source: string;
  target: string;
  /** Why the edge exists: a branch name (`then`, `else`, `errors`, a Switch case...). */
  label?: string;
}

/** A group of nodes drawn together: the children of a flowable task, or the errors/finally branches. */
export interface GraphCluster {
  uid: string;
  /** The flowable task id, or `errors` / `finally`. */
  id: string;
  type?: string;
  parent?: string;
}

/** The topology the UI draws and `GET /flows/{ns}/{id}/graph` returns. */
export interface FlowGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  clusters: GraphCluster[];
}

const PARALLEL_TYPES = /\.(Parallel|ForEach|EachParallel)$/;

/** Builds the topology of a flow, nesting the children of flowable tasks in clusters. */
export function flowGraph(flow: FlowSpec, registry: PluginRegistry): FlowGraph {
  const graph: FlowGraph = { nodes: [], edges: [], clusters: [] };
  graph.nodes.push({ uid: 'root.start', kind: 'start' }, { uid: 'root.end', kind: 'end' });
  for (const trigger of flow.triggers ?? []) {
    const uid = `trigger.${trigger.id}`;
    graph.nodes.push({ uid, kind: 'trigger', id: trigger.id, type: trigger.type });
    graph.edges.push({ source: uid, target: 'root.start' });
  }
  const main = addList(graph, registry, flow.tasks ?? [], ['root.start'], undefined, false);
  let ends = main;
  if (flow.finally?.length) {
    graph.clusters.push({ uid: 'cluster.finally', id: 'finally' });
    ends = addList(graph, registry, flow.finally, main, 'cluster.finally', false, 'finally');
  }
  connect(graph, ends, 'root.end');
  if (flow.errors?.length) {
    graph.clusters.push({ uid: 'cluster.errors', id: 'errors' });
    const errorEnds = addList(graph, registry, flow.errors, ['root.start'], 'cluster.errors', false, 'errors');
    connect(graph, errorEnds, 'root.end');
  }
  return graph;
}

function connect(graph: FlowGraph, sources: string[], target: string, label?: string): void {
  for (const source of sources) graph.edges.push(label ? { source, target, label } : { source, target });
}

/** Adds a task list after `from`; returns the node uids the next step connects from. */
function addList(
  graph: FlowGraph,
  registry: PluginRegistry,
  tasks: TaskSpec[],
  from: string[],
  cluster: string | undefined,
  parallel: boolean,
  label?: string,
): string[] {
  let previous = from;
  const parallelEnds: string[] = [];
  tasks.forEach((task, index) => {
    const ends = addTask(
      graph,
      registry,
      task,
      parallel ? from : previous,
      cluster,
      index === 0 || parallel ? label : undefined,
    );
    if (parallel) parallelEnds.push(...ends);
    else previous = ends;
  });
  if (tasks.length === 0) return from;
  return parallel ? parallelEnds : previous;
}

function addTask(
  graph: FlowGraph,
  registry: PluginRegistry,
  task: TaskSpec,
  from: string[],
  cluster: string | undefined,
  label: string | undefined,
): string[] {
  const uid = `task.${task.id}`;
  const lists = childLists(task, registry);
  const node: GraphNode = { uid, kind: 'task', id: task.id, type: task.type };
  if (cluster) node.cluster = cluster;
  if (lists.length > 0) node.flowable = true;
  graph.nodes.push(node);
  connect(graph, from, uid, label);
  if (lists.length === 0) return [uid];
  const clusterUid = `cluster.${task.id}`;
  graph.clusters.push({ uid: clusterUid, id: task.id, type: task.type, ...(cluster ? { parent: cluster } : {}) });
  const parallel = PARALLEL_TYPES.test(task.type);
  const ends: string[] = [];
  for (const list of lists) {
    ends.push(...addList(graph, registry, list.tasks, [uid], clusterUid, parallel, list.name));
  }
  return ends;
}

/** The child task lists of a flowable task, named by branch; from the flow model, else by shape. */
function childLists(task: TaskSpec, registry: PluginRegistry): { name: string; tasks: TaskSpec[] }[] {
  if (registry.get(task.type)) {
    return childTaskLists(task, registry)
      .filter((list) => list.tasks.length > 0)
      .map((list) => ({ name: list.key.replace(/^cases\./, ''), tasks: list.tasks }));
  }
  // An unknown type still draws its nested lists, so a typo does not hide half the flow.
  const out: { name: string; tasks: TaskSpec[] }[] = [];
  for (const [key, value] of Object.entries(task)) {
    if (isTaskList(value)) out.push({ name: key, tasks: value });
    else if (key === 'cases') addMap(value, out);
  }
  return out;
}

function addMap(value: unknown, out: { name: string; tasks: TaskSpec[] }[]): void {
  if (typeof value !== 'object' || value === null) return;
  for (const [name, list] of Object.entries(value)) if (isTaskList(list)) out.push({ name, tasks: list });
}

function isTaskList(value: unknown): value is TaskSpec[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((item) => typeof item === 'object' && item !== null && 'id' in item && 'type' in item)
  );
}
