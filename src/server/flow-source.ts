import type { ParsedFlow } from '../flow/load-flows.ts';
import { loadFlows } from '../flow/load-flows.ts';
import type { PluginRegistry } from '../plugin/plugin-registry.ts';
import type { ApiViolation } from './http-error.ts';

export type { ParsedFlow } from '../flow/load-flows.ts';

export type ParseResult = { ok: true; flows: ParsedFlow[] } | { ok: false; violations: ApiViolation[] };

/** Parses and validates flow YAML with the flow model; violations keep their paths and lines. */
export function parseFlowSource(source: string, registry: PluginRegistry): ParseResult {
  const result = loadFlows(source, registry);
  if (result.ok) return result;
  return {
    ok: false,
    violations: result.violations.map(({ path, message, line, column }) => ({
      path,
      message,
      ...(line !== undefined ? { line } : {}),
      ...(column !== undefined ? { column } : {}),
    })),
  };
}
