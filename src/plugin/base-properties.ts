import { z } from 'zod';
import { duration, TEMPLATE_PATTERN } from './dynamic.ts';
import { pluginRef } from './plugin-ref.ts';

/** A duration property that may also be a template: `PT10M` or `{{ inputs.timeout }}`. */
const dynamicDuration = z.union([
  duration,
  z.string().regex(TEMPLATE_PATTERN, { message: 'expected an ISO-8601 duration such as PT10M, PT30S or P1D' }),
]);

/** Task ids name outputs (`outputs.<id>`), so no dots. */
export const TASK_ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;

export const taskId = z
  .string()
  .max(100, { message: 'must be at most 100 characters' })
  .regex(TASK_ID_PATTERN, { message: 'must start with a letter or digit and contain only letters, digits, _ and -' });

const retryCommon = {
  maxAttempts: z.int().min(1, { message: 'must be at least 1' }).optional(),
  /** Deprecated spelling, normalised into `maxAttempts` by the flow model. */
  maxAttempt: z.int().min(1, { message: 'must be at least 1' }).optional(),
  maxDuration: dynamicDuration.optional(),
  warningOnRetry: z.boolean().optional(),
  /** Flow-level retry only: what a retry re-runs. */
  behavior: z.enum(['RETRY_FAILED_TASK', 'CREATE_NEW_EXECUTION']).optional(),
};

/** Retry policy (B.3), discriminated by `type`. */
export const retrySchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('constant'), interval: dynamicDuration, ...retryCommon }),
  z.strictObject({
    type: z.literal('exponential'),
    interval: dynamicDuration,
    maxInterval: dynamicDuration,
    delayFactor: z.number().positive().optional(),
    ...retryCommon,
  }),
  z.strictObject({
    type: z.literal('random'),
    minInterval: dynamicDuration,
    maxInterval: dynamicDuration,
    ...retryCommon,
  }),
]);

export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

const runIf = z.union([z.boolean(), z.string()]);

/** Properties every task has (B.2), merged with each plugin's own properties. */
export const taskBaseProperties = z.object({
  id: taskId,
  type: z.string(),
  description: z.string().optional(),
  retry: retrySchema.optional(),
  timeout: dynamicDuration.optional(),
  disabled: z.boolean().optional(),
  allowFailure: z.boolean().optional(),
  allowWarning: z.boolean().optional(),
  runIf: runIf.optional(),
  /** 2.0 name of `runIf`, normalised into `runIf` by the flow model. */
  when: runIf.optional(),
  logLevel: z.enum(LOG_LEVELS).optional(),
  logToFile: z.boolean().optional(),
  workerGroup: z.strictObject({ key: z.string(), fallback: z.enum(['FAIL', 'WAIT', 'CANCEL']).optional() }).optional(),
  taskCache: z.strictObject({ enabled: z.boolean().optional(), ttl: dynamicDuration.optional() }).optional(),
});

/** Properties every trigger has (B.7), merged with each trigger plugin's own properties. */
export const triggerBaseProperties = z.object({
  id: taskId,
  type: z.string(),
  description: z.string().optional(),
  disabled: z.boolean().optional(),
  conditions: z.array(pluginRef('condition')).optional(),
  labels: z
    .union([z.record(z.string(), z.unknown()), z.array(z.strictObject({ key: z.string(), value: z.unknown() }))])
    .optional(),
  inputs: z.record(z.string(), z.unknown()).optional(),
  stopAfter: z.array(z.string()).optional(),
  workerGroup: z.strictObject({ key: z.string(), fallback: z.enum(['FAIL', 'WAIT', 'CANCEL']).optional() }).optional(),
  logLevel: z.enum(LOG_LEVELS).optional(),
  logToFile: z.boolean().optional(),
  allowConcurrent: z.boolean().optional(),
});

/** Sub-plugins (providers, stores, conditions) only carry their `type`. */
export const subPluginBaseProperties = z.object({ type: z.string() });
