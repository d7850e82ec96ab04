import { LIMITS } from './limits.ts';
import { ExpressionValueError } from './template-error.ts';

/** Marks "no such variable or attribute" while evaluating leniently (under `default`, `??`, `is defined`). */
export const MISSING: unique symbol = Symbol('missing');

export type PlainMap = Record<string, unknown>;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A plain data object (JSON-like map), as opposed to a class instance or a function. */
export function isPlainMap(value: unknown): value is PlainMap {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Names a value's type for error messages, in the flow author's terms. */
export function typeName(value: unknown): string {
  if (value === null || value === undefined || value === MISSING) return 'null';
  if (Array.isArray(value)) return 'list';
  if (isPlainMap(value)) return 'map';
  if (value instanceof Date) return 'date';
  return typeof value;
}

/**
 * Truthiness for `if`, `and`, `or`, `not`, ternaries and runIf-style conditions:
 * false for null, false, 0, NaN, empty or blank strings, "false" and "0" (any case or
 * surrounding spaces, as conditions often arrive rendered as text), and empty lists and maps.
 */
export function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === MISSING || value === false) return false;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    return text !== '' && text !== 'false' && text !== '0';
  }
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainMap(value)) return Object.keys(value).length > 0;
  return true;
}

/** Text of a value as a template prints it: null as empty, maps and lists as JSON. */
export function toText(value: unknown): string {
  if (value === null || value === undefined || value === MISSING) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  return toJson(value);
}

/** JSON text of a value; dates as ISO strings, functions and symbols dropped. */
export function toJson(value: unknown, indent?: number): string {
  if (value === undefined || value === MISSING) return 'null';
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), indent) ?? 'null';
}

/** Fails when a built string would exceed the output limit, before it exhausts memory. */
export function checkLength(text: string): string {
  if (text.length > LIMITS.maxOutputLength) {
    throw new ExpressionValueError(`result exceeds the ${LIMITS.maxOutputLength}-character limit`);
  }
  return text;
}

/**
 * Reads an attribute or item without ever reaching prototypes, functions or accessors:
 * own data properties of plain maps, items of lists (by index), characters of strings.
 * Returns MISSING when absent.
 */
export function getMember(object: unknown, key: unknown): unknown {
  if (Array.isArray(object) || typeof object === 'string') {
    const index = typeof key === 'number' ? key : typeof key === 'string' && /^-?\d+$/.test(key) ? Number(key) : NaN;
    if (!Number.isInteger(index)) return MISSING;
    const actual = index < 0 ? object.length + index : index;
    if (actual < 0 || actual >= object.length) return MISSING;
    return object[actual];
  }
  if (object instanceof Map) return object.has(key) ? object.get(key) : MISSING;
  if (isPlainMap(object)) {
    const name = String(key);
    if (FORBIDDEN_KEYS.has(name)) return MISSING;
    const descriptor = Object.getOwnPropertyDescriptor(object, name);
    if (!descriptor) return dottedKeys(object, name);
    if (!('value' in descriptor) || typeof descriptor.value === 'function') return MISSING;
    return descriptor.value;
  }
  return MISSING;
}

/** Fails when a built list would exceed the list limit, before it exhausts memory. */
export function checkListLength<T>(items: T[]): T[] {
  if (items.length > LIMITS.maxListLength) {
    throw new ExpressionValueError(`list of ${items.length} items exceeds the ${LIMITS.maxListLength}-item limit`);
  }
  return items;
}

/**
 * Keys that contain dots (`system.correlationId` in `labels`) read as nested maps, so
 * `labels.system.correlationId` works as in the reference. Only consulted when the key is absent.
 */
function dottedKeys(object: PlainMap, name: string): unknown {
  const prefix = `${name}.`;
  let nested: PlainMap | undefined;
  for (const key of Object.keys(object)) {
    if (key.startsWith(prefix) && key.length > prefix.length) {
      nested ??= Object.create(null) as PlainMap;
      nested[key.slice(prefix.length)] = object[key];
    }
  }
  return nested ?? MISSING;
}

/** A number from a number or numeric string, or undefined. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    if (!Number.isNaN(n)) return n;
  }
  if (typeof value === 'boolean') return undefined;
  return undefined;
}

/** Structural equality; numbers compare by value (1 == 1.0), no cross-type coercion. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === MISSING || a === undefined) return b === null || b === undefined || b === MISSING;
  if (b === MISSING || b === undefined) return a === null;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isPlainMap(a) && isPlainMap(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return false;
}

/** Orders two numbers or two strings (numeric strings compare with numbers as numbers). */
export function compare(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const x = asNumber(a);
  const y = asNumber(b);
  if (x === undefined || y === undefined) {
    throw new ExpressionValueError(`cannot compare ${typeName(a)} with ${typeName(b)}`);
  }
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A list to iterate or transform: lists as is, maps as {key, value} entries, null as empty. */
export function asIterable(value: unknown, what: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (value === null || value === undefined || value === MISSING) return [];
  if (isPlainMap(value)) return Object.entries(value).map(([key, v]) => ({ key, value: v }));
  if (value instanceof Map) return [...value.entries()].map(([key, v]) => ({ key, value: v }));
  throw new ExpressionValueError(`${what} expects a list or a map, got ${typeName(value)}`);
}

/** Membership for `in`: item of a list, key of a map, substring of a string. */
export function contains(container: unknown, item: unknown): boolean {
  if (Array.isArray(container)) return container.some((element) => deepEqual(element, item));
  if (typeof container === 'string') return container.includes(toText(item));
  if (isPlainMap(container)) return getMember(container, item) !== MISSING;
  if (container === null || container === undefined || container === MISSING) return false;
  throw new ExpressionValueError(`'in' expects a list, a map or a string on its right, got ${typeName(container)}`);
}

/** True when text contains template syntax (`{{`, `{%` or `{#`). */
export function hasTemplateSyntaxText(text: string): boolean {
  return text.includes('{{') || text.includes('{%') || text.includes('{#');
}

/** Inclusive range, as Pebble's `range()` and `a..b`; bounded by LIMITS.maxRangeSize. */
export function makeRange(start: number, end: number, step: number): number[] {
  if (step === 0 || !Number.isFinite(step)) throw new ExpressionValueError('range step must be a non-zero number');
  const count = Math.floor((end - start) / step) + 1;
  if (count > LIMITS.maxRangeSize) {
    throw new ExpressionValueError(`range of ${count} items exceeds the limit of ${LIMITS.maxRangeSize}`);
  }
  const items: number[] = [];
  for (let i = 0; i < count; i++) items.push(start + i * step);
  return items;
}
