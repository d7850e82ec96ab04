import { isTemplate } from '../plugin/dynamic.ts';
import type { PluginRegistry } from '../plugin/plugin-registry.ts';
import {
  checkDashedInputReferences,
  checkScheduledInputs,
  checkSubflowRecursion,
  checkTemplateSyntax,
} from './flow-cross-checks.ts';
import { flowTopLevelSchema } from './flow-schema.ts';
import type { FlowSpec, InputSpec, PluginDefaultSpec, TriggerSpec } from './flow-types.ts';
import type { PathSegment } from './flow-violation.ts';
import { normaliseRetry, type WalkContext, walkPlugin, walkTaskList } from './flow-walker.ts';
import { CoercionError, coerceInput } from './input-coercion.ts';
import { inputSpecSchema } from './input-spec-schema.ts';
import { isPlainObject } from './plugin-defaults.ts';
import { collectPluginDefaults } from './plugin-defaults-check.ts';
import { issuesToViolations, type RawViolation } from './zod-issues.ts';

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
