import { ExpressionValueError } from '../template-error.ts';
import type { ExpressionFilter } from '../types.ts';
import { asNumber, typeName } from '../values.ts';
import { stringArgument } from './filter-arguments.ts';

function numeric(input: unknown, what: string): number {
  const n = asNumber(input);
  if (n === undefined)
    throw new ExpressionValueError(`${what} expects a number, got ${typeName(input)} '${String(input)}'`);
  return n;
}

const INTEGER_TYPES = new Set(['INT', 'INTEGER', 'LONG', 'BIGINTEGER', 'SHORT', 'BYTE']);
const DECIMAL_TYPES = new Set(['FLOAT', 'DOUBLE', 'BIGDECIMAL']);

/**
 * Java DecimalFormat subset: `0` (required digit), `#` (optional digit), `,` (grouping),
 * `.` (decimal point), `%` (percent), with literal prefix and suffix text.
 */
export function formatDecimal(value: number, pattern: string): string {
  const match = /^([^0#,.]*)([0#,]*)(?:\.([0#]*))?([^0#,.]*)$/.exec(pattern);
  if (!match) throw new ExpressionValueError(`unsupported number format '${pattern}' (use e.g. #,##0.00)`);
  const [, prefix = '', integerPart = '', fractionPart = '', suffix = ''] = match;
  const scaled = suffix.includes('%') || prefix.includes('%') ? value * 100 : value;
  const minFraction = (fractionPart.match(/0/g) ?? []).length;
  const maxFraction = fractionPart.length;
  const minInteger = (integerPart.match(/0/g) ?? []).length;
  const grouping = integerPart.includes(',');
  const groupSize = grouping ? integerPart.length - integerPart.lastIndexOf(',') - 1 : 0;
  let text = Math.abs(scaled).toFixed(maxFraction);
  let [integers = '', fraction = ''] = text.split('.');
  while (fraction.length > minFraction && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  integers = integers.replace(/^0+/, '').padStart(Math.max(minInteger, 0), '0');
  if (grouping && groupSize > 0)
    integers = integers.replace(new RegExp(`\\B(?=(\\d{${groupSize}})+(?!\\d))`, 'g'), ',');
  text = integers + (fraction ? `.${fraction}` : '');
  if (text === '') text = '0';
  const negative = scaled < 0 && /[1-9]/.test(text);
  return `${negative ? '-' : ''}${prefix}${text}${suffix}`;
}

/** Number filters. */
export const numberFilters: Record<string, ExpressionFilter> = {
  number: (input, call) => {
    if (input === null || input === undefined) return null;
    const type = stringArgument(call, 'type', 0, '').toUpperCase();
    const n = numeric(typeof input === 'string' ? input.trim() : input, 'number');
    if (type === '') return n;
    if (INTEGER_TYPES.has(type)) return Math.trunc(n);
    if (DECIMAL_TYPES.has(type)) return n;
    throw new ExpressionValueError(
      `unknown number type '${type}'; use INT, LONG, FLOAT, DOUBLE, BIGDECIMAL or BIGINTEGER`,
    );
  },
  abs: (input) => Math.abs(numeric(input, 'abs')),
  numberFormat: (input, call) => formatDecimal(numeric(input, 'numberFormat'), stringArgument(call, 'format', 0)),
};
