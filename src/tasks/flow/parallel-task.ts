import { z } from 'zod';
import { defineFlowable } from '../../plugin/define-plugin.ts';
import { dynamic } from '../../plugin/dynamic.ts';
import { nonEmptyTaskList, taskList } from './task-list.ts';

export const parallelTask = defineFlowable({
  type: 'io.kestra.plugin.core.flow.Parallel',
  aliases: ['io.kestra.core.tasks.flows.Parallel'],
  category: 'task',
  flowable: true,
  title: 'Parallel',
  description: 'Runs its tasks at the same time, at most `concurrent` at once (0 = no limit).',
  properties: z.object({
    tasks: nonEmptyTaskList,
    errors: taskList.optional(),
    concurrent: dynamic(z.coerce.number().int().min(0)).default(0),
  }),
  childTaskLists: ['tasks', 'errors'],
});
