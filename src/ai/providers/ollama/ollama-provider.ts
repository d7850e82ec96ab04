import { type ChatRequest, Ollama } from 'ollama';
import { z } from 'zod';
import { defineSubPlugin } from '../../../plugin/define-plugin.ts';
import { dynamic } from '../../../plugin/dynamic.ts';
import type { ChatModelV1 } from '../../spec/chat-model.ts';
import type { EmbeddingModelV1 } from '../../spec/embedding-model.ts';
import { definedOnly, finishReasonOf, openAiRole, summedUsage } from '../chat-options.ts';
import { expectShape, withProviderErrors } from '../provider-errors.ts';
import type { ProviderContext, ProviderImplementation } from '../provider-plugin.ts';
import { baseProviderProperties, rejectTlsProperties } from '../provider-properties.ts';
import { sendChatRequest } from '../send-chat-request.ts';

const TYPE = 'io.kestra.plugin.ai.provider.Ollama';
const properties = z.object({
  ...baseProviderProperties,
  endpoint: dynamic(z.string().url()).meta({ description: 'The Ollama server, e.g. http://localhost:11434.' }),
});
type Props = z.output<typeof properties>;

/**
 * The client has no per-request signal (only `abort()` of everything), so each call gets a
 * client whose fetch carries the call's signal.
 */
function clientFor(host: string, signal: AbortSignal): Ollama {
  return new Ollama({
    host,
    fetch: (input, init) =>
      fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal }),
  });
}

function hostOf(props: Props): string {
  rejectTlsProperties(TYPE, props);
  // The reference applies baseUrl to chat only; here it overrides endpoint for both, so one
  // gateway setting reaches every call.
  return (props.baseUrl as string | undefined) ?? (props.endpoint as string);
}

const implementation: ProviderImplementation = {
  async embeddingModel(raw) {
    const props = raw as Props;
    const host = hostOf(props);
    const modelId = props.modelName as string;
    const model: EmbeddingModelV1 = {
      specificationVersion: 'v1',
      provider: 'ollama',
      modelId,
      maxEmbeddingsPerCall: 256,
      // One local server usually serves one request at a time per model.
      supportsParallelCalls: false,
      async doEmbed({ values, abortSignal }) {
        const response = await withProviderErrors(
          'ollama',
          `embedding with model '${modelId}' at ${host}`,
          abortSignal,
          () => clientFor(host, abortSignal).embed({ model: modelId, input: values }),
        );
        expectShape(
          Array.isArray(response?.embeddings) && response.embeddings.every((vector) => Array.isArray(vector)),
          'ollama',
          'embed',
        );
        return {
          embeddings: response.embeddings.map((vector) => Float32Array.from(vector)),
          usage: { inputTokens: response.prompt_eval_count },
        };
      },
    };
    return model;
  },

  async chatModel(raw, context: ProviderContext) {
    const props = raw as Props;
    const host = hostOf(props);
    const modelId = props.modelName as string;
    const exchange = { provider: 'ollama', what: `chat with model '${modelId}' at ${host}`, logger: context.logger };
    const model: ChatModelV1 = {
      specificationVersion: 'v1',
      provider: 'ollama',
      modelId,
      async doGenerate({ messages, configuration, abortSignal }) {
        const format = configuration.responseFormat;
        const body: ChatRequest & { stream: false } = {
          model: modelId,
          messages: messages.map((message) => ({ role: openAiRole(message.type), content: message.content })),
          stream: false,
          options: definedOnly({
            temperature: configuration.temperature,
            top_k: configuration.topK,
            top_p: configuration.topP,
            seed: configuration.seed,
            num_predict: configuration.maxToken,
          }),
          ...(format?.type === 'JSON' ? { format: format.jsonSchema ?? 'json' } : {}),
        };
        const response = await sendChatRequest({ ...exchange, configuration, abortSignal }, body, (request) =>
          clientFor(host, abortSignal).chat(request),
        );
        expectShape(typeof response?.message?.content === 'string', 'ollama', 'chat');
        return {
          text: response.message.content,
          finishReason: finishReasonOf(response.done_reason ?? 'stop'),
          usage: summedUsage(response.prompt_eval_count, response.eval_count),
        };
      },
    };
    return model;
  },
};

/** A local or remote Ollama server: chat and embeddings. */
export const ollamaProvider = defineSubPlugin({
  type: TYPE,
  aliases: ['io.kestra.plugin.langchain4j.provider.Ollama'],
  category: 'provider',
  title: 'Ollama',
  description:
    'Chat and embeddings with models served by Ollama (e.g. llama3.2, nomic-embed-text). baseUrl, when set, ' +
    'overrides endpoint for both chat and embeddings.',
  properties,
  implementation,
  examples: [
    {
      title: 'Embeddings and chat with Ollama',
      code: `id: ollama_chat
namespace: company.ai
tasks:
  - id: chat
    type: io.kestra.plugin.ai.completion.ChatCompletion
    provider:
      type: io.kestra.plugin.ai.provider.Ollama
      endpoint: http://localhost:11434
      modelName: llama3.2
    messages:
      - type: USER
        content: Say hello
`,
    },
  ],
});
