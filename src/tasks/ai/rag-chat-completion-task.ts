import { z } from 'zod';
import { generateText } from '../../ai/generate-text.ts';
import { createChatModel } from '../../ai/providers/provider-plugin.ts';
import { injectSources } from '../../ai/retrieval/content-injector.ts';
import { trimSourcesToContext } from '../../ai/retrieval/context-budget.ts';
import { retrieve } from '../../ai/retrieval/retrieve.ts';
import type { ChatMessage } from '../../ai/spec/chat-model.ts';
import { openEmbeddingStore } from '../../ai/stores/store-plugin.ts';
import { defineTask } from '../../plugin/define-plugin.ts';
import { dynamic } from '../../plugin/dynamic.ts';
import { type PluginConfig, pluginRef } from '../../plugin/plugin-ref.ts';
import { providerContextOf, storeContextOf } from './ai-contexts.ts';
import { aiOutputSchema, toAiOutput } from './ai-output.ts';
import { chatConfigurationSchema, toChatConfiguration } from './chat-configuration-schema.ts';
import { logExchange } from './log-exchange.ts';
import { openEmbedder } from './query-embedder.ts';
import { pluginRegistryOf } from './registry-access.ts';
import { retrievalOptionsOf, retrievalSchema } from './retrieval-schema.ts';
import { sourceSchema, toSource } from './source-output.ts';

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
    '`embeddings` (VECTOR, or HYBRID = BM25 + vector with `retrieval.mode`), injects them numbered [1], [2]... ' +
    'after the prompt ("Answer using the following information:") and asks `chatProvider`. Outputs the answer ' +
    'and the `sources` used (content, metadata, score, id). Sources that do not fit the model context are dropped ' +
    'from the lowest rank and counted in `sourcesTrimmed`.',
  properties: z.object({
    chatProvider: pluginRef('provider'),
    embeddingProvider: pluginRef('provider').optional(),
    embeddings: pluginRef('embeddings'),
    systemMessage: dynamic(z.string()).optional(),
    prompt: dynamic(z.string()),
    chatConfiguration: chatConfigurationSchema.optional(),
    contentRetrieverConfiguration: z
      .object({
        maxResults: z.int().min(0).max(1000).default(3),
        minScore: z.number().min(0).max(1).default(0),
      })
      .default({ maxResults: 3, minScore: 0 }),
    retrieval: retrievalSchema.optional(),
  }),
  outputs: aiOutputSchema.extend({
    sources: z.array(sourceSchema),
    sourcesTrimmed: z.number().describe('Retrieved sources left out because they did not fit the context window.'),
  }),
  async run(ctx, props) {
    const registry = pluginRegistryOf(ctx);
    const chatConfig = props.chatProvider as PluginConfig;
    const embedder = await openEmbedder(ctx, (props.embeddingProvider ?? chatConfig) as PluginConfig);
    const chatModel = await createChatModel(registry, chatConfig, providerContextOf(ctx));
    const store = await openEmbeddingStore(registry, props.embeddings as PluginConfig, storeContextOf(ctx), {
      drop: false,
    });
    try {
      const retrieval = retrievalOptionsOf(props.retrieval);
      const prompt = String(props.prompt);
      const matches = await retrieve({
        store,
        query: prompt,
        embedQuery: embedder.embedQuery,
        maxResults: props.contentRetrieverConfiguration.maxResults,
        minScore: props.contentRetrieverConfiguration.minScore,
        ...retrieval,
      });
      const retrieved = matches.map(toSource);
      if (retrieved.length === 0) {
        ctx.logger.warn(
          `no chunk retrieved from the '${store.name}' store (${await store.count()} chunks); the model answers without ` +
            `sources. Check that an IngestDocument task wrote to the same embeddings (type and kvName/collection) ` +
            `with the same embedding model, and that minScore or retrieval.filter are not too strict`,
        );
      }
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
      ctx.logger.info(
        `retrieved ${retrieved.length} source(s) with ${retrieval.mode} search; using ${trimmed.kept.length}`,
      );
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
      ctx.metric({ name: 'ai.embedding.store.calls', value: 1, tags: { store: store.name } });
      return {
        ...toAiOutput(result, configuration, requestDuration),
        sources: trimmed.kept,
        sourcesTrimmed: trimmed.dropped,
      };
    } finally {
      await store.close();
    }
  },
});
