/** Thin client for the server's REST API; errors carry the server's message and violations. */

export const API = '/api/v1/main';

export interface Violation {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly violations: Violation[] = [],
  ) {
    super(message);
  }
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(path.startsWith('/api') ? path : `${API}${path}`, init);
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { message?: string; violations?: Violation[] };
    throw new ApiError(response.status, body.message ?? response.statusText, body.violations ?? []);
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export function sendYaml<T>(path: string, method: 'POST' | 'PUT', source: string): Promise<T> {
  return api<T>(path, { method, body: source, headers: { 'content-type': 'application/x-yaml' } });
}

export type State =
  | 'CREATED'
  | 'QUEUED'
  | 'RUNNING'
  | 'PAUSED'
  | 'RESTARTED'
  | 'KILLING'
  | 'SUCCESS'
  | 'WARNING'
  | 'FAILED'
  | 'KILLED'
  | 'CANCELLED'
  | 'RETRYING'
  | 'RETRIED'
  | 'SKIPPED';

export const TERMINAL: ReadonlySet<string> = new Set([
  'SUCCESS',
  'WARNING',
  'FAILED',
  'KILLED',
  'CANCELLED',
  'RETRIED',
  'SKIPPED',
]);

export interface StateWithHistory {
  current: State;
  histories: { state: State; date: string }[];
  startDate: string;
  endDate?: string;
}

export interface TaskRun {
  id: string;
  taskId: string;
  value?: string;
  state: StateWithHistory;
  attempts: { state: StateWithHistory; error?: { message: string } }[];
  outputs?: Record<string, unknown>;
}

export interface Execution {
  id: string;
  namespace: string;
  flowId: string;
  flowRevision: number;
  state: StateWithHistory;
  inputs: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  labels: { key: string; value: string }[];
  taskRuns: TaskRun[];
  error?: { message: string };
}

export interface LogEntry {
  taskId?: string;
  taskRunId?: string;
  level: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  message: string;
  timestamp: string;
  sequence?: number;
}

export interface InputSpec {
  id: string;
  type: string;
  description?: string;
  displayName?: string;
  required?: boolean;
  defaults?: unknown;
  values?: string[];
}

export interface Flow {
  id: string;
  namespace: string;
  revision: number;
  description?: string;
  source?: string;
  disabled?: boolean;
  updated?: string;
  labels?: Record<string, string> | { key: string; value: string }[];
  inputs?: InputSpec[];
  tasks?: { id: string; type: string }[];
  triggers?: { id: string; type: string }[];
}

export interface GraphNode {
  uid: string;
  kind: 'start' | 'end' | 'task' | 'trigger';
  id?: string;
  type?: string;
  cluster?: string;
  flowable?: boolean;
}

export interface FlowGraph {
  nodes: GraphNode[];
  edges: { source: string; target: string; label?: string }[];
  clusters: { uid: string; id: string; type?: string; parent?: string }[];
}

export function duration(state: StateWithHistory, now = Date.now()): string {
  const end = state.endDate ? Date.parse(state.endDate) : now;
  const ms = Math.max(0, end - Date.parse(state.startDate));
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function shortType(type: string | undefined): string {
  return type?.split('.').at(-1) ?? '';
}
