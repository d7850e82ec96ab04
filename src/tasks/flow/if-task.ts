import { z } from 'zod';
import { defineFlowable } from '../../plugin/define-plugin.ts';
import { dynamic } from '../../plugin/dynamic.ts';
import { nonEmptyTaskList, taskList } from './task-list.ts';

export const ifTask = defineFlowable({
  type: 'io.kestra.plugin.core.flow.If',
  aliases: ['io.kestra.core.tasks.flows.If'],
  category: 'task',
  flowable: true,
  title: 'If',
  description: 'Runs `then` when `condition` renders truthy, `else` otherwise.',
  properties: z.object({
    condition: dynamic(z.union([z.string(), z.boolean()])),
    // biome-ignore lint/suspicious/noThenProperty: `then` is the reference's property name; this schema is never awaited.
    then: nonEmptyTaskList,
    else: taskList.optional(),
    errors: taskList.optional(),
  }),
  childTaskLists: ['then', 'else', 'errors'],
});
