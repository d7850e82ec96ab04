import { z } from 'zod';
import { defineFlowable } from '../../plugin/define-plugin.ts';
import { duration, dynamic } from '../../plugin/dynamic.ts';
import { taskList } from './task-list.ts';

export const pauseTask = defineFlowable({
  type: 'io.kestra.plugin.core.flow.Pause',
  aliases: ['io.kestra.core.tasks.flows.Pause'],
  category: 'task',
  flowable: true,
  title: 'Pause',
  description:
    'Pauses the execution until it is resumed (`windhover executions resume`, the API or the UI), or until ' +
    '`delay` has passed. With `timeout` and no resume, the task fails.',
  properties: z.object({
    delay: dynamic(duration).optional(),
    timeout: dynamic(duration).optional(),
    onResume: z.array(z.looseObject({ id: z.string(), type: z.string() })).optional(),
    tasks: taskList.optional(),
  }),
  childTaskLists: ['tasks'],
});
