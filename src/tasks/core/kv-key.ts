import { z } from 'zod';
import type { KvType } from '../../model/flow-record.ts';
import { dynamic } from '../../plugin/dynamic.ts';

/** The reference's key rule: starts with a letter or digit, then letters, digits, `.`, `_`, `-`. */
export const KV_KEY_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;

export const kvKey = dynamic(
  z.string().regex(KV_KEY_PATTERN, {
    message: 'a KV key starts with a letter or digit and contains only letters, digits, ".", "_" and "-"',
  }),
).meta({ description: 'The key, matching [a-zA-Z0-9][a-zA-Z0-9._-]*' });

export const kvNamespace = z
  .string()
  .optional()
  .meta({ description: "The namespace of the key; the flow's namespace by default" });

export const KV_TYPES: readonly KvType[] = ['STRING', 'NUMBER', 'BOOLEAN', 'DATETIME', 'DATE', 'DURATION', 'JSON'];

/** Checks a key after rendering (a template key is only known then). */
export function checkKey(key: string, property = 'key'): string {
  if (!KV_KEY_PATTERN.test(key)) {
    throw new Error(
      `property ${property}: '${key}' is not a valid KV key; it must start with a letter or digit and contain only letters, digits, '.', '_' and '-'`,
    );
  }
  return key;
}
