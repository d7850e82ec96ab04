import type { TaskLogger } from '../../plugin/run-context.ts';
import type { ChatMessage } from '../spec/chat-model.ts';

/**
 * Conversations are stored as LangChain4j serialises chat messages (the reference's format), so a
 * memory written by either system reads in the other:
 * `{"text": "...", "type": "SYSTEM"}`, `{"contents": [{"text": "...", "type": "TEXT"}], "type": "USER"}`,
 * `{"text": "...", "toolExecutionRequests": [], "type": "AI"}`.
 */
export function encodeMessages(messages: readonly ChatMessage[]): Record<string, unknown>[] {
  return messages.map((message) => {
    if (message.type === 'USER') return { contents: [{ text: message.content, type: 'TEXT' }], type: 'USER' };
    if (message.type === 'AI') return { text: message.content, toolExecutionRequests: [], type: 'AI' };
    return { text: message.content, type: 'SYSTEM' };
  });
}

/**
 * Reads a stored conversation (a JSON string or an already parsed list). Messages of other kinds
 * (tool results, custom messages) and non-text contents are skipped; anything that is not a list
 * of messages is an error the caller reports.
 */
export function decodeMessages(stored: unknown): ChatMessage[] {
  const value: unknown = typeof stored === 'string' ? JSON.parse(stored) : stored;
  if (!Array.isArray(value)) throw new Error('the stored memory is not a list of messages');
  const out: ChatMessage[] = [];
  for (const item of value) {
    if (!item || typeof item !== 'object') throw new Error('the stored memory holds an entry that is not a message');
    const record = item as Record<string, unknown>;
    const type = String(record.type ?? '').toUpperCase();
    if (type !== 'SYSTEM' && type !== 'USER' && type !== 'AI') continue;
    const text = textOf(record);
    if (text !== undefined) out.push({ type, content: text });
  }
  return out;
}

/**
 * Reads a stored conversation, or undefined when it is damaged: a damaged value must not block
 * the conversation forever, so it is reported (`what` names it) and a new conversation starts;
 * the next save overwrites the damaged value.
 */
export function decodeStoredConversation(stored: unknown, what: string, logger: TaskLogger): ChatMessage[] | undefined {
  try {
    return decodeMessages(stored);
  } catch (error) {
    logger.warn(
      `${what} is not a conversation (${error instanceof Error ? error.message : String(error)}); starting a new one`,
    );
    return undefined;
  }
}

function textOf(record: Record<string, unknown>): string | undefined {
  if (typeof record.text === 'string') return record.text;
  if (typeof record.content === 'string') return record.content;
  if (Array.isArray(record.contents)) {
    const texts = record.contents
      .map((part) => (part && typeof part === 'object' ? (part as { text?: unknown }).text : undefined))
      .filter((text): text is string => typeof text === 'string');
    return texts.length > 0 ? texts.join('\n') : undefined;
  }
  return undefined;
}
