import { z } from 'zod';
import type { InputType } from './flow-types.ts';

export const INPUT_TYPES = [
  'STRING',
  'INT',
  'FLOAT',
  'BOOLEAN',
  'BOOL',
  'SELECT',
  'MULTISELECT',
  'ENUM',
  'DATETIME',
  'DATE',
  'TIME',
  'DURATION',
  'JSON',
  'YAML',
  'URI',
  'ARRAY',
  'SECRET',
  'FILE',
  'EMAIL',
] as const satisfies readonly InputType[];

/** Dots in an input id create nested values: `inputs.a.b`. */
export const INPUT_ID_PATTERN = /^[a-zA-Z0-9][.a-zA-Z0-9_-]*$/;

const scalar = z.union([z.string(), z.number()]);

/** One input declaration (B.4): common fields plus every type's own fields, checked per type below. */
export const inputSpecSchema = z
  .strictObject({
    id: z.string().regex(INPUT_ID_PATTERN, {
      message: 'must start with a letter or digit and contain only letters, digits, ., _ and -',
    }),
    type: z.enum(INPUT_TYPES),
    description: z.string().optional(),
    displayName: z.string().optional(),
    required: z.boolean().optional(),
    defaults: z.unknown().optional(),
    prefill: z.unknown().optional(),
    dependsOn: z.strictObject({ inputs: z.array(z.string()).optional(), condition: z.string().optional() }).optional(),
    validator: z.string().optional(),
    min: scalar.optional(),
    max: scalar.optional(),
    values: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
    expression: z.string().optional(),
    allowCustomValue: z.boolean().optional(),
    autoSelectFirst: z.boolean().optional(),
    isRadio: z.boolean().optional(),
    itemType: z.enum(INPUT_TYPES).optional(),
    after: z.string().optional(),
    before: z.string().optional(),
    allowedFileExtensions: z.array(z.string()).optional(),
    name: z.string().optional(),
  })
  .superRefine((input, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (input.type === 'ARRAY' && !input.itemType) issue('itemType', 'is required for an ARRAY input (e.g. STRING)');
    if (input.itemType === 'SECRET' || input.itemType === 'FILE' || input.itemType === 'ARRAY') {
      issue('itemType', `${input.itemType} cannot be an item type`);
    }
    if ((input.type === 'SELECT' || input.type === 'MULTISELECT') && !input.values && !input.expression) {
      issue('values', `a ${input.type} input needs 'values' (a list) or 'expression'`);
    }
    if (input.type === 'ENUM' && !input.values) issue('values', 'an ENUM input needs a list of values');
    if (input.validator !== undefined) {
      try {
        new RegExp(input.validator);
      } catch (cause) {
        issue('validator', `is not a valid regular expression: ${(cause as Error).message}`);
      }
    }
  });
