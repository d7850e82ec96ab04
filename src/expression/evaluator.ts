import type { Arguments, Expression, Template, TemplateNode } from './ast.ts';
import { builtinFunctions } from './builtin-functions.ts';
import { builtinTests } from './builtin-tests.ts';
import { builtinFilters } from './filters/index.ts';
import { LIMITS } from './limits.ts';
import { parseExpressionSource, parseTemplateSource } from './parser.ts';
import { ExpressionValueError, TemplateError } from './template-error.ts';
import type { EvaluationContext, ExpressionFilter, ExpressionFunction, FunctionCall, RenderOptions } from './types.ts';
import {
  asIterable,
  asNumber,
  checkLength,
  checkListLength,
  compare,
  contains,
  deepEqual,
  getMember,
  isPlainMap,
  isTruthy,
  MISSING,
  makeRange,
  toText,
  typeName,
} from './values.ts';

/** Shared by a render and the renders it triggers with `render()`, so limits hold overall. */
export interface RenderState {
  steps: number;
  depth: number;
}

/** Tests that must see undefined variables instead of failing on them (strict mode otherwise). */
const LENIENT_TESTS = new Set(['defined', 'null', 'empty']);
const NOT_SYNC: unique symbol = Symbol('not-sync');

/** Text of an access path (`outputs['task-id'].value`) for error messages. */
function pathOf(node: Expression): string {
  switch (node.kind) {
    case 'variable':
      return node.name;
    case 'member':
      return `${pathOf(node.object)}.${node.name}`;
    case 'index':
      return `${pathOf(node.object)}[${node.index.kind === 'literal' ? JSON.stringify(node.index.value) : '...'}]`;
    case 'call':
      return `${node.name}(...)`;
    case 'filter':
      return `(... | ${node.name})`;
    default:
      return 'expression';
  }
}

function describeKeys(value: unknown): string {
  if (!isPlainMap(value)) return '';
  const keys = Object.keys(value);
  if (keys.length === 0) return ' (it is an empty map)';
  const shown = keys.slice(0, 15).join(', ');
  return ` (available: ${shown}${keys.length > 15 ? ', ...' : ''})`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Walks a parsed template or expression and produces its value; one instance per render. */
export class Evaluator {
  readonly #scopes: Array<Record<string, unknown>> = [Object.create(null) as Record<string, unknown>];
  readonly #functions: Record<string, ExpressionFunction>;
  readonly #filters: Record<string, ExpressionFilter>;

  constructor(
    private readonly source: string,
    private readonly options: RenderOptions,
    private readonly state: RenderState,
  ) {
    this.#functions = options.functions ?? {};
    this.#filters = options.filters ?? {};
  }

  fail(reason: string, pos: number, cause?: unknown): never {
    throw new TemplateError(reason, this.source, pos, cause === undefined ? undefined : { cause });
  }

  step(pos: number): void {
    if (++this.state.steps > LIMITS.maxSteps) {
      this.fail(`evaluation exceeded ${LIMITS.maxSteps} steps; is a loop running over a huge range?`, pos);
    }
  }

  /** Renders template nodes to text. */
  async render(template: Template): Promise<string> {
    const parts: string[] = [];
    await this.renderNodes(template.nodes, parts, { length: 0 });
    return parts.join('');
  }

  async renderNodes(nodes: TemplateNode[], parts: string[], size: { length: number }): Promise<void> {
    const emit = (text: string, pos: number) => {
      size.length += text.length;
      if (size.length > LIMITS.maxOutputLength) {
        this.fail(`rendered output exceeds the ${LIMITS.maxOutputLength}-character limit`, pos);
      }
      parts.push(text);
    };
    for (const node of nodes) {
      switch (node.kind) {
        case 'text':
          emit(node.value, node.pos);
          break;
        case 'print': {
          const quick = this.sync(node.expression, false);
          emit(toText(quick === NOT_SYNC ? await this.evaluate(node.expression) : quick), node.pos);
          break;
        }
        case 'if': {
          let chosen = node.otherwise;
          for (const branch of node.branches) {
            if (isTruthy(await this.evaluate(branch.test))) {
              chosen = branch.body;
              break;
            }
          }
          await this.renderNodes(chosen, parts, size);
          break;
        }
        case 'for':
          await this.renderFor(node, parts, size);
          break;
        case 'set':
          (this.#scopes[this.#scopes.length - 1] as Record<string, unknown>)[node.name] = await this.evaluate(
            node.value,
          );
          break;
        case 'filterBlock': {
          const inner: string[] = [];
          await this.renderNodes(node.body, inner, { length: size.length });
          let value: unknown = inner.join('');
          for (const filter of node.filters)
            value = await this.applyFilter(filter.name, value, filter.args, filter.pos);
          emit(toText(value), node.pos);
          break;
        }
      }
    }
  }

  async renderFor(node: Extract<TemplateNode, { kind: 'for' }>, parts: string[], size: { length: number }) {
    const iterable = await this.evaluate(node.iterable);
    let items: unknown[];
    try {
      items = asIterable(iterable, 'for');
    } catch (error) {
      this.fail(`cannot loop over '${pathOf(node.iterable)}': ${messageOf(error)}`, node.pos);
    }
    if (items.length === 0) {
      await this.renderNodes(node.otherwise, parts, size);
      return;
    }
    const scope: Record<string, unknown> = Object.create(null);
    this.#scopes.push(scope);
    try {
      const length = items.length;
      for (let index = 0; index < length; index++) {
        this.step(node.pos);
        scope[node.variable] = items[index];
        scope.loop = { index, revindex: length - index - 1, first: index === 0, last: index === length - 1, length };
        await this.renderNodes(node.body, parts, size);
      }
    } finally {
      this.#scopes.pop();
    }
  }

  lookup(name: string): unknown {
    for (let i = this.#scopes.length - 1; i >= 0; i--) {
      const scope = this.#scopes[i] as Record<string, unknown>;
      if (name in scope) return scope[name];
    }
    return getMember(this.options.variables, name);
  }

  /** Variables visible here: the render's variables overlaid with `set` and loop variables. */
  visibleVariables(): Record<string, unknown> {
    if (this.#scopes.every((scope) => Object.keys(scope).length === 0)) return this.options.variables;
    return Object.assign({}, this.options.variables, ...this.#scopes);
  }

  /** Evaluates plain access chains without promises (the common `{{ outputs.task.value }}`). */
  sync(node: Expression, lenient: boolean): unknown {
    switch (node.kind) {
      case 'literal':
        return node.value;
      case 'variable':
        return this.variable(node, lenient);
      case 'member': {
        const object = this.sync(node.object, lenient);
        return object === NOT_SYNC ? NOT_SYNC : this.member(node, object, node.name, lenient);
      }
      case 'index': {
        if (node.index.kind !== 'literal') return NOT_SYNC;
        const object = this.sync(node.object, lenient);
        return object === NOT_SYNC ? NOT_SYNC : this.member(node, object, node.index.value, lenient);
      }
      default:
        return NOT_SYNC;
    }
  }

  variable(node: Extract<Expression, { kind: 'variable' }>, lenient: boolean): unknown {
    this.step(node.pos);
    const value = this.lookup(node.name);
    if (value === MISSING && !lenient) {
      const known = Object.keys(this.visibleVariables()).slice(0, 20).join(', ');
      this.fail(`variable '${node.name}' is not defined${known ? ` (defined: ${known})` : ''}`, node.pos);
    }
    return value;
  }

  member(node: Expression, object: unknown, key: unknown, lenient: boolean): unknown {
    this.step(node.pos);
    if (object === MISSING) return MISSING;
    const path = pathOf(node);
    if (object === null || object === undefined) {
      if (lenient) return MISSING;
      this.fail(
        `cannot read '${String(key)}' of null: '${path.slice(0, path.lastIndexOf(node.kind === 'member' ? '.' : '['))}' is null`,
        node.pos,
      );
    }
    const value = getMember(object, key);
    if (value === MISSING && !lenient) {
      const container = typeName(object);
      const reason =
        container === 'map' || container === 'list' || container === 'string'
          ? `'${path}' is not defined${describeKeys(object)}`
          : `'${path}' is not defined: cannot read attributes of a ${container}`;
      this.fail(reason, node.pos);
    }
    return value;
  }

  /** Evaluates an expression to its value; `lenient` turns undefined variables into MISSING. */
  async evaluate(node: Expression, lenient = false): Promise<unknown> {
    const quick = this.sync(node, lenient);
    if (quick !== NOT_SYNC) return quick;
    this.step(node.pos);
    switch (node.kind) {
      case 'member':
        return this.member(node, await this.evaluate(node.object, lenient), node.name, lenient);
      case 'index': {
        const object = await this.evaluate(node.object, lenient);
        return this.member(node, object, await this.evaluate(node.index), lenient);
      }
      case 'call':
        return this.call(node);
      case 'filter': {
        const input = await this.evaluate(node.input, node.name === 'default');
        return this.applyFilter(node.name, input, node.args, node.pos);
      }
      case 'test':
        return this.test(node);
      case 'unary':
        return this.unary(node);
      case 'binary':
        return this.binary(node);
      case 'conditional':
        return isTruthy(await this.evaluate(node.test)) ? this.evaluate(node.then) : this.evaluate(node.otherwise);
      case 'list': {
        const items: unknown[] = [];
        for (const item of node.items) items.push(await this.evaluate(item));
        return items;
      }
      case 'map': {
        const map: Record<string, unknown> = {};
        for (const [keyNode, valueNode] of node.entries) {
          const key = toText(await this.evaluate(keyNode));
          if (key === '__proto__') this.fail("'__proto__' cannot be a map key", keyNode.pos);
          map[key] = await this.evaluate(valueNode);
        }
        return map;
      }
      default:
        return this.fail(`cannot evaluate ${node.kind}`, node.pos);
    }
  }

  async args(args: Arguments): Promise<FunctionCall> {
    const call: FunctionCall = { positional: [], named: {} };
    for (const arg of args.positional) call.positional.push(await this.evaluate(arg));
    for (const [name, arg] of args.named) call.named[name] = await this.evaluate(arg);
    return call;
  }

  context(): EvaluationContext {
    const variables = this.visibleVariables();
    const options: RenderOptions = { ...this.options, variables };
    const state = this.state;
    return {
      variables,
      renderDepth: state.depth,
      render: (template: string) => renderWithState(template, options, state),
      evaluate: (expression: string) => evaluateWithState(expression, options, state),
    };
  }

  async call(node: Extract<Expression, { kind: 'call' }>): Promise<unknown> {
    const fn = Object.hasOwn(this.#functions, node.name)
      ? this.#functions[node.name]
      : Object.hasOwn(builtinFunctions, node.name)
        ? builtinFunctions[node.name]
        : undefined;
    if (!fn) {
      const known = [...new Set([...Object.keys(builtinFunctions), ...Object.keys(this.#functions)])].sort().join(', ');
      this.fail(`unknown function '${node.name}'; known functions: ${known}`, node.pos);
    }
    const call = await this.args(node.args);
    try {
      return await fn(call, this.context());
    } catch (error) {
      if (error instanceof TemplateError && error.line > 0) throw error;
      this.fail(`function '${node.name}': ${messageOf(error)}`, node.pos, error);
    }
  }

  async applyFilter(name: string, input: unknown, args: Arguments, pos: number): Promise<unknown> {
    const filter = Object.hasOwn(this.#filters, name)
      ? this.#filters[name]
      : Object.hasOwn(builtinFilters, name)
        ? builtinFilters[name]
        : undefined;
    if (!filter) {
      const known = [...new Set([...Object.keys(builtinFilters), ...Object.keys(this.#filters)])].sort().join(', ');
      this.fail(`unknown filter '${name}'; known filters: ${known}`, pos);
    }
    const call = await this.args(args);
    try {
      return await filter(input, call, this.context());
    } catch (error) {
      if (error instanceof TemplateError && error.line > 0) throw error;
      this.fail(`filter '${name}': ${messageOf(error)}`, pos, error);
    }
  }

  async test(node: Extract<Expression, { kind: 'test' }>): Promise<boolean> {
    const test = Object.hasOwn(builtinTests, node.name) ? builtinTests[node.name] : undefined;
    if (!test) this.fail(`unknown test '${node.name}'; known tests: ${Object.keys(builtinTests).join(', ')}`, node.pos);
    const input = await this.evaluate(node.input, LENIENT_TESTS.has(node.name));
    const call = await this.args(node.args);
    let result: boolean;
    try {
      result = test(input, call);
    } catch (error) {
      this.fail(`test '${node.name}': ${messageOf(error)}`, node.pos, error);
    }
    return node.negated ? !result : result;
  }

  async unary(node: Extract<Expression, { kind: 'unary' }>): Promise<unknown> {
    const value = await this.evaluate(node.operand);
    if (node.operator === 'not') return !isTruthy(value);
    const n = asNumber(value);
    if (n === undefined) this.fail(`operator '${node.operator}' expects a number, got ${typeName(value)}`, node.pos);
    return node.operator === '-' ? -n : n;
  }

  async binary(node: Extract<Expression, { kind: 'binary' }>): Promise<unknown> {
    const { operator } = node;
    if (operator === '??') {
      const left = await this.evaluate(node.left, true);
      return left === MISSING || left === null || left === undefined ? this.evaluate(node.right) : left;
    }
    if (operator === 'and')
      return isTruthy(await this.evaluate(node.left)) && isTruthy(await this.evaluate(node.right));
    if (operator === 'or') return isTruthy(await this.evaluate(node.left)) || isTruthy(await this.evaluate(node.right));
    const left = await this.evaluate(node.left);
    const right = await this.evaluate(node.right);
    try {
      return binaryOperation(operator, left, right);
    } catch (error) {
      this.fail(messageOf(error), node.pos, error);
    }
  }
}

function numbers(operator: string, left: unknown, right: unknown): [number, number] {
  const a = asNumber(left);
  const b = asNumber(right);
  if (a === undefined || b === undefined) {
    throw new ExpressionValueError(
      `operator '${operator}' expects numbers, got ${typeName(left)} and ${typeName(right)}`,
    );
  }
  return [a, b];
}

/** Operators whose operands are both evaluated. */
export function binaryOperation(operator: string, left: unknown, right: unknown): unknown {
  switch (operator) {
    case '==':
      return deepEqual(left, right);
    case '!=':
      return !deepEqual(left, right);
    case '<':
      return compare(left, right) < 0;
    case '>':
      return compare(left, right) > 0;
    case '<=':
      return compare(left, right) <= 0;
    case '>=':
      return compare(left, right) >= 0;
    case 'in':
      return contains(right, left);
    case 'not in':
      return !contains(right, left);
    case 'contains':
      return contains(left, right);
    case '~':
      return checkLength(toText(left) + toText(right));
    case '+': {
      if (typeof left === 'number' && typeof right === 'number') return left + right;
      if (typeof left === 'string' || typeof right === 'string') {
        const a = asNumber(left);
        const b = asNumber(right);
        if (a !== undefined && b !== undefined && typeof left !== typeof right) return a + b;
        return checkLength(toText(left) + toText(right));
      }
      if (Array.isArray(left) && Array.isArray(right)) return checkListLength([...left, ...right]);
      const [a, b] = numbers('+', left, right);
      return a + b;
    }
    case '-': {
      const [a, b] = numbers('-', left, right);
      return a - b;
    }
    case '*': {
      const [a, b] = numbers('*', left, right);
      return a * b;
    }
    case '/': {
      const [a, b] = numbers('/', left, right);
      if (b === 0) throw new ExpressionValueError('division by zero');
      return a / b;
    }
    case '//': {
      const [a, b] = numbers('//', left, right);
      if (b === 0) throw new ExpressionValueError('division by zero');
      return Math.trunc(a / b);
    }
    case '%': {
      const [a, b] = numbers('%', left, right);
      if (b === 0) throw new ExpressionValueError('modulo by zero');
      return a % b;
    }
    case '..': {
      const [a, b] = numbers('..', left, right);
      return makeRange(a, b, 1);
    }
    default:
      throw new ExpressionValueError(`unknown operator '${operator}'`);
  }
}

// The cache and entry points live here, next to the evaluator, because the context given to
// functions (`render()`, host functions) renders nested templates through them.

const templateCache = new Map<string, Template>();
const expressionCache = new Map<string, Expression>();

function cached<T>(cache: Map<string, T>, key: string, parse: (source: string) => T): T {
  const hit = cache.get(key);
  if (hit !== undefined) {
    // Re-insert so the map's insertion order doubles as least-recently-used order.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const parsed = parse(key);
  cache.set(key, parsed);
  if (cache.size > LIMITS.cacheSize) cache.delete(cache.keys().next().value as string);
  return parsed;
}

/** True when a string contains template syntax and needs rendering. */
export function hasTemplateSyntax(source: string): boolean {
  return source.includes('{{') || source.includes('{%') || source.includes('{#');
}

export function parseCached(source: string): Template {
  return cached(templateCache, source, parseTemplateSource);
}

export function parseExpressionCached(source: string): Expression {
  return cached(expressionCache, source, parseExpressionSource);
}

function enter(state: RenderState): void {
  if (state.depth > LIMITS.maxRenderDepth) {
    throw new TemplateError(
      `render() nested deeper than ${LIMITS.maxRenderDepth} levels; is a template rendering itself?`,
    );
  }
}

export async function renderWithState(source: string, options: RenderOptions, state: RenderState): Promise<string> {
  if (!hasTemplateSyntax(source)) return source;
  enter(state);
  const template = parseCached(source);
  state.depth++;
  try {
    return await new Evaluator(source, options, state).render(template);
  } finally {
    state.depth--;
  }
}

export async function evaluateWithState(source: string, options: RenderOptions, state: RenderState): Promise<unknown> {
  enter(state);
  const expression = parseExpressionCached(source);
  state.depth++;
  try {
    const value = await new Evaluator(source, options, state).evaluate(expression);
    return value === MISSING ? null : value;
  } finally {
    state.depth--;
  }
}
