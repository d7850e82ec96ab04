import { z } from 'zod';
import { duration, dynamic } from '../../plugin/dynamic.ts';

/** When a stored conversation is erased, besides its `ttl`. */
export const DROP_POLICIES = ['NEVER', 'BEFORE_TASKRUN', 'AFTER_TASKRUN'] as const;

export type DropPolicy = (typeof DROP_POLICIES)[number];

/** The properties every memory has (the reference's MemoryProvider). */
export const memoryBaseProperties = z.object({
  messages: dynamic(z.int().min(1).max(10_000))
    .default(10)
    .describe('Messages kept: the oldest go first; the last system message is always kept.'),
  ttl: dynamic(duration).default('PT1H').describe('How long the conversation lives after its last save.'),
  memoryId: dynamic(z.string().min(1))
    .optional()
    .describe(
      'Which conversation to use. Defaults to `{{ labels.system.correlationId }}`: the root execution id, ' +
        'shared by its subflows and replays, so one memory per execution tree.',
    ),
  drop: dynamic(z.enum(DROP_POLICIES))
    .default('NEVER')
    .describe(
      'NEVER: keep until ttl. BEFORE_TASKRUN: erase before loading, so this task starts a new conversation ' +
        '(its exchange is saved). AFTER_TASKRUN: load and answer, then erase instead of saving.',
    ),
});
