import { LineCounter, parseAllDocuments } from 'yaml';
import type { FlowSpec } from '../flow/flow-types.ts';
import type { PluginRegistry } from '../plugin/plugin-registry.ts';
import type { ApiViolation } from './http-error.ts';

/** A parsed flow and the exact text it came from. */
export interface ParsedFlow {
  spec: FlowSpec;
  source: string;
}

export type ParseResult = { ok: true; flows: ParsedFlow[] } | { ok: false; violations: ApiViolation[] };

/**
 * Parses and validates flow YAML for the API. This is the seam to the flow model: it checks
 * the shape the server relies on (id, namespace, task ids and types known to the registry)
 * so the API stays usable while the full validator is wired in.
 */
export function parseFlowSource(source: string, registry: PluginRegistry): ParseResult {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(source, { lineCounter, uniqueKeys: true });
  const list = Array.isArray(documents) ? documents : [documents];
  const violations: ApiViolation[] = [];
  const flows: ParsedFlow[] = [];
  for (const document of list) {
    const error = document.errors[0];
    if (error) {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      violations.push({ path: '', message: `malformed YAML: ${error.message.split('\n')[0]}`, line, column: col });
      continue;
    }
    const value: unknown = document.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue;
    const locate = (path: (string | number)[]) => {
      for (let n = path.length; n >= 0; n--) {
        const node = (n === 0 ? document.contents : document.getIn(path.slice(0, n), true)) as
          | { range?: [number, number] }
          | undefined
          | null;
        if (node?.range) {
          const { line, col } = lineCounter.linePos(node.range[0]);
          return { line, column: col };
        }
      }
      return {};
    };
    const found = checkFlow(value, registry);
    for (const v of found) violations.push({ path: formatPath(v.path), message: v.message, ...locate(v.path) });
    if (found.length === 0) {
      const start = document.contents?.range[0] ?? 0;
      flows.push({ spec: value as FlowSpec, source: source.slice(start, document.range[1]) });
    }
  }
  if (violations.length > 0) return { ok: false, violations };
  if (flows.length === 0) {
    return { ok: false, violations: [{ path: '', message: 'the source holds no flow', line: 1, column: 1 }] };
  }
  return { ok: true, flows };
}

interface RawViolation {
  path: (string | number)[];
  message: string;
}

const ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;

function checkFlow(value: unknown, registry: PluginRegistry): RawViolation[] {
  const out: RawViolation[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ path: [], message: 'a flow must be a YAML mapping with id, namespace and tasks' }];
  }
  const flow = value as Record<string, unknown>;
  for (const key of ['id', 'namespace'] as const) {
    const v = flow[key];
    if (typeof v !== 'string' || !ID_PATTERN.test(v)) {
      out.push({ path: [key], message: `${key} is required and must match ${ID_PATTERN.source}` });
    }
  }
  if (!Array.isArray(flow.tasks) || flow.tasks.length === 0) {
    out.push({ path: ['tasks'], message: 'tasks is required and must be a non-empty list' });
  }
  const ids = new Set<string>();
  const known = registry.list().length > 0;
  const visit = (list: unknown, path: (string | number)[]) => {
    if (!Array.isArray(list)) return;
    list.forEach((item, index) => {
      const at = [...path, index];
      if (typeof item !== 'object' || item === null) {
        out.push({ path: at, message: 'a task must be a mapping with id and type' });
        return;
      }
      const task = item as Record<string, unknown>;
      if (typeof task.id !== 'string' || !ID_PATTERN.test(task.id)) {
        out.push({ path: [...at, 'id'], message: 'id is required' });
      } else if (ids.has(task.id)) {
        out.push({ path: [...at, 'id'], message: `duplicate task id '${task.id}'` });
      } else ids.add(task.id);
      if (typeof task.type !== 'string') out.push({ path: [...at, 'type'], message: 'type is required' });
      else if (known && !registry.get(task.type)) {
        out.push({ path: [...at, 'type'], message: `unknown type '${task.type}'` });
      }
      for (const [key, child] of Object.entries(task)) {
        if (Array.isArray(child) && child.every((c) => typeof c === 'object' && c !== null && 'type' in c)) {
          if (key !== 'triggers' && key !== 'conditions') visit(child, [...at, key]);
        }
      }
    });
  };
  for (const key of ['tasks', 'errors', 'finally', 'afterExecution']) visit(flow[key], [key]);
  return out;
}

function formatPath(path: (string | number)[]): string {
  let out = '';
  for (const segment of path) out += typeof segment === 'number' ? `[${segment}]` : out ? `.${segment}` : segment;
  return out;
}
