import { randomInt, randomUUID } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { formatInstant, parseInstant } from './filters/date-time.ts';
import { LIMITS } from './limits.ts';
import { ExpressionValueError } from './template-error.ts';
import type { ExpressionFunction, FunctionCall } from './types.ts';
import { asNumber, compare, hasTemplateSyntaxText, makeRange, typeName } from './values.ts';

/** Named argument first, then positional: `now(timeZone='UTC')` or `now('UTC')`. */
export function argument(call: FunctionCall, name: string, index: number): unknown {
  return Object.hasOwn(call.named, name) ? call.named[name] : call.positional[index];
}

function requireString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new ExpressionValueError(`${what} must be a string, got ${typeName(value)}`);
  return value;
}

function requireNumber(value: unknown, what: string): number {
  const n = asNumber(value);
  if (n === undefined) throw new ExpressionValueError(`${what} must be a number, got ${typeName(value)}`);
  return n;
}

function parseJsonText(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new ExpressionValueError(`invalid JSON: ${(error as Error).message}`);
  }
}

function extremum(call: FunctionCall, sign: 1 | -1): unknown {
  const values =
    call.positional.length === 1 && Array.isArray(call.positional[0]) ? call.positional[0] : call.positional;
  if (values.length === 0) throw new ExpressionValueError('expects at least one value');
  return values.reduce((best, value) => (compare(value, best) * sign > 0 ? value : best));
}

const renderFunction: ExpressionFunction = async (call, context) => {
  const template = argument(call, 'expression', 0);
  if (typeof template !== 'string') return template ?? null;
  const recursive = argument(call, 'recursive', 1) ?? true;
  let text = await context.render(template);
  // Recursive rendering stops when nothing changes; the render-depth limit bounds the loop.
  for (let round = 0; recursive && hasTemplateSyntaxText(text) && round < LIMITS.maxRenderDepth; round++) {
    const next = await context.render(text);
    if (next === text) break;
    text = next;
  }
  return text;
};

/** Functions available in every template; host functions (secret, kv, read...) are added by the caller. */
export const builtinFunctions: Record<string, ExpressionFunction> = {
  now: (call) => {
    const timeZone = argument(call, 'timeZone', 0);
    return formatInstant(new Date(), 'iso', timeZone === undefined ? 'UTC' : requireString(timeZone, 'timeZone'));
  },
  fromJson: (call) => parseJsonText(call.positional[0]),
  json: (call) => parseJsonText(call.positional[0]),
  yaml: (call) => {
    const text = call.positional[0];
    if (typeof text !== 'string') return text ?? null;
    try {
      return parseYaml(text, { maxAliasCount: 100 }) ?? null;
    } catch (error) {
      throw new ExpressionValueError(`invalid YAML: ${(error as Error).message}`);
    }
  },
  uuid: () => randomUUID(),
  range: (call) => {
    const start = requireNumber(argument(call, 'start', 0), 'start');
    const end = requireNumber(argument(call, 'end', 1), 'end');
    const step = requireNumber(argument(call, 'step', 2) ?? 1, 'step');
    return makeRange(start, end, step);
  },
  max: (call) => extremum(call, 1),
  min: (call) => extremum(call, -1),
  render: renderFunction,
  renderOnce: (call, context) =>
    renderFunction({ positional: [argument(call, 'expression', 0), false], named: {} }, context),
  printContext: (_call, context) => context.variables,
  fetchContext: (_call, context) => context.variables,
  randomInt: (call) => {
    const lower = requireNumber(argument(call, 'lower', 0), 'lower');
    const upper = requireNumber(argument(call, 'upper', 1), 'upper');
    if (upper <= lower) throw new ExpressionValueError('upper must be greater than lower');
    return randomInt(Math.ceil(lower), Math.floor(upper));
  },
  timestamp: (call) => {
    const value = argument(call, 'date', 0);
    return Math.floor(parseInstant(value ?? new Date(), 'UTC').getTime() / 1000);
  },
};
