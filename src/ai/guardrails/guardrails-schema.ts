import { z } from 'zod';

const ruleSchema = z.object({
  expression: z
    .string()
    .min(1)
    .describe('A Pebble expression that must give true for the rule to pass, e.g. "{{ message | length < 4000 }}".'),
  message: z.string().min(1).describe('What `guardrailViolationMessage` says when the rule fails.'),
});

/**
 * The reference's `guardrails` property. Expressions are evaluated by the task (never rendered
 * with the other properties): input rules see `message` (the prompt); output rules see `response`,
 * `finishReason`, `inputTokenCount` and `outputTokenCount`. Flow variables are visible too.
 */
export const guardrailsSchema = z
  .object({
    input: z.array(ruleSchema).optional().describe('Checked on the prompt before anything else; `message` holds it.'),
    output: z
      .array(ruleSchema)
      .optional()
      .describe('Checked on the answer; `response`, `finishReason`, `inputTokenCount`, `outputTokenCount`.'),
  })
  .meta({ description: 'Rules on the prompt and the answer; the first failing rule stops the task’s answer.' });

export type GuardrailRule = z.output<typeof ruleSchema>;
export type Guardrails = z.output<typeof guardrailsSchema>;
