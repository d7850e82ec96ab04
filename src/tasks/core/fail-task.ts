import { z } from 'zod';
import { isTruthy } from '../../expression/index.ts';
import { defineTask } from '../../plugin/define-plugin.ts';
import { dynamic } from '../../plugin/dynamic.ts';

export const failTask = defineTask({
  type: 'io.kestra.plugin.core.execution.Fail',
  aliases: ['io.kestra.core.tasks.executions.Fail'],
  category: 'task',
  title: 'Fail',
  description:
    'Fails the task run with `errorMessage`: always when there is no `condition`, otherwise only when `condition` renders truthy.',
  properties: z.object({
    condition: dynamic(z.union([z.string(), z.boolean()]))
      .optional()
      .meta({ description: 'A template; the task fails when it renders truthy (true, a non-zero number, ...)' }),
    errorMessage: z
      .string()
      .default('Task failure')
      .meta({ description: 'The failure message; templates are rendered' }),
  }),
  examples: [
    {
      title: 'Fail on a bad input',
      code: [
        'id: fail_on_input',
        'namespace: company.team',
        'inputs:',
        '  - id: count',
        '    type: INT',
        'tasks:',
        '  - id: check',
        '    type: io.kestra.plugin.core.execution.Fail',
        '    condition: "{{ inputs.count < 0 }}"',
        '    errorMessage: "count must not be negative, got {{ inputs.count }}"',
      ].join('\n'),
    },
  ],
  async run(ctx, props) {
    if (props.condition !== undefined && !isTruthy(props.condition)) {
      ctx.logger.debug(`Fail: condition '${String(props.condition)}' is false, continuing`);
      return {};
    }
    throw new Error(props.errorMessage);
  },
});
