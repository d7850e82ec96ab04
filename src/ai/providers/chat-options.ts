import { UnsupportedFeatureError } from '../errors.ts';
import type { ChatConfiguration, ChatMessage, FinishReason } from '../spec/chat-model.ts';
import type { TokenUsage } from '../spec/embedding-model.ts';

type Knob = 'topK' | 'seed' | 'responseFormat' | 'topP';

/** Rejects configuration knobs a provider cannot honour, naming the property (reference A.6). */
export function rejectUnsupported(
  providerType: string,
  configuration: ChatConfiguration,
  knobs: readonly Knob[],
): void {
  for (const knob of knobs) {
    const value = configuration[knob];
    if (value === undefined || (knob === 'responseFormat' && configuration.responseFormat?.type !== 'JSON')) continue;
    throw new UnsupportedFeatureError(
      `${providerType} does not support configuration.${knob}; remove it from the task's configuration`,
      { provider: providerType },
    );
  }
}

/** The OpenAI-style role of a message (also used by Mistral and Ollama). */
export function openAiRole(type: ChatMessage['type']): 'system' | 'user' | 'assistant' {
  return type === 'SYSTEM' ? 'system' : type === 'AI' ? 'assistant' : 'user';
}

/**
 * For APIs that take the system prompt apart from the turns (Anthropic, Gemini): the SYSTEM
 * messages joined by a blank line ('' when there are none), and the other messages in order.
 */
export function splitSystemMessages(messages: readonly ChatMessage[]): { system: string; turns: ChatMessage[] } {
  return {
    system: messages
      .filter((message) => message.type === 'SYSTEM')
      .map((message) => message.content)
      .join('\n\n'),
    turns: messages.filter((message) => message.type !== 'SYSTEM'),
  };
}

/** The entries that are set: knobs the flow left out are not sent, so the API's defaults apply. */
export function definedOnly<T extends Record<string, unknown>>(
  record: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/** Maps provider finish reasons (`stop`, `length`, `end_turn`, `MAX_TOKENS`...) onto the spec's. */
export function finishReasonOf(reason: unknown): FinishReason {
  const text = typeof reason === 'string' ? reason.toLowerCase() : '';
  if (['stop', 'end_turn', 'stop_sequence', 'eos'].includes(text)) return 'STOP';
  if (['length', 'max_tokens', 'model_length'].includes(text)) return 'LENGTH';
  if (['tool_calls', 'tool_use', 'function_call'].includes(text)) return 'TOOL_EXECUTION';
  if (['content_filter', 'safety', 'refusal', 'recitation', 'blocklist', 'prohibited_content'].includes(text)) {
    return 'CONTENT_FILTER';
  }
  return 'OTHER';
}

/** Usage for APIs that report input and output tokens but no total (Anthropic, Ollama). */
export function summedUsage(inputTokens: number | undefined, outputTokens: number | undefined): TokenUsage {
  return {
    inputTokens,
    outputTokens,
    totalTokens: inputTokens !== undefined && outputTokens !== undefined ? inputTokens + outputTokens : undefined,
  };
}
