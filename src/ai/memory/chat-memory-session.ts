import type { ChatMessage } from '../spec/chat-model.ts';
import type { ChatMemoryStoreV1 } from './chat-memory-store.ts';
import type { DropPolicy } from './memory-properties.ts';
import { windowMessages } from './message-window.ts';

/** Settings of one task run's use of a memory. */
export interface ChatMemorySettings {
  memoryId: string;
  maxMessages: number;
  ttlMs: number;
  drop: DropPolicy;
}

/**
 * One task run's conversation: `load` before asking the model, `finish` after it answered.
 *
 * Drop policies, defined here because the reference's are fuzzy:
 * - NEVER: load the history, save it with the new exchange (the ttl restarts at each save).
 * - BEFORE_TASKRUN: erase the stored history, then behave as NEVER: this task starts a new
 *   conversation that later tasks continue.
 * - AFTER_TASKRUN: load and use the history, then erase it instead of saving: this task ends
 *   the conversation.
 * A task that fails calls neither `finish` nor anything else, so a retry sees the same history.
 */
export class ChatMemorySession {
  #history: ChatMessage[] = [];

  constructor(
    readonly store: ChatMemoryStoreV1,
    readonly settings: ChatMemorySettings,
  ) {}

  get memoryId(): string {
    return this.settings.memoryId;
  }

  /** The remembered messages, oldest first (a system message, if any, first). */
  async load(): Promise<ChatMessage[]> {
    if (this.settings.drop === 'BEFORE_TASKRUN') {
      await this.store.delete(this.settings.memoryId);
      this.#history = [];
    } else {
      this.#history = windowMessages((await this.store.load(this.settings.memoryId)) ?? [], this.settings.maxMessages);
    }
    return [...this.#history];
  }

  /**
   * Ends the run: saves the history with `exchange` appended (the window applied), or erases it
   * for AFTER_TASKRUN. Without an exchange (a guardrail stopped the answer) nothing is saved.
   */
  async finish(exchange: ChatMessage[] | undefined): Promise<void> {
    if (this.settings.drop === 'AFTER_TASKRUN') {
      await this.store.delete(this.settings.memoryId);
      return;
    }
    if (!exchange) return;
    const messages = windowMessages([...this.#history, ...exchange], this.settings.maxMessages);
    await this.store.save(this.settings.memoryId, messages, this.settings.ttlMs);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
