import { hasTemplateSyntax, parseTemplate, TemplateError } from '../expression/index.ts';
import type { InputSpec, TriggerSpec } from './flow-types.ts';
import { formatPath, type PathSegment } from './flow-violation.ts';
import type { WalkContext } from './flow-walker.ts';
import { isPlainObject } from './plugin-defaults.ts';
import type { RawViolation } from './zod-issues.ts';

/*
 * Checks that span several parts of a flow, run after every task and trigger has been walked.
 */

const SUBFLOW_TYPE = 'io.kestra.plugin.core.flow.Subflow';
const SCHEDULE_TYPES = new Set([
  'io.kestra.plugin.core.trigger.Schedule',
  'io.kestra.plugin.core.trigger.ScheduleOnDates',
]);

export function checkSubflowRecursion(document: Record<string, unknown>, ctx: WalkContext): void {
  for (const task of ctx.tasks) {
    if (task.definition.type !== SUBFLOW_TYPE) continue;
    if (task.value.namespace === document.namespace && task.value.flowId === document.id) {
      ctx.violations.push({
        path: [...task.path, 'flowId'],
        message: `the flow calls itself as a subflow (${String(document.namespace)}.${String(document.id)}), which would never end`,
      });
    }
  }
}

export function checkScheduledInputs(inputs: InputSpec[], triggers: TriggerSpec[], violations: RawViolation[]): void {
  triggers.forEach((trigger, index) => {
    if (!isPlainObject(trigger) || !SCHEDULE_TYPES.has(trigger.type)) return;
    for (const input of inputs) {
      if (!isPlainObject(input) || typeof input.id !== 'string') continue;
      const given = isPlainObject(trigger.inputs) && input.id in trigger.inputs;
      if (input.required !== false && input.defaults === undefined && !given) {
        violations.push({
          path: ['triggers', index],
          message: `input '${input.id}' is required and has no defaults, so this schedule cannot start the flow: add defaults to the input, set required: false, or set it in the trigger's inputs`,
        });
      }
    }
  });
}

/** Keys whose text is documentation, never rendered. */
const NOT_RENDERED = new Set(['description', 'extend', 'displayName']);

/**
 * Template syntax errors are found when the flow is saved, not when the task runs: rendering
 * stays late, but `{{ a &!? }}` can never work, so say so with the property path.
 */
export function checkTemplateSyntax(
  document: Record<string, unknown>,
  violations: RawViolation[],
  skipped: ReadonlySet<string>,
): void {
  const visit = (value: unknown, path: PathSegment[]): void => {
    if (skipped.has(formatPath(path))) return;
    if (typeof value === 'string') {
      if (!hasTemplateSyntax(value)) return;
      try {
        parseTemplate(value);
      } catch (cause) {
        const reason = cause instanceof TemplateError ? cause.message : String(cause);
        violations.push({ path, message: `template syntax error: ${reason}` });
      }
    } else if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) visit(item, [...path, index]);
    } else if (isPlainObject(value)) {
      for (const [key, item] of Object.entries(value)) if (!NOT_RENDERED.has(key)) visit(item, [...path, key]);
    }
  };
  for (const [key, value] of Object.entries(document)) if (!NOT_RENDERED.has(key)) visit(value, [key]);
}

/** `inputs.server-fqn` reads as `inputs.server - fqn` in an expression: ask for bracket notation. */
export function checkDashedInputReferences(
  document: Record<string, unknown>,
  inputs: InputSpec[],
  violations: RawViolation[],
  skipped: ReadonlySet<string>,
): void {
  const dashed = inputs.filter((i) => isPlainObject(i) && typeof i.id === 'string' && i.id.includes('-'));
  if (dashed.length === 0) return;
  const patterns = dashed.map((input) => ({
    id: input.id,
    pattern: new RegExp(`inputs\\.${input.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`),
  }));
  const visit = (value: unknown, path: PathSegment[]): void => {
    if (skipped.has(formatPath(path))) return;
    if (typeof value === 'string') {
      for (const { id, pattern } of patterns) {
        if (pattern.test(value)) {
          violations.push({
            path,
            message: `'inputs.${id}' is read as a subtraction in an expression; write inputs['${id}'] instead`,
          });
        }
      }
    } else if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) visit(item, [...path, index]);
    } else if (isPlainObject(value)) for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
  };
  for (const [key, value] of Object.entries(document)) if (key !== 'inputs') visit(value, [key]);
}
