import { hasTemplateSyntax, parseTemplate, TemplateError } from '../expression/index.ts';
import { isTemplate } from '../plugin/dynamic.ts';
import type { PluginRegistry } from '../plugin/plugin-registry.ts';
import { flowTopLevelSchema } from './flow-schema.ts';
import type { FlowSpec, InputSpec, PluginDefaultSpec, TriggerSpec } from './flow-types.ts';
import { formatPath, type PathSegment } from './flow-violation.ts';
import { normaliseRetry, type WalkContext, walkPlugin, walkTaskList } from './flow-walker.ts';
import { CoercionError, coerceInput } from './input-coercion.ts';
import { inputSpecSchema } from './input-spec-schema.ts';
import { isPlainObject } from './plugin-defaults.ts';
import { collectPluginDefaults } from './plugin-defaults-check.ts';
import { issuesToViolations, type RawViolation } from './zod-issues.ts';

const SUBFLOW_TYPE = 'io.kestra.plugin.core.flow.Subflow';
const SCHEDULE_TYPES = new Set([
  'io.kestra.plugin.core.trigger.Schedule',
  'io.kestra.plugin.core.trigger.ScheduleOnDates',
]);
const TOP_LEVEL_KEYS = Object.keys(flowTopLevelSchema.shape);
/** Keys accepted in the YAML that are not part of the normalised flow. */
const DROPPED_KEYS = new Set(['extend', 'revision', 'taskDefaults', 'tenantId', 'deleted']);

/** Validates one YAML document as a flow; returns the normalised spec when there is no violation. */
export function validateFlowDocument(
  document: unknown,
  registry: PluginRegistry,
): { spec?: FlowSpec; violations: RawViolation[] } {
  if (!isPlainObject(document)) {
    return { violations: [{ path: [], message: 'expected a flow: a map with id, namespace and tasks' }] };
  }
  const violations: RawViolation[] = [];
  const top = flowTopLevelSchema.safeParse(document);
  if (!top.success) {
    violations.push(...issuesToViolations(top.error.issues, [], (p) => (p.length === 0 ? TOP_LEVEL_KEYS : [])));
  }
  const ctx: WalkContext = { registry, defaults: [], violations, taskIds: new Map(), tasks: [], skipped: new Set() };
  if ('pluginDefaults' in document && 'taskDefaults' in document) {
    violations.push({
      path: ['taskDefaults'],
      message: "'taskDefaults' is the old name of 'pluginDefaults'; keep one",
    });
  }
  const defaultsKey = 'pluginDefaults' in document ? 'pluginDefaults' : 'taskDefaults';
  ctx.defaults = collectPluginDefaults(document[defaultsKey], [defaultsKey], ctx);

  checkLabels(document.labels, violations);
  const inputs = checkInputs(document.inputs, violations);

  const spec: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(document)) if (!DROPPED_KEYS.has(key)) spec[key] = value;
  for (const key of ['tasks', 'errors', 'finally', 'afterExecution'] as const) {
    const list = document[key];
    if (Array.isArray(list)) spec[key] = walkTaskList(list, [key], ctx, false);
  }
  if (Array.isArray(document.triggers)) spec.triggers = walkTriggers(document.triggers, ctx);
  if (inputs) spec.inputs = inputs;
  if (ctx.defaults.length > 0) {
    spec.pluginDefaults = ctx.defaults.map(
      ({ type, forced, values }): PluginDefaultSpec => ({ type, values, ...(forced ? { forced } : {}) }),
    );
  }
  if (isPlainObject(document.retry)) spec.retry = normaliseRetry(document.retry, ['retry'], ctx);

  checkSubflowRecursion(document, ctx);
  checkScheduledInputs(inputs ?? [], (spec.triggers as TriggerSpec[] | undefined) ?? [], violations);
  checkDashedInputReferences(document, inputs ?? [], violations, ctx.skipped);
  checkTemplateSyntax(document, violations, ctx.skipped);

  if (violations.length > 0) return { violations };
  return { spec: spec as unknown as FlowSpec, violations };
}

function walkTriggers(triggers: unknown[], ctx: WalkContext): unknown[] {
  const seen = new Map<string, number>();
  return triggers.map((trigger, index) => {
    if (isPlainObject(trigger) && typeof trigger.id === 'string') {
      const first = seen.get(trigger.id);
      if (first !== undefined) {
        ctx.violations.push({
          path: ['triggers', index, 'id'],
          message: `duplicate trigger id '${trigger.id}': already used by triggers[${first}]`,
        });
      } else {
        seen.set(trigger.id, index);
      }
    }
    return walkPlugin(trigger, ['triggers', index], 'trigger', ctx) ?? trigger;
  });
}

function checkLabels(labels: unknown, violations: RawViolation[]): void {
  const reserved = (key: string) => key.startsWith('system.');
  const message = (key: string) => `label '${key}' is reserved: 'system.' labels are set by Windhover itself`;
  if (isPlainObject(labels)) {
    for (const key of Object.keys(labels))
      if (reserved(key)) violations.push({ path: ['labels', key], message: message(key), atKey: true });
  } else if (Array.isArray(labels)) {
    labels.forEach((label, index) => {
      if (isPlainObject(label) && typeof label.key === 'string' && reserved(label.key)) {
        violations.push({ path: ['labels', index, 'key'], message: message(label.key) });
      }
    });
  }
}

function checkInputs(inputs: unknown, violations: RawViolation[]): InputSpec[] | undefined {
  if (!Array.isArray(inputs)) return undefined;
  const seen = new Map<string, number>();
  const keys = Object.keys(inputSpecSchema.shape);
  return inputs.map((input, index) => {
    const path: PathSegment[] = ['inputs', index];
    // `name` is the pre-0.15 spelling of `id`.
    const value = isPlainObject(input) && !('id' in input) && 'name' in input ? { ...input, id: input.name } : input;
    const result = inputSpecSchema.safeParse(value);
    if (!result.success) {
      violations.push(...issuesToViolations(result.error.issues, path, (p) => (p.length ? [] : keys)));
    } else {
      checkInputDefaults(result.data as InputSpec, path, violations);
    }
    if (isPlainObject(value) && typeof value.id === 'string') {
      const first = seen.get(value.id);
      if (first !== undefined) {
        violations.push({
          path: [...path, 'id'],
          message: `duplicate input id '${value.id}': already used by inputs[${first}]`,
        });
      } else {
        seen.set(value.id, index);
      }
    }
    if (isPlainObject(value)) {
      const { name: _name, ...rest } = value;
      return rest as InputSpec;
    }
    return value as InputSpec;
  });
}

/** A literal default must be a valid value of its input, or every execution without it fails. */
function checkInputDefaults(input: InputSpec, path: PathSegment[], violations: RawViolation[]): void {
  if (input.defaults === undefined || input.type === 'FILE' || isTemplate(input.defaults)) return;
  try {
    coerceInput(input, input.defaults);
  } catch (cause) {
    if (!(cause instanceof CoercionError)) throw cause;
    violations.push({ path: [...path, 'defaults'], message: `is not a valid ${input.type} value: ${cause.message}` });
  }
}

function checkSubflowRecursion(document: Record<string, unknown>, ctx: WalkContext): void {
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

function checkScheduledInputs(inputs: InputSpec[], triggers: TriggerSpec[], violations: RawViolation[]): void {
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
function checkTemplateSyntax(
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
function checkDashedInputReferences(
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
