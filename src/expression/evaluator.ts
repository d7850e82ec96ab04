import type { Arguments, Expression, Template, TemplateNode } from './ast.ts';
import { builtinFunctions } from './builtin-functions.ts';
import { builtinTests } from './builtin-tests.ts';
import { builtinFilters } from './filters/index.ts';
import { LIMITS } from './limits.ts';
import { callMember, memberNames, propertyMember } from './members.ts';
import { binaryOperation } from './operators.ts';
import { hasTemplateSyntax, parseCached, parseExpressionCached } from './parse-cache.ts';
import { TemplateError } from './template-error.ts';
import type {
  EvaluationContext,
  ExpressionFilter,
  ExpressionFunction,
  ExpressionTest,
  FunctionCall,
  RenderOptions,
} from './types.ts';
import { asIterable, asNumber, getMember, isPlainMap, isTruthy, MISSING, toText, typeName } from './values.ts';

/** Shared by a render and the renders it triggers with `render()`, so limits hold overall. */
export interface RenderState {
  steps: number;
  depth: number;
}

/** Tests that must see undefined variables instead of failing on them (strict mode otherwise). */
const LENIENT_TESTS = new Set(['defined', 'null', 'empty']);
const NOT_SYNC: unique symbol = Symbol('not-sync');
/** Built-in functions that render templates, hence async. */
const ASYNC_BUILTINS = new Set(['render', 'renderOnce']);

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
    case 'method':
      return `${pathOf(node.object)}.${node.name}(...)`;
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

/** `inputs.server-fqn` parses as `inputs.server - fqn`; point at the bracket form. */
function dashHint(object: unknown, key: unknown, path: string): string {
  if (!isPlainMap(object)) return '';
  const dashed = Object.keys(object).find((name) => name.startsWith(`${String(key)}-`));
  if (!dashed) return '';
  const parent = path.slice(0, path.length - String(key).length - 1);
  return `; for a key with dashes write ${parent}['${dashed}']`;
}

/** `map.size` reads a key; point at the member call, as for a key nobody defined. */
function memberHint(object: unknown, key: unknown): string {
  if (typeof key !== 'string') return '';
  if (isPlainMap(object) && memberNames(object).includes(key)) return `; to call the map's member write .${key}()`;
  if (typeof object === 'string' || Array.isArray(object)) {
    return `; ${typeName(object)} members: ${memberNames(object).join(', ')}`;
  }
  return '';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What functions and filters see; a class, so building one per render allocates no closures. */
class RenderContext implements EvaluationContext {
  constructor(
    private readonly evaluator: Evaluator,
    private readonly options: RenderOptions,
    private readonly state: RenderState,
  ) {}

  get variables(): Record<string, unknown> {
    return this.evaluator.visibleVariables();
  }

  get renderDepth(): number {
    return this.state.depth;
  }

  render(template: string): Promise<string> {
    return renderWithState(template, { ...this.options, variables: this.variables }, this.state);
  }

  evaluate(expression: string): Promise<unknown> {
    return evaluateWithState(expression, { ...this.options, variables: this.variables }, this.state);
  }
}

/** Walks a parsed template or expression and produces its value; one instance per render. */
export class Evaluator {
  readonly #scopes: Array<Record<string, unknown>> = [];
  readonly #functions: Record<string, ExpressionFunction>;
  readonly #filters: Record<string, ExpressionFilter>;
  #context: EvaluationContext | undefined;

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

  step(pos: number, cost = 1): void {
    this.state.steps += cost;
    if (this.state.steps > LIMITS.maxSteps) {
      this.fail(`evaluation exceeded ${LIMITS.maxSteps} steps; is a loop running over a huge range?`, pos);
    }
  }

  /**
   * Charges the size of a built value, so work done inside filters and functions (a range, a
   * sort, a replace over a big string) counts against the step budget, not only node visits.
   */
  charge<T>(value: T, pos: number): T {
    if (Array.isArray(value)) this.step(pos, value.length);
    else if (typeof value === 'string' && value.length > 4096) this.step(pos, value.length >> 6);
    return value;
  }

  /** Renders template nodes to text. */
  async render(template: Template): Promise<string> {
    this.#out = '';
    const pending = this.renderNodes(template.nodes, 0);
    if (pending) await pending;
    return this.#out;
  }

  // Rendering sits on the engine's hot path, so it runs synchronously as long as nothing
  // is async (host functions, render()), and only then continues through promises. Output
  // accumulates in one string (V8 concatenates into ropes cheaply).
  #out = '';

  emit(text: string, pos: number): void {
    if (this.#out.length + text.length > LIMITS.maxOutputLength) {
      this.fail(`rendered output exceeds the ${LIMITS.maxOutputLength}-character limit`, pos);
    }
    this.#out += text;
  }

  /** The value of an expression, or a promise of it when part of it is async. */
  valueOf(node: Expression): unknown {
    const value = this.sync(node, false);
    return value === NOT_SYNC ? this.evaluate(node) : value;
  }

  /** Renders nodes from `start`; returns a promise only if some node had to wait. */
  renderNodes(nodes: TemplateNode[], start: number): Promise<void> | undefined {
    for (let i = start; i < nodes.length; i++) {
      const pending = this.renderNode(nodes[i] as TemplateNode);
      if (pending) {
        const next = i + 1;
        return pending.then(() => this.renderNodes(nodes, next));
      }
    }
    return undefined;
  }

  renderNode(node: TemplateNode): Promise<void> | undefined {
    switch (node.kind) {
      case 'text':
        this.emit(node.value, node.pos);
        return undefined;
      case 'print': {
        const value = this.valueOf(node.expression);
        if (value instanceof Promise) return value.then((resolved) => this.emit(toText(resolved), node.pos));
        this.emit(toText(value), node.pos);
        return undefined;
      }
      case 'if':
        return this.renderIf(node, 0);
      case 'for': {
        const iterable = this.valueOf(node.iterable);
        if (iterable instanceof Promise) return iterable.then((resolved) => this.renderFor(node, resolved));
        return this.renderFor(node, iterable);
      }
      case 'set': {
        const value = this.valueOf(node.value);
        if (value instanceof Promise) {
          return value.then((resolved) => {
            this.scope()[node.name] = resolved;
          });
        }
        this.scope()[node.name] = value;
        return undefined;
      }
      case 'filterBlock':
        return this.renderFilterBlock(node);
    }
  }

  renderIf(node: Extract<TemplateNode, { kind: 'if' }>, from: number): Promise<void> | undefined {
    for (let i = from; i < node.branches.length; i++) {
      const branch = node.branches[i] as { test: Expression; body: TemplateNode[] };
      const test = this.valueOf(branch.test);
      if (test instanceof Promise) {
        const next = i + 1;
        return test.then((resolved) =>
          isTruthy(resolved) ? this.renderNodes(branch.body, 0) : this.renderIf(node, next),
        );
      }
      if (isTruthy(test)) return this.renderNodes(branch.body, 0);
    }
    return this.renderNodes(node.otherwise, 0);
  }

  async renderFilterBlock(node: Extract<TemplateNode, { kind: 'filterBlock' }>): Promise<void> {
    const before = this.#out;
    this.#out = '';
    try {
      const pending = this.renderNodes(node.body, 0);
      if (pending) await pending;
    } catch (error) {
      this.#out = before;
      throw error;
    }
    let value: unknown = this.#out;
    this.#out = before;
    for (const filter of node.filters) value = await this.applyFilter(filter.name, value, filter.args, filter.pos);
    this.emit(toText(value), node.pos);
  }

  /** The innermost scope for `set`, created on first use. */
  scope(): Record<string, unknown> {
    if (this.#scopes.length === 0) this.#scopes.push(Object.create(null) as Record<string, unknown>);
    return this.#scopes[this.#scopes.length - 1] as Record<string, unknown>;
  }

  renderFor(node: Extract<TemplateNode, { kind: 'for' }>, iterable: unknown): Promise<void> | undefined {
    let items: unknown[];
    try {
      items = asIterable(iterable, 'for');
    } catch (error) {
      this.fail(`cannot loop over '${pathOf(node.iterable)}': ${messageOf(error)}`, node.pos);
    }
    if (items.length === 0) return this.renderNodes(node.otherwise, 0);
    const scope: Record<string, unknown> = Object.create(null);
    this.#scopes.push(scope);
    let pending: Promise<void> | undefined;
    try {
      pending = this.iterate(node, items, scope, 0);
    } catch (error) {
      this.#scopes.pop();
      throw error;
    }
    if (!pending) {
      this.#scopes.pop();
      return undefined;
    }
    return pending.finally(() => this.#scopes.pop());
  }

  iterate(
    node: Extract<TemplateNode, { kind: 'for' }>,
    items: unknown[],
    scope: Record<string, unknown>,
    from: number,
  ): Promise<void> | undefined {
    const length = items.length;
    for (let index = from; index < length; index++) {
      this.step(node.pos);
      scope[node.variable] = items[index];
      scope.loop = { index, revindex: length - index - 1, first: index === 0, last: index === length - 1, length };
      const pending = this.renderNodes(node.body, 0);
      if (pending) return pending.then(() => this.iterate(node, items, scope, index + 1));
    }
    return undefined;
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
        const object = this.sync(node.object, lenient);
        if (object === NOT_SYNC) return NOT_SYNC;
        const index = node.index.kind === 'literal' ? node.index.value : this.sync(node.index, false);
        return index === NOT_SYNC ? NOT_SYNC : this.member(node, object, index, lenient);
      }
      case 'method': {
        const object = this.sync(node.object, lenient);
        if (object === NOT_SYNC) return NOT_SYNC;
        const call = this.syncArguments(node.args);
        return call === NOT_SYNC ? NOT_SYNC : this.method(node, object, call, lenient);
      }
      default:
        return this.syncComposite(node);
    }
  }

  /**
   * Operators, literals, built-in filters, tests and functions, without promises. Returns
   * NOT_SYNC (before calling anything) where a host function or filter may be async; the
   * caller then evaluates the node asynchronously. Built-ins are pure or harmless to repeat
   * (now, uuid), so a sibling falling back to the async path re-evaluates nothing that matters.
   */
  syncComposite(node: Expression): unknown {
    switch (node.kind) {
      case 'unary': {
        const value = this.sync(node.operand, false);
        return value === NOT_SYNC ? NOT_SYNC : this.unaryValue(node, value);
      }
      case 'binary': {
        const { operator } = node;
        if (operator === '??') {
          const left = this.sync(node.left, true);
          if (left === NOT_SYNC) return NOT_SYNC;
          return left === MISSING || left === null || left === undefined ? this.sync(node.right, false) : left;
        }
        const left = this.sync(node.left, false);
        if (left === NOT_SYNC) return NOT_SYNC;
        if (operator === 'and' || operator === 'or') {
          if (operator === 'and' ? !isTruthy(left) : isTruthy(left)) return operator === 'or';
          const right = this.sync(node.right, false);
          return right === NOT_SYNC ? NOT_SYNC : isTruthy(right);
        }
        const right = this.sync(node.right, false);
        return right === NOT_SYNC ? NOT_SYNC : this.binaryValue(node, left, right);
      }
      case 'conditional': {
        const test = this.sync(node.test, false);
        if (test === NOT_SYNC) return NOT_SYNC;
        return this.sync(isTruthy(test) ? node.then : node.otherwise, false);
      }
      case 'filter': {
        if (Object.hasOwn(this.#filters, node.name) || !Object.hasOwn(builtinFilters, node.name)) return NOT_SYNC;
        const input = this.sync(node.input, node.name === 'default');
        if (input === NOT_SYNC) return NOT_SYNC;
        const call = this.syncArguments(node.args);
        if (call === NOT_SYNC) return NOT_SYNC;
        return this.invokeFilter(builtinFilters[node.name] as ExpressionFilter, node.name, input, call, node.pos);
      }
      case 'test': {
        if (!Object.hasOwn(builtinTests, node.name)) return NOT_SYNC;
        const input = this.sync(node.input, LENIENT_TESTS.has(node.name));
        if (input === NOT_SYNC) return NOT_SYNC;
        const call = this.syncArguments(node.args);
        return call === NOT_SYNC ? NOT_SYNC : this.testValue(node, input, call);
      }
      case 'call': {
        if (Object.hasOwn(this.#functions, node.name) || ASYNC_BUILTINS.has(node.name)) return NOT_SYNC;
        if (!Object.hasOwn(builtinFunctions, node.name)) return NOT_SYNC;
        const call = this.syncArguments(node.args);
        if (call === NOT_SYNC) return NOT_SYNC;
        return this.invokeFunction(builtinFunctions[node.name] as ExpressionFunction, node.name, call, node.pos);
      }
      case 'list': {
        const items: unknown[] = [];
        for (const item of node.items) {
          const value = this.sync(item, false);
          if (value === NOT_SYNC) return NOT_SYNC;
          items.push(value);
        }
        return items;
      }
      case 'map': {
        const map: Record<string, unknown> = {};
        for (const [keyNode, valueNode] of node.entries) {
          const key = this.sync(keyNode, false);
          const value = key === NOT_SYNC ? NOT_SYNC : this.sync(valueNode, false);
          if (key === NOT_SYNC || value === NOT_SYNC) return NOT_SYNC;
          map[this.mapKey(key, keyNode.pos)] = value;
        }
        return map;
      }
      default:
        return NOT_SYNC;
    }
  }

  syncArguments(args: Arguments): FunctionCall | typeof NOT_SYNC {
    const call: FunctionCall = { positional: [], named: {} };
    for (const arg of args.positional) {
      const value = this.sync(arg, false);
      if (value === NOT_SYNC) return NOT_SYNC;
      call.positional.push(value);
    }
    for (const [name, arg] of args.named) {
      const value = this.sync(arg, false);
      if (value === NOT_SYNC) return NOT_SYNC;
      call.named[name] = value;
    }
    return call;
  }

  mapKey(key: unknown, pos: number): string {
    const text = toText(key);
    if (text === '__proto__') this.fail("'__proto__' cannot be a map key", pos);
    return text;
  }

  /** Calls a filter; a thrown error becomes a TemplateError at the filter's position. */
  invokeFilter(filter: ExpressionFilter, name: string, input: unknown, call: FunctionCall, pos: number): unknown {
    try {
      const result = this.charge(filter(input, call, this.context()), pos);
      return result instanceof Promise
        ? result.catch((error: unknown) => this.wrapError(`filter '${name}'`, error, pos))
        : result;
    } catch (error) {
      return this.wrapError(`filter '${name}'`, error, pos);
    }
  }

  invokeFunction(fn: ExpressionFunction, name: string, call: FunctionCall, pos: number): unknown {
    try {
      const result = this.charge(fn(call, this.context()), pos);
      return result instanceof Promise
        ? result.catch((error: unknown) => this.wrapError(`function '${name}'`, error, pos))
        : result;
    } catch (error) {
      return this.wrapError(`function '${name}'`, error, pos);
    }
  }

  wrapError(what: string, error: unknown, pos: number): never {
    if (error instanceof TemplateError && error.line > 0) throw error;
    this.fail(`${what}: ${messageOf(error)}`, pos, error);
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
    if (object === null || object === undefined) {
      if (lenient) return MISSING;
      const path = pathOf(node);
      const parent = path.slice(0, path.lastIndexOf(node.kind === 'member' ? '.' : '['));
      this.fail(`cannot read '${String(key)}' of null: '${parent}' is null`, node.pos);
    }
    let value = getMember(object, key);
    // As Pebble falls back to Java getters: `s.length`, `list.size` (never on maps: keys only).
    if (value === MISSING && typeof key === 'string') value = this.property(node, object, key);
    if (value === MISSING && !lenient) {
      const container = typeName(object);
      const path = pathOf(node);
      const reason =
        container === 'map' || container === 'list' || container === 'string'
          ? `'${path}' is not defined${describeKeys(object)}${dashHint(object, key, path)}${memberHint(object, key)}`
          : `'${path}' is not defined: cannot read attributes of a ${container}`;
      this.fail(reason, node.pos);
    }
    return value;
  }

  property(node: Expression, object: unknown, key: string): unknown {
    try {
      return this.charge(propertyMember(object, key), node.pos);
    } catch (error) {
      this.fail(`'${pathOf(node)}': ${messageOf(error)}`, node.pos, error);
    }
  }

  /** `object.name(args)`: an allow-listed member; null objects fail (or are MISSING when lenient). */
  method(
    node: Extract<Expression, { kind: 'method' }>,
    object: unknown,
    call: FunctionCall,
    lenient: boolean,
  ): unknown {
    this.step(node.pos);
    if (object === MISSING || object === null || object === undefined) {
      if (lenient || object === MISSING) return MISSING;
      this.fail(`cannot call '${node.name}()' of null: '${pathOf(node.object)}' is null`, node.pos);
    }
    if (Object.keys(call.named).length > 0) {
      this.fail(`'${pathOf(node)}': members take positional arguments only`, node.pos);
    }
    try {
      return this.charge(callMember(object, node.name, call.positional), node.pos);
    } catch (error) {
      this.fail(`'${pathOf(node)}': ${messageOf(error)}`, node.pos, error);
    }
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
      case 'method': {
        const object = await this.evaluate(node.object, lenient);
        return this.method(node, object, await this.callArguments(node.args), lenient);
      }
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
          const key = this.mapKey(await this.evaluate(keyNode), keyNode.pos);
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

  /** The context handed to functions and filters; built once per render, variables read when asked. */
  context(): EvaluationContext {
    this.#context ??= new RenderContext(this, this.options, this.state);
    return this.#context;
  }

  callArguments(args: Arguments): FunctionCall | Promise<FunctionCall> {
    return args.positional.length === 0 && args.named.length === 0 ? { positional: [], named: {} } : this.args(args);
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
    return this.invokeFunction(fn, node.name, await this.callArguments(node.args), node.pos);
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
    return this.invokeFilter(filter, name, input, await this.callArguments(args), pos);
  }

  async test(node: Extract<Expression, { kind: 'test' }>): Promise<boolean> {
    if (!Object.hasOwn(builtinTests, node.name)) {
      this.fail(`unknown test '${node.name}'; known tests: ${Object.keys(builtinTests).join(', ')}`, node.pos);
    }
    const input = await this.evaluate(node.input, LENIENT_TESTS.has(node.name));
    return this.testValue(node, input, await this.callArguments(node.args));
  }

  testValue(node: Extract<Expression, { kind: 'test' }>, input: unknown, call: FunctionCall): boolean {
    const test = builtinTests[node.name] as ExpressionTest;
    let result: boolean;
    try {
      result = test(input, call);
    } catch (error) {
      this.fail(`test '${node.name}': ${messageOf(error)}`, node.pos, error);
    }
    return node.negated ? !result : result;
  }

  async unary(node: Extract<Expression, { kind: 'unary' }>): Promise<unknown> {
    return this.unaryValue(node, await this.evaluate(node.operand));
  }

  unaryValue(node: Extract<Expression, { kind: 'unary' }>, value: unknown): unknown {
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
    return this.binaryValue(node, left, await this.evaluate(node.right));
  }

  binaryValue(node: Extract<Expression, { kind: 'binary' }>, left: unknown, right: unknown): unknown {
    try {
      return this.charge(binaryOperation(node.operator, left, right), node.pos);
    } catch (error) {
      this.fail(messageOf(error), node.pos, error);
    }
  }
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
