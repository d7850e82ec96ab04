import { stringify as toYaml } from 'yaml';
import type { ExpressionFilter } from '../types.ts';
import { checkLength, MISSING, toJson } from '../values.ts';

const jsonFilter: ExpressionFilter = (input) => checkLength(toJson(input === MISSING ? null : input));

/** JSON and YAML output. */
export const serializationFilters: Record<string, ExpressionFilter> = {
  toJson: jsonFilter,
  json: jsonFilter,
  yaml: (input) => checkLength(toYaml(input ?? null, { lineWidth: 0 })),
};
