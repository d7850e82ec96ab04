import type { z } from 'zod';
import type { PathSegment } from './flow-violation.ts';
import { editDistance } from './type-resolver.ts';

/** A violation before it is given a position: path segments from the flow root, and a message. */
export interface RawViolation {
  path: PathSegment[];
  message: string;
  /** Another place the message refers to (the first use of a duplicate id); its line is appended. */
  relatedPath?: PathSegment[];
  /** Point at the key rather than its value (unknown or misplaced properties). */
  atKey?: boolean;
}

const TEMPLATE_PATTERN_SOURCE = String(/\{\{|\{%/);

/**
 * Turns zod issues into violations that say how to fix the value. `knownKeys` gives "did you
 * mean" suggestions for unknown properties; `base` prefixes every path.
 */
export function issuesToViolations(
  issues: readonly z.core.$ZodIssue[],
  base: readonly PathSegment[],
  knownKeys: (path: readonly PathSegment[]) => string[] = () => [],
  literalIssues?: (path: readonly PathSegment[]) => readonly z.core.$ZodIssue[] | undefined,
): RawViolation[] {
  const out: RawViolation[] = [];
  for (const issue of issues) {
    const path = [...base, ...(issue.path as PathSegment[])];
    if (isTemplateMismatch(issue)) {
      const explained = literalIssues?.(issue.path as PathSegment[]);
      out.push(
        ...(explained
          ? issuesToViolations(explained, path)
          : [{ path, message: 'expected a literal value of the documented type or a "{{ }}" template' }]),
      );
      continue;
    }
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          const suggestion = closestName(key, knownKeys(issue.path as PathSegment[]));
          const hint = suggestion ? `; did you mean '${suggestion}'?` : '';
          out.push({ path: [...path, key], message: `unknown property '${key}'${hint}`, atKey: true });
        }
        break;
      case 'invalid_union':
        out.push(...unionViolations(issue, path, knownKeys));
        break;
      case 'invalid_type':
        out.push({ path, message: typeMessage(issue) });
        break;
      case 'invalid_value':
        out.push({
          path,
          message: `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
        });
        break;
      case 'too_small':
      case 'too_big':
        out.push({ path, message: sizeMessage(issue) });
        break;
      default:
        out.push({ path, message: cleanMessage(issue.message) });
    }
  }
  return out;
}

/**
 * A dynamic property is `literal | template`: when both branches fail, the template branch only
 * says "not a template", which is noise. Report the literal branch's reasons instead.
 */
function unionViolations(
  issue: z.core.$ZodIssueInvalidUnion,
  path: PathSegment[],
  knownKeys: (path: readonly PathSegment[]) => string[],
): RawViolation[] {
  const branches = issue.errors.filter((branch) => !branch.every(isTemplateMismatch));
  if (issue.errors.every((branch) => branch.every(isMissingValue))) {
    return [{ path, message: `is required (${expectedOf(issue)})` }];
  }
  if (branches.length === 1 && branches[0]) {
    return issuesToViolations(branches[0], path, (p) => knownKeys([...issue.path, ...p] as PathSegment[]));
  }
  if (branches.length === 0) return [{ path, message: 'expected a template such as "{{ inputs.x }}"' }];
  // Prefer the branch that got furthest (deepest issue path): it is the shape the user meant.
  const deepest = [...branches].sort((a, b) => depth(b) - depth(a))[0];
  if (deepest && depth(deepest) > 0) {
    return issuesToViolations(deepest, path, (p) => knownKeys([...issue.path, ...p] as PathSegment[]));
  }
  const expected = [...new Set(branches.flat().flatMap(expectedList))];
  return [{ path, message: `expected ${expected.join(' or ')}` }];
}

function depth(branch: readonly z.core.$ZodIssue[]): number {
  return Math.max(0, ...branch.map((issue) => issue.path.length + (issue.code === 'unrecognized_keys' ? 1 : 0)));
}

function isMissingValue(issue: z.core.$ZodIssue): boolean {
  if (issue.path.length > 0) return false;
  if (issue.code === 'invalid_union') return issue.errors.every((branch) => branch.every(isMissingValue));
  return issue.code === 'invalid_type' && /received undefined/.test(issue.message);
}

function isTemplateMismatch(issue: z.core.$ZodIssue): boolean {
  return issue.code === 'invalid_format' && 'pattern' in issue && String(issue.pattern) === TEMPLATE_PATTERN_SOURCE;
}

function expectedOf(issue: z.core.$ZodIssue): string {
  return [...new Set(expectedList(issue))].join(' or ');
}

function expectedList(issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'invalid_type') return [`${issue.expected}`];
  if (issue.code === 'invalid_union') return issue.errors.flat().flatMap(expectedList);
  if (issue.code === 'invalid_value') return [issue.values.map((v) => JSON.stringify(v)).join(', ')];
  return [cleanMessage(issue.message)];
}

function typeMessage(issue: z.core.$ZodIssueInvalidType): string {
  // A message written by the schema's author says more than the generic one.
  if (!issue.message.startsWith('Invalid input')) return issue.message;
  const received = /received (\w+)/.exec(issue.message)?.[1];
  if (received === 'undefined') return `is required (${issue.expected})`;
  return `expected ${issue.expected}${received ? `, got ${received}` : ''}`;
}

function sizeMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  if (!/^(Too small|Too big)/.test(issue.message)) return issue.message;
  const word = issue.code === 'too_small' ? 'at least' : 'at most';
  const limit = issue.code === 'too_small' ? issue.minimum : issue.maximum;
  if (issue.origin === 'array') return `must have ${word} ${String(limit)} item(s)`;
  if (issue.origin === 'string') return `must have ${word} ${String(limit)} character(s)`;
  return `must be ${word} ${String(limit)}`;
}

function cleanMessage(message: string): string {
  return message.replace(/^Invalid input: /, '');
}

export function closestName(key: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}
