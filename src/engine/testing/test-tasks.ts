import { z } from 'zod';
import { defineTask } from '../../plugin/define-plugin.ts';
import { dynamic } from '../../plugin/dynamic.ts';

/** Attempts seen per key, so a test task can fail its first N attempts. */
export const attemptCounts = new Map<string, number>();

/** Test-only tasks with behaviour tests can steer; registered by the engine tests only. */
export const echoTask = defineTask({
  type: 'io.windhover.test.Echo',
  category: 'task',
  title: 'Echo (tests)',
  description: 'Returns its `value`, logging it; fails its first `failTimes` attempts.',
  properties: z.object({
    value: z.unknown().optional(),
    failTimes: dynamic(z.number().int()).optional(),
    key: z.string().optional(),
    log: z.string().optional(),
  }),
  async run(ctx, props) {
    if (props.log) ctx.logger.info(props.log);
    const key = props.key ?? ctx.taskRun.id;
    const seen = (attemptCounts.get(key) ?? 0) + 1;
    attemptCounts.set(key, seen);
    if (typeof props.failTimes === 'number' && seen <= props.failTimes) {
      throw new Error(`planned failure ${seen} of ${props.failTimes}`);
    }
    return { value: props.value, attempt: ctx.taskRun.attempt };
  },
});

export const waitTask = defineTask({
  type: 'io.windhover.test.Wait',
  category: 'task',
  title: 'Wait (tests)',
  description: 'Waits `ms` milliseconds, or until aborted (timeout, kill).',
  properties: z.object({ ms: dynamic(z.number().int()).default(60_000), marker: z.string().optional() }),
  async run(ctx, props) {
    if (props.marker) ctx.logger.info(`started ${props.marker}`);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, Number(props.ms));
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(ctx.signal.reason);
      });
    });
    return { waited: props.ms };
  },
});

export const failTask = defineTask({
  type: 'io.windhover.test.Fail',
  category: 'task',
  title: 'Fail (tests)',
  description: 'Always fails with `message`.',
  properties: z.object({ message: z.string().default('boom') }),
  async run(_ctx, props) {
    throw new Error(props.message);
  },
});

export const testTasks = [echoTask, waitTask, failTask];
