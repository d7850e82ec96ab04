import { z } from 'zod';
import { retrySchema } from '../plugin/base-properties.ts';
import { INPUT_TYPES } from './input-spec-schema.ts';

export const FLOW_ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;
export const NAMESPACE_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

const labelList = z.array(z.strictObject({ key: z.string().min(1), value: z.unknown() }));

/** A flow output (B.1): a value computed at the end of the execution and returned to callers. */
export const flowOutputSchema = z.strictObject({
  id: z.string().regex(/^[a-zA-Z0-9][.a-zA-Z0-9_-]*$/, { message: 'must start with a letter or digit' }),
  type: z.enum(INPUT_TYPES),
  value: z.unknown().refine((v) => v !== undefined, { message: 'is required' }),
  description: z.string().optional(),
  displayName: z.string().optional(),
  required: z.boolean().optional(),
});

/**
 * The flow's own keys (B.1). Lists of plugins (tasks, triggers, defaults) and inputs are only
 * checked to be lists here: each item is validated against its own type by the flow walker.
 */
export const flowTopLevelSchema = z.strictObject({
  id: z.string().max(100, { message: 'must be at most 100 characters' }).regex(FLOW_ID_PATTERN, {
    message: 'must start with a letter or digit and contain only letters, digits, ., _ and -',
  }),
  namespace: z.string().regex(NAMESPACE_PATTERN, {
    message: 'must start with a lowercase letter or digit and contain only lowercase letters, digits, ., _ and -',
  }),
  description: z.string().optional(),
  labels: z.union([z.record(z.string(), z.unknown()), labelList]).optional(),
  inputs: z.array(z.unknown()).optional(),
  variables: z.record(z.string(), z.unknown()).optional(),
  tasks: z.array(z.unknown(), { message: 'is required: a flow needs a list of at least one task' }).min(1, {
    message: 'must contain at least one task',
  }),
  errors: z.array(z.unknown()).optional(),
  finally: z.array(z.unknown()).optional(),
  afterExecution: z.array(z.unknown()).optional(),
  triggers: z.array(z.unknown()).optional(),
  pluginDefaults: z.array(z.unknown()).optional(),
  taskDefaults: z.array(z.unknown()).optional(),
  concurrency: z
    .strictObject({
      limit: z.int().min(1, { message: 'must be at least 1' }),
      behavior: z.enum(['QUEUE', 'CANCEL', 'FAIL']).optional(),
    })
    .optional(),
  outputs: z.array(flowOutputSchema).optional(),
  retry: retrySchema.optional(),
  disabled: z.boolean().optional(),
  /** Server-managed; accepted and ignored. */
  revision: z.int().optional(),
  /** Accepted for compatibility; Windhover does not enforce SLAs or checks yet. */
  sla: z.array(z.unknown()).optional(),
  checks: z.array(z.unknown()).optional(),
  /** Blueprint metadata (title, tags): not part of the flow, ignored. */
  extend: z.unknown().optional(),
  /** Server-managed fields some exports carry; ignored. */
  tenantId: z.string().optional(),
  deleted: z.boolean().optional(),
});

/** One `pluginDefaults` entry. */
export const pluginDefaultSchema = z.strictObject({
  type: z.string().min(1),
  forced: z.boolean().optional(),
  values: z.record(z.string(), z.unknown()),
});
