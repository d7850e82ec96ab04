import type OpenAI from 'openai';
import { z } from 'zod';
import { defineSubPlugin } from '../../../plugin/define-plugin.ts';
import type { ChatModelV1 } from '../../spec/chat-model.ts';
import type { EmbeddingModelV1 } from '../../spec/embedding-model.ts';
import { finishReasonOf, openAiRole, rejectUnsupported } from '../chat-options.ts';
import { expectShape, withProviderErrors } from '../provider-errors.ts';
import type { ProviderContext, ProviderImplementation } from '../provider-plugin.ts';
import { apiKeyProperty, baseProviderProperties, rejectTlsProperties, requireApiKey } from '../provider-properties.ts';
import { sendChatRequest } from '../send-chat-request.ts';

const TYPE = 'io.kestra.plugin.ai.provider.OpenAI';
/** Properties of OpenAI and of the providers that speak its API. */
export const openAiProperties = z.object({
  ...baseProviderProperties,
  apiKey: apiKeyProperty.optional(),
});
type Props = z.output<typeof openAiProperties>;

/** How a provider speaking the OpenAI API differs from OpenAI itself. */
export interface OpenAiCompatibleOptions {
  /** The plugin type, for error messages. */
  type: string;
  /** Provider name in models and errors (and the embedding-cache key). */
  provider: string;
  /** Endpoint when `baseUrl` is not set. */
  defaultBaseUrl?: string;
  /** Secret suggested when `apiKey` is missing. */
  secretName: string;
  /** Local servers (LocalAI, Docker Model Runner) take any key or none. */
  apiKeyOptional?: boolean;
}

/** One client per model, with the SDK's own retries off: `embedMany` / `generateText` retry. */
/** The SDK loads on first use: it takes seconds to import and most flows never need it. */
async function client(props: Props, options: OpenAiCompatibleOptions): Promise<OpenAI> {
  const { default: OpenAI } = await import('openai');
  rejectTlsProperties(options.type, props);
  const baseURL = (props.baseUrl as string | undefined) ?? options.defaultBaseUrl;
  // An OpenAI-compatible server given by baseUrl (vLLM, LM Studio) often needs no key.
  const keyOptional = options.apiKeyOptional || (props.baseUrl !== undefined && options.type === TYPE);
  const apiKey = keyOptional && !props.apiKey ? 'none' : requireApiKey(options.type, props.apiKey, options.secretName);
  return new OpenAI({ apiKey, baseURL, maxRetries: 0 });
}

/** The implementation for OpenAI and for every provider that speaks its API. */
export function openAiCompatibleImplementation(options: OpenAiCompatibleOptions): ProviderImplementation {
  return {
    async embeddingModel(raw) {
      const props = raw as Props;
      const openai = await client(props, options);
      const modelId = props.modelName as string;
      const model: EmbeddingModelV1 = {
        specificationVersion: 'v1',
        provider: options.provider,
        modelId,
        maxEmbeddingsPerCall: 2048,
        supportsParallelCalls: true,
        async doEmbed({ values, abortSignal }) {
          const response = await withProviderErrors(
            options.provider,
            `embedding with model '${modelId}'`,
            abortSignal,
            () =>
              openai.embeddings.create(
                { model: modelId, input: values, encoding_format: 'float' },
                { signal: abortSignal },
              ),
          );
          expectShape(Array.isArray(response?.data), options.provider, 'embeddings');
          const ordered = [...response.data].sort((a, b) => a.index - b.index);
          expectShape(
            ordered.every((item) => Array.isArray(item.embedding)),
            options.provider,
            'embeddings',
          );
          return {
            embeddings: ordered.map((item) => Float32Array.from(item.embedding)),
            usage: { inputTokens: response.usage?.prompt_tokens, totalTokens: response.usage?.total_tokens },
          };
        },
      };
      return model;
    },

    async chatModel(raw, context: ProviderContext) {
      const props = raw as Props;
      const openai = await client(props, options);
      const modelId = props.modelName as string;
      const exchange = {
        provider: options.provider,
        what: `chat completion with model '${modelId}'`,
        logger: context.logger,
      };
      const model: ChatModelV1 = {
        specificationVersion: 'v1',
        provider: options.provider,
        modelId,
        async doGenerate({ messages, configuration, abortSignal }) {
          rejectUnsupported(options.type, configuration, ['topK']);
          const format = configuration.responseFormat;
          const body: OpenAI.ChatCompletionCreateParamsNonStreaming = {
            model: modelId,
            messages: messages.map((message) => ({ role: openAiRole(message.type), content: message.content })),
            temperature: configuration.temperature,
            top_p: configuration.topP,
            seed: configuration.seed,
            // The reference switched to max_completion_tokens: reasoning models reject max_tokens.
            max_completion_tokens: configuration.maxToken,
            response_format:
              format?.type === 'JSON'
                ? format.jsonSchema
                  ? {
                      type: 'json_schema',
                      json_schema: {
                        name: 'response',
                        description: format.jsonSchemaDescription,
                        schema: format.jsonSchema,
                        strict: format.strictJson ?? false,
                      },
                    }
                  : { type: 'json_object' }
                : undefined,
          };
          const response = await sendChatRequest({ ...exchange, configuration, abortSignal }, body, (request) =>
            openai.chat.completions.create(request, { signal: abortSignal }),
          );
          const choice = response?.choices?.[0];
          expectShape(choice && typeof choice.message === 'object', options.provider, 'chat completion');
          return {
            text: choice.message.content ?? '',
            finishReason: finishReasonOf(choice.finish_reason),
            usage: {
              inputTokens: response.usage?.prompt_tokens,
              outputTokens: response.usage?.completion_tokens,
              totalTokens: response.usage?.total_tokens,
            },
          };
        },
      };
      return model;
    },
  };
}

const implementation = openAiCompatibleImplementation({ type: TYPE, provider: 'openai', secretName: 'OPENAI_API_KEY' });

/** OpenAI, and any OpenAI-compatible server through `baseUrl` (vLLM, LM Studio, LocalAI). */
export const openAiProvider = defineSubPlugin({
  type: TYPE,
  aliases: ['io.kestra.plugin.langchain4j.provider.OpenAI'],
  category: 'provider',
  title: 'OpenAI',
  description:
    'Chat and embeddings with OpenAI models, or with any OpenAI-compatible server (vLLM, LM Studio, LocalAI, ' +
    'llama.cpp server) through baseUrl, e.g. http://localhost:8000/v1. configuration.topK is not supported.',
  properties: openAiProperties,
  implementation,
  examples: [
    {
      title: 'Chat with an OpenAI model',
      code: `id: openai_chat
namespace: company.ai
tasks:
  - id: chat
    type: io.kestra.plugin.ai.completion.ChatCompletion
    provider:
      type: io.kestra.plugin.ai.provider.OpenAI
      apiKey: "{{ secret('OPENAI_API_KEY') }}"
      modelName: gpt-4o-mini
    messages:
      - type: USER
        content: Say hello
`,
    },
  ],
});
