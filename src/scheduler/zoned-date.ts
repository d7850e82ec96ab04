/** Calendar fields of an instant in an IANA time zone. */
export interface ZonedFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 1 = Monday … 7 = Sunday (ISO). */
  isoWeekday: number;
  /** Offset from UTC in minutes. */
  offsetMinutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Throws a clear error for a time zone name the runtime does not know. */
export function checkTimeZone(timezone: string, where: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new Error(`${where}: unknown time zone '${timezone}'; use an IANA name such as Europe/Paris or UTC`);
  }
}

export function zonedFields(date: Date, timezone: string): ZonedFields {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(timezone, formatter);
  }
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(date)) parts[part.type] = part.value;
  const fields = {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    isoWeekday: WEEKDAYS[parts.weekday ?? ''] ?? 0,
  };
  const asUtc = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second);
  const offsetMinutes = Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
  return { ...fields, offsetMinutes };
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/**
 * ISO-8601 with the zone's offset (`2026-03-29T03:00:00+02:00`), how the reference renders
 * `trigger.date` (a ZonedDateTime in the schedule's time zone).
 */
export function formatZoned(date: Date, timezone: string): string {
  if (timezone === 'UTC' || timezone === 'Etc/UTC') return date.toISOString().replace(/\.000Z$/, 'Z');
  const f = zonedFields(date, timezone);
  const ms = date.getUTCMilliseconds();
  const offset =
    f.offsetMinutes === 0
      ? 'Z'
      : `${f.offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(f.offsetMinutes) / 60))}:${pad(Math.abs(f.offsetMinutes) % 60)}`;
  return `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}${ms ? `.${pad(ms, 3)}` : ''}${offset}`;
}
