import { callWithRetry, type RetryOptions } from './providers/retry-policy.ts';
import type { ChatConfiguration, ChatMessage, ChatModelV1, FinishReason } from './spec/chat-model.ts';
import type { TokenUsage } from './spec/embedding-model.ts';

/** A retrieved source handed to the model (the extractive local model answers from these). */
export interface GenerateTextSource {
  content: string;
  metadata: Record<string, unknown>;
  score?: number;
}

/** Result of `generateText`. */
export interface GenerateTextResult {
  text: string;
  finishReason: FinishReason;
  usage: TokenUsage;
  warnings: string[];
  /** `doGenerate` calls made, retries included. */
  calls: number;
}

/** One chat completion with the shared retry policy (429, 5xx, timeouts, resets). */
export async function generateText(
  model: ChatModelV1,
  options: {
    messages: ChatMessage[];
    configuration?: ChatConfiguration;
    signal: AbortSignal;
    sources?: GenerateTextSource[];
    retry?: RetryOptions;
  },
): Promise<GenerateTextResult> {
  let calls = 0;
  const result = await callWithRetry(
    () => {
      calls++;
      return model.doGenerate({
        messages: options.messages,
        configuration: options.configuration ?? {},
        abortSignal: options.signal,
        sources: options.sources,
      });
    },
    { signal: options.signal, retry: options.retry, provider: model.provider, what: 'chat completion' },
  );
  return {
    text: result.text,
    finishReason: result.finishReason,
    usage: result.usage ?? {},
    warnings: result.warnings ?? [],
    calls,
  };
}
