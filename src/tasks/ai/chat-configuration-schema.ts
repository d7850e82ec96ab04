import { z } from 'zod';
import type { ChatConfiguration } from '../../ai/spec/chat-model.ts';
import { dynamic } from '../../plugin/dynamic.ts';

/** The reference's ChatConfiguration (A.6): every field optional and dynamic. */
export const chatConfigurationSchema = z
  .object({
    temperature: dynamic(z.number()).optional(),
    topK: dynamic(z.int()).optional(),
    topP: dynamic(z.number()).optional(),
    seed: dynamic(z.int()).optional(),
    maxToken: dynamic(z.int().positive()).optional(),
    logRequests: dynamic(z.boolean()).optional(),
    logResponses: dynamic(z.boolean()).optional(),
    responseFormat: z
      .object({
        type: dynamic(z.enum(['TEXT', 'JSON'])).default('TEXT'),
        jsonSchema: z.record(z.string(), z.unknown()).optional(),
        jsonSchemaDescription: dynamic(z.string()).optional(),
        strictJson: dynamic(z.boolean()).optional(),
      })
      .optional(),
    thinkingEnabled: dynamic(z.boolean()).optional(),
    thinkingBudgetTokens: dynamic(z.int()).optional(),
    returnThinking: dynamic(z.boolean()).optional(),
    promptCaching: dynamic(z.boolean()).optional(),
  })
  .meta({ description: 'Chat knobs; providers reject the ones they cannot honour (e.g. topK on OpenAI).' });

/** The rendered configuration as the chat-model spec takes it (templates are gone by now). */
export function toChatConfiguration(value: z.output<typeof chatConfigurationSchema> | undefined): ChatConfiguration {
  if (!value) return {};
  const format = value.responseFormat;
  const { thinkingEnabled: _t, thinkingBudgetTokens: _b, returnThinking: _r, promptCaching: _p, ...rest } = value;
  return {
    ...(rest as Omit<ChatConfiguration, 'responseFormat'>),
    ...(format
      ? {
          responseFormat: {
            type: format.type === 'JSON' ? 'JSON' : 'TEXT',
            jsonSchema: format.jsonSchema,
            jsonSchemaDescription: format.jsonSchemaDescription as string | undefined,
            strictJson: format.strictJson as boolean | undefined,
          },
        }
      : {}),
  };
}
