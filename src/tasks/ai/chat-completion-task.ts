import { z } from 'zod';
import { generateText } from '../../ai/generate-text.ts';
import { checkGuardrails } from '../../ai/guardrails/check-guardrails.ts';
import { guardrailsSchema } from '../../ai/guardrails/guardrails-schema.ts';
import { createChatModel } from '../../ai/providers/provider-plugin.ts';
import type { ChatMessage } from '../../ai/spec/chat-model.ts';
import { defineTask } from '../../plugin/define-plugin.ts';
import { dynamic } from '../../plugin/dynamic.ts';
import { type PluginConfig, pluginRef } from '../../plugin/plugin-ref.ts';
import { providerContextOf } from './ai-contexts.ts';
import { aiOutputSchema, toAiOutput } from './ai-output.ts';
import { chatConfigurationSchema, toChatConfiguration } from './chat-configuration-schema.ts';
import { guardrailEvaluatorOf } from './guardrail-evaluator.ts';
import { guardrailOutputSchema, guardrailViolation, outputGuardrailVariables } from './guardrail-output.ts';
import { logExchange } from './log-exchange.ts';
import { pluginRegistryOf } from './registry-access.ts';

const messageSchema = z.object({
  // The reference's enum deserialisation accepts any case (real flows write `user`).
  type: dynamic(z.enum(['SYSTEM', 'USER', 'AI', 'system', 'user', 'ai'])).default('USER'),
  content: dynamic(z.string()),
});

/** `completion.ChatCompletion`: a chat completion over a list of messages, no retrieval. */
export const chatCompletionTask = defineTask({
  type: 'io.kestra.plugin.ai.completion.ChatCompletion',
  aliases: ['io.kestra.plugin.langchain4j.completion.ChatCompletion', 'io.kestra.plugin.langchain4j.ChatCompletion'],
  category: 'task',
  title: 'Chat completion',
  // Guardrail expressions read `message` and `response`, which exist only while the task runs.
  lateRendered: ['guardrails'],
  description:
    'Sends `messages` (SYSTEM, USER, AI) to the chat model of `provider` and returns its answer in `textOutput` ' +
    '(or `jsonOutput` with `configuration.responseFormat.type: JSON`). `guardrails` check the last USER message ' +
    'before the call and the answer after it.',
  properties: z.object({
    messages: z.array(messageSchema).min(1, { message: 'give at least one message' }),
    provider: pluginRef('provider'),
    configuration: chatConfigurationSchema.optional(),
    guardrails: guardrailsSchema.optional(),
  }),
  outputs: aiOutputSchema
    .extend({ finishReason: aiOutputSchema.shape.finishReason.optional() })
    .extend(guardrailOutputSchema.shape),
  examples: [
    {
      title: 'Summarise a text offline with the local provider',
      code: [
        'id: summarise',
        'namespace: company.ai',
        'tasks:',
        '  - id: chat',
        '    type: io.kestra.plugin.ai.completion.ChatCompletion',
        '    provider:',
        '      type: io.windhover.plugin.ai.provider.Local',
        '    messages:',
        '      - type: SYSTEM',
        '        content: Answer in one sentence.',
        '      - type: USER',
        '        content: What is Windhover?',
      ].join('\n'),
    },
  ],
  async run(ctx, props) {
    const registry = pluginRegistryOf(ctx);
    const model = await createChatModel(registry, props.provider as PluginConfig, providerContextOf(ctx));
    const configuration = toChatConfiguration(props.configuration);
    const messages: ChatMessage[] = props.messages.map((message) => ({
      type: String(message.type).toUpperCase() as ChatMessage['type'],
      content: String(message.content),
    }));
    const evaluator = guardrailEvaluatorOf(ctx);
    const lastUser = messages.findLast((message) => message.type === 'USER')?.content ?? '';
    const input = await checkGuardrails(props.guardrails?.input, { message: lastUser }, evaluator);
    if (input.violated)
      return { ...guardrailViolation(ctx.logger, 'input', input), tokenUsage: {}, requestDuration: 0 };
    logExchange(ctx.logger, configuration, 'request', messages);
    const started = performance.now();
    const result = await generateText(model, { messages, configuration, signal: ctx.signal });
    const requestDuration = Math.round(performance.now() - started);
    logExchange(ctx.logger, configuration, 'response', result.text);
    for (const warning of result.warnings) ctx.logger.warn(warning);
    const output = await checkGuardrails(props.guardrails?.output, outputGuardrailVariables(result), evaluator);
    if (output.violated) {
      // A plain-text reading, so a withheld JSON answer that does not parse cannot fail the task.
      const { textOutput: _withheld, ...usage } = toAiOutput(result, {}, requestDuration);
      return { ...usage, ...guardrailViolation(ctx.logger, 'output', output) };
    }
    return { ...toAiOutput(result, configuration, requestDuration), guardrailViolated: false };
  },
});
