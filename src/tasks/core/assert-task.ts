import { z } from 'zod';
import { isTruthy } from '../../expression/index.ts';
import { defineTask } from '../../plugin/define-plugin.ts';
import { dynamic } from '../../plugin/dynamic.ts';

export const assertTask = defineTask({
  type: 'io.kestra.plugin.core.execution.Assert',
  category: 'task',
  title: 'Assert',
  description:
    'Fails when any of `conditions` renders falsy, naming each failed condition; `errorMessage` is added to the failure.',
  properties: z.object({
    conditions: z
      .array(dynamic(z.union([z.string(), z.boolean()])))
      .min(1)
      .meta({ description: 'Templates that must all render truthy, e.g. "{{ outputs.count.value > 0 }}"' }),
    errorMessage: z.string().optional().meta({ description: 'Added to the failure message' }),
  }),
  lateRendered: ['conditions'],
  examples: [
    {
      title: 'Check results before going on',
      code: [
        'id: check',
        'namespace: company.team',
        'tasks:',
        '  - id: check',
        '    type: io.kestra.plugin.core.execution.Assert',
        '    conditions:',
        '      - "{{ 1 + 1 == 2 }}"',
        '    errorMessage: arithmetic is broken',
      ].join('\n'),
    },
  ],
  async run(ctx, props) {
    const failed: string[] = [];
    for (const condition of props.conditions) {
      // Rendered here, one by one, so the failure can quote the condition as written.
      const value = typeof condition === 'string' ? await ctx.render(condition) : condition;
      if (!isTruthy(value)) failed.push(String(condition));
    }
    if (failed.length > 0) {
      const list = failed.map((condition) => `'${condition}'`).join(', ');
      throw new Error(
        `${failed.length} assertion(s) failed: ${list}${props.errorMessage ? `: ${props.errorMessage}` : ''}`,
      );
    }
    ctx.logger.debug(`${props.conditions.length} assertion(s) passed`);
    return {};
  },
});
