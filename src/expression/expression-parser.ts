import type { Arguments, Expression } from './ast.ts';
import { type Token, tokenizeExpression } from './lexer.ts';
import { LIMITS } from './limits.ts';
import { TemplateError } from './template-error.ts';

const COMPARISONS = new Set(['==', '!=', '<', '>', '<=', '>=']);
const KEYWORD_LITERALS: Record<string, unknown> = { true: true, false: false, null: null, none: null };

/** Recursive-descent parser over the tokens of one `{{ }}`/`{% %}` block or a bare expression. */
export class ExpressionParser {
  #i = 0;
  #depth = 0;
  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
    private readonly endPos: number,
  ) {}

  get done(): boolean {
    return this.#i >= this.tokens.length;
  }

  peek(offset = 0): Token | undefined {
    return this.tokens[this.#i + offset];
  }

  fail(message: string, token = this.peek()): never {
    throw new TemplateError(message, this.source, token?.pos ?? this.endPos);
  }

  isPunct(value: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token?.type === 'punct' && token.value === value;
  }

  isName(value: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token?.type === 'name' && token.value === value;
  }

  next(): Token {
    const token = this.peek();
    if (!token) this.fail('unexpected end of expression');
    this.#i++;
    return token;
  }

  expectPunct(value: string): Token {
    const token = this.peek();
    if (token?.type !== 'punct' || token.value !== value) {
      this.fail(`expected '${value}' but found ${token ? `'${token.value}'` : 'the end of the expression'}`);
    }
    return this.next();
  }

  expectName(what: string): Token {
    const token = this.peek();
    if (token?.type !== 'name') this.fail(`expected ${what} but found ${token ? `'${token.value}'` : 'nothing'}`);
    return this.next();
  }

  expectEnd(what: string): void {
    const token = this.peek();
    if (token) this.fail(`unexpected '${token.value}' after ${what}`);
  }

  expression(): Expression {
    return this.nested(() => this.conditional());
  }

  /** Bounds parser recursion, so a hostile `((((...` or `- - - -...` fails cleanly. */
  nested(parse: () => Expression): Expression {
    if (++this.#depth > LIMITS.maxNesting) this.fail(`expression nested deeper than ${LIMITS.maxNesting} levels`);
    try {
      return parse();
    } finally {
      this.#depth--;
    }
  }

  conditional(): Expression {
    const test = this.nullish();
    if (!this.isPunct('?')) return test;
    const pos = this.next().pos;
    const then = this.expression();
    this.expectPunct(':');
    const otherwise = this.expression();
    return { kind: 'conditional', pos, test, then, otherwise };
  }

  nullish(): Expression {
    const left = this.or();
    if (!this.isPunct('??')) return left;
    const pos = this.next().pos;
    return { kind: 'binary', pos, operator: '??', left, right: this.nullish() };
  }

  or(): Expression {
    let left = this.and();
    while (this.isName('or')) {
      const pos = this.next().pos;
      left = { kind: 'binary', pos, operator: 'or', left, right: this.and() };
    }
    return left;
  }

  and(): Expression {
    let left = this.not();
    while (this.isName('and')) {
      const pos = this.next().pos;
      left = { kind: 'binary', pos, operator: 'and', left, right: this.not() };
    }
    return left;
  }

  not(): Expression {
    if (this.isName('not')) {
      const pos = this.next().pos;
      return { kind: 'unary', pos, operator: 'not', operand: this.nested(() => this.not()) };
    }
    return this.comparison();
  }

  comparison(): Expression {
    let left = this.additive();
    for (;;) {
      const token = this.peek();
      if (!token) return left;
      if (token.type === 'punct' && COMPARISONS.has(token.value)) {
        this.next();
        left = { kind: 'binary', pos: token.pos, operator: token.value, left, right: this.additive() };
      } else if (
        token.type === 'name' &&
        (token.value === 'in' || token.value === 'isIn' || token.value === 'contains')
      ) {
        this.next();
        const operator = token.value === 'contains' ? 'contains' : 'in';
        left = { kind: 'binary', pos: token.pos, operator, left, right: this.additive() };
      } else if (token.type === 'name' && token.value === 'not' && (this.isName('in', 1) || this.isName('isIn', 1))) {
        this.next();
        this.next();
        left = { kind: 'binary', pos: token.pos, operator: 'not in', left, right: this.additive() };
      } else if (token.type === 'name' && token.value === 'is') {
        this.next();
        const negated = this.isName('not');
        if (negated) this.next();
        const name = this.expectName("a test name after 'is' (defined, null, empty, even, odd, iterable, json, ...)");
        const args = this.isPunct('(') ? this.arguments() : { positional: [], named: [] };
        left = { kind: 'test', pos: name.pos, input: left, name: name.value, negated, args };
      } else {
        return left;
      }
    }
  }

  // Precedence below follows Pebble: `+ -` < `* / %` < `|` filters < `~` < `..` < unary `- +`.
  additive(): Expression {
    let left = this.multiplicative();
    while (this.isPunct('+') || this.isPunct('-')) {
      const token = this.next();
      left = { kind: 'binary', pos: token.pos, operator: token.value, left, right: this.multiplicative() };
    }
    return left;
  }

  multiplicative(): Expression {
    let left = this.filtered();
    while (this.isPunct('*') || this.isPunct('/') || this.isPunct('//') || this.isPunct('%')) {
      const token = this.next();
      left = { kind: 'binary', pos: token.pos, operator: token.value, left, right: this.filtered() };
    }
    return left;
  }

  filtered(): Expression {
    let node = this.concatenation();
    while (this.isPunct('|')) {
      this.next();
      const name = this.expectName("a filter name after '|'");
      const args = this.isPunct('(') ? this.arguments() : { positional: [], named: [] };
      node = { kind: 'filter', pos: name.pos, input: node, name: name.value, args };
    }
    return node;
  }

  concatenation(): Expression {
    let left = this.range();
    while (this.isPunct('~')) {
      const token = this.next();
      left = { kind: 'binary', pos: token.pos, operator: '~', left, right: this.range() };
    }
    return left;
  }

  range(): Expression {
    const left = this.unary();
    if (!this.isPunct('..')) return left;
    const pos = this.next().pos;
    return { kind: 'binary', pos, operator: '..', left, right: this.unary() };
  }

  unary(): Expression {
    if (this.isPunct('-') || this.isPunct('+')) {
      const token = this.next();
      return {
        kind: 'unary',
        pos: token.pos,
        operator: token.value as '-' | '+',
        operand: this.nested(() => this.unary()),
      };
    }
    return this.postfix(this.primary());
  }

  postfix(start: Expression): Expression {
    let node = start;
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        const token = this.next();
        if (token.type !== 'name' && token.type !== 'number') this.fail(`expected an attribute name after '.'`, token);
        node =
          token.type === 'name' && this.isPunct('(')
            ? { kind: 'method', pos: token.pos, object: node, name: token.value, args: this.arguments() }
            : { kind: 'member', pos: token.pos, object: node, name: token.value };
      } else if (this.isPunct('[')) {
        const pos = this.next().pos;
        const index = this.expression();
        this.expectPunct(']');
        node = { kind: 'index', pos, object: node, index };
      } else {
        return node;
      }
    }
  }

  primary(): Expression {
    const token = this.next();
    if (token.type === 'number') return { kind: 'literal', pos: token.pos, value: Number(token.value) };
    if (token.type === 'string') return { kind: 'literal', pos: token.pos, value: token.value };
    if (token.type === 'interpolation') return this.interpolation(token);
    if (token.type === 'name') {
      if (Object.hasOwn(KEYWORD_LITERALS, token.value)) {
        return { kind: 'literal', pos: token.pos, value: KEYWORD_LITERALS[token.value] };
      }
      if (this.isPunct('(')) return { kind: 'call', pos: token.pos, name: token.value, args: this.arguments() };
      return { kind: 'variable', pos: token.pos, name: token.value };
    }
    if (token.value === '(') {
      const inner = this.expression();
      this.expectPunct(')');
      return inner;
    }
    if (token.value === '[') {
      const items: Expression[] = [];
      while (!this.isPunct(']')) {
        items.push(this.expression());
        if (!this.isPunct(']')) this.expectPunct(',');
      }
      this.next();
      return { kind: 'list', pos: token.pos, items };
    }
    if (token.value === '{') {
      const entries: Array<[Expression, Expression]> = [];
      while (!this.isPunct('}')) {
        const keyToken = this.peek();
        // A bare name before ':' is a string key ({a: 1}), which is what people mean.
        const key: Expression =
          keyToken?.type === 'name' && this.isPunct(':', 1)
            ? { kind: 'literal', pos: this.next().pos, value: keyToken.value }
            : this.expression();
        this.expectPunct(':');
        entries.push([key, this.expression()]);
        if (!this.isPunct('}')) this.expectPunct(',');
      }
      this.next();
      return { kind: 'map', pos: token.pos, entries };
    }
    this.fail(`unexpected '${token.value}'`, token);
  }

  /** `"a #{x} b"` becomes `'a' ~ (x) ~ ' b'`. */
  interpolation(token: Token): Expression {
    let node: Expression = { kind: 'literal', pos: token.pos, value: '' };
    for (const part of token.parts ?? []) {
      let piece: Expression;
      if (typeof part === 'string') {
        if (part === '') continue;
        piece = { kind: 'literal', pos: token.pos, value: part };
      } else {
        const inner = new ExpressionParser(this.source, part.tokens, part.end - 1);
        if (inner.done) this.fail("empty interpolation '#{}'", token);
        piece = inner.expression();
        inner.expectEnd('the interpolated expression');
      }
      node = { kind: 'binary', pos: token.pos, operator: '~', left: node, right: piece };
    }
    return node;
  }

  arguments(): Arguments {
    this.expectPunct('(');
    const args: Arguments = { positional: [], named: [] };
    while (!this.isPunct(')')) {
      const token = this.peek();
      if (token?.type === 'name' && this.isPunct('=', 1)) {
        this.next();
        this.next();
        args.named.push([token.value, this.expression()]);
      } else {
        if (args.named.length > 0) this.fail('positional arguments must come before named ones');
        args.positional.push(this.expression());
      }
      if (!this.isPunct(')')) this.expectPunct(',');
    }
    this.next();
    return args;
  }
}

function children(node: Expression): Expression[] {
  switch (node.kind) {
    case 'member':
      return [node.object];
    case 'index':
      return [node.object, node.index];
    case 'call':
      return [...node.args.positional, ...node.args.named.map(([, arg]) => arg)];
    case 'method':
      return [node.object, ...node.args.positional, ...node.args.named.map(([, arg]) => arg)];
    case 'filter':
    case 'test':
      return [node.input, ...node.args.positional, ...node.args.named.map(([, arg]) => arg)];
    case 'unary':
      return [node.operand];
    case 'binary':
      return [node.left, node.right];
    case 'conditional':
      return [node.test, node.then, node.otherwise];
    case 'list':
      return node.items;
    case 'map':
      return node.entries.flat();
    default:
      return [];
  }
}

/**
 * Long operator chains (`1 + 1 + ... + 1`) parse in a loop but make a deep tree that the
 * evaluator walks recursively; refusing them here keeps evaluation off the stack limit.
 */
export function checkTreeDepth(root: Expression, source: string): Expression {
  const stack: Array<[Expression, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [Expression, number];
    if (depth > LIMITS.maxExpressionDepth) {
      throw new TemplateError(
        `expression is more than ${LIMITS.maxExpressionDepth} operations deep; split it with {% set %}`,
        source,
        root.pos,
      );
    }
    for (const child of children(node)) stack.push([child, depth + 1]);
  }
  return root;
}

export function parseExpressionSource(source: string): Expression {
  if (source.length > LIMITS.maxTemplateLength) {
    throw new TemplateError(`expression is ${source.length} characters long; the limit is ${LIMITS.maxTemplateLength}`);
  }
  const { tokens } = tokenizeExpression(source, 0, null, 0);
  const parser = new ExpressionParser(source, tokens, source.length);
  if (parser.done) throw new TemplateError('empty expression', source, 0);
  const expression = checkTreeDepth(parser.expression(), source);
  parser.expectEnd('the expression');
  return expression;
}
