import { parse as parseYaml } from 'yaml';
import { ISO_DURATION, isTemplate, parseDuration } from '../plugin/dynamic.ts';
import type { InputSpec, InputType } from './flow-types.ts';

/** Thrown by a coercion: the message says what was expected. */
export class CoercionError extends Error {}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Turns a raw input value (a string from the CLI or a form, or a typed JSON value) into the
 * value the flow sees, checking the type's constraints. FILE inputs are handled by the caller.
 */
export function coerceInput(spec: InputSpec, raw: unknown, type: InputType = spec.type): unknown {
  switch (type) {
    case 'STRING':
    case 'SECRET': {
      const text = scalarText(raw);
      if (spec.validator !== undefined && !new RegExp(`^(?:${spec.validator})$`).test(text)) {
        throw new CoercionError(`'${type === 'SECRET' ? '***' : text}' does not match the pattern ${spec.validator}`);
      }
      return text;
    }
    case 'INT': {
      const value = typeof raw === 'string' && /^[+-]?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
      if (typeof value !== 'number' || !Number.isInteger(value))
        throw new CoercionError(`expected an integer, got ${show(raw)}`);
      return checkRange(value, spec);
    }
    case 'FLOAT': {
      const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw new CoercionError(`expected a number, got ${show(raw)}`);
      return checkRange(value, spec);
    }
    case 'BOOLEAN':
    case 'BOOL': {
      if (typeof raw === 'boolean') return raw;
      if (typeof raw === 'string' && /^(true|false)$/i.test(raw.trim())) return raw.trim().toLowerCase() === 'true';
      throw new CoercionError(`expected true or false, got ${show(raw)}`);
    }
    case 'SELECT':
    case 'ENUM':
      return checkChoice(scalarText(raw), spec);
    case 'MULTISELECT': {
      const list = toList(raw);
      return list.map((item) => checkChoice(scalarText(item), spec));
    }
    case 'DATETIME':
      return checkBounds(matching(raw, DATETIME, 'a date-time such as 2025-01-31T10:00:00Z'), spec, (v) =>
        Date.parse(v),
      );
    case 'DATE':
      return checkBounds(matching(raw, DATE, 'a date such as 2025-01-31'), spec, (v) => v);
    case 'TIME':
      return checkBounds(matching(raw, TIME, 'a time such as 10:30:00'), spec, (v) => v);
    case 'DURATION': {
      const text = matching(raw, ISO_DURATION, 'an ISO-8601 duration such as PT10M');
      const ms = parseDuration(text);
      if (typeof spec.min === 'string' && ISO_DURATION.test(spec.min) && ms < parseDuration(spec.min)) {
        throw new CoercionError(`must be at least ${spec.min}`);
      }
      if (typeof spec.max === 'string' && ISO_DURATION.test(spec.max) && ms > parseDuration(spec.max)) {
        throw new CoercionError(`must be at most ${spec.max}`);
      }
      return text;
    }
    case 'JSON':
      if (typeof raw !== 'string') return raw;
      try {
        return JSON.parse(raw);
      } catch (cause) {
        throw new CoercionError(`is not valid JSON: ${(cause as Error).message}`);
      }
    case 'YAML':
      if (typeof raw !== 'string') return raw;
      try {
        return parseYaml(raw, { maxAliasCount: 100 });
      } catch (cause) {
        throw new CoercionError(`is not valid YAML: ${(cause as Error).message.split('\n')[0]}`);
      }
    case 'URI': {
      const text = scalarText(raw);
      if (!URL.canParse(text))
        throw new CoercionError(`expected a URI such as https://example.com/a, got ${show(raw)}`);
      return text;
    }
    case 'EMAIL': {
      const text = scalarText(raw);
      if (!EMAIL.test(text)) throw new CoercionError(`expected an email address, got ${show(raw)}`);
      return text;
    }
    case 'ARRAY': {
      const itemType = spec.itemType ?? 'STRING';
      return toList(raw).map((item, index) => {
        try {
          return coerceInput({ ...spec, validator: undefined }, item, itemType);
        } catch (cause) {
          throw new CoercionError(`item ${index}: ${(cause as Error).message}`);
        }
      });
    }
    case 'FILE': {
      const text = scalarText(raw);
      if (!/^(kestra|nsfile|file):\/\//.test(text)) {
        throw new CoercionError(
          `expected an uploaded file or a kestra:///, nsfile:/// or file:/// URI, got ${show(raw)}`,
        );
      }
      return text;
    }
  }
}

/** A template default (`{{ now() }}`) is rendered by the engine, not checked here. */
export function isUnrenderedTemplate(value: unknown): boolean {
  return isTemplate(value);
}

function scalarText(raw: unknown): string {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  throw new CoercionError(`expected text, got ${show(raw)}`);
}

function toList(raw: unknown): unknown[] {
  if (Array.isArray(raw)) return raw;
  if (typeof raw === 'string') {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (Array.isArray(parsed)) return parsed;
    } catch {
      // not JSON: fall through to the error below
    }
  }
  throw new CoercionError(`expected a list (or a JSON array string such as ["a","b"]), got ${show(raw)}`);
}

function matching(raw: unknown, pattern: RegExp, expected: string): string {
  const text = raw instanceof Date ? raw.toISOString() : scalarText(raw).trim();
  if (!pattern.test(text)) throw new CoercionError(`expected ${expected}, got ${show(raw)}`);
  return text;
}

function checkRange(value: number, spec: InputSpec): number {
  const min = spec.min === undefined ? undefined : Number(spec.min);
  const max = spec.max === undefined ? undefined : Number(spec.max);
  if (min !== undefined && Number.isFinite(min) && value < min)
    throw new CoercionError(`must be at least ${min}, got ${value}`);
  if (max !== undefined && Number.isFinite(max) && value > max)
    throw new CoercionError(`must be at most ${max}, got ${value}`);
  return value;
}

function checkBounds<T extends number | string>(text: string, spec: InputSpec, key: (value: string) => T): string {
  if (spec.after !== undefined && !(key(text) > key(spec.after)))
    throw new CoercionError(`must be after ${spec.after}`);
  if (spec.before !== undefined && !(key(text) < key(spec.before)))
    throw new CoercionError(`must be before ${spec.before}`);
  return text;
}

function checkChoice(value: string, spec: InputSpec): string {
  const values = spec.values?.map(String);
  if (!values || spec.allowCustomValue || values.includes(value)) return value;
  throw new CoercionError(`'${value}' is not one of ${values.map((v) => `'${v}'`).join(', ')}`);
}

function show(raw: unknown): string {
  if (raw === undefined) return 'nothing';
  const text = JSON.stringify(raw) ?? String(raw);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
