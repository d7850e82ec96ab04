import type { ExpressionTest } from './types.ts';
import { isPlainMap, MISSING } from './values.ts';

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === MISSING) return true;
  if (typeof value === 'string') return value.length === 0;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainMap(value)) return Object.keys(value).length === 0;
  return false;
}

function isJson(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}

function integer(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new Error('expects an integer');
  return value;
}

/** Tests usable with `is` / `is not`. */
export const builtinTests: Record<string, ExpressionTest> = {
  defined: (value) => value !== MISSING && value !== null && value !== undefined,
  null: (value) => value === MISSING || value === null || value === undefined,
  empty: isEmpty,
  even: (value) => integer(value) % 2 === 0,
  odd: (value) => Math.abs(integer(value) % 2) === 1,
  iterable: (value) => Array.isArray(value) || isPlainMap(value),
  map: (value) => isPlainMap(value),
  json: isJson,
  number: (value) => typeof value === 'number',
  string: (value) => typeof value === 'string',
  boolean: (value) => typeof value === 'boolean',
};

export { isEmpty };
