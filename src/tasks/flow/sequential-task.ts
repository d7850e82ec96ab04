import { z } from 'zod';
import { defineFlowable } from '../../plugin/define-plugin.ts';
import { nonEmptyTaskList, taskList } from './task-list.ts';

export const sequentialTask = defineFlowable({
  type: 'io.kestra.plugin.core.flow.Sequential',
  aliases: ['io.kestra.core.tasks.flows.Sequential'],
  category: 'task',
  flowable: true,
  title: 'Sequential',
  description: 'Runs its tasks one after the other; `errors` run when one of them fails.',
  properties: z.object({ tasks: nonEmptyTaskList, errors: taskList.optional() }),
  childTaskLists: ['tasks', 'errors'],
  examples: [
    {
      title: 'Two steps grouped',
      code: `id: sequential
namespace: company.team
tasks:
  - id: group
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - id: first
        type: io.kestra.plugin.core.log.Log
        message: first
      - id: second
        type: io.kestra.plugin.core.log.Log
        message: second`,
    },
  ],
});
