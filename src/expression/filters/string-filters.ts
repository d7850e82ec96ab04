import { ExpressionValueError } from '../template-error.ts';
import type { ExpressionFilter } from '../types.ts';
import { checkLength, isPlainMap, toText, typeName } from '../values.ts';
import { argument, inputString, numberArgument, stringArgument } from './filter-arguments.ts';

/** Applies a string transformation, passing null through (as Pebble does). */
function text(transform: (value: string, ...rest: Parameters<ExpressionFilter>) => unknown): ExpressionFilter {
  return (input, call, context) => {
    const value = inputString(input);
    return value === null ? null : transform(value, input, call, context);
  };
}

function replaceAll(value: string, search: string, replacement: string, regexp: boolean): string {
  if (regexp) {
    try {
      return value.replace(new RegExp(search, 'g'), replacement.replace(/\$(\d)/g, '$$$1'));
    } catch (error) {
      throw new ExpressionValueError(`invalid regular expression '${search}': ${(error as Error).message}`);
    }
  }
  return search === '' ? value : value.split(search).join(replacement);
}

const ESCAPE_CHARS: Record<string, [string, string]> = {
  single: ["'", "\\'"],
  double: ['"', '\\"'],
  shell: ["'", "'\\''"],
};

function substring(mode: 'before' | 'after' | 'beforeLast' | 'afterLast'): ExpressionFilter {
  // Apache Commons StringUtils semantics, which the reference uses.
  return text((value, _input, call) => {
    const separator = stringArgument(call, 'separator', 0);
    const index = mode.endsWith('Last') ? value.lastIndexOf(separator) : value.indexOf(separator);
    if (index === -1) return mode.startsWith('before') ? value : '';
    return mode.startsWith('before') ? value.slice(0, index) : value.slice(index + separator.length);
  });
}

/** String filters. */
export const stringFilters: Record<string, ExpressionFilter> = {
  upper: text((value) => value.toUpperCase()),
  lower: text((value) => value.toLowerCase()),
  trim: text((value) => value.trim()),
  capitalize: text((value) => value.charAt(0).toUpperCase() + value.slice(1)),
  title: text((value) =>
    value.replace(/(^|[\s])(\p{L})/gu, (_m, space: string, letter: string) => space + letter.toUpperCase()),
  ),
  replace: text((value, _input, call) => {
    const first = argument(call, 'replace_pairs', 0);
    const regexp = argument(call, 'regexp', 2) === true;
    if (isPlainMap(first)) {
      let result = value;
      for (const [search, replacement] of Object.entries(first))
        result = replaceAll(result, search, toText(replacement), regexp);
      return checkLength(result);
    }
    const search = stringArgument(call, 'search', 0);
    const replacement = stringArgument(call, 'replacement', 1, '');
    return checkLength(replaceAll(value, search, replacement, regexp));
  }),
  split: text((value, _input, call) => {
    const delimiter = stringArgument(call, 'delimiter', 0);
    const limit = numberArgument(call, 'limit', 1, 0);
    const parts = value.split(delimiter);
    if (limit > 0 && parts.length > limit)
      return [...parts.slice(0, limit - 1), parts.slice(limit - 1).join(delimiter)];
    // Java's String.split drops trailing empty strings when no limit is given.
    if (limit === 0) while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
    return parts;
  }),
  abbreviate: text((value, _input, call) => {
    const length = numberArgument(call, 'length', 0);
    if (length < 4) throw new ExpressionValueError('abbreviate length must be at least 4');
    return value.length <= length ? value : `${value.slice(0, length - 3)}...`;
  }),
  truncate: text((value, _input, call) => {
    const length = numberArgument(call, 'length', 0);
    return value.length <= length ? value : value.slice(0, length);
  }),
  slugify: text((value) =>
    value
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, ''),
  ),
  startsWith: text((value, _input, call) => value.startsWith(stringArgument(call, 'prefix', 0))),
  endsWith: text((value, _input, call) => value.endsWith(stringArgument(call, 'suffix', 0))),
  substringBefore: substring('before'),
  substringAfter: substring('after'),
  substringBeforeLast: substring('beforeLast'),
  substringAfterLast: substring('afterLast'),
  indent: text((value, _input, call) => {
    const prefix = stringArgument(call, 'prefix', 1, ' ').repeat(numberArgument(call, 'amount', 0));
    return checkLength(value.replace(/\n/g, `\n${prefix}`));
  }),
  nindent: text((value, _input, call) => {
    const prefix = stringArgument(call, 'prefix', 1, ' ').repeat(numberArgument(call, 'amount', 0));
    return checkLength(`\n${prefix}${value.replace(/\n/g, `\n${prefix}`)}`);
  }),
  escapeChar: text((value, _input, call) => {
    const type = stringArgument(call, 'type', 0, 'single');
    const pair = ESCAPE_CHARS[type];
    if (!pair) throw new ExpressionValueError(`unknown escape type '${type}'; use single, double or shell`);
    return value.split(pair[0]).join(pair[1]);
  }),
  string: (input) => toText(input),
  default: (input, call) => {
    const fallback = argument(call, 'default', 0);
    if (input === null || input === undefined || typeof input === 'symbol') return fallback ?? null;
    if (input === '' || (Array.isArray(input) && input.length === 0)) return fallback ?? null;
    if (isPlainMap(input) && Object.keys(input).length === 0) return fallback ?? null;
    return input;
  },
  className: (input) => typeName(input),
};
