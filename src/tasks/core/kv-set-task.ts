import { z } from 'zod';
import type { KvType } from '../../model/flow-record.ts';
import { defineTask } from '../../plugin/define-plugin.ts';
import { duration, dynamic, parseDuration } from '../../plugin/dynamic.ts';
import { checkKey, KV_TYPES, kvKey, kvNamespace } from './kv-key.ts';
import { inferKvType, toKvValue } from './kv-value.ts';

export const kvSetTask = defineTask({
  type: 'io.kestra.plugin.core.kv.Set',
  category: 'task',
  title: 'Set a KV pair',
  description:
    'Stores `value` under `key` in the namespace KV store, typed by `kvType`, optionally expiring after `ttl`.',
  properties: z.object({
    key: kvKey,
    value: z.unknown().meta({ description: 'The value to store; templates are rendered' }),
    namespace: kvNamespace,
    overwrite: dynamic(z.boolean()).default(true).meta({ description: 'When false, fails if the key already exists' }),
    ttl: dynamic(duration).optional().meta({ description: 'Time to live, an ISO-8601 duration such as P30D' }),
    kvType: dynamic(z.enum(KV_TYPES as [KvType, ...KvType[]]))
      .optional()
      .meta({
        description: 'STRING, NUMBER, BOOLEAN, DATETIME, DATE, DURATION or JSON; inferred from the value if absent',
      }),
    kvDescription: z.string().optional().meta({ description: 'A description stored with the key' }),
  }),
  examples: [
    {
      title: 'Remember the last processed date for a week',
      code: [
        'id: remember',
        'namespace: company.team',
        'tasks:',
        '  - id: set',
        '    type: io.kestra.plugin.core.kv.Set',
        '    key: last_run',
        '    value: "{{ execution.startDate }}"',
        '    kvType: DATETIME',
        '    ttl: P7D',
      ].join('\n'),
    },
  ],
  async run(ctx, props) {
    if (props.value === undefined) throw new Error('property value: required; give the value to store');
    const key = checkKey(String(props.key));
    const namespace = props.namespace ?? ctx.flow.namespace;
    const type = (props.kvType as KvType | undefined) ?? inferKvType(props.value);
    if (!KV_TYPES.includes(type)) throw new Error(`property kvType: '${type}' is not one of ${KV_TYPES.join(', ')}`);
    const value = toKvValue(props.value, type);
    const overwrite = props.overwrite !== false && props.overwrite !== 'false';
    if (!overwrite && (await ctx.kv.get(namespace, key))) {
      throw new Error(`key '${key}' already exists in namespace '${namespace}' and overwrite is false`);
    }
    await ctx.kv.set({
      namespace,
      key,
      type,
      value,
      description: props.kvDescription,
      ttlMs: props.ttl === undefined ? undefined : parseDuration(String(props.ttl)),
      overwrite,
    });
    ctx.logger.debug(`KV ${namespace}/${key} set (${type})`);
    return {};
  },
});
