import type { Execution } from '../model/execution.ts';

/**
 * The system label that ties the executions of one tree together: a root execution's own id,
 * inherited unchanged by its subflows, by executions a Flow trigger starts from it, and by its
 * replays. Templates read it as `{{ labels.system.correlationId }}` (chat memories default to it).
 */
export const CORRELATION_ID_LABEL = 'system.correlationId';

type Label = { key: string; value: string };

/** The execution's correlation id, or undefined for one stored before the label existed. */
export function correlationIdOf(execution: Pick<Execution, 'labels'>): string | undefined {
  return execution.labels.find((label) => label.key === CORRELATION_ID_LABEL)?.value;
}

/** `labels` with exactly one correlation label, `id`, last (as the reference appends it). */
export function withCorrelationId(labels: readonly Label[], id: string): Label[] {
  return [...labels.filter((label) => label.key !== CORRELATION_ID_LABEL), { key: CORRELATION_ID_LABEL, value: id }];
}
