import type { KvType } from '../../model/flow-record.ts';
import { ISO_DURATION } from '../../plugin/dynamic.ts';

/** The type a value is stored as when `kvType` is not given. */
export function inferKvType(value: unknown): KvType {
  if (typeof value === 'number') return 'NUMBER';
  if (typeof value === 'boolean') return 'BOOLEAN';
  if (value !== null && typeof value === 'object') return 'JSON';
  return 'STRING';
}

/**
 * Converts a rendered value to the declared KV type; templates render to text, so
 * `"42"` becomes 42 for NUMBER and `'{"a":1}'` a map for JSON. Errors say what was expected.
 */
export function toKvValue(value: unknown, type: KvType): unknown {
  const text = typeof value === 'string' ? value.trim() : undefined;
  switch (type) {
    case 'STRING':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'NUMBER': {
      const n = typeof value === 'number' ? value : text ? Number(text) : Number.NaN;
      if (Number.isNaN(n)) throw new Error(`property value: '${String(value)}' is not a NUMBER`);
      return n;
    }
    case 'BOOLEAN':
      if (typeof value === 'boolean') return value;
      if (text === 'true' || text === 'false') return text === 'true';
      throw new Error(`property value: '${String(value)}' is not a BOOLEAN (true or false)`);
    case 'JSON':
      if (text === undefined) return value;
      try {
        return JSON.parse(text);
      } catch (error) {
        throw new Error(`property value: not valid JSON for kvType JSON: ${(error as Error).message}`);
      }
    case 'DATETIME':
    case 'DATE': {
      if (text === undefined || Number.isNaN(Date.parse(text))) {
        throw new Error(
          `property value: '${String(value)}' is not an ISO-8601 ${type === 'DATE' ? 'date' : 'date-time'}`,
        );
      }
      return text;
    }
    case 'DURATION':
      if (text === undefined || !ISO_DURATION.test(text)) {
        throw new Error(`property value: '${String(value)}' is not an ISO-8601 duration such as PT5M`);
      }
      return text;
  }
}
