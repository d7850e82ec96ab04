import { z } from 'zod';

/**
 * A list of child tasks. Children are validated by the flow model against their own
 * plugin schemas (it recurses through `childTaskLists`), so here they are only objects.
 */
export const taskList = z
  .array(z.looseObject({ id: z.string(), type: z.string() }))
  .meta({ description: 'Tasks, each chosen by its type', windhoverTaskList: true });

export const nonEmptyTaskList = taskList.min(1, { message: 'needs at least one task' });
