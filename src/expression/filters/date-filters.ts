import { ExpressionValueError } from '../template-error.ts';
import type { ExpressionFilter, FunctionCall } from '../types.ts';
import { formatInstant, fromWallClock, offsetOfText, parseInstant, zonedFields } from './date-time.ts';
import { argument, numberArgument, stringArgument } from './filter-arguments.ts';

const FIXED_UNITS_MS: Record<string, number> = {
  NANOS: 1e-6,
  MICROS: 1e-3,
  MILLIS: 1,
  SECONDS: 1000,
  MINUTES: 60_000,
  HOURS: 3_600_000,
  HALF_DAYS: 43_200_000,
  DAYS: 86_400_000,
  WEEKS: 604_800_000,
};
const MONTH_UNITS: Record<string, number> = { MONTHS: 1, YEARS: 12, DECADES: 120, CENTURIES: 1200, MILLENNIA: 12000 };

function zoneOf(call: FunctionCall, index: number, input: unknown): string {
  const zone = argument(call, 'timeZone', index);
  if (zone === undefined || zone === null) return offsetOfText(input) ?? 'UTC';
  if (typeof zone !== 'string') throw new ExpressionValueError('timeZone must be a string such as Europe/Paris');
  return zone;
}

function instantOf(input: unknown, call: FunctionCall, zone: string): Date {
  const existing = argument(call, 'existingFormat', 1);
  return parseInstant(input, zone, typeof existing === 'string' ? existing : undefined);
}

/** Date formatting and arithmetic; inputs are ISO-8601 strings, epoch seconds or dates. */
export const dateFilters: Record<string, ExpressionFilter> = {
  date: (input, call) => {
    if (input === null || input === undefined) return null;
    const format = stringArgument(call, 'format', 0, 'iso');
    const zone = zoneOf(call, 2, input);
    return formatInstant(instantOf(input, call, zone), format, zone);
  },
  dateAdd: (input, call) => {
    const amount = numberArgument(call, 'amount', 0);
    const unit = stringArgument(call, 'unit', 1).toUpperCase();
    const zone = zoneOf(call, 2, input);
    const date = parseInstant(input, zone);
    const fixed = FIXED_UNITS_MS[unit];
    if (fixed !== undefined) return formatInstant(new Date(date.getTime() + amount * fixed), 'iso', zone);
    const months = MONTH_UNITS[unit];
    if (months === undefined) {
      throw new ExpressionValueError(
        `unknown unit '${unit}'; use one of ${[...Object.keys(FIXED_UNITS_MS), ...Object.keys(MONTH_UNITS)].join(', ')}`,
      );
    }
    const f = zonedFields(date, zone);
    const totalMonths = f.year * 12 + (f.month - 1) + amount * months;
    const year = Math.floor(totalMonths / 12);
    const month = totalMonths - year * 12;
    // Clamp the day as java.time does: Jan 31 + 1 month = Feb 28/29.
    const day = Math.min(f.day, new Date(Date.UTC(year, month + 1, 0)).getUTCDate());
    const wall = Date.UTC(year, month, day, f.hour, f.minute, f.second, f.millisecond);
    return formatInstant(fromWallClock(wall, zone), 'iso', zone);
  },
  timestamp: (input, call) => Math.floor(instantOf(input, call, zoneOf(call, 2, input)).getTime() / 1000),
  timestampMilli: (input, call) => instantOf(input, call, zoneOf(call, 2, input)).getTime(),
  timestampMicro: (input, call) => instantOf(input, call, zoneOf(call, 2, input)).getTime() * 1000,
  timestampNano: (input, call) =>
    (BigInt(instantOf(input, call, zoneOf(call, 2, input)).getTime()) * 1_000_000n).toString(),
};
