import { z } from 'zod';
import { defineTask } from '../../plugin/define-plugin.ts';
import { duration, dynamic, parseDuration } from '../../plugin/dynamic.ts';

export const sleepTask = defineTask({
  type: 'io.kestra.plugin.core.flow.Sleep',
  category: 'task',
  title: 'Sleep',
  description: 'Waits for `duration`; a kill or timeout interrupts it.',
  properties: z.object({ duration: dynamic(duration) }),
  async run(ctx, props) {
    const ms = parseDuration(String(props.duration));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      ctx.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(ctx.signal.reason);
        },
        { once: true },
      );
    });
    return {};
  },
});
