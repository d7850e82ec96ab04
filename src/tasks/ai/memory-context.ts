import type { MemoryOpenContext } from '../../ai/memory/memory-plugin.ts';
import type { RunContext } from '../../plugin/run-context.ts';

/**
 * The memory id when a flow sets none: the reference's `{{ labels.system.correlationId }}` (one
 * memory per execution tree, subflows included) when the execution carries that label, else the
 * execution id (one memory per execution).
 */
export function defaultMemoryIdOf(ctx: RunContext): string {
  const labels = ctx.variables.labels;
  if (labels && typeof labels === 'object') {
    const flat = (labels as Record<string, unknown>)['system.correlationId'];
    if (typeof flat === 'string' && flat !== '') return flat;
    const nested = (labels as { system?: { correlationId?: unknown } }).system?.correlationId;
    if (typeof nested === 'string' && nested !== '') return nested;
  }
  return ctx.execution.id;
}

/** What memories get from a task run. */
export function memoryContextOf(ctx: RunContext): MemoryOpenContext {
  return {
    namespace: ctx.flow.namespace,
    kv: ctx.kv,
    signal: ctx.signal,
    logger: ctx.logger,
    resources: ctx.resources,
    defaultMemoryId: defaultMemoryIdOf(ctx),
  };
}
