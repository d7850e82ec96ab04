import { z } from 'zod';
import { dynamic } from '../../plugin/dynamic.ts';

/** A TCP port; a rendered template may give it as a string of digits. */
export const portProperty = dynamic(
  z.union([
    z.number().int().min(1).max(65535),
    z
      .string()
      .regex(/^\d{1,5}$/, { message: 'expected a port number' })
      .transform(Number),
  ]),
);

/** Reads a property that the schema validated as a port. */
export function portOf(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

/** A boolean; a rendered template may give it as "true" / "false". */
export function booleanOf(value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  return value === true || value === 'true';
}

export const booleanProperty = dynamic(z.union([z.boolean(), z.enum(['true', 'false'])]));
