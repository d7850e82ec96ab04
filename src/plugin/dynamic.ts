import { z } from 'zod';

/** Matches a string that holds a template: `{{ ... }}` or `{% ... %}`. */
export const TEMPLATE_PATTERN = /\{\{|\{%/;

export function isTemplate(value: unknown): value is string {
  return typeof value === 'string' && TEMPLATE_PATTERN.test(value);
}

/** A string holding a template, accepted wherever a dynamic property is expected. */
export const templateString = z
  .string()
  .regex(TEMPLATE_PATTERN)
  .meta({ description: 'A template rendered when the task runs, e.g. "{{ inputs.x }}"' });

/**
 * A dynamic property (the reference's `Property<T>`): either a literal of the inner schema,
 * or a template rendered when the task runs. The same schema validates the flow at parse time
 * and the rendered value at run time (a rendered value no longer matches the template branch
 * unless it is itself a string, so "abc" for a number is rejected after rendering).
 */
export function dynamic<T extends z.ZodType>(inner: T) {
  return z.union([inner, templateString]);
}

/** ISO-8601 duration such as `PT10M`, `PT1H30M`, `P1D`, `PT0.5S`. */
export const ISO_DURATION =
  /^P(?!$)(\d+(?:\.\d+)?Y)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?W)?(\d+(?:\.\d+)?D)?(T(?=\d)(\d+(?:\.\d+)?H)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?S)?)?$/;

export const duration = z
  .string()
  .regex(ISO_DURATION, { message: 'expected an ISO-8601 duration such as PT10M, PT30S or P1D' })
  .meta({ format: 'duration', examples: ['PT30S', 'PT10M', 'P1D'] });

/** Parses an ISO-8601 duration into milliseconds (months are 30 days, years 365). */
export function parseDuration(text: string): number {
  const m = ISO_DURATION.exec(text);
  if (!m) throw new Error(`'${text}' is not an ISO-8601 duration (expected e.g. PT10M, PT30S, P1D)`);
  const n = (s: string | undefined) => (s ? Number.parseFloat(s) : 0);
  const days = n(m[1]) * 365 + n(m[2]) * 30 + n(m[3]) * 7 + n(m[4]);
  const seconds = n(m[6]) * 3600 + n(m[7]) * 60 + n(m[8]);
  return Math.round((days * 86400 + seconds) * 1000);
}

/** Formats milliseconds as an ISO-8601 duration (`PT1.5S`). */
export function formatDuration(ms: number): string {
  return `PT${(ms / 1000).toString()}S`;
}
