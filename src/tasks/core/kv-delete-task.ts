import { z } from 'zod';
import { defineTask } from '../../plugin/define-plugin.ts';
import { dynamic } from '../../plugin/dynamic.ts';
import { checkKey, kvKey, kvNamespace } from './kv-key.ts';

export const kvDeleteTask = defineTask({
  type: 'io.kestra.plugin.core.kv.Delete',
  category: 'task',
  title: 'Delete a KV pair',
  description: 'Deletes `key` from the namespace KV store; `deleted` tells whether it existed.',
  properties: z.object({
    key: kvKey,
    namespace: kvNamespace,
    errorOnMissing: dynamic(z.boolean()).default(false).meta({ description: 'Fail when the key does not exist' }),
  }),
  outputs: z.object({ deleted: z.boolean() }),
  examples: [
    {
      title: 'Delete a key',
      code: [
        'id: delete_kv',
        'namespace: company.team',
        'tasks:',
        '  - id: delete',
        '    type: io.kestra.plugin.core.kv.Delete',
        '    key: last_run',
      ].join('\n'),
    },
  ],
  async run(ctx, props) {
    const key = checkKey(String(props.key));
    const namespace = props.namespace ?? ctx.flow.namespace;
    const deleted = await ctx.kv.delete(namespace, key);
    if (!deleted && (props.errorOnMissing === true || props.errorOnMissing === 'true')) {
      throw new Error(`key '${key}' does not exist in namespace '${namespace}'`);
    }
    return { deleted };
  },
});
