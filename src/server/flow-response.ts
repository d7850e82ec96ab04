import type { FlowSpec } from '../flow/flow-types.ts';
import type { FlowRecord } from '../model/flow-record.ts';
import type { PluginRegistry } from '../plugin/plugin-registry.ts';
import { parseFlowSource } from './flow-source.ts';

/** A flow as the API returns it: the parsed flow plus revision metadata, and the source on request. */
export function flowResponse(record: FlowRecord, registry: PluginRegistry, withSource = true): Record<string, unknown> {
  const spec = specOf(record, registry);
  const body: Record<string, unknown> = {
    ...spec,
    id: record.id,
    namespace: record.namespace,
    revision: record.revision,
    deleted: record.deleted,
    disabled: record.disabled || spec?.disabled === true,
    updated: record.updated,
  };
  if (withSource) body.source = record.source;
  return body;
}

/** The parsed flow of a stored record (stored sources were valid when saved; undefined if they no longer parse). */
export function specOf(record: FlowRecord, registry: PluginRegistry): FlowSpec | undefined {
  const parsed = parseFlowSource(record.source, registry);
  return parsed.ok ? parsed.flows[0]?.spec : undefined;
}
