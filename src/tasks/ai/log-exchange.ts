import type { ChatConfiguration, ChatMessage } from '../../ai/spec/chat-model.ts';
import type { TaskLogger } from '../../plugin/run-context.ts';

/** `logRequests` / `logResponses` of the chat configuration: logged at INFO like the reference. */
export function logExchange(
  logger: TaskLogger,
  configuration: ChatConfiguration,
  direction: 'request' | 'response',
  payload: ChatMessage[] | string,
): void {
  const wanted = direction === 'request' ? configuration.logRequests : configuration.logResponses;
  if (!wanted) return;
  const text =
    typeof payload === 'string' ? payload : payload.map((message) => `${message.type}: ${message.content}`).join('\n');
  logger.info(`chat ${direction}:\n${text}`);
}
