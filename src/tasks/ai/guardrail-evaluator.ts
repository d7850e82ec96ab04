import type { GuardrailEvaluator } from '../../ai/guardrails/check-guardrails.ts';
import { evaluate, hasTemplateSyntax, render } from '../../expression/index.ts';
import type { RunContext } from '../../plugin/run-context.ts';

/**
 * Evaluates guardrail expressions with the flow's variables plus the rule's own (`message`,
 * `response`...). A whole `{{ ... }}` or a bare expression gives its typed value; a template with
 * text or tags around it gives its rendered text.
 */
export function guardrailEvaluatorOf(ctx: RunContext): GuardrailEvaluator {
  return async (expression, variables) => {
    const options = { variables: { ...ctx.variables, ...variables } };
    const whole = /^\s*\{\{[\s\S]*\}\}\s*$/.test(expression) && expression.indexOf('{{', 2) === -1;
    if (whole || !hasTemplateSyntax(expression)) return evaluate(expression, options);
    return render(expression, options);
  };
}
