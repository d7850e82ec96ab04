/** Where a template problem sits: 1-based line and column, computed from an offset. */
export function positionOf(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, source.length);
  for (let i = 0; i < end; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * A syntax or evaluation error in a template. The message names what went wrong and where
 * (line and column in the template), so a flow author can find it without a stack trace.
 */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  /** 1-based line in the template (0 when unknown). */
  readonly line: number;
  /** 1-based column in the template (0 when unknown). */
  readonly column: number;
  /** The problem alone, without the position suffix. */
  readonly reason: string;

  constructor(reason: string, source?: string, offset?: number, options?: { cause?: unknown }) {
    const position = source !== undefined && offset !== undefined ? positionOf(source, offset) : undefined;
    super(position ? `${reason} (at line ${position.line}, column ${position.column})` : reason, options);
    this.reason = reason;
    this.line = position?.line ?? 0;
    this.column = position?.column ?? 0;
  }
}

/**
 * Thrown by filters, functions and value helpers that do not know the template position;
 * the evaluator rethrows it as a TemplateError at the position of the call.
 */
export class ExpressionValueError extends Error {
  override readonly name = 'ExpressionValueError';
}
