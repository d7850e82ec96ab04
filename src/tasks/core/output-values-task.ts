import { z } from 'zod';
import { defineTask } from '../../plugin/define-plugin.ts';

export const outputValuesTask = defineTask({
  type: 'io.kestra.plugin.core.output.OutputValues',
  category: 'task',
  title: 'OutputValues',
  description: 'Outputs a map of values (rendered) as `values`, for later tasks and the execution outputs.',
  properties: z.object({
    values: z
      .record(z.string(), z.unknown())
      .default({})
      .meta({ description: 'The values to output; templates are rendered' }),
  }),
  outputs: z.object({ values: z.record(z.string(), z.unknown()) }),
  examples: [
    {
      title: 'Output values',
      code: [
        'id: outputs',
        'namespace: company.team',
        'tasks:',
        '  - id: output',
        '    type: io.kestra.plugin.core.output.OutputValues',
        '    values:',
        '      taskrun_data: "{{ task.id }}"',
        '  - id: show',
        '    type: io.kestra.plugin.core.log.Log',
        "    message: \"{{ outputs.output['values']['taskrun_data'] }}\"",
      ].join('\n'),
    },
  ],
  async run(_ctx, props) {
    return { values: props.values };
  },
});
