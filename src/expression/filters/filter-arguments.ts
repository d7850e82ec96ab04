import { ExpressionValueError } from '../template-error.ts';
import type { FunctionCall } from '../types.ts';
import { asNumber, MISSING, typeName } from '../values.ts';

/** Named argument first, then positional: `abbreviate(length=10)` or `abbreviate(10)`. */
export function argument(call: FunctionCall, name: string, index: number): unknown {
  return Object.hasOwn(call.named, name) ? call.named[name] : call.positional[index];
}

export function stringArgument(call: FunctionCall, name: string, index: number, fallback?: string): string {
  const value = argument(call, name, index);
  if (value === undefined || value === null) {
    if (fallback !== undefined) return fallback;
    throw new ExpressionValueError(`argument '${name}' is required`);
  }
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new ExpressionValueError(`argument '${name}' must be a string, got ${typeName(value)}`);
  }
  return String(value);
}

export function numberArgument(call: FunctionCall, name: string, index: number, fallback?: number): number {
  const value = argument(call, name, index);
  if (value === undefined || value === null) {
    if (fallback !== undefined) return fallback;
    throw new ExpressionValueError(`argument '${name}' is required`);
  }
  const n = asNumber(value);
  if (n === undefined) throw new ExpressionValueError(`argument '${name}' must be a number, got ${typeName(value)}`);
  return n;
}

/** The input as a string: strings as is, numbers and booleans as text; null passes as null. */
export function inputString(input: unknown): string | null {
  if (input === null || input === undefined || input === MISSING) return null;
  if (typeof input === 'string') return input;
  if (typeof input === 'number' || typeof input === 'boolean') return String(input);
  throw new ExpressionValueError(`expects a string, got ${typeName(input)}`);
}
