/** Arguments of a function or filter call: `f(1, 'a', timeZone='UTC')`. */
export interface FunctionCall {
  positional: unknown[];
  named: Record<string, unknown>;
}

/** What host functions and filters may use while a template is being evaluated. */
export interface EvaluationContext {
  /** The variables visible at the call site (the caller's variables plus `set` and loop variables). */
  readonly variables: Record<string, unknown>;
  /** Renders another template with the same variables, functions and limits. */
  render(template: string): Promise<string>;
  /** Evaluates a bare expression with the same variables, functions and limits. */
  evaluate(expression: string): Promise<unknown>;
  /** Depth of nested `render()` calls (0 at the top). */
  readonly renderDepth: number;
}

/** A function callable from templates, e.g. `secret('KEY')`. May be async. */
export type ExpressionFunction = (call: FunctionCall, context: EvaluationContext) => unknown | Promise<unknown>;

/** A filter applied with `|`, e.g. `value | upper`. May be async. */
export type ExpressionFilter = (
  input: unknown,
  call: FunctionCall,
  context: EvaluationContext,
) => unknown | Promise<unknown>;

/** A test used with `is`, e.g. `value is defined`. */
export type ExpressionTest = (input: unknown, call: FunctionCall) => boolean;

/** What a render or evaluation sees. */
export interface RenderOptions {
  variables: Record<string, unknown>;
  /** Host functions added to the built-ins, e.g. secret(), kv(), read(). They take precedence over built-ins. */
  functions?: Record<string, ExpressionFunction>;
  /** Host filters added to the built-ins. */
  filters?: Record<string, ExpressionFilter>;
}
