import type { MetadataFilter, MetadataValue } from '../spec/embedding-store.ts';

/** One condition of a filter: the key must equal one of the values. */
export interface FilterCondition {
  key: string;
  values: MetadataValue[];
}

/**
 * Turns a filter into conditions, rejecting values a store could not compare (objects,
 * empty lists) with an error naming the key.
 */
export function filterConditions(filter: MetadataFilter | undefined): FilterCondition[] {
  if (!filter) return [];
  return Object.entries(filter).map(([key, value]) => {
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0) throw new Error(`filter.${key}: an any-of list needs at least one value`);
    for (const item of values) {
      if (item !== null && !['string', 'number', 'boolean'].includes(typeof item)) {
        throw new Error(`filter.${key}: values must be strings, numbers, booleans or null, got ${typeof item}`);
      }
    }
    return { key, values };
  });
}

/** True when the metadata satisfies every condition (in-memory stores and test servers). */
export function matchesFilter(metadata: Record<string, MetadataValue>, filter: MetadataFilter | undefined): boolean {
  return filterConditions(filter).every(
    ({ key, values }) => Object.hasOwn(metadata, key) && values.some((value) => value === metadata[key]),
  );
}
