import { injectSources, type RetrievedSource } from '../../ai/retrieval/content-injector.ts';
import type { ChatMessage } from '../../ai/spec/chat-model.ts';

/** One turn of a chat: its system message and the remembered turns before the new prompt. */
export interface Conversation {
  /** The task's system message, else the one remembered from earlier turns. */
  systemMessage: string | undefined;
  /** Remembered USER and AI messages, oldest first. */
  turns: ChatMessage[];
}

export function conversationOf(systemMessage: string | undefined, history: readonly ChatMessage[]): Conversation {
  return {
    systemMessage: systemMessage ?? history.findLast((message) => message.type === 'SYSTEM')?.content,
    turns: history.filter((message) => message.type !== 'SYSTEM'),
  };
}

/** The text that is sent whatever the sources: what the context budget reserves first. */
export function fixedTextOf(conversation: Conversation, prompt: string): string {
  return [conversation.systemMessage ?? '', ...conversation.turns.map((message) => message.content), prompt].join('\n');
}

/** The request: system message, remembered turns, then the prompt with its sources injected. */
export function requestMessages(conversation: Conversation, prompt: string, sources: readonly RetrievedSource[]) {
  const messages: ChatMessage[] = [];
  if (conversation.systemMessage) messages.push({ type: 'SYSTEM', content: conversation.systemMessage });
  messages.push(...conversation.turns, { type: 'USER', content: injectSources(prompt, sources) });
  return messages;
}

/**
 * What memory keeps of this turn: the plain prompt, not the sources injected into it, which are
 * retrieved anew each turn (ADR 0531).
 */
export function exchangeToRemember(conversation: Conversation, prompt: string, answer: string): ChatMessage[] {
  return [
    ...(conversation.systemMessage ? [{ type: 'SYSTEM' as const, content: conversation.systemMessage }] : []),
    { type: 'USER', content: prompt },
    { type: 'AI', content: answer },
  ];
}
