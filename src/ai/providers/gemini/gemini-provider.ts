import type { EmbedContentResponse, GoogleGenAI } from '@google/genai';
import { z } from 'zod';
import { defineSubPlugin } from '../../../plugin/define-plugin.ts';
import { duration, dynamic, parseDuration } from '../../../plugin/dynamic.ts';
import { AiProviderError } from '../../errors.ts';
import type { ChatModelV1 } from '../../spec/chat-model.ts';
import type { EmbeddingModelV1 } from '../../spec/embedding-model.ts';
import { finishReasonOf, splitSystemMessages } from '../chat-options.ts';
import { expectShape, toProviderError } from '../provider-errors.ts';
import type { ProviderContext, ProviderImplementation } from '../provider-plugin.ts';
import { apiKeyProperty, baseProviderProperties, rejectTlsProperties, requireApiKey } from '../provider-properties.ts';
import { sendChatRequest } from '../send-chat-request.ts';

const TYPE = 'io.kestra.plugin.ai.provider.GoogleGemini';
const embeddingModelConfiguration = z.object({
  titleMetadataKey: dynamic(z.string()).optional().meta({
    description: 'Accepted for compatibility; titles are not sent (chunks reach the model without metadata).',
  }),
  taskType: dynamic(
    z.enum([
      'RETRIEVAL_QUERY',
      'RETRIEVAL_DOCUMENT',
      'SEMANTIC_SIMILARITY',
      'CLASSIFICATION',
      'CLUSTERING',
      'QUESTION_ANSWERING',
      'FACT_VERIFICATION',
      'CODE_RETRIEVAL_QUERY',
    ]),
  ).optional(),
  maxRetries: dynamic(z.number().int().min(0).max(20))
    .optional()
    .meta({ description: 'Accepted for compatibility; retries follow the shared retry policy.' }),
  timeout: dynamic(duration).optional().meta({ description: 'Timeout of one embedding request, e.g. PT30S.' }),
  outputDimensionality: dynamic(z.number().int().min(1).max(8192)).optional(),
});
const properties = z.object({
  ...baseProviderProperties,
  apiKey: apiKeyProperty,
  embeddingModelConfiguration: embeddingModelConfiguration.optional(),
});
type Props = z.output<typeof properties>;
type EmbeddingSettings = z.output<typeof embeddingModelConfiguration>;

/** The SDK loads on first use: it takes seconds to import and most flows never need it. */
async function client(props: Props): Promise<GoogleGenAI> {
  const { GoogleGenAI } = await import('@google/genai');
  rejectTlsProperties(TYPE, props);
  return new GoogleGenAI({
    apiKey: requireApiKey(TYPE, props.apiKey, 'GEMINI_API_KEY'),
    // The reference applies baseUrl to chat only; here it reaches embeddings too (gateways, tests).
    httpOptions: {
      ...(props.baseUrl ? { baseUrl: props.baseUrl as string } : {}),
      retryOptions: { attempts: 1 },
    },
  });
}

const implementation: ProviderImplementation = {
  async embeddingModel(raw) {
    const props = raw as Props;
    const genai = await client(props);
    const modelId = props.modelName as string;
    const settings: EmbeddingSettings = props.embeddingModelConfiguration ?? {};
    const timeoutMs = settings.timeout ? parseDuration(settings.timeout as string) : undefined;
    const dimensions = settings.outputDimensionality as number | undefined;
    const taskType = settings.taskType as string | undefined;
    const model: EmbeddingModelV1 = {
      specificationVersion: 'v1',
      provider: 'google',
      modelId,
      settingsKey: `${taskType ?? ''}/${dimensions ?? ''}`,
      dimensions,
      // batchEmbedContents takes at most 100 requests.
      maxEmbeddingsPerCall: 100,
      supportsParallelCalls: true,
      async doEmbed({ values, abortSignal }) {
        const timeout = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
        const signal = timeout ? AbortSignal.any([abortSignal, timeout]) : abortSignal;
        let response: EmbedContentResponse;
        try {
          response = await genai.models.embedContent({
            model: modelId,
            contents: values,
            config: { taskType, outputDimensionality: dimensions, abortSignal: signal },
          });
        } catch (error) {
          if (timeout?.aborted && !abortSignal.aborted) {
            throw new AiProviderError(`google: embedding request timed out after ${settings.timeout}`, {
              provider: 'google',
              isRetryable: true,
              cause: error,
            });
          }
          throw toProviderError('google', `embedding with model '${modelId}'`, error, abortSignal);
        }
        const embeddings = response?.embeddings;
        expectShape(
          Array.isArray(embeddings) && embeddings.every((item) => Array.isArray(item?.values)),
          'google',
          'embedContent',
        );
        return { embeddings: embeddings.map((item) => Float32Array.from(item.values ?? [])) };
      },
    };
    return model;
  },

  async chatModel(raw, context: ProviderContext) {
    const props = raw as Props;
    const genai = await client(props);
    const modelId = props.modelName as string;
    const exchange = { provider: 'google', what: `generateContent with model '${modelId}'`, logger: context.logger };
    const model: ChatModelV1 = {
      specificationVersion: 'v1',
      provider: 'google',
      modelId,
      async doGenerate({ messages, configuration, abortSignal }) {
        const { system, turns } = splitSystemMessages(messages);
        const format = configuration.responseFormat;
        const request = {
          model: modelId,
          contents: turns.map((message) => ({
            role: message.type === 'AI' ? 'model' : 'user',
            parts: [{ text: message.content }],
          })),
          config: {
            ...(system ? { systemInstruction: system } : {}),
            temperature: configuration.temperature,
            topK: configuration.topK,
            topP: configuration.topP,
            seed: configuration.seed,
            maxOutputTokens: configuration.maxToken,
            ...(format?.type === 'JSON'
              ? { responseMimeType: 'application/json', responseJsonSchema: format.jsonSchema }
              : {}),
          },
        };
        const response = await sendChatRequest({ ...exchange, configuration, abortSignal }, request, (body) =>
          genai.models.generateContent({ ...body, config: { ...body.config, abortSignal } }),
        );
        const candidate = response?.candidates?.[0];
        expectShape(candidate, 'google', 'generateContent');
        const text = (candidate.content?.parts ?? [])
          .filter((part) => typeof part.text === 'string' && !part.thought)
          .map((part) => part.text)
          .join('');
        const usage = response.usageMetadata;
        return {
          text,
          finishReason: finishReasonOf(candidate.finishReason),
          usage: {
            inputTokens: usage?.promptTokenCount,
            outputTokens: usage?.candidatesTokenCount,
            totalTokens: usage?.totalTokenCount,
          },
        };
      },
    };
    return model;
  },
};

/** Google Gemini (AI Studio API): chat and embeddings. */
export const geminiProvider = defineSubPlugin({
  type: TYPE,
  aliases: ['io.kestra.plugin.langchain4j.provider.GoogleGemini'],
  category: 'provider',
  title: 'Google Gemini',
  description:
    'Chat and embeddings with Gemini models (e.g. gemini-2.5-flash, gemini-embedding-001). ' +
    'embeddingModelConfiguration sets taskType, outputDimensionality and a per-request timeout. ' +
    'baseUrl applies to both chat and embeddings.',
  properties,
  implementation,
  examples: [
    {
      title: 'Embeddings for retrieval with Gemini',
      code: `id: gemini_ingest
namespace: company.ai
tasks:
  - id: ingest
    type: io.kestra.plugin.ai.rag.IngestDocument
    provider:
      type: io.kestra.plugin.ai.provider.GoogleGemini
      apiKey: "{{ secret('GEMINI_API_KEY') }}"
      modelName: gemini-embedding-001
      embeddingModelConfiguration:
        taskType: RETRIEVAL_DOCUMENT
        outputDimensionality: 768
    embeddings:
      type: io.kestra.plugin.ai.embeddings.KestraKVStore
    fromDocuments:
      - content: Gemini embeddings example
`,
    },
  ],
});
