import { ExpressionValueError } from '../template-error.ts';
import { typeName } from '../values.ts';

/**
 * Dates for the `date`, `dateAdd` and `timestamp*` filters and `now()`: Java DateTimeFormatter
 * patterns (what Kestra flows use) on top of Intl time zones, without a date library.
 */

/** Wall-clock fields of an instant in a time zone, plus the zone's offset in minutes. */
interface ZonedFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  weekday: number;
  offsetMinutes: number;
}

const FIXED_OFFSET = /^(?:Z|UTC|GMT)?([+-])(\d{2}):?(\d{2})$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new ExpressionValueError(
        `unknown time zone '${timeZone}' (use an IANA name such as Europe/Paris, or +02:00)`,
      );
    }
    if (formatters.size > 500) formatters.clear();
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function fixedOffsetMinutes(timeZone: string): number | undefined {
  if (timeZone === 'Z' || timeZone === 'UTC' || timeZone === 'GMT' || timeZone === 'Etc/UTC') return 0;
  const match = FIXED_OFFSET.exec(timeZone);
  if (!match) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/** Offset of a zone at an instant, in minutes east of UTC. */
export function offsetAt(date: Date, timeZone: string): number {
  const fixed = fixedOffsetMinutes(timeZone);
  if (fixed !== undefined) return fixed;
  const parts = formatterFor(timeZone).formatToParts(date);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((wall - (date.getTime() - date.getUTCMilliseconds())) / 60000);
}

export function zonedFields(date: Date, timeZone: string): ZonedFields {
  const offsetMinutes = offsetAt(date, timeZone);
  const shifted = new Date(date.getTime() + offsetMinutes * 60000);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
    millisecond: shifted.getUTCMilliseconds(),
    weekday: shifted.getUTCDay(),
    offsetMinutes,
  };
}

/** The instant at which a zone's wall clock shows the given fields (DST gaps resolve forward). */
export function fromWallClock(wallUtcMs: number, timeZone: string): Date {
  let instant = wallUtcMs - offsetAt(new Date(wallUtcMs), timeZone) * 60000;
  instant = wallUtcMs - offsetAt(new Date(instant), timeZone) * 60000;
  return new Date(instant);
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Named formats accepted by `date(...)`, as in Kestra. */
export const NAMED_FORMATS: Record<string, string> = {
  iso: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
  iso8601: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
  iso_milli: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
  iso_sec: "yyyy-MM-dd'T'HH:mm:ssXXX",
  sql: 'yyyy-MM-dd HH:mm:ss.SSS',
  iso_date_time: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
  iso_offset_date_time: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
  iso_zoned_date_time: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX'['VV']'",
  iso_date: 'yyyy-MM-dd',
  iso_local_date: 'yyyy-MM-dd',
  iso_time: 'HH:mm:ss',
  iso_local_time: 'HH:mm:ss',
  iso_local_date_time: "yyyy-MM-dd'T'HH:mm:ss",
  rfc_1123_date_time: 'EEE, d MMM yyyy HH:mm:ss Z',
};

function pad(value: number, width: number): string {
  return String(Math.abs(value)).padStart(width, '0');
}

function formatOffset(minutes: number, colon: boolean, zeroAsZ: boolean, withMinutes: 'always' | 'nonzero'): string {
  if (minutes === 0 && zeroAsZ) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const hours = pad(Math.trunc(Math.abs(minutes) / 60), 2);
  const rest = Math.abs(minutes) % 60;
  if (withMinutes === 'nonzero' && rest === 0) return `${sign}${hours}`;
  return `${sign}${hours}${colon ? ':' : ''}${pad(rest, 2)}`;
}

function dayOfYear(fields: ZonedFields): number {
  return (Date.UTC(fields.year, fields.month - 1, fields.day) - Date.UTC(fields.year, 0, 1)) / 86400000 + 1;
}

/** Splits a Java pattern into letter runs and literals (`'T'`, `''` for a quote). */
export function tokenizePattern(pattern: string): Array<{ letter: string; count: number } | { literal: string }> {
  const tokens: Array<{ letter: string; count: number } | { literal: string }> = [];
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i] as string;
    if (ch === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === i + 1) {
        tokens.push({ literal: "'" });
        i += 2;
        continue;
      }
      if (end === -1) throw new ExpressionValueError(`unterminated quote in date pattern '${pattern}'`);
      tokens.push({ literal: pattern.slice(i + 1, end) });
      i = end + 1;
    } else if (/[A-Za-z]/.test(ch)) {
      let j = i;
      while (pattern[j] === ch) j++;
      tokens.push({ letter: ch, count: j - i });
      i = j;
    } else {
      tokens.push({ literal: ch });
      i++;
    }
  }
  return tokens;
}

function formatLetter(letter: string, count: number, f: ZonedFields, timeZone: string): string {
  switch (letter) {
    case 'y':
    case 'u':
      return count === 2 ? pad(f.year % 100, 2) : pad(f.year, count);
    case 'M':
    case 'L':
      if (count >= 4) return MONTHS[f.month - 1] as string;
      if (count === 3) return (MONTHS[f.month - 1] as string).slice(0, 3);
      return pad(f.month, count);
    case 'd':
      return pad(f.day, count);
    case 'D':
      return pad(dayOfYear(f), count);
    case 'E':
      return count >= 4 ? (DAYS[f.weekday] as string) : (DAYS[f.weekday] as string).slice(0, 3);
    case 'e':
      return String(f.weekday === 0 ? 7 : f.weekday);
    case 'a':
      return f.hour < 12 ? 'AM' : 'PM';
    case 'H':
      return pad(f.hour, count);
    case 'k':
      return pad(f.hour === 0 ? 24 : f.hour, count);
    case 'h':
      return pad(f.hour % 12 === 0 ? 12 : f.hour % 12, count);
    case 'K':
      return pad(f.hour % 12, count);
    case 'm':
      return pad(f.minute, count);
    case 's':
      return pad(f.second, count);
    case 'S':
      return pad(f.millisecond, 3).padEnd(count, '0').slice(0, count);
    case 'n':
      return String(f.millisecond * 1_000_000);
    case 'X':
      return formatOffset(f.offsetMinutes, count >= 3, true, count === 1 ? 'nonzero' : 'always');
    case 'x':
      return formatOffset(f.offsetMinutes, count >= 3, false, count === 1 ? 'nonzero' : 'always');
    case 'Z':
      return count >= 5
        ? formatOffset(f.offsetMinutes, true, true, 'always')
        : formatOffset(f.offsetMinutes, false, false, 'always');
    case 'V':
      return timeZone;
    case 'z':
      return f.offsetMinutes === 0 && fixedOffsetMinutes(timeZone) === 0 ? 'UTC' : zoneShortName(timeZone);
    default:
      throw new ExpressionValueError(`unsupported date pattern letter '${letter}'`);
  }
}

function zoneShortName(timeZone: string): string {
  if (fixedOffsetMinutes(timeZone) !== undefined) return timeZone;
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }).formatToParts(new Date());
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
}

/** Formats an instant with a Java DateTimeFormatter pattern or a named format, in a time zone. */
export function formatInstant(date: Date, format: string, timeZone: string): string {
  const pattern = NAMED_FORMATS[format.toLowerCase()] ?? format;
  const fields = zonedFields(date, timeZone);
  let out = '';
  for (const token of tokenizePattern(pattern)) {
    out += 'literal' in token ? token.literal : formatLetter(token.letter, token.count, fields, timeZone);
  }
  return out;
}

const ISO_LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?$/;

function wallClockMs(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, fraction = ''): number {
  return Date.UTC(y, mo - 1, d, h, mi, s, Number((fraction + '000').slice(0, 3)));
}

/**
 * An instant from a date value: a Date, epoch seconds (number), an ISO-8601 string with or
 * without offset (local times are read in `timeZone`), or text in `existingFormat`.
 */
export function parseInstant(value: unknown, timeZone: string, existingFormat?: string): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value * 1000);
  if (typeof value !== 'string') throw new ExpressionValueError(`expects a date, got ${typeName(value)}`);
  const text = value.trim();
  if (existingFormat)
    return parseWithPattern(text, NAMED_FORMATS[existingFormat.toLowerCase()] ?? existingFormat, timeZone);
  if (/^-?\d+$/.test(text)) return new Date(Number(text) * 1000);
  const local = ISO_LOCAL.exec(text);
  if (local) {
    const [, y, mo, d, h, mi, s, fraction] = local;
    return fromWallClock(
      wallClockMs(+(y as string), +(mo as string), +(d as string), +(h ?? 0), +(mi ?? 0), +(s ?? 0), fraction ?? ''),
      timeZone,
    );
  }
  // ZonedDateTime prints as 2024-01-01T10:00Z[Europe/Paris]; the bracketed zone adds nothing.
  const parsed = Date.parse(text.replace(/\[[^\]]*\]$/, ''));
  if (Number.isNaN(parsed)) {
    throw new ExpressionValueError(`'${text}' is not a date (expected ISO-8601 such as 2024-01-31T10:00:00Z)`);
  }
  return new Date(parsed);
}

function parseWithPattern(text: string, pattern: string, timeZone: string): Date {
  const fields: Record<string, string> = {};
  let regex = '';
  const order: string[] = [];
  for (const token of tokenizePattern(pattern)) {
    if ('literal' in token) {
      regex += token.literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    const { letter, count } = token;
    const group: Record<string, string> = {
      y: count === 2 ? '(\\d{2})' : '(\\d{4})',
      u: '(\\d{4})',
      M: count >= 3 ? '([A-Za-z]+)' : count === 2 ? '(\\d{2})' : '(\\d{1,2})',
      d: count === 2 ? '(\\d{2})' : '(\\d{1,2})',
      H: count === 2 ? '(\\d{2})' : '(\\d{1,2})',
      h: count === 2 ? '(\\d{2})' : '(\\d{1,2})',
      m: '(\\d{2})',
      s: '(\\d{2})',
      S: `(\\d{${count}})`,
      a: '(AM|PM|am|pm)',
      X: '(Z|[+-]\\d{2}(?::?\\d{2})?)',
      x: '([+-]\\d{2}(?::?\\d{2})?)',
      Z: '(Z|[+-]\\d{2}:?\\d{2})',
      E: '[A-Za-z]+',
    };
    const piece = group[letter];
    if (!piece) throw new ExpressionValueError(`unsupported letter '${letter}' in existingFormat '${pattern}'`);
    regex += piece;
    if (piece.startsWith('(')) order.push(letter);
  }
  const match = new RegExp(`^${regex}$`).exec(text);
  if (!match) throw new ExpressionValueError(`'${text}' does not match the date format '${pattern}'`);
  order.forEach((letter, index) => {
    fields[letter] = match[index + 1] as string;
  });
  let year = Number(fields.y ?? fields.u ?? 1970);
  if (fields.y?.length === 2) year += 2000;
  const monthText = fields.M ?? '1';
  const month = /^\d+$/.test(monthText)
    ? Number(monthText)
    : MONTHS.findIndex((name) => name.toLowerCase().startsWith(monthText.toLowerCase().slice(0, 3))) + 1;
  let hour = Number(fields.H ?? fields.h ?? 0);
  if (fields.a && fields.h) hour = (hour % 12) + (fields.a.toUpperCase() === 'PM' ? 12 : 0);
  const wall = wallClockMs(
    year,
    month,
    Number(fields.d ?? 1),
    hour,
    Number(fields.m ?? 0),
    Number(fields.s ?? 0),
    fields.S ?? '',
  );
  const offset = fields.X ?? fields.x ?? fields.Z;
  return offset ? fromWallClock(wall, offset === 'Z' ? 'UTC' : offset) : fromWallClock(wall, timeZone);
}

/** Offset text found at the end of an ISO string (`+02:00`, `Z`), to keep it through dateAdd. */
export function offsetOfText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /(Z|[+-]\d{2}:?\d{2})$/.exec(value.trim().replace(/\[[^\]]*\]$/, ''));
  return match ? (match[1] === 'Z' ? 'UTC' : match[1]) : undefined;
}
