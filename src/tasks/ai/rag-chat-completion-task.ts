import { z } from 'zod';
import { generateText } from '../../ai/generate-text.ts';
import { createChatModel } from '../../ai/providers/provider-plugin.ts';
import { injectSources } from '../../ai/retrieval/content-injector.ts';
import { trimSourcesToContext } from '../../ai/retrieval/context-budget.ts';
import type { ChatMessage } from '../../ai/spec/chat-model.ts';
import { defineTask } from '../../plugin/define-plugin.ts';
import { dynamic } from '../../plugin/dynamic.ts';
import { type PluginConfig, pluginRef } from '../../plugin/plugin-ref.ts';
import { providerContextOf } from './ai-contexts.ts';
import { aiOutputSchema, toAiOutput } from './ai-output.ts';
import { chatConfigurationSchema, toChatConfiguration } from './chat-configuration-schema.ts';
import { logExchange } from './log-exchange.ts';
import { gatherSources, ragSourceSchema } from './rag-sources.ts';
import { pluginRegistryOf } from './registry-access.ts';
import { retrievalSchema } from './retrieval-schema.ts';

/** Room kept for the answer when the chat configuration sets no maxToken. */
const DEFAULT_RESERVED_OUTPUT_TOKENS = 1024;

/** `rag.ChatCompletion`: retrieve chunks for the prompt, inject them, and answer with sources. */
export const ragChatCompletionTask = defineTask({
  type: 'io.kestra.plugin.ai.rag.ChatCompletion',
  aliases: [
    'io.kestra.plugin.langchain4j.rag.ChatCompletion',
    'io.kestra.plugin.langchain4j.rag.Chat',
    'io.kestra.plugin.ai.rag.Chat',
  ],
  category: 'task',
  title: 'RAG chat completion',
  description:
    'Embeds the `prompt` with `embeddingProvider` (default: `chatProvider`), retrieves the closest chunks from ' +
    '`embeddings` (VECTOR, or HYBRID = BM25 + vector with `retrieval.mode`) and from every `contentRetrievers` ' +
    'item (more stores, Tavily or Google web search), injects them numbered [1], [2]... after the prompt ' +
    '("Answer using the following information:") and asks `chatProvider`. Outputs the answer and the `sources` ' +
    'used (content, metadata, score, id). Sources that do not fit the model context are dropped from the lowest ' +
    'rank and counted in `sourcesTrimmed`. Needs `embeddings` or `contentRetrievers` (or `memory`, for a chat ' +
    'without retrieval).',
  properties: z.object({
    chatProvider: pluginRef('provider'),
    embeddingProvider: pluginRef('provider').optional(),
    embeddings: pluginRef('embeddings')
      .optional()
      .describe('The store to retrieve from; optional when `contentRetrievers` are given.'),
    systemMessage: dynamic(z.string()).optional(),
    prompt: dynamic(z.string()),
    chatConfiguration: chatConfigurationSchema.optional(),
    contentRetrieverConfiguration: z
      .object({
        maxResults: z.int().min(0).max(1000).default(3),
        minScore: z.number().min(0).max(1).default(0),
      })
      .default({ maxResults: 3, minScore: 0 }),
    contentRetrievers: z
      .array(pluginRef('retriever'))
      .optional()
      .describe('More retrievers, all queried for every prompt after `embeddings`: stores and web searches.'),
    retrieval: retrievalSchema.optional(),
  }),
  outputs: aiOutputSchema.extend({
    sources: z.array(ragSourceSchema),
    sourcesTrimmed: z.number().describe('Retrieved sources left out because they did not fit the context window.'),
  }),
  async run(ctx, props) {
    const contentRetrievers = (props.contentRetrievers ?? []) as PluginConfig[];
    if (!props.embeddings && contentRetrievers.length === 0) {
      throw new RagConfigurationError(
        `task ${ctx.taskRun.taskId}: rag.ChatCompletion has nothing to retrieve from; set \`embeddings\` (the store ` +
          `an IngestDocument task wrote to) or \`contentRetrievers\` (e.g. io.kestra.plugin.ai.retriever.TavilyWebSearch)`,
      );
    }
    const registry = pluginRegistryOf(ctx);
    const chatModel = await createChatModel(registry, props.chatProvider as PluginConfig, providerContextOf(ctx));
    const prompt = String(props.prompt);
    const retrieved = await gatherSources(
      ctx,
      {
        chatProvider: props.chatProvider as PluginConfig,
        embeddingProvider: props.embeddingProvider as PluginConfig | undefined,
        embeddings: props.embeddings as PluginConfig | undefined,
        contentRetrievers,
        contentRetrieverConfiguration: props.contentRetrieverConfiguration,
        retrieval: props.retrieval,
      },
      prompt,
    );
    const configuration = toChatConfiguration(props.chatConfiguration);
    const systemMessage = props.systemMessage === undefined ? undefined : String(props.systemMessage);
    const trimmed = trimSourcesToContext(retrieved, {
      contextWindowTokens: chatModel.contextWindowTokens,
      fixedText: `${systemMessage ?? ''}\n${prompt}`,
      reservedOutputTokens: configuration.maxToken ?? DEFAULT_RESERVED_OUTPUT_TOKENS,
    });
    if (trimmed.dropped > 0) {
      ctx.logger.warn(
        `${trimmed.dropped} of ${retrieved.length} retrieved sources do not fit the ${chatModel.contextWindowTokens}-token ` +
          `context of ${chatModel.modelId} and were left out (lowest ranked first); lower ` +
          `contentRetrieverConfiguration.maxResults or split documents into smaller chunks`,
      );
    }
    ctx.logger.info(`retrieved ${retrieved.length} source(s); using ${trimmed.kept.length}`);
    const messages: ChatMessage[] = [];
    if (systemMessage) messages.push({ type: 'SYSTEM', content: systemMessage });
    messages.push({ type: 'USER', content: injectSources(prompt, trimmed.kept) });
    logExchange(ctx.logger, configuration, 'request', messages);
    const started = performance.now();
    const result = await generateText(chatModel, {
      messages,
      configuration,
      signal: ctx.signal,
      sources: trimmed.kept,
    });
    const requestDuration = Math.round(performance.now() - started);
    logExchange(ctx.logger, configuration, 'response', result.text);
    for (const warning of result.warnings) ctx.logger.warn(warning);
    return {
      ...toAiOutput(result, configuration, requestDuration),
      sources: trimmed.kept,
      sourcesTrimmed: trimmed.dropped,
    };
  },
});

/** The task's properties cannot work together: retrying the same flow cannot fix it. */
class RagConfigurationError extends Error {
  override name = 'RagConfigurationError';
  readonly isRetryable = false;
}
