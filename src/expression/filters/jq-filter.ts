import { ExpressionValueError } from '../template-error.ts';
import type { ExpressionFilter } from '../types.ts';
import { getMember, isPlainMap, MISSING, typeName } from '../values.ts';
import { stringArgument } from './filter-arguments.ts';

/**
 * The `jq` filter for the path subset flows use: `.`, `.a.b`, `."key"`, `.["key"]`, `.[0]`,
 * `.[-1]`, `.[]`, `.a[]`, pipes `|`, commas `,`, and `length`, `keys`, `values`, `first`,
 * `last`. Like the reference, it always returns a list of results (chain `| first`).
 */
type Step = { kind: 'key'; key: string | number } | { kind: 'each' } | { kind: 'builtin'; name: string };

const BUILTINS: Record<string, (value: unknown) => unknown[]> = {
  length: (value) => [
    typeof value === 'string' || Array.isArray(value)
      ? value.length
      : isPlainMap(value)
        ? Object.keys(value).length
        : 0,
  ],
  keys: (value) => [isPlainMap(value) ? Object.keys(value).sort() : Array.isArray(value) ? value.map((_, i) => i) : []],
  values: (value) => [isPlainMap(value) ? Object.values(value) : value],
  first: (value) => (Array.isArray(value) ? [value[0] ?? null] : [null]),
  last: (value) => (Array.isArray(value) ? [value.at(-1) ?? null] : [null]),
};

function parsePath(path: string, program: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new ExpressionValueError(
      `jq: ${why} at character ${i + 1} of '${program}' (supported: paths, [], |, ",", length, keys)`,
    );
  };
  const text = path.trim();
  if (/^[a-z]+$/.test(text)) {
    if (!BUILTINS[text]) fail(`unsupported function '${text}'`);
    return [{ kind: 'builtin', name: text }];
  }
  if (!text.startsWith('.')) fail('a path must start with "."');
  while (i < text.length) {
    if (text[i] === '.') {
      i++;
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))?.[0];
      if (name) {
        steps.push({ kind: 'key', key: name });
        i += name.length;
      } else if (text[i] === '"') {
        const end = text.indexOf('"', i + 1);
        if (end === -1) fail('unterminated string');
        steps.push({ kind: 'key', key: text.slice(i + 1, end) });
        i = end + 1;
      }
    } else if (text[i] === '[') {
      const end = text.indexOf(']', i);
      if (end === -1) fail('missing "]"');
      const inner = text.slice(i + 1, end).trim();
      if (inner === '') steps.push({ kind: 'each' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'key', key: Number(inner) });
      else if (/^"[^"]*"$/.test(inner)) steps.push({ kind: 'key', key: inner.slice(1, -1) });
      else fail(`unsupported index '${inner}'`);
      i = end + 1;
    } else if (text[i] === ' ') i++;
    else fail(`unexpected '${text[i]}'`);
  }
  return steps;
}

function apply(values: unknown[], steps: Step[]): unknown[] {
  let current = values;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if (step.kind === 'builtin') next.push(...(BUILTINS[step.name] as (value: unknown) => unknown[])(value));
      else if (step.kind === 'each') {
        if (Array.isArray(value)) next.push(...value);
        else if (isPlainMap(value)) next.push(...Object.values(value));
        else throw new ExpressionValueError(`jq: cannot iterate over ${typeName(value)}`);
      } else if (value === null || value === undefined) next.push(null);
      else {
        const item = getMember(value, step.key);
        next.push(item === MISSING ? null : item);
      }
    }
    current = next;
  }
  return current;
}

export const jqFilter: ExpressionFilter = (input, call) => {
  const program = stringArgument(call, 'expression', 0);
  let data = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input);
    } catch {
      data = input;
    }
  }
  let results: unknown[] = [data];
  for (const stage of program.split('|')) {
    const branches = stage.split(',').map((branch) => parsePath(branch, program));
    results =
      branches.length === 1
        ? apply(results, branches[0] as Step[])
        : branches.flatMap((steps) => apply(results, steps));
  }
  return results;
};
