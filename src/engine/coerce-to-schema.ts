import type { z } from 'zod';

type Def = {
  type: string;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  in?: z.ZodType;
  getter?: () => z.ZodType;
};

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/**
 * Rendered templates are strings (Pebble semantics); a property typed as a number, boolean,
 * list or map then gets the string's value: "5" → 5, "true" → true, '["a"]' → ["a"].
 * This walks the property schema so only values whose declared type wants it are converted.
 */
export function coerceToSchema(value: unknown, schema: z.ZodType, depth = 0): unknown {
  if (depth > 64 || value === undefined || value === null) return value;
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return def.innerType ? coerceToSchema(value, def.innerType, depth + 1) : value;
    case 'pipe':
      return def.in ? coerceToSchema(value, def.in, depth + 1) : value;
    case 'lazy':
      return def.getter ? coerceToSchema(value, def.getter(), depth + 1) : value;
    case 'union': {
      const options = def.options ?? [];
      if (options.some((option) => option.safeParse(value).success)) return value;
      for (const option of options) {
        const coerced = coerceToSchema(value, option, depth + 1);
        if (coerced !== value && option.safeParse(coerced).success) return coerced;
      }
      return value;
    }
    case 'number':
    case 'int':
    case 'bigint':
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
      return value;
    case 'boolean':
      if (value === 'true') return true;
      if (value === 'false') return false;
      return value;
    case 'string':
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return value;
    case 'array': {
      const list = typeof value === 'string' ? parseJson(value, Array.isArray) : value;
      if (!Array.isArray(list) || !def.element) return list;
      const element = def.element;
      return list.map((item) => coerceToSchema(item, element, depth + 1));
    }
    case 'object': {
      const map = typeof value === 'string' ? parseJson(value, isPlainObject) : value;
      if (!isPlainObject(map) || !def.shape) return map;
      const out: Record<string, unknown> = { ...map };
      for (const [key, child] of Object.entries(def.shape)) {
        if (key in out) out[key] = coerceToSchema(out[key], child, depth + 1);
      }
      return out;
    }
    case 'record': {
      const map = typeof value === 'string' ? parseJson(value, isPlainObject) : value;
      if (!isPlainObject(map) || !def.valueType) return map;
      const valueType = def.valueType;
      return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, coerceToSchema(v, valueType, depth + 1)]));
    }
    default:
      return value;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string, accept: (value: unknown) => boolean): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) return text;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return accept(parsed) ? parsed : text;
  } catch {
    return text;
  }
}
