import type { ChatMessage } from '../spec/chat-model.ts';

/**
 * Where a chat memory keeps conversations, version 1 of the spec: one list of messages per
 * memory id, with an expiry. The sliding window and the drop policy live in `ChatMemorySession`,
 * so each backend only stores, loads and deletes.
 */
export interface ChatMemoryStoreV1 {
  readonly specificationVersion: 'v1';
  /** Short name for logs, e.g. `KestraKVStore`. */
  readonly name: string;
  /** The live conversation of `memoryId`, or undefined when there is none or it expired. */
  load(memoryId: string): Promise<ChatMessage[] | undefined>;
  /** Replaces the conversation of `memoryId`; it expires `ttlMs` from now. */
  save(memoryId: string, messages: ChatMessage[], ttlMs: number): Promise<void>;
  delete(memoryId: string): Promise<void>;
  /** Releases connections; the store is not used afterwards. */
  close(): Promise<void>;
}
