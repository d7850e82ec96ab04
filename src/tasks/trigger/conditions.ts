import { z } from 'zod';
import { isTruthy } from '../../expression/index.ts';
import { STATES } from '../../model/state.ts';
import { defineSubPlugin } from '../../plugin/define-plugin.ts';
import { zonedFields } from '../../scheduler/zoned-date.ts';
import { conditionDate, secondsOfTime } from './condition-dates.ts';
import type { ConditionContext, ConditionImplementation } from './condition-spec.ts';

const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
const dateProperty = z
  .string()
  .optional()
  .meta({ description: 'The date to test; default the trigger date (`{{ trigger.date }}`)' });
const P = 'io.kestra.plugin.core.condition';
const LEGACY = 'io.kestra.core.models.conditions.types';

function condition<Props extends z.ZodObject>(
  name: string,
  legacy: [string, string],
  title: string,
  description: string,
  properties: Props,
  test: (props: z.output<Props>, ctx: ConditionContext) => Promise<boolean>,
) {
  return defineSubPlugin<Props, ConditionImplementation>({
    type: `${P}.${name}`,
    aliases: [`${LEGACY}.${legacy[0]}`, `${P}.${legacy[1]}`],
    category: 'condition',
    title,
    description,
    properties,
    implementation: {
      async test(props, ctx) {
        const parsed = properties.safeParse(props);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new Error(`condition ${name}, property ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
        }
        return test(parsed.data as z.output<Props>, ctx);
      },
    },
  });
}

export const dateTimeBetweenCondition = condition(
  'DateTimeBetween',
  ['DateTimeBetweenCondition', 'DateTimeBetweenCondition'],
  'Date-time between',
  'True when the date is at or after `after` and at or before `before` (either may be omitted).',
  z.object({ date: dateProperty, after: z.string().optional(), before: z.string().optional() }),
  async (props, ctx) => {
    const date = await conditionDate(props.date, ctx, 'DateTimeBetween');
    const bound = (text: string | undefined, name: string) => {
      if (text === undefined) return undefined;
      const t = Date.parse(text);
      if (Number.isNaN(t)) throw new Error(`DateTimeBetween: ${name} '${text}' is not an ISO-8601 date-time`);
      return t;
    };
    const after = bound(props.after, 'after');
    const before = bound(props.before, 'before');
    return (after === undefined || date.getTime() >= after) && (before === undefined || date.getTime() <= before);
  },
);

export const dayWeekCondition = condition(
  'DayWeek',
  ['DayWeekCondition', 'DayWeekCondition'],
  'Day of week',
  "True when the date falls on `dayOfWeek` in the trigger's time zone.",
  z.object({ date: dateProperty, dayOfWeek: z.enum(DAYS) }),
  async (props, ctx) => {
    const date = await conditionDate(props.date, ctx, 'DayWeek');
    return DAYS[zonedFields(date, ctx.timezone).isoWeekday - 1] === props.dayOfWeek;
  },
);

export const weekendCondition = condition(
  'Weekend',
  ['WeekendCondition', 'WeekendCondition'],
  'Weekend',
  "True on Saturdays and Sundays in the trigger's time zone.",
  z.object({ date: dateProperty }),
  async (props, ctx) => {
    const date = await conditionDate(props.date, ctx, 'Weekend');
    return zonedFields(date, ctx.timezone).isoWeekday >= 6;
  },
);

export const timeBetweenCondition = condition(
  'TimeBetween',
  ['TimeBetweenCondition', 'TimeBetweenCondition'],
  'Time between',
  "True when the time of day (in the trigger's time zone) is within [`after`, `before`].",
  z.object({ date: dateProperty, after: z.string().optional(), before: z.string().optional() }),
  async (props, ctx) => {
    const date = await conditionDate(props.date, ctx, 'TimeBetween');
    const f = zonedFields(date, ctx.timezone);
    const seconds = f.hour * 3600 + f.minute * 60 + f.second;
    const after = props.after === undefined ? undefined : secondsOfTime(props.after, 'TimeBetween after');
    const before = props.before === undefined ? undefined : secondsOfTime(props.before, 'TimeBetween before');
    return (after === undefined || seconds >= after) && (before === undefined || seconds <= before);
  },
);

export const expressionCondition = condition(
  'Expression',
  ['VariableCondition', 'ExpressionCondition'],
  'Expression',
  'True when the expression renders to a truthy value (`true`, a non-empty string, a non-zero number).',
  z.object({ expression: z.string() }),
  async (props, ctx) => {
    const value = /\{\{|\{%/.test(props.expression) ? await ctx.render(props.expression) : props.expression;
    if (typeof value === 'string') {
      const text = value.trim().toLowerCase();
      return text !== '' && text !== 'false' && text !== '0';
    }
    return isTruthy(value);
  },
);

export const executionStatusCondition = condition(
  'ExecutionStatus',
  ['ExecutionStatusCondition', 'ExecutionStatusCondition'],
  'Execution status',
  'For Flow triggers: true when the ended execution is in one of `in` and in none of `notIn`.',
  z.object({ in: z.array(z.enum(STATES)).optional(), notIn: z.array(z.enum(STATES)).optional() }),
  async (props, ctx) => {
    const state = ctx.execution?.state.current;
    if (!state) return false;
    return (!props.in || props.in.includes(state)) && !(props.notIn ?? []).includes(state);
  },
);

export const executionFlowCondition = condition(
  'ExecutionFlow',
  ['ExecutionFlowCondition', 'ExecutionFlowCondition'],
  'Execution flow',
  'For Flow triggers: true when the ended execution belongs to `namespace`/`flowId`.',
  z.object({ namespace: z.string(), flowId: z.string() }),
  async (props, ctx) => ctx.execution?.namespace === props.namespace && ctx.execution.flowId === props.flowId,
);

/** Every condition, for the registry. */
export const conditionPlugins = [
  dateTimeBetweenCondition,
  dayWeekCondition,
  weekendCondition,
  timeBetweenCondition,
  expressionCondition,
  executionStatusCondition,
  executionFlowCondition,
];
