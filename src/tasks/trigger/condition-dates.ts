import { isTemplate } from '../../plugin/dynamic.ts';
import type { ConditionContext } from './condition-spec.ts';

/** The condition's `date` property rendered and parsed, or the trigger date when absent. */
export async function conditionDate(value: unknown, ctx: ConditionContext, where: string): Promise<Date> {
  if (value === undefined || value === null) return ctx.date;
  const rendered = isTemplate(value) ? await ctx.render(value) : value;
  const date = rendered instanceof Date ? rendered : new Date(String(rendered));
  if (Number.isNaN(date.getTime())) {
    throw new Error(`${where}: date '${String(rendered)}' is not an ISO-8601 date-time`);
  }
  return date;
}

/** Seconds since midnight of a `HH:mm[:ss]` time (an offset suffix is ignored: the zone decides). */
export function secondsOfTime(text: string, where: string): number {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) throw new Error(`${where}: '${text}' is not a time such as 08:00 or 17:30:00`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0);
}
