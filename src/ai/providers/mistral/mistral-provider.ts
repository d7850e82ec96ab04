import type { Mistral } from '@mistralai/mistralai';
import type { ChatCompletionRequest } from '@mistralai/mistralai/models/components';
import { z } from 'zod';
import { defineSubPlugin } from '../../../plugin/define-plugin.ts';
import type { ChatModelV1 } from '../../spec/chat-model.ts';
import type { EmbeddingModelV1 } from '../../spec/embedding-model.ts';
import { finishReasonOf, openAiRole, rejectUnsupported } from '../chat-options.ts';
import { expectShape, withProviderErrors } from '../provider-errors.ts';
import type { ProviderContext, ProviderImplementation } from '../provider-plugin.ts';
import { apiKeyProperty, baseProviderProperties, rejectTlsProperties, requireApiKey } from '../provider-properties.ts';
import { sendChatRequest } from '../send-chat-request.ts';

const TYPE = 'io.kestra.plugin.ai.provider.MistralAI';
const properties = z.object({ ...baseProviderProperties, apiKey: apiKeyProperty });
type Props = z.output<typeof properties>;

/** The SDK loads on first use: it takes seconds to import and most flows never need it. */
async function client(props: Props): Promise<Mistral> {
  rejectTlsProperties(TYPE, props);
  const { Mistral } = await import('@mistralai/mistralai');
  return new Mistral({
    apiKey: requireApiKey(TYPE, props.apiKey, 'MISTRAL_API_KEY'),
    serverURL: props.baseUrl as string | undefined,
    retryConfig: { strategy: 'none' },
  });
}

const implementation: ProviderImplementation = {
  async embeddingModel(raw) {
    const props = raw as Props;
    const mistral = await client(props);
    const modelId = props.modelName as string;
    const model: EmbeddingModelV1 = {
      specificationVersion: 'v1',
      provider: 'mistral',
      modelId,
      // Mistral caps a request by tokens (16k); 64 chunks of a typical size stay under it.
      maxEmbeddingsPerCall: 64,
      supportsParallelCalls: true,
      async doEmbed({ values, abortSignal }) {
        const response = await withProviderErrors('mistral', `embedding with model '${modelId}'`, abortSignal, () =>
          mistral.embeddings.create(
            { model: modelId, inputs: values },
            { fetchOptions: { signal: abortSignal }, retries: { strategy: 'none' } },
          ),
        );
        expectShape(
          Array.isArray(response?.data) && response.data.every((item) => Array.isArray(item.embedding)),
          'mistral',
          'embeddings',
        );
        const ordered = [...response.data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
        return {
          embeddings: ordered.map((item) => Float32Array.from(item.embedding ?? [])),
          usage: { inputTokens: response.usage?.promptTokens, totalTokens: response.usage?.totalTokens },
        };
      },
    };
    return model;
  },

  async chatModel(raw, context: ProviderContext) {
    const props = raw as Props;
    const mistral = await client(props);
    const modelId = props.modelName as string;
    const exchange = { provider: 'mistral', what: `chat completion with model '${modelId}'`, logger: context.logger };
    const model: ChatModelV1 = {
      specificationVersion: 'v1',
      provider: 'mistral',
      modelId,
      async doGenerate({ messages, configuration, abortSignal }) {
        rejectUnsupported(TYPE, configuration, ['topK']);
        const format = configuration.responseFormat;
        const request: ChatCompletionRequest = {
          model: modelId,
          messages: messages.map((message) => ({ role: openAiRole(message.type), content: message.content })),
          temperature: configuration.temperature,
          topP: configuration.topP,
          maxTokens: configuration.maxToken,
          randomSeed: configuration.seed,
          responseFormat:
            format?.type === 'JSON'
              ? format.jsonSchema
                ? {
                    type: 'json_schema',
                    jsonSchema: {
                      name: 'response',
                      description: format.jsonSchemaDescription,
                      schemaDefinition: format.jsonSchema,
                      strict: format.strictJson ?? false,
                    },
                  }
                : { type: 'json_object' }
              : undefined,
        };
        const response = await sendChatRequest({ ...exchange, configuration, abortSignal }, request, (body) =>
          mistral.chat.complete(body, { fetchOptions: { signal: abortSignal }, retries: { strategy: 'none' } }),
        );
        const choice = response?.choices?.[0];
        expectShape(choice, 'mistral', 'chat completion');
        const content = choice.message?.content;
        const text =
          typeof content === 'string'
            ? content
            : (content ?? [])
                .map((chunk) => ('text' in chunk && typeof chunk.text === 'string' ? chunk.text : ''))
                .join('');
        return {
          text,
          finishReason: finishReasonOf(choice.finishReason),
          usage: {
            inputTokens: response.usage?.promptTokens,
            outputTokens: response.usage?.completionTokens,
            totalTokens: response.usage?.totalTokens,
          },
        };
      },
    };
    return model;
  },
};

/** Mistral AI: chat and embeddings (`mistral-embed`). */
export const mistralProvider = defineSubPlugin({
  type: TYPE,
  aliases: ['io.kestra.plugin.langchain4j.provider.MistralAI'],
  category: 'provider',
  title: 'Mistral AI',
  description:
    'Chat and embeddings with Mistral models (e.g. mistral-small-latest, mistral-embed). configuration.topK is ' +
    'not supported; configuration.seed is sent as random_seed.',
  properties,
  implementation,
  examples: [
    {
      title: 'Chat with Mistral',
      code: `id: mistral_chat
namespace: company.ai
tasks:
  - id: chat
    type: io.kestra.plugin.ai.completion.ChatCompletion
    provider:
      type: io.kestra.plugin.ai.provider.MistralAI
      apiKey: "{{ secret('MISTRAL_API_KEY') }}"
      modelName: mistral-small-latest
    messages:
      - type: USER
        content: Say hello
`,
    },
  ],
});
