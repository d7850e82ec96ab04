import { z } from 'zod';
import type { LogLevel } from '../../model/execution.ts';
import { LOG_LEVELS } from '../../model/execution.ts';
import { defineTask } from '../../plugin/define-plugin.ts';
import { dynamic } from '../../plugin/dynamic.ts';

/** Kept so old flows run; it logs like Log. */
export const echoTask = defineTask({
  type: 'io.kestra.plugin.core.debug.Echo',
  aliases: ['io.kestra.core.tasks.debugs.Echo'],
  category: 'task',
  title: 'Echo (deprecated)',
  description: 'Logs `format` at `level` (INFO by default). Deprecated in the reference: use Log.',
  properties: z.object({
    format: z.string().meta({ description: 'The message; templates are rendered' }),
    level: dynamic(z.enum(LOG_LEVELS as [LogLevel, ...LogLevel[]])).default('INFO'),
  }),
  examples: [
    {
      title: 'Echo a message',
      code: [
        'id: echo',
        'namespace: company.team',
        'tasks:',
        '  - id: echo',
        '    type: io.kestra.plugin.core.debug.Echo',
        '    format: "{{ flow.id }} started"',
      ].join('\n'),
    },
  ],
  async run(ctx, props) {
    const level = String(props.level).toUpperCase() as LogLevel;
    if (!LOG_LEVELS.includes(level))
      throw new Error(`property level: '${props.level}' is not one of ${LOG_LEVELS.join(', ')}`);
    ctx.logger.log(level, props.format);
    return {};
  },
});
