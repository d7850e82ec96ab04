import { z } from 'zod';
import { defineTask } from '../../plugin/define-plugin.ts';

export const storageSizeTask = defineTask({
  type: 'io.kestra.plugin.core.storage.Size',
  aliases: ['io.kestra.core.tasks.storages.Size'],
  category: 'task',
  title: 'File size',
  description: 'Outputs the `size` in bytes of a file in the execution storage.',
  properties: z.object({
    uri: z.string().meta({ description: 'The storage URI, e.g. "{{ outputs.download.uri }}"' }),
  }),
  outputs: z.object({ size: z.number() }),
  examples: [
    {
      title: 'Size of a generated file',
      code: [
        'id: file_size',
        'namespace: company.team',
        'tasks:',
        '  - id: size',
        '    type: io.kestra.plugin.core.storage.Size',
        '    uri: "{{ outputs.download.uri }}"',
      ].join('\n'),
    },
  ],
  async run(ctx, props) {
    if (!(await ctx.storage.exists(props.uri))) {
      throw new Error(`property uri: no file at '${props.uri}' in the execution storage`);
    }
    return { size: await ctx.storage.size(props.uri) };
  },
});
