/**
 * The expression language: a Pebble-compatible subset, as Kestra flows use it.
 *
 * Syntax: `{{ expression }}` outputs, `{% tag %}` tags, `{# comment #}`, whitespace control
 * with `{{-`, `-}}`, `{%-`, `-%}`.
 *
 * Tags: `if` / `elseif` / `else` / `endif`; `for x in list` / `else` / `endfor` (with
 * `loop.index` from 0, `loop.revindex`, `loop.first`, `loop.last`, `loop.length`; maps iterate
 * as `{key, value}` entries); `set x = expr`; `raw` / `endraw`; `filter name` / `endfilter`.
 *
 * Expressions: variables and access (`outputs.task.value`, `outputs['task-id']`, `list[0]`,
 * `list[-1]`, dotted keys such as `labels.system.correlationId`); literals (strings, numbers,
 * `true`, `false`, `null`, lists `[1, 2]`, maps `{'a': 1}`, interpolation `"Hi #{ name }"`).
 * Operators by increasing precedence, as Pebble: `a ? b : c`, `??`, `or`, `and`, `not`,
 * `is [not] test` / `in` / `not in` / `isIn` / `contains` / `== != < > <= >=`, `+ -`,
 * `* / // %`, `| filter`, `~`, `..` (inclusive range), unary `- +`, then `.attr`, `[index]`
 * and calls.
 *
 * Java members, as Pebble resolves them on Java objects, from a fixed allow-list per type
 * (`members.ts`): strings (`s.length`, `s.trim()`, `s.split(',')`, ...), lists (`list.size`,
 * `list.contains(x)`, ...) and maps (`map.size()`, `map.keySet()`, ...; without parentheses an
 * attribute of a map is always one of its keys). Nothing else can be called on a value.
 *
 * Strict variables: an undefined variable or attribute is an error naming its path and
 * position, except under `default`, `??`, `is defined`, `is null` and `is empty`.
 *
 * Rendering prints null as an empty string, and maps and lists as JSON.
 *
 * Built-in functions, filters and tests are listed in `SUPPORTED` (for docs and completion);
 * host functions such as `secret()`, `kv()` and `read()` come through `RenderOptions`.
 * Limits (nesting, output size, range size, evaluation steps, render depth) are in `LIMITS`.
 */

import type { Template } from './ast.ts';
import { builtinFunctions } from './builtin-functions.ts';
import { builtinTests } from './builtin-tests.ts';
import { evaluateWithState, renderWithState } from './evaluator.ts';
import { builtinFilters } from './filters/index.ts';
import { memberNames } from './members.ts';
import { hasTemplateSyntax, parseCached, parseExpressionCached } from './parse-cache.ts';
import type { RenderOptions } from './types.ts';

export type { Template } from './ast.ts';
export { LIMITS } from './limits.ts';
export { TemplateError } from './template-error.ts';
export type {
  EvaluationContext,
  ExpressionFilter,
  ExpressionFunction,
  ExpressionTest,
  FunctionCall,
  RenderOptions,
} from './types.ts';
export { isTruthy } from './values.ts';
export { hasTemplateSyntax };

/** Parses a template (cached by source); throws TemplateError on a syntax error. */
export function parseTemplate(source: string): Template {
  return parseCached(source);
}

/** Checks a bare expression's syntax (cached); throws TemplateError on a syntax error. */
export function parseExpression(source: string): void {
  parseExpressionCached(source);
}

/** Renders a template to a string. A string without template syntax is returned as is. */
export function render(source: string, options: RenderOptions): Promise<string> {
  if (!hasTemplateSyntax(source)) return Promise.resolve(source);
  return renderWithState(source, options, { steps: 0, depth: 0 });
}

/**
 * Evaluates a bare expression (no braces) such as a condition `inputs.x > 3` and returns its
 * typed value. A whole-string `{{ ... }}` is accepted too and evaluated the same way.
 */
export function evaluate(expression: string, options: RenderOptions): Promise<unknown> {
  const whole = /^\s*\{\{-?([\s\S]*?)-?\}\}\s*$/.exec(expression);
  const inner = whole && !whole[1]?.includes('}}') && !whole[1]?.includes('{{') ? (whole[1] as string) : expression;
  return evaluateWithState(inner, options, { steps: 0, depth: 0 });
}

/** Names of the built-in functions, filters and tests, for documentation and editor completion. */
export const SUPPORTED = {
  tags: ['if', 'elseif', 'else', 'endif', 'for', 'endfor', 'set', 'raw', 'endraw', 'filter', 'endfilter'],
  functions: Object.keys(builtinFunctions).sort(),
  filters: Object.keys(builtinFilters).sort(),
  tests: Object.keys(builtinTests).sort(),
  members: { string: memberNames(''), list: memberNames([]), map: memberNames({}) },
};
