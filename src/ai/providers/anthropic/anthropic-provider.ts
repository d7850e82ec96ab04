import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { defineSubPlugin } from '../../../plugin/define-plugin.ts';
import { dynamic } from '../../../plugin/dynamic.ts';
import { UnsupportedFeatureError } from '../../errors.ts';
import type { ChatModelV1 } from '../../spec/chat-model.ts';
import { definedOnly, finishReasonOf, rejectUnsupported, splitSystemMessages, summedUsage } from '../chat-options.ts';
import { expectShape } from '../provider-errors.ts';
import type { ProviderContext, ProviderImplementation } from '../provider-plugin.ts';
import { apiKeyProperty, baseProviderProperties, rejectTlsProperties, requireApiKey } from '../provider-properties.ts';
import { sendChatRequest } from '../send-chat-request.ts';

const TYPE = 'io.kestra.plugin.ai.provider.Anthropic';
const DEFAULT_MAX_TOKENS = 1024;
const properties = z.object({
  ...baseProviderProperties,
  apiKey: apiKeyProperty,
  maxTokens: dynamic(z.number().int().min(1))
    .optional()
    .meta({ description: `Maximum output tokens (the API requires one; default ${DEFAULT_MAX_TOKENS}).` }),
});
type Props = z.output<typeof properties>;

const implementation: ProviderImplementation = {
  async chatModel(raw, context: ProviderContext) {
    const props = raw as Props;
    rejectTlsProperties(TYPE, props);
    // The SDK loads on first use: it takes seconds to import and most flows never need it.
    const { default: AnthropicClient } = await import('@anthropic-ai/sdk');
    const client: Anthropic = new AnthropicClient({
      apiKey: requireApiKey(TYPE, props.apiKey, 'ANTHROPIC_API_KEY'),
      baseURL: props.baseUrl as string | undefined,
      maxRetries: 0,
    });
    const modelId = props.modelName as string;
    const exchange = { provider: 'anthropic', what: `message with model '${modelId}'`, logger: context.logger };
    const model: ChatModelV1 = {
      specificationVersion: 'v1',
      provider: 'anthropic',
      modelId,
      async doGenerate({ messages, configuration, abortSignal }) {
        rejectUnsupported(TYPE, configuration, ['seed', 'responseFormat']);
        const { system, turns } = splitSystemMessages(messages);
        const body: Anthropic.MessageCreateParamsNonStreaming = {
          model: modelId,
          max_tokens: configuration.maxToken ?? (props.maxTokens as number | undefined) ?? DEFAULT_MAX_TOKENS,
          ...(system ? { system } : {}),
          messages: turns.map((message) => ({
            role: message.type === 'AI' ? 'assistant' : 'user',
            content: message.content,
          })),
          // The client's types no longer list sampling knobs; the API still takes them for the
          // models that support them, so they are sent only when the flow sets them.
          ...definedOnly({
            temperature: configuration.temperature,
            top_k: configuration.topK,
            top_p: configuration.topP,
          }),
        };
        if (body.messages.length === 0) {
          throw new UnsupportedFeatureError(`${TYPE}: at least one USER message is required`, {
            provider: 'anthropic',
          });
        }
        const response = await sendChatRequest({ ...exchange, configuration, abortSignal }, body, (request) =>
          client.messages.create(request, { signal: abortSignal }),
        );
        expectShape(Array.isArray(response?.content), 'anthropic', 'message');
        const text = response.content
          .filter((block): block is Anthropic.TextBlock => block.type === 'text')
          .map((block) => block.text)
          .join('');
        return {
          text,
          finishReason: finishReasonOf(response.stop_reason),
          usage: summedUsage(response.usage?.input_tokens, response.usage?.output_tokens),
        };
      },
    };
    return model;
  },
};

/** Anthropic Claude models: chat only (Anthropic offers no embedding model). */
export const anthropicProvider = defineSubPlugin({
  type: TYPE,
  aliases: ['io.kestra.plugin.langchain4j.provider.Anthropic'],
  category: 'provider',
  title: 'Anthropic',
  description:
    'Chat with Claude models. Anthropic has no embedding model: pair it with another embeddingProvider. ' +
    'configuration.seed and configuration.responseFormat are not supported.',
  properties,
  implementation,
  examples: [
    {
      title: 'Chat with Claude',
      code: `id: claude_chat
namespace: company.ai
tasks:
  - id: chat
    type: io.kestra.plugin.ai.completion.ChatCompletion
    provider:
      type: io.kestra.plugin.ai.provider.Anthropic
      apiKey: "{{ secret('ANTHROPIC_API_KEY') }}"
      modelName: claude-3-5-haiku-latest
      maxTokens: 512
    messages:
      - type: USER
        content: Say hello
`,
    },
  ],
});
