/** One problem found in a flow: where it is (path and position) and how to fix it. */
export interface FlowViolation {
  /** Property path inside the flow, e.g. `tasks[0].retry.interval` (empty for the document itself). */
  path: string;
  message: string;
  /** 1-based line of the offending node (or of its parent key when the property is missing). */
  line?: number;
  /** 1-based column. */
  column?: number;
  file?: string;
}

/** `file:line:col path: message`, leaving out the parts that are unknown. */
export function formatViolation(violation: FlowViolation): string {
  const where = [violation.file, violation.line, violation.column].filter((part) => part !== undefined).join(':');
  const subject = violation.path ? `${violation.path}: ` : '';
  return `${where ? `${where} ` : ''}${subject}${violation.message}`;
}

/** Thrown by callers that want an exception: carries every violation, and its message lists them all. */
export class FlowValidationError extends Error {
  readonly violations: FlowViolation[];

  constructor(violations: FlowViolation[]) {
    const count = violations.length === 1 ? '1 problem' : `${violations.length} problems`;
    super(`invalid flow (${count}):\n${violations.map((v) => `  ${formatViolation(v)}`).join('\n')}`);
    this.name = 'FlowValidationError';
    this.violations = violations;
  }
}

/** A property path as segments, joined the way users read it: `tasks[0].provider.type`. */
export type PathSegment = string | number;

export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
