import { ExpressionValueError } from '../template-error.ts';
import type { ExpressionFilter } from '../types.ts';
import { checkListLength, compare, deepEqual, isPlainMap, MISSING, toText, typeName } from '../values.ts';
import { argument, numberArgument, stringArgument } from './filter-arguments.ts';

function list(input: unknown, what: string): unknown[] {
  if (Array.isArray(input)) return input;
  throw new ExpressionValueError(`${what} expects a list, got ${typeName(input)}`);
}

function sorted(input: unknown, direction: 1 | -1): unknown[] {
  return [...list(input, 'sort')].sort((a, b) => compare(a, b) * direction);
}

function flatten(items: unknown[], depth: number): unknown[] {
  if (depth > 64) throw new ExpressionValueError('flatten: lists nested deeper than 64 levels');
  return items.flatMap((item) => (Array.isArray(item) ? flatten(item, depth + 1) : [item]));
}

function sliceBounds(length: number, from: number, to: number): [number, number] {
  if (from < 0 || to > length || from > to) {
    throw new ExpressionValueError(`slice(${from}, ${to}) is out of bounds for length ${length}`);
  }
  return [from, to];
}

/** Filters on lists, maps and strings as sequences. */
export const collectionFilters: Record<string, ExpressionFilter> = {
  length: (input) => {
    if (input === null || input === undefined || input === MISSING) return 0;
    if (typeof input === 'string' || Array.isArray(input)) return input.length;
    if (isPlainMap(input)) return Object.keys(input).length;
    throw new ExpressionValueError(`expects a string, list or map, got ${typeName(input)}`);
  },
  first: (input) => {
    if (typeof input === 'string') return input.charAt(0);
    if (isPlainMap(input)) return Object.values(input)[0] ?? null;
    return list(input, 'first')[0] ?? null;
  },
  last: (input) => {
    if (typeof input === 'string') return input.charAt(input.length - 1);
    if (isPlainMap(input)) return Object.values(input).at(-1) ?? null;
    return list(input, 'last').at(-1) ?? null;
  },
  join: (input, call) => {
    const separator = stringArgument(call, 'separator', 0, '');
    if (input === null || input === undefined) return null;
    return list(input, 'join').map(toText).join(separator);
  },
  keys: (input) => {
    if (!isPlainMap(input)) throw new ExpressionValueError(`expects a map, got ${typeName(input)}`);
    return Object.keys(input);
  },
  values: (input) => {
    if (!isPlainMap(input)) throw new ExpressionValueError(`expects a map, got ${typeName(input)}`);
    return Object.values(input);
  },
  slice: (input, call) => {
    const isText = typeof input === 'string';
    const items = isText ? input : list(input, 'slice');
    const [from, to] = sliceBounds(
      items.length,
      numberArgument(call, 'fromIndex', 0, 0),
      numberArgument(call, 'toIndex', 1, items.length),
    );
    return items.slice(from, to);
  },
  sort: (input) => sorted(input, 1),
  rsort: (input) => sorted(input, -1),
  reverse: (input) => {
    if (typeof input === 'string') return [...input].reverse().join('');
    return [...list(input, 'reverse')].reverse();
  },
  distinct: (input) => {
    const unique: unknown[] = [];
    for (const item of list(input, 'distinct')) if (!unique.some((seen) => deepEqual(seen, item))) unique.push(item);
    return unique;
  },
  flatten: (input) => checkListLength(flatten(list(input, 'flatten'), 0)),
  merge: (input, call) => {
    const other = argument(call, 'items', 0);
    if (Array.isArray(input)) return checkListLength(Array.isArray(other) ? [...input, ...other] : [...input, other]);
    if (isPlainMap(input) && isPlainMap(other)) return { ...input, ...other };
    throw new ExpressionValueError(
      `merge expects two lists or two maps, got ${typeName(input)} and ${typeName(other)}`,
    );
  },
  chunk: (input, call) => {
    const size = numberArgument(call, 'size', 0);
    if (!Number.isInteger(size) || size < 1) throw new ExpressionValueError('chunk size must be a positive integer');
    const items = list(input, 'chunk');
    const chunks: unknown[][] = [];
    for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
    return chunks;
  },
};
