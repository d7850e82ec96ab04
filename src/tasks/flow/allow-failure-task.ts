import { z } from 'zod';
import { defineFlowable } from '../../plugin/define-plugin.ts';
import { nonEmptyTaskList, taskList } from './task-list.ts';

export const allowFailureTask = defineFlowable({
  type: 'io.kestra.plugin.core.flow.AllowFailure',
  aliases: ['io.kestra.core.tasks.flows.AllowFailure'],
  category: 'task',
  flowable: true,
  title: 'AllowFailure',
  description: 'Runs its tasks; a failure among them ends this task in WARNING instead of failing the execution.',
  properties: z.object({ tasks: nonEmptyTaskList, errors: taskList.optional() }),
  childTaskLists: ['tasks', 'errors'],
});
