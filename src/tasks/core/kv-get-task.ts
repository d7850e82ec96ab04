import { z } from 'zod';
import { defineTask } from '../../plugin/define-plugin.ts';
import { dynamic } from '../../plugin/dynamic.ts';
import { checkKey, kvKey, kvNamespace } from './kv-key.ts';

export const kvGetTask = defineTask({
  type: 'io.kestra.plugin.core.kv.Get',
  category: 'task',
  title: 'Get a KV value',
  description: 'Reads the value of `key` from the namespace KV store into the output `value`.',
  properties: z.object({
    key: kvKey,
    namespace: kvNamespace,
    errorOnMissing: dynamic(z.boolean())
      .default(false)
      .meta({ description: 'Fail when the key is absent (or expired)' }),
  }),
  outputs: z.object({ value: z.unknown().meta({ description: 'The stored value, null when absent' }) }),
  examples: [
    {
      title: 'Read a value',
      code: [
        'id: read_kv',
        'namespace: company.team',
        'tasks:',
        '  - id: get',
        '    type: io.kestra.plugin.core.kv.Get',
        '    key: last_run',
        '  - id: show',
        '    type: io.kestra.plugin.core.log.Log',
        '    message: "{{ outputs.get.value }}"',
      ].join('\n'),
    },
  ],
  async run(ctx, props) {
    const key = checkKey(String(props.key));
    const namespace = props.namespace ?? ctx.flow.namespace;
    const entry = await ctx.kv.get(namespace, key);
    const expired = entry?.expirationDate !== undefined && Date.parse(entry.expirationDate) <= Date.now();
    if (!entry || expired) {
      if (props.errorOnMissing === true || props.errorOnMissing === 'true') {
        throw new Error(`key '${key}' ${expired ? 'has expired' : 'does not exist'} in namespace '${namespace}'`);
      }
      return { value: null };
    }
    return { value: entry.value };
  },
});
