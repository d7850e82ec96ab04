import type { GuardrailRule } from './guardrails-schema.ts';

/** Evaluates one rule's expression with extra variables in scope; the task supplies the expression engine. */
export type GuardrailEvaluator = (expression: string, variables: Record<string, unknown>) => Promise<unknown>;

/** The outcome of a list of rules: the first failing rule's message, or none. */
export type GuardrailVerdict = { violated: false } | { violated: true; message: string };

/**
 * Checks rules in order and stops at the first that fails, as the reference does. A rule passes
 * only when its expression gives `true` (or the text "true"); an expression that cannot be
 * evaluated fails the rule, so a broken guardrail blocks instead of letting everything through.
 */
export async function checkGuardrails(
  rules: readonly GuardrailRule[] | undefined,
  variables: Record<string, unknown>,
  evaluate: GuardrailEvaluator,
): Promise<GuardrailVerdict> {
  for (const rule of rules ?? []) {
    let value: unknown;
    try {
      value = await evaluate(rule.expression, variables);
    } catch (error) {
      return {
        violated: true,
        message: `Guardrail expression evaluation failed: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    const passed = value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
    if (!passed) return { violated: true, message: rule.message };
  }
  return { violated: false };
}
