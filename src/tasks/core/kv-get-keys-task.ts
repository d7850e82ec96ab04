import { z } from 'zod';
import { defineTask } from '../../plugin/define-plugin.ts';
import { kvNamespace } from './kv-key.ts';

export const kvGetKeysTask = defineTask({
  type: 'io.kestra.plugin.core.kv.GetKeys',
  category: 'task',
  title: 'List KV keys',
  description: 'Lists the keys of the namespace KV store that start with `prefix` (all keys without one).',
  properties: z.object({
    prefix: z.string().optional().meta({ description: 'Only keys starting with this text' }),
    namespace: kvNamespace,
  }),
  outputs: z.object({ keys: z.array(z.string()) }),
  examples: [
    {
      title: 'List the keys of a namespace',
      code: [
        'id: list_kv',
        'namespace: company.team',
        'tasks:',
        '  - id: keys',
        '    type: io.kestra.plugin.core.kv.GetKeys',
        '    prefix: cache_',
      ].join('\n'),
    },
  ],
  async run(ctx, props) {
    const namespace = props.namespace ?? ctx.flow.namespace;
    const now = Date.now();
    const entries = await ctx.kv.list(namespace, props.prefix);
    const keys = entries
      .filter((entry) => !props.prefix || entry.key.startsWith(props.prefix))
      .filter((entry) => entry.expirationDate === undefined || Date.parse(entry.expirationDate) > now)
      .map((entry) => entry.key)
      .sort();
    return { keys };
  },
});
