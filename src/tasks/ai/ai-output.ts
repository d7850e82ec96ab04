import { z } from 'zod';
import type { GenerateTextResult } from '../../ai/generate-text.ts';
import type { ChatConfiguration } from '../../ai/spec/chat-model.ts';

/** The reference's AIOutput fields that our chat tasks fill. */
export const aiOutputSchema = z.object({
  textOutput: z.string().optional().describe('The answer, when the response format is TEXT (the default).'),
  jsonOutput: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('The answer parsed as JSON, when chatConfiguration.responseFormat.type is JSON.'),
  tokenUsage: z.object({
    inputTokenCount: z.number().optional(),
    outputTokenCount: z.number().optional(),
    totalTokenCount: z.number().optional(),
  }),
  finishReason: z.enum(['STOP', 'LENGTH', 'TOOL_EXECUTION', 'CONTENT_FILTER', 'OTHER']),
  requestDuration: z.number().describe('Milliseconds spent in the model call, retries included.'),
});

/** Builds the AIOutput of a completion; a JSON response that does not parse is an error naming the task. */
export function toAiOutput(
  result: GenerateTextResult,
  configuration: ChatConfiguration,
  requestDuration: number,
): z.output<typeof aiOutputSchema> {
  const usage = result.usage;
  const tokenUsage = {
    inputTokenCount: usage.inputTokens,
    outputTokenCount: usage.outputTokens,
    totalTokenCount:
      usage.totalTokens ??
      (usage.inputTokens !== undefined || usage.outputTokens !== undefined
        ? (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0)
        : undefined),
  };
  const common = { tokenUsage, finishReason: result.finishReason, requestDuration };
  if (configuration.responseFormat?.type === 'JSON') return { jsonOutput: parseJsonAnswer(result.text), ...common };
  return { textOutput: result.text, ...common };
}

function parseJsonAnswer(text: string): Record<string, unknown> {
  // Models often wrap JSON in a markdown fence even when asked not to.
  const unfenced = text.replace(/^\s*```(?:json)?\s*/i, '').replace(/\s*```\s*$/, '');
  try {
    const value: unknown = JSON.parse(unfenced);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    return { value };
  } catch {
    throw new Error(
      `chatConfiguration.responseFormat is JSON but the model answered with text that is not JSON ` +
        `(first 200 characters: ${JSON.stringify(text.slice(0, 200))}); give a jsonSchema or use a model that supports JSON mode`,
    );
  }
}
