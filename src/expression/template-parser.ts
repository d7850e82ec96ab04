import type { Arguments, Expression, Template, TemplateNode } from './ast.ts';
import { checkTreeDepth, ExpressionParser } from './expression-parser.ts';
import { lexTemplate, type Segment, type Token } from './lexer.ts';
import { LIMITS } from './limits.ts';
import { TemplateError } from './template-error.ts';

type TagSegment = Extract<Segment, { kind: 'tag' }>;

/** Builds the node tree from the flat segment list, matching tags with their end tags. */
class TemplateParser {
  #i = 0;
  #depth = 0;
  constructor(
    private readonly source: string,
    private readonly segments: Segment[],
  ) {}

  expressionOf(segment: { tokens: Token[]; end: number }, from = 0): ExpressionParser {
    return new ExpressionParser(this.source, segment.tokens.slice(from), segment.end - 2);
  }

  /** Parses nodes until one of `endTags` (returned) or the end of the template. */
  body(endTags: string[], opener?: TagSegment): { nodes: TemplateNode[]; end?: TagSegment } {
    if (++this.#depth > LIMITS.maxNesting) {
      throw new TemplateError(`tags nested deeper than ${LIMITS.maxNesting} levels`, this.source, opener?.pos ?? 0);
    }
    const nodes: TemplateNode[] = [];
    while (this.#i < this.segments.length) {
      const segment = this.segments[this.#i++] as Segment;
      if (segment.kind === 'text') nodes.push({ kind: 'text', pos: segment.pos, value: segment.value });
      else if (segment.kind === 'print') {
        const parser = this.expressionOf(segment);
        if (parser.done)
          throw new TemplateError("empty output '{{ }}': put an expression inside", this.source, segment.pos);
        const expression = checkTreeDepth(parser.expression(), this.source);
        parser.expectEnd('the expression');
        nodes.push({ kind: 'print', pos: segment.pos, expression });
      } else if (endTags.includes(segment.name)) {
        this.#depth--;
        return { nodes, end: segment };
      } else nodes.push(this.tag(segment));
    }
    if (opener) {
      throw new TemplateError(
        `'{% ${opener.name} %}' is never closed: add '{% ${endTags[endTags.length - 1]} %}'`,
        this.source,
        opener.pos,
      );
    }
    this.#depth--;
    return { nodes };
  }

  tag(segment: TagSegment): TemplateNode {
    switch (segment.name) {
      case 'if':
        return this.ifTag(segment);
      case 'for':
        return this.forTag(segment);
      case 'set': {
        const parser = this.expressionOf(segment);
        const name = parser.expectName('a variable name after set');
        parser.expectPunct('=');
        const value = checkTreeDepth(parser.expression(), this.source);
        parser.expectEnd('the value of set');
        return { kind: 'set', pos: segment.pos, name: name.value, value };
      }
      case 'filter':
        return this.filterTag(segment);
      default: {
        const closing = /^end(if|for|filter)$|^(else|elseif|elif)$/.test(segment.name);
        throw new TemplateError(
          closing
            ? `'{% ${segment.name} %}' has no matching opening tag`
            : `unknown tag '${segment.name}'; supported tags: if, elseif, else, for, set, raw, filter`,
          this.source,
          segment.pos,
        );
      }
    }
  }

  condition(segment: TagSegment): Expression {
    const parser = this.expressionOf(segment);
    if (parser.done) throw new TemplateError(`'{% ${segment.name} %}' needs a condition`, this.source, segment.pos);
    const test = checkTreeDepth(parser.expression(), this.source);
    parser.expectEnd('the condition');
    return test;
  }

  ifTag(opener: TagSegment): TemplateNode {
    const branches: Array<{ test: Expression; body: TemplateNode[] }> = [];
    let test = this.condition(opener);
    for (;;) {
      const { nodes, end } = this.body(['elseif', 'elif', 'else', 'endif'], opener);
      branches.push({ test, body: nodes });
      if (end?.name === 'else') {
        const rest = this.body(['endif'], opener);
        return { kind: 'if', pos: opener.pos, branches, otherwise: rest.nodes };
      }
      if (end?.name === 'endif') return { kind: 'if', pos: opener.pos, branches, otherwise: [] };
      test = this.condition(end as TagSegment);
    }
  }

  forTag(opener: TagSegment): TemplateNode {
    const parser = this.expressionOf(opener);
    const variable = parser.expectName('a loop variable name, as in {% for item in items %}');
    if (!parser.isName('in')) parser.fail("expected 'in' after the loop variable, as in {% for item in items %}");
    parser.next();
    const iterable = checkTreeDepth(parser.expression(), this.source);
    parser.expectEnd('the loop expression');
    const { nodes, end } = this.body(['else', 'endfor'], opener);
    const otherwise = end?.name === 'else' ? this.body(['endfor'], opener).nodes : [];
    return { kind: 'for', pos: opener.pos, variable: variable.value, iterable, body: nodes, otherwise };
  }

  filterTag(opener: TagSegment): TemplateNode {
    const parser = this.expressionOf(opener);
    const filters: Array<{ pos: number; name: string; args: Arguments }> = [];
    do {
      const name = parser.expectName('a filter name');
      const args = parser.isPunct('(') ? parser.arguments() : { positional: [], named: [] };
      filters.push({ pos: name.pos, name: name.value, args });
    } while (parser.isPunct('|') && parser.next());
    parser.expectEnd('the filters');
    const { nodes } = this.body(['endfilter'], opener);
    return { kind: 'filterBlock', pos: opener.pos, filters, body: nodes };
  }
}

/** Parses a template source into nodes; throws TemplateError with line and column on a syntax error. */
export function parseTemplateSource(source: string): Template {
  if (source.length > LIMITS.maxTemplateLength) {
    throw new TemplateError(`template is ${source.length} characters long; the limit is ${LIMITS.maxTemplateLength}`);
  }
  const parser = new TemplateParser(source, lexTemplate(source));
  return { source, nodes: parser.body([]).nodes };
}

/** Parses a bare expression such as `inputs.x > 3`. */
