import { Cron } from 'croner';
import { checkTimeZone } from './zoned-date.ts';

/** Macros the reference accepts; croner knows all but `@midnight`. */
const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/**
 * A cron expression in a time zone (parsed by croner). DST rule: a time that does not exist
 * on the spring-forward day runs at the first valid time after the gap (02:30 → 03:00); a time
 * that occurs twice on the fall-back day runs once, at its first occurrence.
 */
export class CronSchedule {
  readonly #cron: Cron;
  readonly expression: string;
  readonly timezone: string;

  constructor(expression: string, options: { withSeconds?: boolean; timezone?: string; where?: string } = {}) {
    const where = options.where ?? 'cron';
    const timezone = options.timezone ?? 'UTC';
    checkTimeZone(timezone, where);
    const trimmed = expression.trim();
    const macro = MACROS[trimmed.toLowerCase()];
    const withSeconds = options.withSeconds === true && !macro;
    const pattern = macro ? (options.withSeconds ? `0 ${macro}` : macro) : trimmed;
    try {
      this.#cron = new Cron(pattern, {
        // UTC as an offset takes croner's fast path (no Intl time-zone conversion per date).
        ...(timezone === 'UTC' || timezone === 'Etc/UTC' ? { utcOffset: 0 } : { timezone }),
        mode: options.withSeconds ? '6-part' : '5-part',
        paused: true,
      });
    } catch (error) {
      const fields = withSeconds ? 6 : 5;
      throw new Error(
        `${where}: invalid cron '${expression}' (${(error as Error).message.replace(/^.*?: /, '')}); expected ${fields} fields` +
          `${withSeconds ? ' (second minute hour day month weekday)' : ' (minute hour day month weekday; set withSeconds: true for 6)'} or a macro such as @daily`,
      );
    }
    this.expression = expression;
    this.timezone = timezone;
  }

  /** The first scheduled instant strictly after `after`, or undefined when there is none. */
  next(after: Date): Date | undefined {
    return this.#cron.nextRun(after) ?? undefined;
  }

  /** The last scheduled instant strictly before `before`. */
  previous(before: Date): Date | undefined {
    return this.#cron.previousRuns(1, before)[0];
  }

  /** Scheduled instants in `(after, until]`, at most `limit`. */
  between(after: Date, until: Date, limit = 100_000): Date[] {
    const dates: Date[] = [];
    let cursor = this.next(after);
    while (cursor && cursor.getTime() <= until.getTime() && dates.length < limit) {
      dates.push(cursor);
      cursor = this.next(cursor);
    }
    return dates;
  }
}
