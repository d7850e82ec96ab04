import { LIMITS } from './limits.ts';
import { ExpressionValueError } from './template-error.ts';
import {
  asNumber,
  checkLength,
  checkListLength,
  deepEqual,
  isPlainMap,
  MISSING,
  type PlainMap,
  typeName,
} from './values.ts';

/**
 * The Java members flows written for the reference call on values (`{{ name.length }}`,
 * `{{ list.size() }}`, `{{ text.trim().toUpperCase() }}`): Pebble resolves an attribute it does
 * not find as data by calling a public getter or method of the Java object. Expressions are
 * user input, so only this fixed allow-list of side-effect-free members exists, per value type,
 * with Java's semantics (regex `split`, literal `replace`, bounds errors).
 */
interface Member {
  /** Fewest and most arguments (Java overloads of the same name). */
  min: number;
  max: number;
  run(self: never, args: unknown[]): unknown;
}

function member<T>(min: number, max: number, run: (self: T, args: unknown[]) => unknown): Member {
  return { min, max, run: run as Member['run'] };
}

function text(args: unknown[], index: number): string {
  const value = args[index];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ExpressionValueError(`argument ${index + 1} must be a string, got ${typeName(value)}`);
}

function integer(args: unknown[], index: number): number {
  const value = args[index];
  const n = typeof value === 'string' ? undefined : asNumber(value);
  if (n === undefined || !Number.isInteger(n)) {
    throw new ExpressionValueError(`argument ${index + 1} must be an integer, got ${typeName(value)}`);
  }
  return n;
}

function regex(source: string, flags = ''): RegExp {
  try {
    return new RegExp(source, flags);
  } catch (error) {
    throw new ExpressionValueError(`invalid regular expression '${source}': ${(error as Error).message}`);
  }
}

function range(begin: number, end: number, length: number): void {
  if (begin < 0 || end > length || begin > end) {
    throw new ExpressionValueError(`begin ${begin}, end ${end} out of bounds for length ${length}`);
  }
}

function index(i: number, length: number): number {
  if (i < 0 || i >= length) throw new ExpressionValueError(`index ${i} out of bounds for length ${length}`);
  return i;
}

/** Java's `String.split(regex, limit)`: no captured groups, trailing empty strings dropped when limit is 0. */
function javaSplit(value: string, pattern: string, limit: number): string[] {
  const re = regex(pattern, 'g');
  const parts: string[] = [];
  let start = 0;
  for (let match = re.exec(value); match; match = re.exec(value)) {
    const end = match.index + match[0].length;
    if (match[0] === '') re.lastIndex++;
    // A zero-width match at the very start makes no leading empty string (Java 8+).
    if (match.index === 0 && end === 0) continue;
    if (limit > 0 && parts.length === limit - 1) break;
    parts.push(value.slice(start, match.index));
    start = end;
    checkListLength(parts);
  }
  if (parts.length === 0) return [value];
  parts.push(value.slice(start));
  if (limit === 0) while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Java's `replaceAll`/`replaceFirst`: `$1` and `${name}` refer to groups, `\` escapes. */
function javaReplace(value: string, pattern: string, replacement: string, all: boolean): string {
  const re = regex(pattern, all ? 'g' : '');
  const budget = growthBudget(value.length);
  const result = value.replace(re, (...found: unknown[]) => {
    const last = found[found.length - 1];
    const named = typeof last === 'object' && last !== null ? (last as Record<string, string | undefined>) : {};
    const groups = found.slice(0, typeof last === 'object' && last !== null ? -3 : -2) as (string | undefined)[];
    let out = '';
    for (let i = 0; i < replacement.length; i++) {
      const c = replacement[i] as string;
      if (c === '\\') {
        i++;
        if (i >= replacement.length) throw new ExpressionValueError('character to be escaped is missing');
        out += replacement[i];
      } else if (c === '$') {
        const rest = replacement.slice(i + 1);
        const byName = /^\{([A-Za-z][A-Za-z0-9]*)\}/.exec(rest);
        const byNumber = /^\d/.exec(rest);
        if (byName) {
          const name = byName[1] as string;
          if (!Object.hasOwn(named, name)) throw new ExpressionValueError(`no group with name {${name}}`);
          out += named[name] ?? '';
          i += byName[0].length;
        } else if (byNumber) {
          // Java takes as many digits as still name an existing group.
          let digits = byNumber[0];
          while (/^\d/.test(rest.slice(digits.length)) && Number(digits + rest[digits.length]) < groups.length) {
            digits += rest[digits.length];
          }
          const group = Number(digits);
          if (group >= groups.length) throw new ExpressionValueError(`no group ${group}`);
          out += groups[group] ?? '';
          i += digits.length;
        } else {
          throw new ExpressionValueError("illegal group reference: '$' must be followed by a group number or {name}");
        }
      } else {
        out += c;
      }
    }
    return budget(out, String(found[0]));
  });
  return checkLength(result);
}

/**
 * Fails as soon as replacements would grow the text past the output limit, before V8 builds a
 * string of gigabytes ('x'.repeat(1e6) with every character replaced by a long text).
 */
function growthBudget(initial: number): (replacement: string, matched: string) => string {
  let length = initial;
  return (replacement, matched) => {
    length += replacement.length - matched.length;
    if (length > LIMITS.maxOutputLength) {
      throw new ExpressionValueError(`result exceeds the ${LIMITS.maxOutputLength}-character limit`);
    }
    return replacement;
  };
}

const STRING: Record<string, Member> = {
  length: member<string>(0, 0, (s) => s.length),
  isEmpty: member<string>(0, 0, (s) => s.length === 0),
  isBlank: member<string>(0, 0, (s) => s.trim() === ''),
  toUpperCase: member<string>(0, 0, (s) => s.toUpperCase()),
  toLowerCase: member<string>(0, 0, (s) => s.toLowerCase()),
  // Java's trim() removes ASCII control characters and spaces only; strip() is Unicode-aware.
  trim: member<string>(0, 0, (s) => s.replace(/^[\0- ]+|[\0- ]+$/g, '')),
  strip: member<string>(0, 0, (s) => s.trim()),
  stripLeading: member<string>(0, 0, (s) => s.trimStart()),
  stripTrailing: member<string>(0, 0, (s) => s.trimEnd()),
  toString: member<string>(0, 0, (s) => s),
  contains: member<string>(1, 1, (s, a) => s.includes(text(a, 0))),
  startsWith: member<string>(1, 2, (s, a) => s.startsWith(text(a, 0), a.length > 1 ? integer(a, 1) : 0)),
  endsWith: member<string>(1, 1, (s, a) => s.endsWith(text(a, 0))),
  equals: member<string>(1, 1, (s, a) => s === a[0]),
  equalsIgnoreCase: member<string>(1, 1, (s, a) => typeof a[0] === 'string' && s.toLowerCase() === a[0].toLowerCase()),
  indexOf: member<string>(1, 2, (s, a) => s.indexOf(text(a, 0), a.length > 1 ? Math.max(0, integer(a, 1)) : 0)),
  lastIndexOf: member<string>(1, 2, (s, a) =>
    a.length > 1 ? (integer(a, 1) < 0 ? -1 : s.lastIndexOf(text(a, 0), integer(a, 1))) : s.lastIndexOf(text(a, 0)),
  ),
  charAt: member<string>(1, 1, (s, a) => s.charAt(index(integer(a, 0), s.length))),
  substring: member<string>(1, 2, (s, a) => {
    const begin = integer(a, 0);
    const end = a.length > 1 ? integer(a, 1) : s.length;
    range(begin, end, s.length);
    return s.slice(begin, end);
  }),
  concat: member<string>(1, 1, (s, a) => checkLength(s + text(a, 0))),
  repeat: member<string>(1, 1, (s, a) => {
    const count = integer(a, 0);
    if (count < 0) throw new ExpressionValueError(`count is negative: ${count}`);
    if (s.length * count > LIMITS.maxOutputLength) {
      throw new ExpressionValueError(`result exceeds the ${LIMITS.maxOutputLength}-character limit`);
    }
    return s.repeat(count);
  }),
  replace: member<string>(2, 2, (s, a) => {
    const target = text(a, 0);
    const replacement = text(a, 1);
    const budget = growthBudget(s.length);
    return s.replaceAll(target, (matched) => budget(replacement, matched));
  }),
  replaceAll: member<string>(2, 2, (s, a) => javaReplace(s, text(a, 0), text(a, 1), true)),
  replaceFirst: member<string>(2, 2, (s, a) => javaReplace(s, text(a, 0), text(a, 1), false)),
  matches: member<string>(1, 1, (s, a) => regex(`^(?:${text(a, 0)})$`).test(s)),
  split: member<string>(1, 2, (s, a) => javaSplit(s, text(a, 0), a.length > 1 ? integer(a, 1) : 0)),
};

const LIST: Record<string, Member> = {
  size: member<unknown[]>(0, 0, (l) => l.length),
  isEmpty: member<unknown[]>(0, 0, (l) => l.length === 0),
  contains: member<unknown[]>(1, 1, (l, a) => l.some((item) => deepEqual(item, a[0]))),
  containsAll: member<unknown[]>(1, 1, (l, a) => {
    const wanted = a[0];
    if (!Array.isArray(wanted)) throw new ExpressionValueError(`argument 1 must be a list, got ${typeName(wanted)}`);
    return wanted.every((w) => l.some((item) => deepEqual(item, w)));
  }),
  get: member<unknown[]>(1, 1, (l, a) => l[index(integer(a, 0), l.length)]),
  getFirst: member<unknown[]>(0, 0, (l) => {
    if (l.length === 0) throw new ExpressionValueError('the list is empty');
    return l[0];
  }),
  getLast: member<unknown[]>(0, 0, (l) => {
    if (l.length === 0) throw new ExpressionValueError('the list is empty');
    return l[l.length - 1];
  }),
  indexOf: member<unknown[]>(1, 1, (l, a) => l.findIndex((item) => deepEqual(item, a[0]))),
  lastIndexOf: member<unknown[]>(1, 1, (l, a) => l.findLastIndex((item) => deepEqual(item, a[0]))),
  subList: member<unknown[]>(2, 2, (l, a) => {
    const begin = integer(a, 0);
    const end = integer(a, 1);
    range(begin, end, l.length);
    return l.slice(begin, end);
  }),
};

/** An own data property of a plain map (never a prototype's), or undefined. */
function own(map: PlainMap, key: unknown): { value: unknown } | undefined {
  const name = typeof key === 'string' ? key : typeof key === 'number' ? String(key) : undefined;
  if (name === undefined || name === '__proto__') return undefined;
  const descriptor = Object.getOwnPropertyDescriptor(map, name);
  return descriptor && 'value' in descriptor ? { value: descriptor.value } : undefined;
}

const MAP: Record<string, Member> = {
  size: member<PlainMap>(0, 0, (m) => Object.keys(m).length),
  isEmpty: member<PlainMap>(0, 0, (m) => Object.keys(m).length === 0),
  containsKey: member<PlainMap>(1, 1, (m, a) => own(m, a[0]) !== undefined),
  containsValue: member<PlainMap>(1, 1, (m, a) => Object.values(m).some((value) => deepEqual(value, a[0]))),
  get: member<PlainMap>(1, 1, (m, a) => own(m, a[0])?.value ?? null),
  getOrDefault: member<PlainMap>(2, 2, (m, a) => {
    const found = own(m, a[0]);
    return found ? found.value : a[1];
  }),
  keySet: member<PlainMap>(0, 0, (m) => Object.keys(m)),
  values: member<PlainMap>(0, 0, (m) => Object.values(m)),
  entrySet: member<PlainMap>(0, 0, (m) => Object.entries(m).map(([key, value]) => ({ key, value }))),
};

function membersOf(value: unknown): Record<string, Member> | undefined {
  if (typeof value === 'string') return STRING;
  if (Array.isArray(value)) return LIST;
  if (isPlainMap(value)) return MAP;
  return undefined;
}

/** Names of the members a value of this type has, for error messages. */
export function memberNames(value: unknown): string[] {
  return Object.keys(membersOf(value) ?? {});
}

/**
 * `value.name` on a string or a list when no item has that name: a member without arguments,
 * found as Pebble finds Java getters (`name`, `getName`, `isName`, `hasName`), so `s.length`,
 * `s.empty` and `list.size` work. MISSING otherwise. Maps never get here: as in Pebble, a map
 * attribute is only ever one of its keys (`map.size()` calls the member).
 */
export function propertyMember(value: unknown, name: string): unknown {
  if (typeof value !== 'string' && !Array.isArray(value)) return MISSING;
  const members = membersOf(value) as Record<string, Member>;
  const capitalized = name.charAt(0).toUpperCase() + name.slice(1);
  for (const candidate of [name, `get${capitalized}`, `is${capitalized}`, `has${capitalized}`]) {
    if (!Object.hasOwn(members, candidate)) continue;
    const found = members[candidate] as Member;
    if (found.min === 0) return found.run(value as never, []);
  }
  return MISSING;
}

/**
 * `value.name(args)`: calls an allow-listed member. Throws an ExpressionValueError naming the
 * member and the value's type when there is no such member or the arguments do not fit.
 */
export function callMember(value: unknown, name: string, args: unknown[]): unknown {
  const members = membersOf(value);
  const type = typeName(value);
  if (!members || !Object.hasOwn(members, name)) {
    const known = members ? `; ${type} members: ${Object.keys(members).join(', ')}` : '';
    throw new ExpressionValueError(`${type} has no member '${name}()'${known}`);
  }
  const found = members[name] as Member;
  if (args.length < found.min || args.length > found.max) {
    const expected = found.min === found.max ? `${found.min}` : `${found.min} to ${found.max}`;
    throw new ExpressionValueError(
      `'${name}()' of a ${type} takes ${expected} argument${found.max === 1 ? '' : 's'}, got ${args.length}`,
    );
  }
  return found.run(value as never, args);
}
