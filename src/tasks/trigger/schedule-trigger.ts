import { z } from 'zod';
import { defineSubPlugin } from '../../plugin/define-plugin.ts';
import { duration } from '../../plugin/dynamic.ts';

/** What a trigger definition carries besides its schema: how the scheduler treats it. */
export interface TriggerImplementation {
  /** `schedule`: fired by dates; `flow`: by ended executions; `webhook`: by HTTP calls. */
  kind: 'schedule' | 'flow' | 'webhook';
}

export const scheduleTrigger = defineSubPlugin<z.ZodObject, TriggerImplementation>({
  type: 'io.kestra.plugin.core.trigger.Schedule',
  aliases: ['io.kestra.core.models.triggers.types.Schedule'],
  category: 'trigger',
  title: 'Schedule',
  description:
    'Starts the flow on a cron schedule in a time zone. Runs never overlap: the next date waits for the running ' +
    'execution to end. After downtime, missed dates are recovered per `recoverMissedSchedules`.',
  properties: z.object({
    cron: z.string().meta({
      description: '5 fields (minute hour day month weekday), 6 with `withSeconds`, or @yearly…@hourly',
      examples: ['0 3 * * *', '*/15 * * * *', '@daily'],
    }),
    withSeconds: z.boolean().default(false).meta({ description: 'Read the cron with a leading seconds field' }),
    timezone: z.string().optional().meta({ description: 'IANA time zone, e.g. Europe/Paris; default UTC' }),
    recoverMissedSchedules: z
      .enum(['ALL', 'LAST', 'NONE'])
      .default('ALL')
      .meta({ description: 'After downtime: run every missed date, only the last one, or none' }),
    lateMaximumDelay: duration.optional().meta({ description: 'Skip a date when it is later than this to start' }),
    scheduleConditions: z.array(z.record(z.string(), z.unknown())).optional().meta({ deprecated: true }),
    backfill: z.record(z.string(), z.unknown()).optional().meta({ deprecated: true }),
  }),
  examples: [
    {
      title: 'Re-index every night at 03:00 Paris time',
      code: [
        'id: nightly',
        'namespace: company.team',
        'triggers:',
        '  - id: nightly',
        '    type: io.kestra.plugin.core.trigger.Schedule',
        '    cron: "0 3 * * *"',
        '    timezone: Europe/Paris',
        'tasks:',
        '  - id: hello',
        '    type: io.kestra.plugin.core.log.Log',
        '    message: "{{ trigger.date }}"',
      ].join('\n'),
    },
  ],
  implementation: { kind: 'schedule' },
});
