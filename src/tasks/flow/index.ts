import type { AnyTaskDefinition } from '../../plugin/define-plugin.ts';
import { allowFailureTask } from './allow-failure-task.ts';
import { eachParallelTask, eachSequentialTask, forEachTask } from './for-each-task.ts';
import { ifTask } from './if-task.ts';
import { parallelTask } from './parallel-task.ts';
import { pauseTask } from './pause-task.ts';
import { sequentialTask } from './sequential-task.ts';
import { sleepTask } from './sleep-task.ts';
import { subflowTask } from './subflow-task.ts';
import { switchTask } from './switch-task.ts';

/** The flow-control tasks; all but Sleep are driven by the executor (engine/flowable). */
export const flowTaskPlugins: AnyTaskDefinition[] = [
  sequentialTask,
  parallelTask,
  ifTask,
  switchTask,
  forEachTask,
  eachSequentialTask,
  eachParallelTask,
  allowFailureTask,
  subflowTask,
  pauseTask,
  sleepTask,
];
