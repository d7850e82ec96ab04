import type { ExpressionFilter } from '../types.ts';
import { collectionFilters } from './collection-filters.ts';
import { dateFilters } from './date-filters.ts';
import { encodingFilters } from './encoding-filters.ts';
import { jqFilter } from './jq-filter.ts';
import { numberFilters } from './number-filters.ts';
import { serializationFilters } from './serialization-filters.ts';
import { stringFilters } from './string-filters.ts';

/** Every built-in filter by name. */
export const builtinFilters: Record<string, ExpressionFilter> = {
  ...stringFilters,
  ...collectionFilters,
  ...numberFilters,
  ...encodingFilters,
  ...serializationFilters,
  ...dateFilters,
  jq: jqFilter,
};
