import type { z } from 'zod';
import type { AnyPluginDefinition, PluginCategory } from '../plugin/define-plugin.ts';
import type { PluginRegistry } from '../plugin/plugin-registry.ts';
import type { PathSegment } from './flow-violation.ts';
import { formatPath } from './flow-violation.ts';
import { isKnownKestraType } from './kestra-type-catalog.ts';
import { applyPluginDefaults, isPlainObject, type PluginDefaultEntry } from './plugin-defaults.ts';
import {
  childListKeys,
  childMapKeys,
  defType,
  keysAt,
  literalIssuesAt,
  refCategory,
  unwrap,
  validationSchema,
} from './plugin-schema.ts';
import { resolveType, unsupportedMessage } from './type-resolver.ts';
import { issuesToViolations, type RawViolation } from './zod-issues.ts';

/** Where each task id was first seen, to name both places of a duplicate. */
export type IdRegistry = Map<string, PathSegment[]>;

/** State shared while one flow is validated. */
export interface WalkContext {
  registry: PluginRegistry;
  defaults: PluginDefaultEntry[];
  violations: RawViolation[];
  taskIds: IdRegistry;
  /** Plugins whose type is unknown or unsupported: nothing else is reported below them. */
  skipped: Set<string>;
  /** Tasks seen with their resolved definition, for cross-task checks. */
  tasks: { path: PathSegment[]; definition: AnyPluginDefinition; value: Record<string, unknown> }[];
}

const NOUN: Record<PluginCategory, string> = {
  task: 'a task with an id and a type',
  trigger: 'a trigger with an id and a type',
  condition: 'a condition with a type',
  provider: 'a provider with a type',
  embeddings: 'an embedding store with a type',
  retriever: 'a content retriever with a type',
  memory: 'a chat memory with a type',
};

/**
 * Validates one plugin value (task, trigger, condition or sub-plugin) and everything below it,
 * and returns it normalised: canonical type, defaults applied, aliases folded. Returns undefined
 * when the type is unknown or unsupported (one violation, nothing more for that subtree).
 */
export function walkPlugin(
  value: unknown,
  path: PathSegment[],
  category: PluginCategory,
  ctx: WalkContext,
): Record<string, unknown> | undefined {
  if (!isPlainObject(value)) {
    ctx.violations.push({ path, message: `expected ${NOUN[category]}, got ${describe(value)}` });
    return undefined;
  }
  if (category === 'task' || category === 'trigger') recordId(value, path, category, ctx);
  if (typeof value.type !== 'string' || value.type === '') {
    ctx.violations.push({
      path: [...path, 'type'],
      message: `is required: the plugin type, e.g. ${example(category)}`,
    });
    return undefined;
  }
  const resolution = resolveType(ctx.registry, value.type, category);
  if (resolution.kind !== 'found') {
    ctx.violations.push({ path: [...path, 'type'], message: resolution.message });
    ctx.skipped.add(formatPath(path));
    return undefined;
  }
  const definition = resolution.definition;
  const { value: withDefaults, fromDefaults } = applyPluginDefaults(value, definition, ctx.defaults);
  const schema = validationSchema(definition);
  const result = schema.safeParse(withDefaults);
  if (!result.success) {
    const violations = issuesToViolations(
      result.error.issues,
      path,
      (p) => keysAt(schema, p),
      (p) => literalIssuesAt(schema, withDefaults, p),
    );
    // Values that came from pluginDefaults were already checked (and reported) where they are written.
    const own = violations.filter((v) => {
      const key = v.path[path.length];
      return !(typeof key === 'string' && fromDefaults.has(key));
    });
    ctx.violations.push(...own.flatMap((v) => explainUnknownProperty(v, withDefaults, path, ctx)));
  }
  const normalised = normalise(withDefaults, path, category, ctx);
  normalised.type = definition.type;
  for (const [key, propertySchema] of Object.entries(schema.shape)) {
    if (key in normalised && !childListKeys(definition).includes(key) && !childMapKeys(definition).includes(key)) {
      normalised[key] = walkRefs(propertySchema as z.ZodType, normalised[key], [...path, key], ctx);
    }
  }
  for (const key of childListKeys(definition)) {
    const list = normalised[key];
    if (Array.isArray(list)) normalised[key] = walkTaskList(list, [...path, key], ctx, key !== 'errors');
  }
  for (const key of childMapKeys(definition)) {
    const map = normalised[key];
    if (isPlainObject(map)) {
      normalised[key] = Object.fromEntries(
        Object.entries(map).map(([name, list]) => [
          name,
          Array.isArray(list) ? walkTaskList(list, [...path, key, name], ctx, true) : list,
        ]),
      );
    }
  }
  if (category === 'task') ctx.tasks.push({ path, definition, value: normalised });
  return normalised;
}

/**
 * A property we do not know that holds plugins of the reference we do not implement (e.g.
 * `contentRetrievers: [{type: ...TavilyWebSearch}]`) is reported as those unsupported types:
 * that is the real reason, and the fix is the same.
 */
function explainUnknownProperty(
  violation: RawViolation,
  value: Record<string, unknown>,
  path: PathSegment[],
  ctx: WalkContext,
): RawViolation[] {
  const key = violation.path[path.length];
  if (!violation.atKey || violation.path.length !== path.length + 1 || typeof key !== 'string') return [violation];
  const found: RawViolation[] = [];
  const visit = (node: unknown, at: PathSegment[]): void => {
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) visit(item, [...at, index]);
    } else if (isPlainObject(node)) {
      if (typeof node.type === 'string' && !ctx.registry.get(node.type) && isKnownKestraType(node.type)) {
        found.push({ path: [...at, 'type'], message: unsupportedMessage(node.type) });
        return;
      }
      for (const [name, child] of Object.entries(node)) visit(child, [...at, name]);
    }
  };
  visit(value[key], [...path, key]);
  return found.length > 0 ? found : [violation];
}

/** Validates a list of tasks; an explicitly empty list is a mistake except for `errors`. */
export function walkTaskList(
  list: unknown[],
  path: PathSegment[],
  ctx: WalkContext,
  mustNotBeEmpty: boolean,
): unknown[] {
  if (list.length === 0 && mustNotBeEmpty) {
    ctx.violations.push({ path, message: 'must contain at least one task (or be removed)' });
  }
  return list.map((item, index) => {
    // Dag lists wrap each task: `- task: {...}; dependsOn: [...]`.
    if (isPlainObject(item) && !('type' in item) && isPlainObject(item.task)) {
      const task = walkPlugin(item.task, [...path, index, 'task'], 'task', ctx);
      return task ? { ...item, task } : item;
    }
    return walkPlugin(item, [...path, index], 'task', ctx) ?? item;
  });
}

/** Finds `pluginRef` properties below a schema and validates their values as sub-plugins. */
export function walkRefs(schema: z.ZodType, value: unknown, path: PathSegment[], ctx: WalkContext): unknown {
  const inner = unwrap(schema);
  const category = refCategory(inner);
  if (category) return isPlainObject(value) ? (walkPlugin(value, path, category, ctx) ?? value) : value;
  if (!containsRef(inner)) return value;
  const type = defType(inner);
  if (type === 'array' && Array.isArray(value)) {
    const element = (inner._zod.def as unknown as { element: z.ZodType }).element;
    return value.map((item, index) => walkRefs(element, item, [...path, index], ctx));
  }
  if (type === 'object' && isPlainObject(value)) {
    const shape = (inner as z.ZodObject).shape;
    const out: Record<string, unknown> = { ...value };
    for (const [key, child] of Object.entries(shape)) {
      if (key in out) out[key] = walkRefs(child as z.ZodType, out[key], [...path, key], ctx);
    }
    return out;
  }
  if (type === 'record' && isPlainObject(value)) {
    const valueType = (inner._zod.def as unknown as { valueType: z.ZodType }).valueType;
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, walkRefs(valueType, item, [...path, key], ctx)]),
    );
  }
  if (type === 'union') {
    const options = (inner._zod.def as unknown as { options: z.ZodType[] }).options;
    const kind = Array.isArray(value) ? 'array' : isPlainObject(value) ? 'object' : 'other';
    const option = options.find((o) => containsRef(o) && shapeKind(o) === kind);
    return option ? walkRefs(option, value, path, ctx) : value;
  }
  return value;
}

const refCache = new WeakMap<z.ZodType, boolean>();

function containsRef(schema: z.ZodType, seen = new Set<z.ZodType>()): boolean {
  const cached = refCache.get(schema);
  if (cached !== undefined) return cached;
  if (seen.has(schema)) return false;
  seen.add(schema);
  const inner = unwrap(schema);
  let found = refCategory(inner) !== undefined;
  if (!found) {
    const def = inner._zod.def as unknown as Record<string, unknown> & { type: string };
    const children: z.ZodType[] = [];
    if (def.type === 'array') children.push(def.element as z.ZodType);
    if (def.type === 'object') children.push(...(Object.values((inner as z.ZodObject).shape) as z.ZodType[]));
    if (def.type === 'record') children.push(def.valueType as z.ZodType);
    if (def.type === 'union') children.push(...(def.options as z.ZodType[]));
    found = children.some((child) => containsRef(child, seen));
  }
  refCache.set(schema, found);
  return found;
}

function shapeKind(schema: z.ZodType): 'array' | 'object' | 'other' {
  const inner = unwrap(schema);
  if (refCategory(inner)) return 'object';
  const type = defType(inner);
  return type === 'array' ? 'array' : type === 'object' || type === 'record' ? 'object' : 'other';
}

/** Folds 2.0 and deprecated spellings into the 1.x names the engine reads. */
function normalise(
  value: Record<string, unknown>,
  path: PathSegment[],
  category: PluginCategory,
  ctx: WalkContext,
): Record<string, unknown> {
  const out = { ...value };
  if (category === 'task' && 'when' in out) {
    if ('runIf' in out) {
      ctx.violations.push({ path: [...path, 'when'], message: "'when' and 'runIf' are the same property; keep one" });
    } else {
      out.runIf = out.when;
    }
    delete out.when;
  }
  if (isPlainObject(out.retry)) out.retry = normaliseRetry(out.retry, [...path, 'retry'], ctx);
  return out;
}

export function normaliseRetry(
  retry: Record<string, unknown>,
  path: PathSegment[],
  ctx: WalkContext,
): Record<string, unknown> {
  const out = { ...retry };
  if ('maxAttempt' in out) {
    if ('maxAttempts' in out) {
      ctx.violations.push({
        path: [...path, 'maxAttempt'],
        message: "'maxAttempt' is the deprecated spelling of 'maxAttempts'; keep one",
      });
    } else {
      out.maxAttempts = out.maxAttempt;
    }
    delete out.maxAttempt;
  }
  return out;
}

function recordId(value: Record<string, unknown>, path: PathSegment[], category: PluginCategory, ctx: WalkContext) {
  // A missing id is reported by the schema; only duplicates are checked here.
  if (typeof value.id !== 'string' || category !== 'task') return;
  const first = ctx.taskIds.get(value.id);
  if (first) {
    ctx.violations.push({
      path: [...path, 'id'],
      message: `duplicate task id '${value.id}': already used by ${formatPath(first)}; task ids must be unique in the flow`,
      relatedPath: [...first, 'id'],
    });
  } else {
    ctx.taskIds.set(value.id, path);
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a map' : `${typeof value} ${JSON.stringify(value)}`;
}

function example(category: PluginCategory): string {
  if (category === 'task') return 'io.kestra.plugin.core.log.Log';
  if (category === 'trigger') return 'io.kestra.plugin.core.trigger.Schedule';
  if (category === 'provider') return 'io.kestra.plugin.ai.provider.OpenAI';
  if (category === 'embeddings') return 'io.kestra.plugin.ai.embeddings.KestraKVStore';
  if (category === 'retriever') return 'io.kestra.plugin.ai.retriever.TavilyWebSearch';
  if (category === 'memory') return 'io.kestra.plugin.ai.memory.KestraKVStore';
  return 'io.kestra.plugin.core.condition.Expression';
}
