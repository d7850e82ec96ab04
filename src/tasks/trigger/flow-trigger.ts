import { z } from 'zod';
import { STATES } from '../../model/state.ts';
import { defineSubPlugin } from '../../plugin/define-plugin.ts';
import type { TriggerImplementation } from './schedule-trigger.ts';

const upstream = z.object({
  namespace: z.string(),
  flowId: z.string(),
  states: z.array(z.enum(STATES)).optional(),
  labels: z.record(z.string(), z.unknown()).optional(),
});

export const flowTrigger = defineSubPlugin<z.ZodObject, TriggerImplementation>({
  type: 'io.kestra.plugin.core.trigger.Flow',
  aliases: ['io.kestra.core.models.triggers.types.Flow'],
  category: 'trigger',
  title: 'Flow',
  description:
    'Starts the flow when executions of other flows end. `states` (default: terminal states) filters the ended ' +
    'execution; `preconditions.flows` waits until every listed upstream flow has ended in one of its states.',
  properties: z.object({
    states: z.array(z.enum(STATES)).optional(),
    preconditions: z
      .object({
        id: z.string().optional(),
        flows: z.array(upstream).optional(),
        timeWindow: z.record(z.string(), z.unknown()).optional(),
        resetOnSuccess: z.boolean().optional(),
        where: z.array(z.record(z.string(), z.unknown())).optional(),
      })
      .optional(),
  }),
  examples: [
    {
      title: 'Answer questions once the index is rebuilt',
      code: [
        'id: after_ingest',
        'namespace: company.team',
        'triggers:',
        '  - id: on_ingest',
        '    type: io.kestra.plugin.core.trigger.Flow',
        '    preconditions:',
        '      flows:',
        '        - namespace: company.team',
        '          flowId: ingest',
        '          states: [SUCCESS]',
        'tasks:',
        '  - id: hello',
        '    type: io.kestra.plugin.core.log.Log',
        '    message: "{{ trigger.executionId }} ended"',
      ].join('\n'),
    },
  ],
  implementation: { kind: 'flow' },
});
