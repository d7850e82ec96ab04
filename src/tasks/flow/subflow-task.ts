import { z } from 'zod';
import { defineFlowable } from '../../plugin/define-plugin.ts';
import { dynamic } from '../../plugin/dynamic.ts';

export const subflowTask = defineFlowable({
  type: 'io.kestra.plugin.core.flow.Subflow',
  aliases: ['io.kestra.core.tasks.flows.Subflow', 'io.kestra.core.tasks.flows.Flow'],
  category: 'task',
  flowable: true,
  title: 'Subflow',
  description:
    'Starts an execution of another flow. With `wait` it ends with the child (its outputs come back as ' +
    '`outputs.<id>.outputs`); with `transmitFailed` a failed child fails this task.',
  properties: z.object({
    namespace: dynamic(z.string()),
    flowId: dynamic(z.string()),
    revision: dynamic(z.coerce.number().int().min(1)).optional(),
    inputs: z.record(z.string(), z.unknown()).optional(),
    labels: z
      .union([z.record(z.string(), z.string()), z.array(z.object({ key: z.string(), value: z.string() }))])
      .optional(),
    wait: dynamic(z.boolean()).default(true),
    transmitFailed: dynamic(z.boolean()).default(true),
    inheritLabels: dynamic(z.boolean()).default(false),
    scheduleDate: dynamic(z.string()).optional(),
  }),
  childTaskLists: [],
  outputs: z.object({
    executionId: z.string(),
    state: z.string(),
    outputs: z.record(z.string(), z.unknown()).optional(),
  }),
});
