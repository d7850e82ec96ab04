import { z } from 'zod';
import { generateText } from '../../ai/generate-text.ts';
import { checkGuardrails } from '../../ai/guardrails/check-guardrails.ts';
import { guardrailsSchema } from '../../ai/guardrails/guardrails-schema.ts';
import { openChatMemory } from '../../ai/memory/memory-plugin.ts';
import { createChatModel } from '../../ai/providers/provider-plugin.ts';
import { trimSourcesToContext } from '../../ai/retrieval/context-budget.ts';
import { defineTask } from '../../plugin/define-plugin.ts';
import { dynamic } from '../../plugin/dynamic.ts';
import { type PluginConfig, pluginRef } from '../../plugin/plugin-ref.ts';
import { providerContextOf } from './ai-contexts.ts';
import { aiOutputSchema, toAiOutput } from './ai-output.ts';
import { chatConfigurationSchema, toChatConfiguration } from './chat-configuration-schema.ts';
import { guardrailEvaluatorOf } from './guardrail-evaluator.ts';
import { guardrailOutputSchema, guardrailViolation, outputGuardrailVariables } from './guardrail-output.ts';
import { logExchange } from './log-exchange.ts';
import { memoryContextOf } from './memory-context.ts';
import { conversationOf, exchangeToRemember, fixedTextOf, requestMessages } from './rag-conversation.ts';
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
  // Guardrail expressions read `message` and `response`, which exist only while the task runs.
  lateRendered: ['guardrails'],
  description:
    'Embeds the `prompt` with `embeddingProvider` (default: `chatProvider`), retrieves the closest chunks from ' +
    '`embeddings` (VECTOR, or HYBRID = BM25 + vector with `retrieval.mode`) and from every `contentRetrievers` ' +
    'item (more stores, Tavily or Google web search), injects them numbered [1], [2]... after the prompt ' +
    '("Answer using the following information:") and asks `chatProvider`. Outputs the answer and the `sources` ' +
    'used (content, metadata, score, id). Sources that do not fit the model context are dropped from the lowest ' +
    'rank and counted in `sourcesTrimmed`. Needs `embeddings` or `contentRetrievers` (or `memory`, for a chat ' +
    'without retrieval). With `memory`, the remembered messages go before the prompt and the exchange is saved ' +
    'after the answer; `guardrails` check the prompt before anything else and the answer before it is returned.',
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
    memory: pluginRef('memory')
      .optional()
      .describe('Chat history: loaded before the prompt, saved with the new exchange after the answer.'),
    guardrails: guardrailsSchema.optional(),
  }),
  outputs: aiOutputSchema
    .extend({
      finishReason: aiOutputSchema.shape.finishReason.optional(),
      sources: z.array(ragSourceSchema),
      sourcesTrimmed: z.number().describe('Retrieved sources left out because they did not fit the context window.'),
    })
    .extend(guardrailOutputSchema.shape),
  async run(ctx, props) {
    const contentRetrievers = (props.contentRetrievers ?? []) as PluginConfig[];
    if (!props.embeddings && contentRetrievers.length === 0 && !props.memory) {
      throw new RagConfigurationError(
        `task ${ctx.taskRun.taskId}: rag.ChatCompletion has nothing to retrieve from; set \`embeddings\` (the store ` +
          `an IngestDocument task wrote to) or \`contentRetrievers\` (e.g. io.kestra.plugin.ai.retriever.TavilyWebSearch), ` +
          `or \`memory\` for a chat without retrieval`,
      );
    }
    const prompt = String(props.prompt);
    const evaluator = guardrailEvaluatorOf(ctx);
    const input = await checkGuardrails(props.guardrails?.input, { message: prompt }, evaluator);
    if (input.violated) {
      return {
        ...guardrailViolation(ctx.logger, 'input', input),
        tokenUsage: {},
        requestDuration: 0,
        sources: [],
        sourcesTrimmed: 0,
      };
    }
    const registry = pluginRegistryOf(ctx);
    const chatModel = await createChatModel(registry, props.chatProvider as PluginConfig, providerContextOf(ctx));
    const memory = props.memory
      ? await openChatMemory(registry, props.memory as PluginConfig, memoryContextOf(ctx))
      : undefined;
    try {
      const history = (await memory?.load()) ?? [];
      if (memory) {
        ctx.logger.info(`memory '${memory.memoryId}' (${memory.store.name}): ${history.length} message(s) loaded`);
      }
      const retrieved =
        props.embeddings || contentRetrievers.length > 0
          ? await gatherSources(
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
            )
          : [];
      const configuration = toChatConfiguration(props.chatConfiguration);
      const conversation = conversationOf(
        props.systemMessage === undefined ? undefined : String(props.systemMessage),
        history,
      );
      const trimmed = trimSourcesToContext(retrieved, {
        contextWindowTokens: chatModel.contextWindowTokens,
        fixedText: fixedTextOf(conversation, prompt),
        reservedOutputTokens: configuration.maxToken ?? DEFAULT_RESERVED_OUTPUT_TOKENS,
      });
      if (trimmed.dropped > 0) {
        ctx.logger.warn(
          `${trimmed.dropped} of ${retrieved.length} retrieved sources do not fit the ${chatModel.contextWindowTokens}-token ` +
            `context of ${chatModel.modelId} and were left out (lowest ranked first); lower ` +
            `contentRetrieverConfiguration.maxResults or split documents into smaller chunks`,
        );
      }
      if (retrieved.length > 0)
        ctx.logger.info(`retrieved ${retrieved.length} source(s); using ${trimmed.kept.length}`);
      const messages = requestMessages(conversation, prompt, trimmed.kept);
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
      const common = { sources: trimmed.kept, sourcesTrimmed: trimmed.dropped };
      const output = await checkGuardrails(props.guardrails?.output, outputGuardrailVariables(result), evaluator);
      if (output.violated) {
        await memory?.finish(undefined);
        // A plain-text reading, so a withheld JSON answer that does not parse cannot fail the task.
        const { textOutput: _withheld, ...usage } = toAiOutput(result, {}, requestDuration);
        return { ...usage, ...common, ...guardrailViolation(ctx.logger, 'output', output) };
      }
      const answer = toAiOutput(result, configuration, requestDuration);
      await memory?.finish(exchangeToRemember(conversation, prompt, result.text));
      return { ...answer, ...common, guardrailViolated: false };
    } finally {
      await memory?.close();
    }
  },
});

/** The task's properties cannot work together: retrying the same flow cannot fix it. */
class RagConfigurationError extends Error {
  override name = 'RagConfigurationError';
  readonly isRetryable = false;
}
