import { z } from 'zod';
import { defineSubPlugin } from '../../plugin/define-plugin.ts';
import type { TriggerImplementation } from './schedule-trigger.ts';

export const webhookTrigger = defineSubPlugin<z.ZodObject, TriggerImplementation>({
  type: 'io.kestra.plugin.core.trigger.Webhook',
  aliases: ['io.kestra.core.models.triggers.types.Webhook'],
  category: 'trigger',
  title: 'Webhook',
  description:
    'Starts the flow on an HTTP call to /api/v1/main/executions/webhook/{namespace}/{flowId}/{key}; the body, ' +
    'headers and query parameters are `trigger.body`, `trigger.headers`, `trigger.parameters`.',
  properties: z.object({
    key: z.string().min(1).max(256).meta({ description: 'The secret part of the URL' }),
    wait: z.boolean().default(false).meta({ description: 'Answer only when the execution ends' }),
    returnOutputs: z
      .boolean()
      .default(false)
      .meta({ description: 'Answer with the flow outputs once the execution ends (waits, even without wait)' }),
    responseContentType: z.string().optional(),
  }),
  implementation: { kind: 'webhook' },
});
