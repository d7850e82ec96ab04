import { z } from 'zod';
import { defineTask } from '../../plugin/define-plugin.ts';

export const returnTask = defineTask({
  type: 'io.kestra.plugin.core.debug.Return',
  aliases: ['io.kestra.core.tasks.debugs.Return'],
  category: 'task',
  title: 'Return',
  description: 'Renders `format` and returns it as the output `value`, for debugging and passing values on.',
  properties: z.object({
    format: z.string().optional().meta({ description: 'The text to return; templates are rendered' }),
  }),
  outputs: z.object({ value: z.string().optional().meta({ description: 'The rendered `format`' }) }),
  examples: [
    {
      title: 'Return a value used by the next task',
      code: [
        'id: return_value',
        'namespace: company.team',
        'tasks:',
        '  - id: compute',
        '    type: io.kestra.plugin.core.debug.Return',
        '    format: "{{ 6 * 7 }}"',
        '  - id: show',
        '    type: io.kestra.plugin.core.log.Log',
        '    message: "{{ outputs.compute.value }}"',
      ].join('\n'),
    },
  ],
  async run(ctx, props) {
    ctx.logger.debug(`Return: ${props.format ?? ''}`);
    return props.format === undefined ? {} : { value: props.format };
  },
});
