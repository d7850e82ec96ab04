import type { Expression, SqlBool } from 'kysely';
import { sql } from 'kysely';
import type { SqlDialectName } from './sql-dialect.ts';

/** Case-insensitive substring test without LIKE, so `%` and `_` in the needle match literally. */
export function containsText(
  dialect: SqlDialectName,
  column: Expression<unknown>,
  needle: string,
): Expression<SqlBool> {
  const lowered = needle.toLowerCase();
  return dialect === 'postgres'
    ? sql<SqlBool>`strpos(lower(${column}), ${lowered}) > 0`
    : sql<SqlBool>`instr(lower(${column}), ${lowered}) > 0`;
}

/** Case-sensitive substring test (label pairs are matched exactly). */
export function containsExact(
  dialect: SqlDialectName,
  column: Expression<unknown>,
  needle: string,
): Expression<SqlBool> {
  return dialect === 'postgres'
    ? sql<SqlBool>`strpos(${column}, ${needle}) > 0`
    : sql<SqlBool>`instr(${column}, ${needle}) > 0`;
}

/** Escapes `%`, `_` and `\` for a LIKE pattern used with `escape '\'`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A COUNT(*) result as a number (PostgreSQL returns bigint as a string). */
export function toCount(value: unknown): number {
  return typeof value === 'number' ? value : Number(value ?? 0);
}

/** Page bounds from a 1-based page and a size, with sane limits. */
export function pageBounds(page: number | undefined, size: number | undefined, defaultSize: number) {
  const limit = Math.max(1, Math.min(Math.floor(size ?? defaultSize), 100_000));
  const offset = (Math.max(1, Math.floor(page ?? 1)) - 1) * limit;
  return { limit, offset };
}
