import { z } from 'zod';
import type { GuardrailVerdict } from '../../ai/guardrails/check-guardrails.ts';
import type { TaskLogger } from '../../plugin/run-context.ts';

/** The reference's guardrail outputs, on every chat task that has `guardrails`. */
export const guardrailOutputSchema = z.object({
  guardrailViolated: z.boolean().describe('True when a guardrail rule failed; the answer is then left out.'),
  guardrailViolationMessage: z.string().optional().describe('The failing rule’s message.'),
});

/** Outputs of a run stopped by a guardrail, logged as a warning (the task itself succeeds). */
export function guardrailViolation(
  logger: TaskLogger,
  stage: 'input' | 'output',
  verdict: Extract<GuardrailVerdict, { violated: true }>,
) {
  logger.warn(`${stage} guardrail violated: ${verdict.message}`);
  return { guardrailViolated: true, guardrailViolationMessage: verdict.message };
}

/** The answer's variables for output rules, as the reference names them. */
export function outputGuardrailVariables(answer: {
  text: string;
  finishReason: string;
  usage: { inputTokens?: number; outputTokens?: number };
}) {
  return {
    response: answer.text,
    finishReason: answer.finishReason,
    inputTokenCount: answer.usage.inputTokens ?? 0,
    outputTokenCount: answer.usage.outputTokens ?? 0,
  };
}
