import type { ChatMessage } from '../spec/chat-model.ts';

/**
 * The reference's message window (LangChain4j's MessageWindowChatMemory): at most `maxMessages`
 * messages, the oldest evicted first, and the last system message always kept, first.
 */
export function windowMessages(messages: readonly ChatMessage[], maxMessages: number): ChatMessage[] {
  const system = messages.findLast((message) => message.type === 'SYSTEM');
  const turns = messages.filter((message) => message.type !== 'SYSTEM');
  const room = Math.max(0, maxMessages - (system ? 1 : 0));
  const kept = room === 0 ? [] : turns.slice(-room);
  return system && maxMessages > 0 ? [system, ...kept] : kept;
}
