import { z } from 'zod';
import type { LogLevel } from '../../model/execution.ts';
import { LOG_LEVELS } from '../../model/execution.ts';
import { defineTask } from '../../plugin/define-plugin.ts';
import { dynamic } from '../../plugin/dynamic.ts';

export const logTask = defineTask({
  type: 'io.kestra.plugin.core.log.Log',
  aliases: ['io.kestra.core.tasks.log.Log'],
  category: 'task',
  title: 'Log',
  description: 'Writes one message, or each message of a list, to the task-run logs at `level` (INFO by default).',
  properties: z.object({
    message: z
      .union([z.string(), z.array(z.string())])
      .meta({ description: 'A message or a list of messages; templates are rendered' }),
    level: dynamic(z.enum(LOG_LEVELS as [LogLevel, ...LogLevel[]])).default('INFO'),
  }),
  examples: [
    {
      title: 'Log a greeting',
      code: [
        'id: hello',
        'namespace: company.team',
        'inputs:',
        '  - id: name',
        '    type: STRING',
        '    defaults: world',
        'tasks:',
        '  - id: greet',
        '    type: io.kestra.plugin.core.log.Log',
        '    message: "Hello {{ inputs.name }}"',
        '    level: WARN',
      ].join('\n'),
    },
  ],
  async run(ctx, props) {
    const level = String(props.level).toUpperCase() as LogLevel;
    if (!LOG_LEVELS.includes(level)) {
      throw new Error(`property level: '${props.level}' is not a log level; use one of ${LOG_LEVELS.join(', ')}`);
    }
    const messages = Array.isArray(props.message) ? props.message : [props.message];
    for (const message of messages) ctx.logger.log(level, message);
    return {};
  },
});
