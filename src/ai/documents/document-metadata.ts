import type { MetadataValue } from './loaded-document.ts';

/**
 * Flattens user metadata to the scalars stores accept: dates become ISO strings, objects and
 * arrays JSON text, undefined entries are dropped.
 */
export function normalizeMetadata(metadata: Record<string, unknown> | undefined): Record<string, MetadataValue> {
  const result: Record<string, MetadataValue> = {};
  for (const [key, value] of Object.entries(metadata ?? {})) {
    if (value === undefined) continue;
    if (value === null || typeof value === 'string' || typeof value === 'boolean') result[key] = value;
    else if (typeof value === 'number') result[key] = Number.isFinite(value) ? value : String(value);
    else if (typeof value === 'bigint') result[key] = value.toString();
    else if (value instanceof Date) result[key] = value.toISOString();
    else result[key] = JSON.stringify(value);
  }
  return result;
}

/** JSON with sorted keys, so equal metadata always hashes equal. */
export function stableJson(value: Record<string, MetadataValue>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}
