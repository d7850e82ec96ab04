import { z } from 'zod';
import { defineFlowable } from '../../plugin/define-plugin.ts';
import { dynamic } from '../../plugin/dynamic.ts';
import { nonEmptyTaskList, taskList } from './task-list.ts';

const values = dynamic(z.union([z.array(z.unknown()), z.string()])).meta({
  description: 'A list, or a JSON string of a list, or a template rendering to one',
});

export const forEachTask = defineFlowable({
  type: 'io.kestra.plugin.core.flow.ForEach',
  category: 'task',
  flowable: true,
  title: 'ForEach',
  description:
    'Runs its tasks once for each value. `concurrencyLimit` iterations run at once (1 = one after the other, 0 = all).',
  properties: z.object({
    values,
    concurrencyLimit: dynamic(z.coerce.number().int().min(0)).default(1),
    tasks: nonEmptyTaskList,
    errors: taskList.optional(),
  }),
  childTaskLists: ['tasks', 'errors'],
});

/** The pre-0.13 loop names, which run like ForEach. */
export const eachSequentialTask = defineFlowable({
  type: 'io.kestra.plugin.core.flow.EachSequential',
  aliases: ['io.kestra.core.tasks.flows.EachSequential'],
  category: 'task',
  flowable: true,
  title: 'EachSequential (deprecated)',
  description: 'Runs its tasks once per value, one value after the other. Use ForEach.',
  properties: z.object({ value: values, tasks: nonEmptyTaskList, errors: taskList.optional() }),
  childTaskLists: ['tasks', 'errors'],
});

export const eachParallelTask = defineFlowable({
  type: 'io.kestra.plugin.core.flow.EachParallel',
  aliases: ['io.kestra.core.tasks.flows.EachParallel'],
  category: 'task',
  flowable: true,
  title: 'EachParallel (deprecated)',
  description: 'Runs its tasks once per value, values in parallel (`concurrent`, 0 = all). Use ForEach.',
  properties: z.object({
    value: values,
    concurrent: dynamic(z.coerce.number().int().min(0)).default(0),
    tasks: nonEmptyTaskList,
    errors: taskList.optional(),
  }),
  childTaskLists: ['tasks', 'errors'],
});
