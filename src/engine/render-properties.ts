import type { z } from 'zod';
import { isTemplate } from '../plugin/dynamic.ts';
import { coerceToSchema } from './coerce-to-schema.ts';
import { NonRetryableError } from './task-errors.ts';

/** Task keys the engine handles itself: never rendered with the task's properties. */
export const BASE_TASK_KEYS = new Set([
  'id',
  'type',
  'description',
  'retry',
  'timeout',
  'disabled',
  'allowFailure',
  'allowWarning',
  'runIf',
  'when',
  'logLevel',
  'logToFile',
  'workerGroup',
  'taskCache',
]);

export type RenderFunction = (template: string) => Promise<string>;

/** Renders every template string inside a value, keeping its shape. */
export async function renderDeep(value: unknown, render: RenderFunction, depth = 0): Promise<unknown> {
  if (depth > 100) throw new NonRetryableError('properties are nested more than 100 levels deep');
  if (typeof value === 'string') return isTemplate(value) ? render(value) : value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) out.push(await renderDeep(item, render, depth + 1));
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = await renderDeep(item, render, depth + 1);
    return out;
  }
  return value;
}

/**
 * Renders a task's own properties (not the base keys, not the ones it renders itself),
 * coerces rendered strings to the declared types, and validates the result. An invalid
 * rendered value is a NonRetryableError naming the property path.
 */
export async function renderTaskProperties(
  task: Record<string, unknown>,
  schema: z.ZodObject,
  render: RenderFunction,
  skip: ReadonlySet<string> = new Set(),
): Promise<Record<string, unknown>> {
  const rendered: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(task)) {
    if (BASE_TASK_KEYS.has(key)) continue;
    rendered[key] = skip.has(key) ? value : await renderDeep(value, render);
  }
  const coerced = coerceToSchema(rendered, schema);
  const result = schema.safeParse(coerced);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const path = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
      return `${path.replace(/^\./, '') || '(task)'}: ${issue.message}`;
    });
    throw new NonRetryableError(`invalid property after rendering — ${problems.join('; ')}`);
  }
  return result.data as Record<string, unknown>;
}
