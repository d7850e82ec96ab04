import { z } from 'zod';
import { defineFlowable } from '../../plugin/define-plugin.ts';
import { dynamic } from '../../plugin/dynamic.ts';
import { taskList } from './task-list.ts';

export const switchTask = defineFlowable({
  type: 'io.kestra.plugin.core.flow.Switch',
  aliases: ['io.kestra.core.tasks.flows.Switch'],
  category: 'task',
  flowable: true,
  title: 'Switch',
  description: 'Runs the task list of the case matching `value`, or `defaults` when none matches.',
  properties: z.object({
    value: dynamic(z.union([z.string(), z.number(), z.boolean()])),
    cases: z.record(z.string(), taskList).optional(),
    defaults: taskList.min(1, { message: 'needs at least one task when given' }).optional(),
    errors: taskList.optional(),
  }),
  childTaskLists: ['defaults', 'errors'],
  childTaskMaps: ['cases'],
});
