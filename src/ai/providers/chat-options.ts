import type { TaskLogger } from '../../plugin/run-context.ts';
import { UnsupportedFeatureError } from '../errors.ts';
import type { ChatConfiguration, ChatMessage, FinishReason } from '../spec/chat-model.ts';

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

/** `logRequests` / `logResponses`: logged at INFO like the reference. */
export function logExchange(
  logger: TaskLogger,
  configuration: ChatConfiguration,
  kind: 'request' | 'response',
  body: unknown,
): void {
  if ((kind === 'request' && configuration.logRequests) || (kind === 'response' && configuration.logResponses)) {
    logger.info(`${kind}: ${JSON.stringify(body)}`);
  }
}
